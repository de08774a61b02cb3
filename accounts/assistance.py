"""What the assistance does for a person (docs/backoffice.md §4): lift a login lock, send a
pending registration a new activation code, cancel a pending registration. Each in one
transaction with its audit event (the agent and their reason join it through `core.context`)."""

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from accounts import throttle
from accounts.flows.registration import ACTIVATION_CODE
from accounts.models import PendingRegistration
from audit.models import Action
from audit.trail import record
from core import clock
from core.refusals import Refusal
from core.text import normalize_email
from correspondence.mail import send_email


@transaction.atomic
def unlock_login(email: str) -> None:
    """The e-mail's login lock is lifted from every address (`accounts.throttle.unlock`)."""
    email = normalize_email(email)
    throttle.unlock(email)
    record(Action.LOGIN_UNLOCKED, target=email)


def _pending(pk: int) -> PendingRegistration:
    pending = PendingRegistration.objects.select_for_update().filter(pk=pk).first()
    if pending is None:
        raise Refusal("registration.gone")
    return pending


@transaction.atomic
def resend_activation(pk: int) -> PendingRegistration:
    """A new 48-hour activation code for a pending registration: the old code is dead (its hash
    is replaced), the tries start again, the deadline restarts from now."""
    pending = _pending(pk)
    code, fields = ACTIVATION_CODE.issue()
    now = clock.now()
    for name, value in fields.items():
        setattr(pending, name, value)
    pending.code_sent_at = now
    pending.expires_at = now + settings.SPACE_ACTIVATION_CODE_VALIDITY
    pending.save(update_fields=[*fields, "code_sent_at", "expires_at"])
    send_email(
        "space_activation_code",
        pending.email,
        {
            "code": code,
            "hours": int(settings.SPACE_ACTIVATION_CODE_VALIDITY.total_seconds() // 3600),
            "expires_at": timezone.localtime(pending.expires_at),
        },
    )
    record(Action.REGISTRATION_CODE_RESENT, target=pending.email)
    return pending


@transaction.atomic
def cancel_registration(pk: int) -> str:
    """Cancel a pending registration: its code dies with it, its e-mail is free again."""
    pending = _pending(pk)
    email = pending.email
    pending.delete()
    record(Action.REGISTRATION_CANCELLED, target=email)
    return email
