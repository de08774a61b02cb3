"""What an agent does to a space's access (docs/backoffice.md §4, §7): end every session and
token, freeze and unfreeze. Plain functions, each in the caller's transaction with its audit
event; the back office, the API and any other front door call them."""

from django.db import transaction
from django.db.models import F

from accounts.models import Subscriber
from accounts.signals import credentials_revoked
from audit.models import Action
from audit.trail import record
from core import clock
from core.refusals import Refusal
from correspondence.mail import send_email


def is_frozen(subscriber: Subscriber) -> bool:
    return subscriber.frozen_at is not None


def ensure_not_frozen(subscriber: Subscriber) -> None:
    """Refuse (`space.frozen`) anything a frozen space would do."""
    if subscriber.frozen_at is not None:
        raise Refusal("space.frozen")


def _locked(subscriber: Subscriber) -> Subscriber:
    return Subscriber.objects.select_for_update().get(pk=subscriber.pk)


def _revoke(subscriber: Subscriber, reason: str) -> None:
    """Every session of the space stops matching its hash; every token dies (the receivers
    of `credentials_revoked`); pending reset links and login e-mail changes go too."""
    Subscriber.objects.filter(pk=subscriber.pk).update(access_epoch=F("access_epoch") + 1)
    subscriber.refresh_from_db(fields=["access_epoch"])
    from accounts.models import EmailChangeRequest, PasswordResetRequest

    PasswordResetRequest.objects.filter(subscriber=subscriber).delete()
    EmailChangeRequest.objects.filter(subscriber=subscriber).delete()
    credentials_revoked.send(sender=Subscriber, subscriber=subscriber, reason=reason)


@transaction.atomic
def end_access(subscriber: Subscriber) -> None:
    """End every session and token of the space at once (an agent, at the holder's request)."""
    subscriber = _locked(subscriber)
    _revoke(subscriber, "agent")
    record(Action.SPACE_ACCESS_ENDED, target=subscriber.subscriber_number)


@transaction.atomic
def freeze(subscriber: Subscriber) -> Subscriber:
    """Freeze a space: its rights are suspended, its sessions and tokens end, its logins are
    refused with the assistance's contact; the holder is told by e-mail."""
    subscriber = _locked(subscriber)
    if subscriber.frozen_at is not None:
        raise Refusal("space.already_frozen")
    subscriber.frozen_at = clock.now()
    subscriber.save(update_fields=["frozen_at"])
    _revoke(subscriber, "frozen")
    record(Action.SPACE_FROZEN, target=subscriber.subscriber_number)
    send_email("space_frozen", subscriber.email, {"subscriber": subscriber})
    return subscriber


@transaction.atomic
def unfreeze(subscriber: Subscriber) -> Subscriber:
    """Lift a freeze (the back office asks a second agent's approval first); the holder is
    told by e-mail."""
    subscriber = _locked(subscriber)
    if subscriber.frozen_at is None:
        raise Refusal("space.not_frozen")
    subscriber.frozen_at = None
    subscriber.save(update_fields=["frozen_at"])
    record(Action.SPACE_UNFROZEN, target=subscriber.subscriber_number)
    send_email("space_unfrozen", subscriber.email, {"subscriber": subscriber})
    return subscriber
