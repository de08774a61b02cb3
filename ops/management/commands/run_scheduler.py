"""The Procfile's `scheduler` process (ops.scheduler): run exactly one."""

import signal
import threading

from django.core.management.base import BaseCommand

from ops.scheduler import serve


class Command(BaseCommand):
    help = (
        "Runs the periodic jobs at their cadence (deliver_emails every minute, post_letters "
        "every 5 minutes, purge_expired daily at 03:30, send_expiry_reminders daily at 08:00, "
        "Paris time) until SIGTERM. Run exactly one: a second one stands by."
    )

    def handle(self, *args, **options):
        stop = threading.Event()
        for signum in (signal.SIGTERM, signal.SIGINT):
            signal.signal(signum, lambda *_: stop.set())
        serve(stopping=stop.is_set, wait=stop.wait)
