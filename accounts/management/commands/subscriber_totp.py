"""Print the TOTP code a subscriber's authenticator app shows now (development, demo, tests):
`manage.py subscriber_totp lila.rosemonde@example.fr`, as `agent_totp` does for agents."""

from django.core.management.base import BaseCommand, CommandError

from accounts.factors import app
from accounts.models import Subscriber
from core.text import normalize_email


class Command(BaseCommand):
    help = "Print a subscriber's current TOTP code."

    def add_arguments(self, parser):
        parser.add_argument("email")

    def handle(self, *args, **options):
        subscriber = Subscriber.objects.filter(email=normalize_email(options["email"])).first()
        device = app.device(subscriber) if subscriber else None
        if device is None:
            raise CommandError("No authenticator app is enrolled for this subscriber.")
        self.stdout.write(app.current_code(device))
