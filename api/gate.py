"""What every API call goes through before its endpoint (docs/api.md §6), as one wrapper of
the API's URL patterns: who calls (a personal access token or a service client's bearer,
never a session), the rate limit of that credential (429 with Retry-After), the date and
address of the token's last use, the `Idempotency-Key` of a POST, the audit context (the
owner acts, the credential is named on every event), one transaction per write, and
`Cache-Control: no-store` on every answer.

A refusal does not roll that transaction back (django-ninja turns it into an answer before the
gate sees it), as on the pages: the domain functions own what a refused call keeps, committing
what must outlive the refusal (a wrong letter code's try) and raising after, and rolling back
the rest themselves. Views write nothing but through them."""

import hashlib
from dataclasses import dataclass
from functools import wraps

from django.db import transaction
from django.utils.cache import patch_cache_control

from api import clients, idempotency, problems, tokens
from api.models import AccessToken, ServiceClient
from core import context, limits

WRITES = {"POST", "PUT", "PATCH", "DELETE"}
# POSTs that write nothing (the authorization check only reads): no transaction, the hot path
# of the online services spares its BEGIN and COMMIT.
READ_ONLY_POSTS = ("/authorizations/check",)


@dataclass(frozen=True)
class Principal:
    """Who calls: a subscriber's token, or a service client."""

    digest: str  # of the credential presented: keys the idempotent answers
    token: AccessToken | None = None
    client: ServiceClient | None = None

    @property
    def subscriber(self):
        return self.token.subscriber if self.token else None

    @property
    def via(self) -> str:
        if self.token:
            return f"api_token:{self.token.pk}"
        return f"api_client:{self.client.client_id}"

    @property
    def limit(self) -> tuple[str, str]:
        if self.token:
            return "api.token", str(self.token.pk)
        return "api.client", self.client.client_id


def bearer(request) -> str | None:
    scheme, _, raw = request.headers.get("Authorization", "").partition(" ")
    return raw.strip() if scheme.lower() == "bearer" and raw.strip() else None


def identify(request) -> Principal | None:
    raw = bearer(request)
    if raw is None:
        return None
    digest = hashlib.sha256(raw.encode()).hexdigest()
    if raw.startswith(tokens.TOKEN_PREFIX):
        token = tokens.authenticate(raw)
        return Principal(digest, token=token) if token else None
    if raw.startswith(clients.BEARER_PREFIX):
        client = clients.authenticate(raw)
        return Principal(digest, client=client) if client else None
    return None


def gate(view):
    """Wrap one of the API's views (see `api.urls`)."""

    @wraps(view)
    def wrapped(request, *args, **kwargs):
        ip_address = context.current().ip_address
        principal = identify(request)
        request.api_principal = principal
        if principal is not None:
            usage = limits.hit(*principal.limit)
            if usage.exceeded:
                return _no_store(
                    problems.from_exception(
                        problems.problem(
                            "api.rate_limited",
                            headers={"Retry-After": str(usage.retry_after)},
                            seconds=usage.retry_after,
                        ),
                        request.path,
                    )
                )
            if principal.token is not None:
                tokens.note_use(principal.token, ip_address)
        with context.acting(
            ip_address=ip_address,
            actor=(lambda: principal.subscriber) if principal else None,
            via=principal.via if principal else None,
        ):
            if request.method in WRITES and not request.path_info.endswith(READ_ONLY_POSTS):
                response = idempotency.run(
                    request, principal, lambda: _atomic(view, request, *args, **kwargs)
                )
            else:
                response = view(request, *args, **kwargs)
        return _no_store(response)

    return wrapped


def _atomic(view, request, *args, **kwargs):
    with transaction.atomic():
        return view(request, *args, **kwargs)


def _no_store(response):
    patch_cache_control(response, no_store=True, private=True)
    return response
