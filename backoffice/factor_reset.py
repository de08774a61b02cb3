"""Resetting a space's lost second factors (docs/backoffice.md §7.4, docs/security.md §14.5): an
agent (gestion) resets them with a reason; for a space holding administrator roles (AT/AS) on
more than FACTOR_RESET_FOUR_EYES_COMPANIES companies, the reset is only asked, and another agent
(supervision), independent of the requester (`backoffice.four_eyes`), approves it."""

from django.conf import settings

from accounts.factors.verification import reset_factors
from accounts.models import Subscriber
from audit.models import Action
from audit.trail import record
from backoffice.four_eyes import ensure_second_pair_of_eyes
from backoffice.models import Agent, FactorResetRequest
from core import clock, context
from core.refusals import Refusal
from habilitations.rights.queries import administered_company_ids

WHAT = "factor_reset"


def administered_companies(space: Subscriber) -> int:
    """How many companies the space administers (an active AT or AS role): one query."""
    return administered_company_ids(space).distinct().count()


def needs_second_agent(space: Subscriber) -> bool:
    return administered_companies(space) > settings.FACTOR_RESET_FOUR_EYES_COMPANIES


def pending(space: Subscriber) -> FactorResetRequest | None:
    return (
        FactorResetRequest.objects.filter(subscriber=space, approved_at=None)
        .select_related("requested_by")
        .first()
    )


def reset_or_request(space: Subscriber, agent: Agent) -> bool:
    """Inside the caller's transaction, the agent and reason in `core.context`: resets at once
    (True), or, above the threshold, records a request for a second agent (False)."""
    who = context.current().agent or {}
    if not needs_second_agent(space):
        reset_factors(space, by_agent=agent, reason=who.get("reason", ""))
        return True
    if FactorResetRequest.objects.filter(subscriber=space, approved_at=None).exists():
        raise Refusal(f"{WHAT}.pending")
    FactorResetRequest.objects.create(
        subscriber=space,
        requested_by=agent,
        requested_at=clock.now(),
        reason=who.get("reason", ""),
        ticket=who.get("ticket", ""),
    )
    record(
        Action.FACTOR_RESET_REQUESTED,
        target=space.subscriber_number,
        companies=administered_companies(space),
    )
    return False


def approve(pk: int, agent: Agent) -> FactorResetRequest:
    """Inside the caller's transaction: the approver (the acting agent) must be independent of
    the requester; the trail names both, then the reset runs with the requester's reason."""
    row = (
        FactorResetRequest.objects.select_for_update()
        .select_related("requested_by", "subscriber")
        .get(pk=pk)
    )
    if row.approved_at is not None:
        raise Refusal(f"{WHAT}.gone")
    ensure_second_pair_of_eyes(row.requested_by, agent, what=WHAT)
    row.approved_by, row.approved_at = agent, clock.now()
    row.save(update_fields=["approved_by", "approved_at"])
    record(
        Action.FACTOR_RESET_APPROVED,
        target=row.subscriber.subscriber_number,
        requested_by=row.requested_by.identity(),
        requested_at=row.requested_at.isoformat(),
        requested_reason=row.reason,
    )
    reset_factors(
        row.subscriber,
        by_agent=row.requested_by,
        reason=f"{row.reason} (approuvé par {agent.full_name})",
    )
    return row
