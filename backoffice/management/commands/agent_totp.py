"""Print the TOTP code an agent's application shows now (development, demo, tests):
`manage.py agent_totp assistance@agents.example.fr`."""

from django.core.management.base import BaseCommand, CommandError

from backoffice import auth
from backoffice.models import AgentDevice
from core.text import normalize_email


class Command(BaseCommand):
    help = "Print an agent's current TOTP code."

    def add_arguments(self, parser):
        parser.add_argument("email")

    def handle(self, *args, **options):
        device = AgentDevice.objects.filter(
            user__email=normalize_email(options["email"]), confirmed=True
        ).first()
        if device is None:
            raise CommandError("No TOTP application is enrolled for this agent.")
        self.stdout.write(auth.current_code(device))
