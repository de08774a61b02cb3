"""Writing the audit trail: one function, called inside the transaction of the change."""

from typing import Any

from django.http import HttpRequest

from audit.models import Action, AuditEvent
from core import clock


def client_ip(request: HttpRequest | None) -> str | None:
    if request is None:
        return None
    return request.META.get("REMOTE_ADDR") or None


def record(
    action: Action,
    *,
    actor=None,
    target: str = "",
    request: HttpRequest | None = None,
    **details: Any,
) -> AuditEvent:
    """Append one event to the audit trail (docs/security.md §1)."""
    if actor is not None and getattr(actor, "pk", None) is None:
        actor = None
    return AuditEvent.objects.create(
        at=clock.now(),
        action=action,
        actor=actor,
        target=_clean(target)[:200],
        ip_address=client_ip(request),
        details=_clean(details),
    )


def _clean(value):
    """What a user typed may hold NUL bytes, which PostgreSQL refuses in text and JSON."""
    if isinstance(value, str):
        return value.replace("\x00", "")
    if isinstance(value, dict):
        return {k: _clean(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [_clean(v) for v in value]
    return value


def record_many(
    action: Action,
    events: list[tuple[str, dict[str, Any]]],
    *,
    actor=None,
    request: HttpRequest | None = None,
) -> None:
    """Append many events of one action at once (a bulk change): (target, details) pairs."""
    if actor is not None and getattr(actor, "pk", None) is None:
        actor = None
    now, ip = clock.now(), client_ip(request)
    AuditEvent.objects.bulk_create(
        AuditEvent(
            at=now, action=action, actor=actor, target=target[:200], ip_address=ip, details=details
        )
        for target, details in events
    )
