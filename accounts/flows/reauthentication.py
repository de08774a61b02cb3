"""Proving who you are again, by the current password (docs/security.md §9).

Wrong answers count like failed logins (`accounts.throttle`, per e-mail and address), so a
stolen session or a guessed e-mail gives no more tries than the login page; once the lock is
reached, the next try is refused (`login.locked`) and the page ends the session too.
"""

from accounts import throttle
from accounts.models import Subscriber
from audit.models import Action
from audit.trail import record


def current_password_matches(subscriber: Subscriber, password: str) -> bool:
    """Re-authentication before changing identifiers or recovery data."""
    throttle.ensure_not_locked(subscriber.email)
    if subscriber.check_password(password):
        return True
    throttle.count_failure(subscriber.email)
    record(
        Action.REAUTHENTICATION_FAILED,
        actor=subscriber,
        target=subscriber.subscriber_number,
    )
    return False
