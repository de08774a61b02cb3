"""Erase what the API keeps no longer than needed (docs/api.md §6): expired service bearers,
idempotent answers older than API_IDEMPOTENCY_HOURS. The scheduler runs it daily."""

from django.core.management.base import BaseCommand

from api.clients import purge_expired_bearers
from api.idempotency import purge_expired


class Command(BaseCommand):
    help = "Delete expired API bearers and idempotent answers."

    def handle(self, *args, **options):
        self.stdout.write(f"{purge_expired_bearers()} expired service bearers deleted.")
        self.stdout.write(f"{purge_expired()} idempotent answers deleted.")
