"""Revoke a service client (docs/api.md §4): its bearers stop working at once and it gets no
new one; the online service must be given a new client."""

from django.core.management.base import BaseCommand, CommandError

from api.clients import revoke_client
from api.models import ServiceClient


class Command(BaseCommand):
    help = "Revoke an API service client: its bearer tokens stop working at once."

    def add_arguments(self, parser):
        parser.add_argument("client_id", nargs="?", help="svc_…, as create_service_client printed")
        parser.add_argument(
            "--list", action="store_true", dest="show_list", help="list the clients and stop"
        )

    def handle(self, *args, client_id, show_list, **options):
        if show_list or not client_id:
            for client in ServiceClient.objects.order_by("created_at"):
                state = f"revoked {client.revoked_at:%Y-%m-%d}" if client.revoked_at else "live"
                self.stdout.write(f"{client.client_id}  {state:18}  {client.name}\n")
            return
        if revoke_client(client_id) is None:
            raise CommandError(f"No live service client {client_id!r}.")
        self.stdout.write(f"{client_id} revoked: its bearer tokens no longer work.\n")
