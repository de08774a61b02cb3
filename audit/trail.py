"""Writing the audit trail: one function, called inside the transaction of the change."""

from typing import Any

from audit.models import Action, AuditEvent
from core import clock, context

# `actor=ACTING`: the subscriber logged in for the current request (`core.context`). By
# default an event has no actor: the code that records it says who acts.
ACTING = object()


def _actor(actor):
    if actor is ACTING:
        actor = context.current().actor()
    if actor is not None and getattr(actor, "pk", None) is None:
        return None
    return actor


def record(
    action: Action,
    *,
    actor=None,
    target: str = "",
    **details: Any,
) -> AuditEvent:
    """Append one event to the audit trail (docs/security.md §10); the client's address comes
    from the current request (`core.context`), the actor is the one given; an agent acting
    (docs/backoffice.md §5) is added to the details."""
    details = _with_agent(details)
    return AuditEvent.objects.create(
        at=clock.now(),
        action=action,
        actor=_actor(actor),
        target=_clean(target)[:200],
        ip_address=context.current().ip_address,
        details=_clean(details),
    )


def _with_agent(details: dict[str, Any]) -> dict[str, Any]:
    agent = context.current().agent
    if agent is None or "agent" in details:
        return details
    return {**details, "agent": dict(agent)}


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
) -> None:
    """Append many events of one action at once (a bulk change): (target, details) pairs."""
    actor = _actor(actor)
    now, ip = clock.now(), context.current().ip_address
    AuditEvent.objects.bulk_create(
        AuditEvent(
            at=now,
            action=action,
            actor=actor,
            target=target[:200],
            ip_address=ip,
            details=_with_agent(details),
        )
        for target, details in events
    )
