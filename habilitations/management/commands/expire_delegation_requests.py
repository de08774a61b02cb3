"""Daily: write down the delegation requests that waited past their deadline, and tell each firm
(docs/habilitations.md §12.4). No rule depends on it: a lapsed request is treated as expired
whenever it is read."""

from django.core.management.base import BaseCommand
from django.db import transaction

from habilitations.delegation_requests.states import expire_all


class Command(BaseCommand):
    help = (
        "Marque expirées les demandes de délégation restées sans réponse et prévient les cabinets."
    )

    def handle(self, *args, **options):
        with transaction.atomic():
            count = expire_all()
        self.stdout.write(f"{count} demande(s) de délégation expirée(s).")
