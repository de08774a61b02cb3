from datetime import timedelta

from django.core.management.base import BaseCommand

from core import clock
from correspondence.mail import deliver_email
from correspondence.models import Kind, Message


class Command(BaseCommand):
    help = (
        "Deliver the recorded e-mails that have not been delivered yet (an SMTP failure), "
        "oldest first. Safe to run often, e.g. every minute from cron."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--older-than", type=int, default=60, help="seconds since recording (default 60)"
        )
        parser.add_argument("--limit", type=int, default=500)

    def handle(self, *args, **options):
        cutoff = clock.now() - timedelta(seconds=options["older_than"])
        pending = Message.objects.filter(
            kind=Kind.EMAIL, delivered_at=None, sent_at__lte=cutoff
        ).order_by("sent_at")[: options["limit"]]
        delivered = failed = 0
        for message in pending:
            try:
                deliver_email.call(message.pk)
            except Exception as exc:
                failed += 1
                self.stderr.write(f"{message.pk} à {message.to} : {exc}")
            else:
                delivered += 1
        self.stdout.write(f"{delivered} courriel(s) remis, {failed} en échec.")
