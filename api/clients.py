"""Service clients (docs/api.md §4): the online tax services ask "may this person do this on
this company?" through the API. A client is created by `manage.py create_service_client`; it
trades its id and secret (OAuth2 client credentials, RFC 6749 §4.4) for a bearer token that
lives `API_SERVICE_TOKEN_SECONDS`, and may call only the authorization check."""

import hmac
import secrets
from datetime import timedelta

from django.conf import settings
from django.db import transaction

from api.models import ServiceBearer, ServiceClient
from audit.models import Action
from audit.trail import record
from core import clock, codes, redis_store

BEARER_PREFIX = "epro_svc_"
SECRET_PURPOSE = "api-service-client-secret"
BEARER_PURPOSE = "api-service-bearer"
REVOKED = "revoked"  # kept in place of a revoked client's bearer


def create_client(name: str) -> tuple[ServiceClient, str]:
    """A new client; returns it and its secret, shown once."""
    secret = secrets.token_urlsafe(32)
    client = ServiceClient.objects.create(
        client_id="svc_" + secrets.token_hex(12),
        name=name.strip()[:100],
        secret_hash=codes.hash_code(secret, SECRET_PURPOSE),
        created_at=clock.now(),
    )
    record(Action.API_SERVICE_CLIENT_CREATED, target=client.client_id, name=client.name)
    return client, secret


def issue_bearer(client_id: str, secret: str) -> tuple[str, int] | None:
    """(bearer token, lifetime in seconds) for the right credentials of a live client; None
    otherwise. The secret is compared in constant time, even for an unknown client."""
    with transaction.atomic():
        # Under the client's row lock: a revocation in progress (which holds it) is waited
        # for, so no bearer is born that the revocation's list of bearers would miss.
        client = (
            ServiceClient.objects.select_for_update()
            .filter(client_id=client_id[:40], revoked_at=None)
            .first()
        )
        expected = client.secret_hash if client else codes.hash_code("-", "unknown-client")
        if not hmac.compare_digest(codes.hash_code(secret[:200], SECRET_PURPOSE), expected):
            client = None
        if client is not None:
            lifetime = settings.API_SERVICE_TOKEN_SECONDS
            raw = BEARER_PREFIX + secrets.token_urlsafe(32)
            ServiceBearer.objects.create(
                client=client,
                token_hash=codes.hash_code(raw, BEARER_PURPOSE),
                expires_at=clock.now() + timedelta(seconds=lifetime),
            )
            record(Action.API_SERVICE_TOKEN_ISSUED, target=client.client_id)
            return raw, lifetime
    record(Action.API_SERVICE_TOKEN_REFUSED, target=client_id[:40])
    return None


def authenticate(raw: str) -> ServiceClient | None:
    """The live client a bearer token belongs to, or None: read in the shared cache
    (`API_BEARER_CACHE`) when it was seen before, else in the database (one query) and kept
    there until the bearer expires, and what the cache says is believed by this process for
    `API_BEARER_MEMORY_SECONDS`. A revocation overwrites what is kept (`revoke_client`): the
    client's calls stop within that second in every process."""
    if not raw.startswith(BEARER_PREFIX) or len(raw) > 100:
        return None
    token_hash = codes.hash_code(raw, BEARER_PURPOSE)
    alias = settings.API_BEARER_CACHE
    now = clock.now()
    if alias:
        kept = _kept(alias, token_hash, now.timestamp())
        if kept == REVOKED:
            return None
        if kept is not None:
            pk, client_id, expires = kept.split(" ")
            if float(expires) <= now.timestamp():
                return None
            return ServiceClient(pk=int(pk), client_id=client_id)
    bearer = (
        ServiceBearer.objects.select_related("client")
        .filter(token_hash=token_hash, expires_at__gt=now)
        .first()
    )
    if bearer is None or bearer.client.revoked_at is not None:
        return None
    if alias:
        seconds = int((bearer.expires_at - now).total_seconds()) + 1
        value = f"{bearer.client.pk} {bearer.client.client_id} {bearer.expires_at.timestamp()}"
        # Only if nothing is there: a revocation's mark, written meanwhile, stays.
        redis_store.add(alias, _cache_key(token_hash), value, seconds)
    return bearer.client


# What the shared cache said of a bearer, and until when this process believes it (the hot
# path then makes no round trip at all to know its caller): token hash -> (text, until).
_memory: dict[str, tuple[str, float]] = {}
MEMORY_SIZE = 1000


def _kept(alias: str, token_hash: str, now: float) -> str | None:
    remembered = _memory.get(token_hash)
    if remembered is not None and remembered[1] > now:
        return remembered[0]
    kept = redis_store.get(alias, _cache_key(token_hash))
    if kept is not None:
        if len(_memory) >= MEMORY_SIZE:
            _memory.clear()
        _memory[token_hash] = (kept, now + settings.API_BEARER_MEMORY_SECONDS)
    return kept


def revoke_client(client_id: str) -> ServiceClient | None:
    """Revoke a client (`manage.py revoke_service_client`): it gets no more bearers, and the
    ones it holds stop working at once, in every app process. None for an unknown or already
    revoked client."""
    now = clock.now()
    with transaction.atomic():
        client = (
            ServiceClient.objects.select_for_update()
            .filter(client_id=client_id, revoked_at=None)
            .first()
        )
        if client is None:
            return None
        client.revoked_at = now
        client.save(update_fields=["revoked_at"])
        live = list(client.bearers.filter(expires_at__gt=now).values_list("token_hash", flat=True))
        client.bearers.all().delete()
        record(Action.API_SERVICE_CLIENT_REVOKED, target=client.client_id, name=client.name)
        alias = settings.API_BEARER_CACHE
        if alias and live:
            # Before the commit, failing safe: Redis unreachable, the revocation rolls back
            # and the command fails (run it again); a revocation rolled back after this only
            # leaves bearers refused.
            _mark_revoked(alias, live)
    return client


def _mark_revoked(alias: str, token_hashes: list[str]) -> None:
    seconds = settings.API_SERVICE_TOKEN_SECONDS + 60
    for token_hash in token_hashes:
        redis_store.put(alias, _cache_key(token_hash), REVOKED, seconds)


def _cache_key(token_hash: str) -> str:
    return f"api:bearer:{token_hash}"


def purge_expired_bearers() -> int:
    deleted, _ = ServiceBearer.objects.filter(expires_at__lte=clock.now()).delete()
    return deleted
