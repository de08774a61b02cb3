"""Step-up before a sensitive action (docs/security.md §14.4): the ONE thing a page calls.

    from web.factors.step_up import require_fresh_factor

    @require_fresh_factor
    def add_bank_account(request, ...): ...

Unless the session proved a second factor less than REAUTHENTICATION_WINDOW ago
(`accounts.flows.reauthentication.recently_authenticated`), any request to the view is sent to
*Vérification de sécurité* (`factors:proof`) with `next` = the page asked (a GET's full path; a
POST's path: what it carried is not replayed, the person fills the form again). A remembered
browser changes nothing: the proof is the session's own and recent. For a view that shows a
page and guards only its POST, call `fresh_factor_redirect(request)` in the POST branch."""

from functools import wraps
from urllib.parse import urlencode

from django.shortcuts import redirect
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme

from accounts.flows.reauthentication import recently_authenticated


def proof_url(next_path: str) -> str:
    return f"{reverse('factors:proof')}?{urlencode({'next': next_path})}"


def fresh_factor_redirect(request):
    """None when the session proved a factor recently; else the redirect to the proof page."""
    if recently_authenticated(request.session):
        return None
    next_path = request.get_full_path() if request.method == "GET" else request.path
    return redirect(proof_url(next_path))


def require_fresh_factor(view):
    @wraps(view)
    def guarded(request, *args, **kwargs):
        return fresh_factor_redirect(request) or view(request, *args, **kwargs)

    return guarded


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
