"""Setting a new password, whichever page asked for it (docs/accounts.md §7, docs/security.md
§4, §8): one home for what a change does — the rules, the validity restarting, the audit trail and
the e-mail notice."""

from datetime import datetime

from django.db import transaction
from django.utils import timezone

from accounts.factors import browsers
from accounts.models import EmailChangeRequest, PasswordResetRequest, Subscriber
from accounts.passwords import password_errors
from accounts.signals import credentials_revoked
from audit.models import Action
from audit.trail import record
from core import clock
from correspondence.mail import send_email


def new_password_errors(
    subscriber: Subscriber, password: str, *, other_emails: tuple[str, ...] = ()
) -> list[str]:
    """The rules of docs/accounts.md §7 for this person, and different from the current password."""
    names = (subscriber.last_name, subscriber.first_name)
    errors = password_errors(
        password, email=subscriber.email, names=names, current_hash=subscriber.password
    )
    for email in other_emails:
        errors += [e for e in password_errors(password, email=email) if e not in errors]
    return errors


def change_password(subscriber: Subscriber, password: str, *, via: str) -> datetime:
    """Store the new password; its validity restarts now. Returns when it expires.

    The caller has checked `new_password_errors`; sessions other than the caller's end because
    the session hash depends on the password (see `Subscriber.get_session_auth_hash`).
    """
    now = clock.now()
    with transaction.atomic():
        subscriber.set_password(password)
        subscriber.password_changed_at = now
        subscriber.save(update_fields=["password", "password_changed_at"])
        # Whatever was asked with the former password (a reset link, a new login e-mail) ends.
        PasswordResetRequest.objects.filter(subscriber=subscriber).delete()
        EmailChangeRequest.objects.filter(subscriber=subscriber).delete()
        if via == "reset":
            # The reset proves only the e-mail: whatever else carried this space's rights dies.
            credentials_revoked.send(Subscriber, subscriber=subscriber, reason="password_reset")
        else:
            # A new password makes every remembered browser ask the second factor again.
            browsers.revoke_all(subscriber, reason="password_changed")
        valid_until = subscriber.password_expires_at
        record(
            Action.PASSWORD_CHANGED,
            actor=subscriber,
            target=subscriber.subscriber_number,
            via=via,
        )
        send_email(
            "password_changed",
            subscriber.email,
            {
                "valid_until": timezone.localtime(valid_until),
                "changed_at": timezone.localtime(now),
            },
        )
    return valid_until
