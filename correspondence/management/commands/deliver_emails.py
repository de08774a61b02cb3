from datetime import timedelta

from django.core.management.base import BaseCommand

from correspondence.mail import deliver_email, due_emails, mail_server_unavailable
from correspondence.models import Message


class Command(BaseCommand):
    help = (
        "Deliver the recorded e-mails that are due (never tried, or failed and due again), "
        "oldest first; each refusal delays the next try, and an e-mail is given up after "
        "EMAIL_MAX_ATTEMPTS refusals. The run stops at the first sign that the mail server is "
        "unavailable (the others wait for the next run). Safe to run often, e.g. every minute "
        "from cron."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--older-than",
            type=int,
            default=60,
            help="seconds since recording before an e-mail never tried is tried (default 60)",
        )
        parser.add_argument("--limit", type=int, default=500)

    def handle(self, *args, **options):
        due = list(due_emails(timedelta(seconds=options["older_than"]))[: options["limit"]])
        delivered = failed = 0
        unavailable = False
        for message in due:
            try:
                sent = deliver_email.call(message.pk)
            except Exception as exc:
                failed += 1
                self.stderr.write(f"{message.pk} à {message.to} : {exc}")
                # A server that is down or hangs would cost every other e-mail the same wait
                # (EMAIL_TIMEOUT each) and hold the scheduler: they wait for the next run.
                if mail_server_unavailable(exc):
                    unavailable = True
                    break
            else:
                delivered += bool(sent)
        given_up = Message.objects.filter(
            pk__in=[m.pk for m in due], given_up_at__isnull=False
        ).count()
        self.stdout.write(
            f"{delivered} courriel(s) remis, {failed} en échec (dont {given_up} abandonné(s))."
            + (
                " Serveur de messagerie indisponible : les suivants attendent le prochain passage."
                if unavailable
                else ""
            )
        )
