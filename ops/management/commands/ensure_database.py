"""Create the PostgreSQL database DATABASE_URL names, if missing (`make prod`, a first start)."""

from django.core.management.base import BaseCommand
from django.db import connection


class Command(BaseCommand):
    help = "Creates the PostgreSQL database of DATABASE_URL if it does not exist yet."

    def handle(self, *args, **options):
        if connection.vendor != "postgresql":
            self.stdout.write(f"Base {connection.vendor} : rien à créer.")
            return
        name = connection.settings_dict["NAME"]
        # A connection to the server's maintenance database (what Django's test runner uses).
        with connection._nodb_cursor() as cursor:
            cursor.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name])
            if cursor.fetchone():
                self.stdout.write(f"La base {name} existe.")
                return
            cursor.execute(f"CREATE DATABASE {connection.ops.quote_name(name)}")
        self.stdout.write(f"Base {name} créée.")
