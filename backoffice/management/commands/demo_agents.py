from django.core.management.base import BaseCommand

from backoffice.demo import DEMO_AGENT_PASSWORD, load_demo_agents


class Command(BaseCommand):
    help = "Load the demo's three agents, one of each role, with known credentials (idempotent)."

    def handle(self, *args, **options):
        self.stdout.write(
            self.style.SUCCESS("Agents de démonstration (espace agents : /agents/) :")
        )
        for demo, agent, created in load_demo_agents():
            state = "créé" if created else "déjà présent"
            key = agent.device.base32_key
            self.stdout.write(f"  {demo.role.label:<12} {demo.email:<32} clé TOTP {key}  ({state})")
        self.stdout.write(f"  Mot de passe de chacun : {DEMO_AGENT_PASSWORD}")
        self.stdout.write(
            "  Code TOTP du moment : .venv/bin/python manage.py agent_totp <adresse>"
            " (ou toute application d'authentification avec la clé ci-dessus)"
        )
