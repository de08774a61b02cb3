"""The four-eyes unfreeze of a space (docs/backoffice.md §7.2): one agent asks, a supervisor
approves who is independent of the requester (`backoffice.four_eyes`)."""

from accounts import space_access
from audit.models import Action
from audit.trail import record
from backoffice.four_eyes import ensure_second_pair_of_eyes
from backoffice.models import Agent, UnfreezeRequest
from core import clock, context
from core.refusals import Refusal


def request_unfreeze(space, agent: Agent) -> UnfreezeRequest:
    if not space.is_frozen:
        raise Refusal("space.not_frozen")
    who = context.current().agent or {}
    if UnfreezeRequest.objects.filter(subscriber=space, approved_at=None).exists():
        raise Refusal("unfreeze.pending")
    row = UnfreezeRequest.objects.create(
        subscriber=space,
        requested_by=agent,
        requested_at=clock.now(),
        reason=who.get("reason", ""),
        ticket=who.get("ticket", ""),
    )
    record(Action.SPACE_UNFREEZE_REQUESTED, target=space.subscriber_number)
    return row


def approve_unfreeze(pk: int, agent: Agent) -> UnfreezeRequest:
    """Inside the caller's transaction; the space's holder is told by e-mail. The trail names
    both pairs of eyes: the approver (the acting agent) and the requester."""
    row = UnfreezeRequest.objects.select_for_update().select_related("requested_by").get(pk=pk)
    if row.approved_at is not None:
        raise Refusal("unfreeze.gone")
    ensure_second_pair_of_eyes(row.requested_by, agent)
    row.approved_by, row.approved_at = agent, clock.now()
    row.save(update_fields=["approved_by", "approved_at"])
    record(
        Action.SPACE_UNFREEZE_APPROVED,
        target=row.subscriber.subscriber_number,
        requested_by=row.requested_by.identity(),
        requested_at=row.requested_at.isoformat(),
    )
    space_access.unfreeze(row.subscriber)
    return row
