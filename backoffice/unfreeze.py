"""The four-eyes unfreeze of a space (docs/backoffice.md §7.2): one agent asks, a supervisor
approves who is neither the requester nor linked to them by the creation of an account."""

from accounts import space_access
from audit.models import Action
from audit.trail import record
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


def created_one_another(one: Agent, other: Agent) -> bool:
    """Whoever creates an account is shown its activation code, so may have activated it and
    enrolled its second factor alone: the creator and the agent created are not two people."""
    return one.created_by_id == other.pk or other.created_by_id == one.pk


def approve_unfreeze(pk: int, agent: Agent) -> UnfreezeRequest:
    """Inside the caller's transaction; the space's holder is told by e-mail."""
    row = UnfreezeRequest.objects.select_for_update().select_related("requested_by").get(pk=pk)
    if row.approved_at is not None:
        raise Refusal("unfreeze.gone")
    if row.requested_by_id == agent.pk:
        raise Refusal("unfreeze.same_agent")
    if created_one_another(row.requested_by, agent):
        raise Refusal("unfreeze.related_agent")
    row.approved_by, row.approved_at = agent, clock.now()
    row.save(update_fields=["approved_by", "approved_at"])
    space_access.unfreeze(row.subscriber)
    return row
