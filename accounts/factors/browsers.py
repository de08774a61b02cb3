"""Remembered browsers (docs/security.md §14.2): after a second factor, « Se souvenir de ce
navigateur » gives the browser a random token (in a signed, httpOnly cookie set by the web
layer); only its keyed hash is kept, with the person, a label from the User-Agent, when it was
created and last used, when it expires and whether it was revoked. Each login reads the row:
a browser forgotten, revoked or expired is asked the second factor again, whichever process
answers. A password change, an agent ending the access or freezing the space, a password reset
and a reset of the factors revoke every remembered browser of the space."""

import secrets

from django.conf import settings
from django.db import transaction
from django.dispatch import receiver

from accounts.factors.models import RememberedBrowser
from accounts.models import Subscriber
from accounts.sessions import describe_browser
from accounts.signals import credentials_revoked
from audit.models import Action
from audit.trail import record
from core import clock, codes

PURPOSE = "remembered-browser"


def _hash(token: str) -> str:
    return codes.hash_code(token, PURPOSE)


def remember(subscriber: Subscriber, user_agent: str) -> str:
    """A new remembered browser: returns the token for its cookie (shown once to the browser)."""
    token = secrets.token_urlsafe(32)
    now = clock.now()
    with transaction.atomic():
        row = RememberedBrowser.objects.create(
            subscriber=subscriber,
            token_hash=_hash(token),
            label=describe_browser(user_agent or "")[:200] or "Navigateur inconnu",
            created_at=now,
            last_used_at=now,
            expires_at=now + settings.REMEMBERED_BROWSER_VALIDITY,
        )
        record(
            Action.BROWSER_REMEMBERED,
            actor=subscriber,
            target=subscriber.subscriber_number,
            browser=row.label,
        )
    return token


def recognised(subscriber: Subscriber, token: str | None) -> bool:
    """Whether this token is a live remembered browser of this person (one query, and one
    update of its last use)."""
    if not token:
        return False
    now = clock.now()
    return bool(
        RememberedBrowser.objects.filter(
            subscriber=subscriber,
            token_hash=_hash(token),
            revoked_at__isnull=True,
            expires_at__gt=now,
        ).update(last_used_at=now)
    )


def live(subscriber: Subscriber) -> list[RememberedBrowser]:
    return list(
        RememberedBrowser.objects.filter(
            subscriber=subscriber, revoked_at__isnull=True, expires_at__gt=clock.now()
        ).order_by("-last_used_at", "-pk")[:50]
    )


def is_this(row: RememberedBrowser, token: str | None) -> bool:
    return bool(token) and row.token_hash == _hash(token)


def forget(subscriber: Subscriber, pk: int) -> RememberedBrowser | None:
    """« Oublier ce navigateur »: its own browser only (another person's id changes nothing)."""
    with transaction.atomic():
        row = (
            RememberedBrowser.objects.select_for_update()
            .filter(subscriber=subscriber, pk=pk, revoked_at__isnull=True)
            .first()
        )
        if row is None:
            return None
        row.revoked_at = clock.now()
        row.save(update_fields=["revoked_at"])
        record(
            Action.BROWSER_FORGOTTEN,
            actor=subscriber,
            target=subscriber.subscriber_number,
            browser=row.label,
        )
    return row


def revoke_all(subscriber: Subscriber, *, reason: str) -> int:
    count = RememberedBrowser.objects.filter(subscriber=subscriber, revoked_at__isnull=True).update(
        revoked_at=clock.now()
    )
    if count:
        record(
            Action.BROWSER_FORGOTTEN,
            target=subscriber.subscriber_number,
            count=count,
            reason=reason,
        )
    return count


@receiver(credentials_revoked, dispatch_uid="accounts.factors.browsers.revoked")
def _revoked(sender, subscriber, reason, **kwargs):
    revoke_all(subscriber, reason=reason)
