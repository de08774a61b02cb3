"""The subscribers' authentication backend: Django's, plus the freeze (docs/backoffice.md §7).

A frozen space opens no session: `get_user` no longer returns it, so its open sessions end at
their next request, and a right password is answered with the `space.frozen` refusal (the
assistance's contact) rather than a wrong-password message, since only the holder of the
password learns it. Every front door that authenticates a subscriber goes through here.
"""

from django.contrib.auth import get_user_model
from django.contrib.auth.backends import ModelBackend

from audit.models import Action
from audit.trail import record
from core.refusals import Refusal


class SpaceBackend(ModelBackend):
    def user_can_authenticate(self, user) -> bool:
        return super().user_can_authenticate(user) and getattr(user, "frozen_at", None) is None

    def authenticate(self, request, username=None, password=None, **kwargs):
        model = get_user_model()
        if username is None:
            username = kwargs.get(model.USERNAME_FIELD)
        if username is None or password is None:
            return None
        try:
            user = model._default_manager.get_by_natural_key(username)
        except model.DoesNotExist:
            # The same hashing time as for a known e-mail (Django's own defence).
            model().set_password(password)
            return None
        if not user.check_password(password):
            return None
        if user.frozen_at is not None:
            record(Action.LOGIN_REFUSED_FROZEN, target=user.subscriber_number)
            raise Refusal("space.frozen")
        return user if self.user_can_authenticate(user) else None
