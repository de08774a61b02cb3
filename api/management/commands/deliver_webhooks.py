"""Retry the webhook deliveries whose next try is due (the scheduler runs it every minute;
the worker delivers new events at once): docs/api.md §7."""

from django.core.management.base import BaseCommand

from api.webhooks import deliver, due_deliveries


class Command(BaseCommand):
    help = "Retry due webhook deliveries."

    def add_arguments(self, parser):
        parser.add_argument("--limit", type=int, default=500)

    def handle(self, *args, limit, **options):
        ids = list(due_deliveries().values_list("pk", flat=True)[:limit])
        delivered = sum(deliver(pk) for pk in ids)
        self.stdout.write(f"{delivered} delivered of {len(ids)} due.")
