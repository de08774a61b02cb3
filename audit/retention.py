"""Retention of the audit trail (docs/security.md §12): events older than RETENTION_AUDIT are
erased, and the erasure itself is recorded."""

from django.conf import settings
from django.db import transaction

from audit.models import Action, AuditEvent
from audit.trail import record
from core import clock


def purge_old_events() -> int:
    """Erase the events recorded more than RETENTION_AUDIT ago; one event says how many and up
    to when (none when nothing was old enough: a second run changes nothing)."""
    before = clock.now() - settings.RETENTION_AUDIT
    with transaction.atomic():
        purged = AuditEvent.objects.retention_purge(before)
        if purged:
            record(Action.AUDIT_PURGED, purged=purged, before=before.isoformat())
    return purged
