"""Authentication events go to the audit trail (docs/security.md §10); the address comes
from the current request (`core.context`)."""

from django.contrib.auth.signals import user_logged_in, user_logged_out, user_login_failed
from django.dispatch import Signal, receiver

from audit.models import Action
from audit.trail import record


@receiver(user_logged_in)
def _logged_in(sender, request, user, **kwargs):
    record(Action.LOGIN_SUCCEEDED, actor=user, target=user.subscriber_number)


@receiver(user_login_failed)
def _login_failed(sender, credentials, request=None, **kwargs):
    record(Action.LOGIN_FAILED, target=(credentials.get("username") or "")[:200])


@receiver(user_logged_out)
def _logged_out(sender, request, user, **kwargs):
    if user is not None:
        record(Action.LOGOUT, actor=user, target=user.subscriber_number)


# Sent (inside the transaction) when every credential of a space must die: a password reset
# through "Mot de passe oublié", or an agent ending a space's access or freezing it. Keyword
# arguments: `subscriber`, `reason` ("password_reset", "agent", "frozen"). Receivers end what
# they hold for that space (the API's access tokens, for instance).
credentials_revoked = Signal()
