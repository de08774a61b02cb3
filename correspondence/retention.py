"""Retention of the outbox (docs/security.md §12): the sealed copy of an e-mail (its one-time
codes and links, in clear once unsealed) is kept only until delivery."""

from django.conf import settings
from django.db import transaction
from django.db.models import Q

from core import clock
from correspondence.models import Kind, Message

GIVEN_UP_ERROR = "Abandonné : durée de conservation dépassée sans remise"


def purge_undeliverable_sealed_bodies() -> int:
    """Blank the sealed body of the e-mails given up, and of those still undelivered
    RETENTION_UNDELIVERABLE_EMAIL after they were recorded (their codes are long dead): those
    are given up too, since only their masked copy would be left to send. Returns how many."""
    now = clock.now()
    cutoff = now - settings.RETENTION_UNDELIVERABLE_EMAIL
    sealed = Message.objects.filter(kind=Kind.EMAIL).exclude(sealed_body="")
    with transaction.atomic():
        done = sealed.filter(Q(given_up_at__isnull=False) | Q(delivered_at__isnull=False)).update(
            sealed_body=""
        )
        lapsed = sealed.filter(delivered_at=None, given_up_at=None, sent_at__lte=cutoff).update(
            sealed_body="", given_up_at=now, next_attempt_at=None, last_error=GIVEN_UP_ERROR
        )
    return done + lapsed
