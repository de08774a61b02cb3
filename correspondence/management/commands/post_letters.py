from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from correspondence.letters import letters_to_post, post_letter


class Command(BaseCommand):
    help = (
        "Hand the letters not posted yet to the print-and-post step: copy each PDF from the "
        "letters' storage into LETTERS_OUTBOX_DIR, then (outside development) replace the PDF "
        "kept in the storage with a copy with its code masked. Safe to run often, e.g. every "
        "few minutes from cron."
    )

    def add_arguments(self, parser):
        parser.add_argument("--limit", type=int, default=500)

    def handle(self, *args, **options):
        if not settings.LETTERS_OUTBOX_DIR:
            raise CommandError(
                "LETTERS_OUTBOX_DIR n'est pas réglé : aucun dossier où remettre les courriers."
            )
        destination = Path(settings.LETTERS_OUTBOX_DIR)
        destination.mkdir(parents=True, exist_ok=True)
        posted = failed = 0
        for message in letters_to_post()[: options["limit"]]:
            try:
                post_letter(message, destination)
            # Whatever fails one letter (a missing file, a storage that refused) is reported
            # and does not stop the others; the letter is tried again at the next run.
            except Exception as exc:
                failed += 1
                self.stderr.write(f"{message.pk} à {message.to} ({message.pdf}) : {exc}")
            else:
                posted += 1
        self.stdout.write(f"{posted} courrier(s) remis à l'impression, {failed} en échec.")
