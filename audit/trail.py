"""Writing the audit trail: one function, called inside the transaction of the change."""

from typing import Any

from django.dispatch import Signal

from audit.models import Action, AuditEvent
from core import clock, context

# Sent, in the transaction, with `events` (the AuditEvents just written): front doors that
# react to what happened (the API's webhooks) listen here rather than in each domain function.
events_recorded = Signal()

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
    (docs/backoffice.md §5) and the API credential of the call (docs/api.md §6) are added to
    the details."""
    acting = context.current()
    details = _with_agent(details)
    event = AuditEvent.objects.create(
        at=clock.now(),
        action=action,
        actor=_actor(actor),
        target=_clean(target)[:200],
        ip_address=acting.ip_address,
        details=_with_via(_clean(details), acting),
    )
    events_recorded.send(AuditEvent, events=[event])
    return event


def _with_via(details: dict, acting) -> dict:
    """An event recorded during an API call names the token or client it came with."""
    if acting.via and "via" not in details:
        return {**details, "via": acting.via}
    return details


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
    acting = context.current()
    now, ip = clock.now(), acting.ip_address
    created = AuditEvent.objects.bulk_create(
        AuditEvent(
            at=now,
            action=action,
            actor=actor,
            target=target[:200],
            ip_address=ip,
            details=_with_via(_with_agent(details), acting),
        )
        for target, details in events
    )
    events_recorded.send(AuditEvent, events=created)
