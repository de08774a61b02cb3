"""Daily: e-mail the holders whose password expires in 60, 15 or 1 days (docs/accounts.md §8)."""

from django.conf import settings
from django.core.management.base import BaseCommand
from django.utils import translation

from accounts.flows.password_expiry import send_expiry_reminders


class Command(BaseCommand):
    help = (
        "E-mails the holders whose password expires in 60, 15 or 1 days (each reminder once: "
        "safe to run twice)."
    )

    def handle(self, *args, **options):
        with translation.override(settings.LANGUAGE_CODE):
            sent = send_expiry_reminders()
        self.stdout.write(f"{sent} rappel(s) d'expiration envoyé(s).")
