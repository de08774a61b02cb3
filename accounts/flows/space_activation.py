"""Activating a space with the e-mailed code (docs/accounts.md §4, §5, docs/security.md §5)."""

from django.conf import settings
from django.db import IntegrityError, transaction
from django.utils import timezone

from accounts.flows.registration import ACTIVATION_CODE
from accounts.models import Identity, PendingRegistration, Subscriber
from accounts.numbers import new_subscriber_number
from audit.models import Action
from audit.trail import record
from core import clock, context, limits
from core.dates import date_at_time
from core.one_time import Outcome
from core.refusals import CATALOGUE, Refusal
from core.text import normalize_email

WRONG_CODE = CATALOGUE["activation.wrong_code"]
NUMBER_ATTEMPTS = 10


def activate_space(email: str, code: str, *, password: str = "") -> Subscriber:
    """Turn a pending expert-mode registration into a space; the code is single use, 5 wrong
    tries kill it — tries from the address that registered; from any other address a wrong
    code counts against that address instead, so nobody can kill someone else's code
    (docs/security.md §5.3). (`habilitations.postal.simplified.activate_pending_space` also
    handles a registration in simplified mode.)"""
    email = normalize_email(email)
    address = context.current().ip_address or "-"
    if limits.peek("activation.address", address).reached:
        record(Action.SPACE_ACTIVATION_FAILED, target=email, reason="address limit")
        raise Refusal("activation.locked", field="code")
    refusal = None
    with transaction.atomic():
        pending = PendingRegistration.objects.select_for_update().filter(email=email).first()
        own = pending is not None and pending.registered_from in (
            None,
            context.current().ip_address,
        )
        check = ACTIVATION_CODE.check(pending, code, count=own)
        if check.outcome in (Outcome.UNKNOWN, Outcome.WRONG) and not own:
            limits.hit("activation.address", address)
        if check.outcome is Outcome.UNKNOWN or check.outcome is Outcome.WRONG:
            refusal = Refusal("activation.wrong_code", field="code")
        elif check.outcome is Outcome.EXPIRED:
            pending.delete()
            record(Action.REGISTRATION_DISCARDED, target=email, reason="expired")
            hours = int(settings.SPACE_ACTIVATION_CODE_VALIDITY.total_seconds() // 3600)
            refusal = Refusal("activation.expired", field="code", hours=hours)
        elif check.outcome is Outcome.DEAD:
            # Dead, it still holds the e-mail until it expires: no new code for 48 hours.
            refusal = _dead_message(pending)
        if refusal:
            record(
                Action.SPACE_ACTIVATION_FAILED,
                target=email,
                reason=refusal.message,
            )
    if refusal:
        raise refusal
    return _create_space(pending)


def _dead_message(pending: PendingRegistration) -> Refusal:
    date = date_at_time(pending.expires_at)
    return Refusal("activation.dead", field="code", date=date)


def _create_space(pending: PendingRegistration) -> Subscriber:
    identity = {f.name: getattr(pending, f.name) for f in Identity._meta.local_fields}
    with transaction.atomic():
        # Deleting first makes the code single use even when two requests race.
        if not ACTIVATION_CODE.consume(pending):
            raise Refusal("activation.wrong_code", field="code")
        return create_subscriber(identity, pending.password_hash)


def create_subscriber(identity: dict, password_hash: str) -> Subscriber:
    """The space, with a fresh subscriber number (drawn again on the rare collision); call it
    inside the transaction that consumed the code."""
    now = clock.now()
    for _ in range(NUMBER_ATTEMPTS):
        try:
            with transaction.atomic():
                subscriber = Subscriber(
                    **identity,
                    subscriber_number=new_subscriber_number(timezone.localtime(now).year),
                    registered_at=now,
                    password_changed_at=now,
                    password=password_hash,
                )
                subscriber.save()
        except IntegrityError:
            if Subscriber.objects.filter(email=identity["email"]).exists():
                raise Refusal("activation.wrong_code", field="code") from None
            continue  # a subscriber number collision: draw another one
        record(
            Action.SPACE_ACTIVATED,
            actor=subscriber,
            target=subscriber.subscriber_number,
        )
        return subscriber
    raise RuntimeError("Could not draw a free subscriber number")
