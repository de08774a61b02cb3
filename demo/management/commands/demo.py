from django.core.management.base import BaseCommand

from demo.demo import DEMO_PASSWORD, DEMO_TRUST_ANSWER, factor_label, load_demo
from habilitations.portfolio import queries as portfolio


class Command(BaseCommand):
    help = "Load demo companies and activated spaces with known credentials (idempotent)."

    def handle(self, *args, **options):
        results = load_demo()
        self.stdout.write(self.style.SUCCESS("Données de démonstration prêtes. Espaces :"))
        for space, subscriber, created in results:
            state = "créé" if created else "déjà présent"
            self.stdout.write(
                f"  {space.first_name} {space.last_name.upper():<10} {space.email:<28} "
                f"abonné {space.number}  {portfolio.count(subscriber):>4} dossier(s)  "
                f"({space.role}, {state})"
            )
            self.stdout.write(f"      second facteur : {factor_label(subscriber)}")
        self.stdout.write(f"  Mot de passe de chacun : {DEMO_PASSWORD}")
        self.stdout.write(f"  Réponse à la question de confiance : {DEMO_TRUST_ANSWER}")
