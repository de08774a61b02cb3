"""Authentication events go to the audit trail (docs/security.md §10); the address comes
from the current request (`core.context`)."""

from django.contrib.auth.signals import user_logged_in, user_logged_out, user_login_failed
from django.dispatch import receiver

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
