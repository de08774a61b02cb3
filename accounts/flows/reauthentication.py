"""Proving who you are again, by the current password or the trust answer (docs/security.md §9).

Wrong answers count towards the same temporary lock as failed logins (django-axes, per e-mail
and address), so a stolen session or a guessed e-mail gives no more tries than the login page.
"""

from axes.handlers.proxy import AxesProxyHandler
from django.http import HttpRequest

from accounts.models import Subscriber
from audit.models import Action
from audit.trail import record
from core.text import normalize_email


def _credentials(email: str) -> dict:
    return {"username": normalize_email(email)}


def is_locked(request: HttpRequest, email: str) -> bool:
    """Whether this e-mail, from this address, is under the temporary lock."""
    return AxesProxyHandler.is_locked(request, _credentials(email))


def count_failure(request: HttpRequest, email: str) -> None:
    """One more failure towards the lock; sets `request.axes_locked_out` when it is reached."""
    AxesProxyHandler.user_login_failed(__name__, _credentials(email), request)


def clear_failures(email: str) -> None:
    """Lift the lock on this e-mail: its holder has just proved to own it (reset link)."""
    AxesProxyHandler.reset_attempts(username=_credentials(email)["username"])


def current_password_matches(request: HttpRequest, subscriber: Subscriber, password: str) -> bool:
    """Re-authentication before changing identifiers or recovery data."""
    if is_locked(request, subscriber.email):
        request.axes_locked_out = True
        return False
    if subscriber.check_password(password):
        return True
    count_failure(request, subscriber.email)
    record(
        Action.REAUTHENTICATION_FAILED,
        actor=subscriber,
        target=subscriber.subscriber_number,
    )
    return False
