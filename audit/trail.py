"""Writing the audit trail: one function, called inside the transaction of the change."""

from typing import Any

from audit.models import Action, AuditEvent
from core import clock, context

# `actor` left out: the one acting in the current request, task or command (`core.context`).
FROM_CONTEXT = object()


def _actor(actor):
    if actor is FROM_CONTEXT:
        actor = context.current().actor()
    if actor is not None and getattr(actor, "pk", None) is None:
        return None
    return actor


def record(
    action: Action,
    *,
    actor=FROM_CONTEXT,
    target: str = "",
    **details: Any,
) -> AuditEvent:
    """Append one event to the audit trail (docs/security.md §10); who acts and from where
    come from the current request (`core.context`) unless given."""
    return AuditEvent.objects.create(
        at=clock.now(),
        action=action,
        actor=_actor(actor),
        target=_clean(target)[:200],
        ip_address=context.current().ip_address,
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
    actor=FROM_CONTEXT,
) -> None:
    """Append many events of one action at once (a bulk change): (target, details) pairs."""
    actor = _actor(actor)
    now, ip = clock.now(), context.current().ip_address
    AuditEvent.objects.bulk_create(
        AuditEvent(
            at=now, action=action, actor=actor, target=target[:200], ip_address=ip, details=details
        )
        for target, details in events
    )
