"""Service clients (docs/api.md §4): the online tax services ask "may this person do this on
this company?" through the API. A client is created by `manage.py create_service_client`; it
trades its id and secret (OAuth2 client credentials, RFC 6749 §4.4) for a bearer token that
lives `API_SERVICE_TOKEN_SECONDS`, and may call only the authorization check."""

import hmac
import secrets
from datetime import timedelta

from django.conf import settings

from api.models import ServiceBearer, ServiceClient
from audit.models import Action
from audit.trail import record
from core import clock, codes

BEARER_PREFIX = "epro_svc_"
SECRET_PURPOSE = "api-service-client-secret"
BEARER_PURPOSE = "api-service-bearer"


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
    client = ServiceClient.objects.filter(client_id=client_id[:40], revoked_at=None).first()
    expected = client.secret_hash if client else codes.hash_code("-", "unknown-client")
    if not hmac.compare_digest(codes.hash_code(secret[:200], SECRET_PURPOSE), expected):
        record(Action.API_SERVICE_TOKEN_REFUSED, target=client_id[:40])
        return None
    if client is None:  # pragma: no cover - the comparison above failed already
        return None
    lifetime = settings.API_SERVICE_TOKEN_SECONDS
    raw = BEARER_PREFIX + secrets.token_urlsafe(32)
    now = clock.now()
    ServiceBearer.objects.create(
        client=client,
        token_hash=codes.hash_code(raw, BEARER_PURPOSE),
        expires_at=now + timedelta(seconds=lifetime),
    )
    record(Action.API_SERVICE_TOKEN_ISSUED, target=client.client_id)
    return raw, lifetime


def authenticate(raw: str) -> ServiceClient | None:
    """The live client a bearer token belongs to (one query), or None."""
    if not raw.startswith(BEARER_PREFIX) or len(raw) > 100:
        return None
    bearer = (
        ServiceBearer.objects.select_related("client")
        .filter(token_hash=codes.hash_code(raw, BEARER_PURPOSE), expires_at__gt=clock.now())
        .first()
    )
    if bearer is None or bearer.client.revoked_at is not None:
        return None
    return bearer.client


def purge_expired_bearers() -> int:
    deleted, _ = ServiceBearer.objects.filter(expires_at__lte=clock.now()).delete()
    return deleted
