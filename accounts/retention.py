"""Retention of what a space's creation and its logins leave behind (docs/security.md §12):
expired sessions, the list of a space's sessions, and lapsed expert-mode registrations. Each
function returns how many rows it erased; running it again erases nothing more."""

from datetime import timedelta
from importlib import import_module

from django.conf import settings
from django.db import transaction

from accounts.models import PendingRegistration, SubscriberSession
from audit.models import Action
from audit.trail import record_many
from core import clock


def purge_expired_sessions() -> int:
    """Django's `clearsessions`: the session engine erases its expired sessions, and so does
    the agents' one (`AGENT_SESSION_ENGINE`, docs/backoffice.md §1.4). Counted when the
    sessions are rows (the database engine); another engine reports 0."""
    expired = 0
    for engine in (settings.SESSION_ENGINE, settings.AGENT_SESSION_ENGINE):
        store = import_module(engine).SessionStore
        with transaction.atomic():
            if hasattr(store, "get_model_class"):
                model = store.get_model_class()
                expired += model.objects.filter(expire_date__lt=clock.now()).count()
            store.clear_expired()
    return expired


def purge_session_records() -> int:
    """The list of a space's sessions (`SubscriberSession`, docs/security.md §8.4): rows opened
    more than SESSION_ABSOLUTE_SECONDS ago go, whatever became of their session (it can no
    longer be open)."""
    cutoff = clock.now() - timedelta(seconds=settings.SESSION_ABSOLUTE_SECONDS)
    with transaction.atomic():
        deleted, _ = SubscriberSession.objects.filter(opened_at__lte=cutoff).delete()
    return deleted


def purge_lapsed_registrations() -> int:
    """Pending registrations whose code expired more than RETENTION_LAPSED_REGISTRATION ago are
    deleted, with the password and trust-answer hashes they hold (until then, coming back late
    still reads "code expired", docs/accounts.md §3)."""
    cutoff = clock.now() - settings.RETENTION_LAPSED_REGISTRATION
    with transaction.atomic():
        lapsed = PendingRegistration.objects.select_for_update().filter(expires_at__lte=cutoff)
        rows = list(lapsed.values_list("pk", "email"))
        record_many(
            Action.REGISTRATION_DISCARDED,
            [(email, {"reason": "retention"}) for _pk, email in rows],
        )
        deleted, _ = PendingRegistration.objects.filter(pk__in=[pk for pk, _ in rows]).delete()
    return deleted
