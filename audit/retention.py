"""Retention of the audit trail (docs/security.md §12): events older than RETENTION_AUDIT are
erased, and the erasure itself is recorded."""

from django.conf import settings
from django.db import transaction

from audit.models import Action, AuditEvent
from audit.trail import record
from core import clock


def purge_old_events() -> int:
    """Erase the events recorded more than RETENTION_AUDIT ago; one event says how many and up
    to when (none when nothing was old enough: a second run changes nothing).

    The one exception to append-only (docs/security.md §10.3, §12), and the only place that
    bypasses the guard: the cut-off comes from the settings (never under 180 days, checked at
    start-up), never from a caller, and the whole trail before it goes — no filter."""
    before = clock.now() - settings.RETENTION_AUDIT
    with transaction.atomic():
        old = AuditEvent.objects.filter(at__lt=before)
        purged = old._raw_delete(old.db)
        if purged:
            record(Action.AUDIT_PURGED, purged=purged, before=before.isoformat())
    return purged
