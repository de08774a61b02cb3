"""The agents' three roles and what each may do (docs/backoffice.md §2): least privilege, each
role holding what the one below holds. Views ask these named predicates, never the role."""

from django.db import models


class AgentRole(models.TextChoices):
    ASSISTANCE = "assistance", "Assistance"
    GESTION = "gestion", "Gestion"
    SUPERVISION = "supervision", "Supervision"


_RANK = {AgentRole.ASSISTANCE: 1, AgentRole.GESTION: 2, AgentRole.SUPERVISION: 3}


def _at_least(agent, role: AgentRole) -> bool:
    return _RANK.get(AgentRole(agent.role), 0) >= _RANK[role]


def may_look_up(agent) -> bool:
    """Look up spaces and companies, read their pages."""
    return _at_least(agent, AgentRole.ASSISTANCE)


def may_assist(agent) -> bool:
    """Unlock a login, end a space's sessions and tokens, resend or cancel a pending
    registration's activation."""
    return _at_least(agent, AgentRole.ASSISTANCE)


def may_manage_letters(agent) -> bool:
    """Withdraw a letter's code, reissue a letter."""
    return _at_least(agent, AgentRole.GESTION)


def may_manage_companies(agent) -> bool:
    """Issue and convert IDSPs, correct a company's data."""
    return _at_least(agent, AgentRole.GESTION)


def may_freeze(agent) -> bool:
    """Freeze a space or a company; unfreeze a company; ask for a space's unfreeze."""
    return _at_least(agent, AgentRole.GESTION)


def may_approve_unfreeze(agent) -> bool:
    """Approve another agent's request to unfreeze a space (four eyes)."""
    return _at_least(agent, AgentRole.SUPERVISION)


def may_reset_factors(agent) -> bool:
    """Reset the second factors of a person who lost them (docs/backoffice.md §7.4); above the
    threshold of companies, only ask for it."""
    return _at_least(agent, AgentRole.GESTION)


def may_approve_factor_reset(agent) -> bool:
    """Approve another agent's request to reset a space's second factors (four eyes)."""
    return _at_least(agent, AgentRole.SUPERVISION)


def may_manage_agents(agent) -> bool:
    return _at_least(agent, AgentRole.SUPERVISION)


def may_read_trail(agent) -> bool:
    """Read and export the full audit trail."""
    return _at_least(agent, AgentRole.SUPERVISION)


def may_handle_messages(agent) -> bool:
    """Read the secure messaging's queues and threads of one's office (every office for a
    national agent: blank office), take, answer, note, reassign, close (docs/backoffice.md §10).
    Not the assistance line: a company's exchanges with its tax office are not its business."""
    return _at_least(agent, AgentRole.GESTION)


def may_supervise_messages(agent) -> bool:
    """The queues' ages per office, and the canned answers per motif."""
    return _at_least(agent, AgentRole.SUPERVISION)
