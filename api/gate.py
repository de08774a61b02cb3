"""What every API call goes through before its endpoint (docs/api.md §6), as django-ninja's
decorator of every operation (`api.add_decorator(gate, mode="view")`, api/main.py: before the
operation's authentication and parameters): a NUL character in a JSON body refused, who calls
(a personal access token or a service client's bearer, never a session), the rate limits (429
with Retry-After), the date and address of the token's last use, the `Idempotency-Key` of a
POST, the audit context (the owner acts, the credential is named on every event) and one
transaction per write. The rate limits come before the authentication so that a call with a
wrong credential is counted (trying tokens is slowed down): the gate identifies the bearer
once, and the endpoint's auth class (`api.auth`) authenticates the token it is given, finding
that identification when it is the same token (`principal_for`).

A refusal does not roll that transaction back (django-ninja turns it into an answer before the
gate sees it), as on the pages: the domain functions own what a refused call keeps, committing
what must outlive the refusal (a wrong letter code's try) and raising after, and rolling back
the rest themselves. Views write nothing but through them."""

import hashlib
import re
from dataclasses import dataclass
from functools import wraps

from django.db import transaction

from api import clients, idempotency, problems, tokens
from api.middleware import framed_never
from api.models import AccessToken, ServiceClient
from core import context, limits
from core.refusals import Refusal

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


def limits_of(principal: Principal | None, ip_address: str | None) -> list[tuple[str, str]]:
    """The counters a call is counted against (docs/security.md §13, docs/api.md §6).

    A service client has its own budget, whatever its addresses (the administration's online
    services, a few machines calling for everyone). A subscriber's tokens share one budget, the
    space's: twenty tokens are not twenty budgets. Every other call is also counted per client
    address, across spaces; one without a valid credential (none, unknown, expired, revoked) is
    counted there on a tighter budget of its own, so that trying tokens from one address is
    slowed down like failed logins are."""
    if principal is not None and principal.client is not None:
        return [("api.client", principal.client.client_id)]
    address = ip_address or "-"
    if principal is None:
        return [("api.unidentified_address", address), ("api.address", address)]
    return [("api.space", str(principal.token.subscriber_id)), ("api.address", address)]


def _over_limit(principal: Principal | None, ip_address: str | None):
    """Of the call's counters it exceeds (after counting it against each), the one that frees
    last: its Retry-After is then a time the call can succeed at."""
    exceeded = [u for u in limits.hit_many(limits_of(principal, ip_address)) if u.exceeded]
    return max(exceeded, key=lambda u: u.retry_after, default=None)


def bearer(request) -> str | None:
    scheme, _, raw = request.headers.get("Authorization", "").partition(" ")
    return raw.strip() if scheme.lower() == "bearer" and raw.strip() else None


def identify(request) -> Principal | None:
    """The caller of the request's bearer, kept on the request for its auth class."""
    raw = bearer(request)
    principal = None if raw is None else _principal_of(raw)
    request.api_identified = (raw, principal)
    return principal


def principal_for(request, token: str) -> Principal | None:
    """The caller of `token`: the gate's identification when it is the token the gate saw
    (one query, not two), else its own."""
    raw = token.strip()
    if not raw:
        return None
    seen, principal = getattr(request, "api_identified", (None, None))
    return principal if seen == raw else _principal_of(raw)


def _principal_of(raw: str) -> Principal | None:
    digest = hashlib.sha256(raw.encode()).hexdigest()
    if raw.startswith(tokens.TOKEN_PREFIX):
        token = tokens.authenticate(raw)
        return Principal(digest, token=token) if token else None
    if raw.startswith(clients.BEARER_PREFIX):
        client = clients.authenticate(raw)
        return Principal(digest, client=client) if client else None
    return None


def gate(view):
    """Wrap one of the API's operations (django-ninja's `Operation.run`)."""

    @wraps(view)
    def wrapped(request, *args, **kwargs):
        if _json_holds_nul(request):  # as the pages' RejectNulFieldsMiddleware: never a 500
            refusal = Refusal("api.invalid_request", detail="caractère nul refusé.")
            return framed_never(problems.response(refusal, 400, request.path))
        ip_address = context.current().ip_address
        principal = identify(request)
        usage = _over_limit(principal, ip_address)
        if usage is not None:
            return problems.from_exception(
                problems.problem(
                    "api.rate_limited",
                    headers={"Retry-After": str(usage.retry_after)},
                    seconds=usage.retry_after,
                ),
                request.path,
            )
        if principal is not None and principal.token is not None:
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
        return framed_never(response)

    return wrapped


def _atomic(view, request, *args, **kwargs):
    with transaction.atomic():
        return view(request, *args, **kwargs)


# `\u0000` in a JSON text, not preceded by an escaped backslash ("\\u0000" is six characters).
JSON_NUL = re.compile(rb"(?<!\\)(?:\\\\)*\\u0000")


def _json_holds_nul(request) -> bool:
    """The body carries a NUL character, which PostgreSQL refuses in text, escaped in a JSON
    text (a free-text field, a request's message, would otherwise reach the database). A
    posted form's NUL is the pages' middleware's (`web.middleware.RejectNulFieldsMiddleware`)."""
    if request.method not in ("POST", "PUT", "PATCH") or request.content_type in FORM_TYPES:
        return False
    return b"\x00" in request.body or JSON_NUL.search(request.body) is not None


FORM_TYPES = ("application/x-www-form-urlencoded", "multipart/form-data")
