"""Four eyes (docs/backoffice.md §7.2.1): an action that needs a second agent is approved by
an agent who cannot be the requester under another account, as far as the accounts can tell.

An agent's activation code goes by e-mail to the agent's professional address, never to the
supervisor who created the account (§1.1). But that supervisor chose the address: for a while
they may be behind the account (a mailbox they read, an accomplice's). So:

- the creator of an account and the account never approve for each other, whatever their age;
- until an account is AGENT_FOUR_EYES_PERIOD old, whoever created it may be behind it, and,
  if that account is young too, whoever created that one, and so on: its *sponsors*. A sponsor
  of either agent may not be the other agent, nor have created it, nor be one of its sponsors.
"""

from datetime import datetime

from django.conf import settings

from backoffice.models import Agent
from core import clock
from core.refusals import Refusal


def sponsors(agent: Agent, now: datetime) -> set[int]:
    """Who may be behind this account besides its holder: its creator while the account is
    younger than the period, then that creator's sponsors, and so on up the chain."""
    found: set[int] = set()
    current = agent
    while current.created_by_id and now - current.created_at < settings.AGENT_FOUR_EYES_PERIOD:
        if current.created_by_id in found or current.created_by_id == agent.pk:
            break  # never expected (a creator is older than its creature), but never loop
        found.add(current.created_by_id)
        current = Agent.objects.only("pk", "created_by", "created_at").get(pk=current.created_by_id)
    return found


def approval_refusal(
    requester: Agent, approver: Agent, *, what: str = "unfreeze"
) -> Refusal | None:
    """Why `approver` may not be the second pair of eyes for what `requester` asked (None if
    they may): the one rule every four-eyes approval asks, and the pages show in advance.
    `what` names the action in the refusal's code (`unfreeze`, `factor_reset`)."""
    if approver.pk == requester.pk:
        return Refusal(f"{what}.same_agent")
    if approver.created_by_id == requester.pk or requester.created_by_id == approver.pk:
        return Refusal(f"{what}.related_agent")
    now = clock.now()
    of_requester, of_approver = sponsors(requester, now), sponsors(approver, now)
    if of_requester & _origins(approver, of_approver) or of_approver & _origins(
        requester, of_requester
    ):
        return Refusal(f"{what}.shared_sponsor", days=settings.AGENT_FOUR_EYES_PERIOD.days)
    return None


def _origins(agent: Agent, its_sponsors: set[int]) -> set[int]:
    """The agent, whoever created it (whatever its age), and its sponsors."""
    return {agent.pk, *its_sponsors, *([agent.created_by_id] if agent.created_by_id else [])}


def ensure_second_pair_of_eyes(requester: Agent, approver: Agent, *, what="unfreeze") -> None:
    """Refuse the approval unless the approver is independent of the requester (module doc)."""
    refusal = approval_refusal(requester, approver, what=what)
    if refusal is not None:
        raise refusal
