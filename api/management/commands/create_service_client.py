"""Create a service client (an online tax service) for the API's authorization check
(docs/api.md §4); prints its id and secret once."""

from django.core.management.base import BaseCommand

from api.clients import create_client


class Command(BaseCommand):
    help = "Create an API service client (OAuth2 client credentials); prints its secret once."

    def add_arguments(self, parser):
        parser.add_argument("name", help="the online service, e.g. 'Déclarer TVA'")

    def handle(self, *args, name, **options):
        client, secret = create_client(name)
        self.stdout.write(f"client_id={client.client_id}\nclient_secret={secret}\n")
        self.stderr.write("The secret is shown only now: keep it in the service's vault.")
