"""Personal access tokens for software (docs/api.md §3), managed in *Accès pour vos logiciels*.

A token is shown once; only its keyed hash is kept. It carries scopes, never more rights than
its owner holds at the time of each call (the endpoints ask the same domain functions, as the
owner), expires after at most two years, can be revoked, and dies with every other credential
of the space when `accounts.signals.credentials_revoked` is sent (a password reset through
*Mot de passe oublié*, an agent ending or freezing the space's access)."""

import secrets
from datetime import datetime, timedelta

from django.conf import settings
from django.db import transaction
from django.dispatch import receiver
from django.utils import timezone

from accounts.models import Subscriber
from accounts.signals import credentials_revoked
from api.models import AccessToken, Scope
from audit.models import Action
from audit.trail import record
from core import clock, codes
from core.refusals import Refusal
from correspondence.mail import send_email

TOKEN_PREFIX = "epro_pat_"
PURPOSE = "api-access-token"
# The last use is written at most this often per token (or when the address changes): a
# busy token would otherwise write a row on every call.
LAST_USE_GRANULARITY = timedelta(minutes=1)


def hash_token(raw: str) -> str:
    return codes.hash_code(raw, PURPOSE)


def max_expiry(now: datetime) -> datetime:
    return now + timedelta(days=settings.API_TOKEN_MAX_DAYS)


def tokens_of(subscriber):
    """Every token of a subscriber, newest first (live, expired and revoked): the space's list,
    and the agents' back office."""
    return AccessToken.objects.filter(subscriber=subscriber).order_by("-created_at", "-id")


def live_tokens(subscriber, now: datetime | None = None):
    now = now or clock.now()
    return tokens_of(subscriber).filter(revoked_at=None, expires_at__gt=now)


def create_token(
    subscriber, name: str, scopes: list[str], expires_at: datetime
) -> tuple[AccessToken, str]:
    """Create a token; returns it and its only clear copy (shown once). The owner is told by
    e-mail."""
    now = clock.now()
    name = name.replace("\x00", "").strip()
    if not name:
        raise Refusal("api.token_name_missing", field="name")
    scopes = [s for s in Scope.values if s in set(scopes)]
    if not scopes:
        raise Refusal("api.token_no_scope", field="scopes")
    if not now < expires_at <= max_expiry(now):
        raise Refusal(
            "api.token_expiry_invalid", field="expires_on", days=settings.API_TOKEN_MAX_DAYS
        )
    raw = TOKEN_PREFIX + secrets.token_urlsafe(32)
    with transaction.atomic():
        # Counted under the subscriber's lock: two creations at once cannot pass the cap.
        Subscriber.objects.select_for_update().filter(pk=subscriber.pk).first()
        count = live_tokens(subscriber, now).count()
        if count >= settings.API_TOKENS_PER_SUBSCRIBER:
            raise Refusal("api.too_many_tokens", count=count)
        token = AccessToken.objects.create(
            subscriber=subscriber,
            name=name[:80],
            scopes=scopes,
            token_hash=hash_token(raw),
            hint=raw[: len(TOKEN_PREFIX) + 4],
            created_at=now,
            expires_at=expires_at,
        )
        record(
            Action.API_TOKEN_CREATED,
            actor=subscriber,
            target=subscriber.subscriber_number,
            token=token.pk,
            name=token.name,
            scopes=scopes,
            expires_at=expires_at.isoformat(),
        )
        send_email(
            "api_token_created",
            subscriber.email,
            {
                "subscriber": subscriber,
                "access_token": token,
                "scopes": [Scope(s).label for s in scopes],
                "expires_at": timezone.localtime(expires_at),
                "created_at": timezone.localtime(now),
            },
        )
    return token, raw


def revoke(subscriber, token_id: int) -> AccessToken | None:
    """Revoke one of one's own tokens (None if there is no such token of theirs)."""
    with transaction.atomic():
        token = (
            AccessToken.objects.select_for_update()
            .filter(pk=token_id, subscriber=subscriber)
            .first()
        )
        if token is None:
            return None
        if token.revoked_at is None:
            token.revoked_at = clock.now()
            token.revoked_reason = "owner"
            token.save(update_fields=["revoked_at", "revoked_reason"])
            record(
                Action.API_TOKEN_REVOKED,
                actor=subscriber,
                target=subscriber.subscriber_number,
                token=token.pk,
                reason="owner",
            )
    return token


def revoke_all(subscriber, reason: str, *, actor=None) -> int:
    """Every live token of the space dies (in the caller's transaction); `actor` is the owner
    when they asked for it."""
    now = clock.now()
    ids = list(live_tokens(subscriber, now).values_list("pk", flat=True))
    if ids:
        AccessToken.objects.filter(pk__in=ids).update(revoked_at=now, revoked_reason=reason[:30])
        record(
            Action.API_TOKEN_REVOKED,
            actor=actor,
            target=subscriber.subscriber_number,
            tokens=ids,
            reason=reason,
        )
    return len(ids)


@receiver(credentials_revoked, dispatch_uid="api.tokens.revoke_all")
def _credentials_revoked(sender, subscriber, reason, **kwargs):
    revoke_all(subscriber, reason)


def authenticate(raw: str) -> AccessToken | None:
    """The live token this string is, with its owner (one query), or None."""
    if not raw.startswith(TOKEN_PREFIX) or len(raw) > 100:
        return None
    token = (
        AccessToken.objects.select_related("subscriber").filter(token_hash=hash_token(raw)).first()
    )
    if token is None or not token.is_live(clock.now()) or not token.subscriber.is_active:
        return None
    return token


def note_use(token: AccessToken, ip_address: str | None) -> None:
    """Keep the date and address of the last use (at most one write a minute per token)."""
    now = clock.now()
    stale = token.last_used_at is None or now - token.last_used_at >= LAST_USE_GRANULARITY
    if stale or token.last_used_ip != ip_address:
        AccessToken.objects.filter(pk=token.pk).update(last_used_at=now, last_used_ip=ip_address)
