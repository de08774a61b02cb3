"""Step-up before a sensitive action (docs/security.md §14.4): `core.step_up` (shared with the
API's pages) re-exported for the pages, and where the proof page leads."""

from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme

from core.step_up import (
    REASONS,
    fresh_factor_redirect,
    posted_again,
    proof_url,
    reason_text,
    require_fresh_factor,
)

__all__ = [
    "REASONS",
    "fresh_factor_redirect",
    "posted_again",
    "proof_url",
    "reason_text",
    "require_fresh_factor",
    "safe_next",
]


def safe_next(request, value: str | None, default: str = "factors:security") -> str:
    """Where the proof page leads: a path of this site only."""
    if (
        value
        and value.startswith("/")
        and url_has_allowed_host_and_scheme(
            value, allowed_hosts={request.get_host()}, require_https=request.is_secure()
        )
    ):
        return value
    return reverse(default)
