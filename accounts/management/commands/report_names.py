"""Lists the stored names that break the rule of docs/accounts.md §14 (subscribers, pending
registrations of both modes), changing nothing; exits with status 1 when it finds one, for CI
and cron."""

from django.core.management.base import BaseCommand, CommandError

from accounts.names import bad_stored_names


class Command(BaseCommand):
    help = (
        "Lists the subscribers and pending registrations whose first or last name breaks the "
        "rule (docs/accounts.md §14), without changing them; exit status 1 if there is any."
    )

    def handle(self, *args, **options):
        found = 0
        for bad in bad_stored_names():
            found += 1
            # repr() shows line breaks, controls and bidi characters as escapes.
            self.stdout.write(
                f"{bad.model} #{bad.pk} {bad.email!r} {bad.field}={bad.value!r} : {bad.problem}"
            )
        if found:
            raise CommandError(f"{found} nom(s) non conforme(s).", returncode=1)
        self.stdout.write("Aucun nom non conforme.")
