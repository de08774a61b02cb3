"""Who acts, and from which address: set once per request by the web layer
(`web.middleware.ActingMiddleware`) and read by the audit trail, so that domain functions
need no `HttpRequest`. Outside a request (a task, a management command) nobody acts from
any address unless the caller says so with `acting(...)`."""

import ipaddress
from collections.abc import Callable, Iterator, Mapping
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass

from django.conf import settings


@dataclass(frozen=True)
class Acting:
    """The client address, and a callable giving the acting subscriber (or None): it is
    called only when something is recorded, so a page that records nothing never loads
    the session's user for it."""

    ip_address: str | None = None
    actor: Callable[[], object | None] = lambda: None
    # The credential the request came with when it is not a session: an API token or service
    # client ("api_token:12"); the audit trail writes it on every event (docs/api.md §6).
    via: str | None = None
    # An agent of the back office acting (docs/backoffice.md §5): who, and the reason they
    # gave. The audit trail adds it to every event recorded meanwhile.
    agent: Mapping[str, str] | None = None


_NOBODY = Acting()
_current: ContextVar[Acting] = ContextVar("acting", default=_NOBODY)


def current() -> Acting:
    return _current.get()


@contextmanager
def acting(
    *,
    ip_address: str | None = None,
    actor: Callable[[], object | None] | None = None,
    agent: Mapping[str, str] | None = None,
    via: str | None = None,
) -> Iterator[Acting]:
    """Within this block, the audit trail records `ip_address` and `actor()` by default (and
    `agent`, the back office's agent acting and their reason, with every event; `via`, the API
    credential of the call, likewise)."""
    value = Acting(ip_address=ip_address, actor=actor or (lambda: None), agent=agent, via=via)
    token = _current.set(value)
    try:
        yield value
    finally:
        _current.reset(token)


def client_ip(meta) -> str | None:
    """The client's real address (docs/security.md §6.4). Behind `TRUSTED_PROXY_COUNT` reverse
        proxies, each appending the address it received from to X-Forwarded-For, the client is the
        entry that the outermost trusted proxy wrote: counted from the right, so that whatever a
        client puts at the left of the header is never believed. With no trusted proxy (the
        default), or a header shorter than the chain, the address is the connection's. `meta` is the
    request's `META`: the core never receives a request."""
    remote = meta.get("REMOTE_ADDR") or None
    proxies = settings.TRUSTED_PROXY_COUNT
    if proxies <= 0:
        return remote
    hops = [h.strip() for h in meta.get("HTTP_X_FORWARDED_FOR", "").split(",")]
    hops = [h for h in hops if h]
    if len(hops) < proxies:
        return remote
    candidate = hops[-proxies]
    try:
        return str(ipaddress.ip_address(candidate))
    except ValueError:
        return remote
