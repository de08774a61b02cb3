"""Recovery codes (docs/security.md §14.1): ten codes shown once, each a keyed hash bound to
the person (`core.one_time`), single use (the row is deleted when used, so of two requests
racing only one succeeds). Not django-otp's StaticDevice/StaticToken, which keep the codes in
clear: the same choice as the agents' recovery codes (docs/backoffice.md §1.3)."""

from django.conf import settings
from django.db import transaction

from accounts.factors.models import RecoveryCode
from accounts.models import Subscriber
from audit.models import Action
from audit.trail import record
from core import codes
from core.one_time import OneTimeSecret

RECOVERY_CODE = OneTimeSecret("recovery", alphabet=codes.PRINTED_CODE_ALPHABET, length=10)


def count(subscriber: Subscriber) -> int:
    return RecoveryCode.objects.filter(subscriber=subscriber).count()


def new_codes(subscriber: Subscriber) -> list[str]:
    """New codes replacing the former ones: returned once (shown), kept hashed."""
    shown = [RECOVERY_CODE.new() for _ in range(settings.RECOVERY_CODE_COUNT)]
    with transaction.atomic():
        RecoveryCode.objects.filter(subscriber=subscriber).delete()
        RecoveryCode.objects.bulk_create(
            RecoveryCode(subscriber=subscriber, code_hash=RECOVERY_CODE.hash(c, subscriber.pk))
            for c in shown
        )
        record(
            Action.FACTOR_RECOVERY_CODES,
            actor=subscriber,
            target=subscriber.subscriber_number,
            count=len(shown),
        )
    return [f"{c[:5]}-{c[5:]}" for c in shown]


def check_code(subscriber: Subscriber, code: str) -> bool:
    typed = "".join(code.split()).replace("-", "")
    digest = RECOVERY_CODE.hash(typed, subscriber.pk)
    deleted, _ = RecoveryCode.objects.filter(subscriber=subscriber, code_hash=digest).delete()
    if deleted:
        record(
            Action.FACTOR_RECOVERY_CODE_USED,
            actor=subscriber,
            target=subscriber.subscriber_number,
            left=count(subscriber),
        )
    return bool(deleted)


def remove_all(subscriber: Subscriber) -> int:
    return RecoveryCode.objects.filter(subscriber=subscriber).delete()[0]
