from django.core.management.base import BaseCommand

from demo.messaging_demo import AGENT_PASSWORD, BORDEAUX_AGENT, load_messaging_demo


class Command(BaseCommand):
    help = (
        "Load the secure messaging's demo: conversations for Lila ROSEMONDE and Paul MARTIN, "
        "an agent of SIE-BORDEAUX (idempotent; after `demo` and `demo_agents`)."
    )

    def handle(self, *args, **options):
        result = load_messaging_demo()
        self.stdout.write(self.style.SUCCESS("Messagerie sécurisée de démonstration :"))
        self.stdout.write(
            f"  {result['threads_added']} conversation(s) ajoutée(s) — Lila ROSEMONDE (SARL "
            "MARIANNE) et Paul MARTIN (ses deux premiers dossiers) ont des réponses non lues."
        )
        state = "créé" if result["agent_created"] else "déjà présent"
        key = result["agent"].device.base32_key
        self.stdout.write(
            f"  Agent du {BORDEAUX_AGENT.office} (SARL MARTIN DISTRIBUTION) : "
            f"{BORDEAUX_AGENT.email} clé TOTP {key} ({state}), mot de passe : {AGENT_PASSWORD}"
        )
