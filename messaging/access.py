"""Who may read and write a company's threads (docs/messaging.md §1): whoever holds the
company's Messagerie service and may use it — the same predicate as the menus
(`Rights.allows(Permission.USE, MESSAGERIE)`) — in a space that is not frozen, for a company
that is not frozen. Asked on every request, so a suspension, a withdrawal, a substitution or a
freeze cuts access at the next one. Agents: their office's threads, every office's for a
national role (blank office)."""

from companies.models import Company
from core.refusals import Refusal
from habilitations.catalogue import MESSAGERIE
from habilitations.rights.queries import Permission, Rights, rights_on


def refusal_for(subscriber, company: Company, rights: Rights | None = None) -> Refusal | None:
    """Why `subscriber` may not use `company`'s messaging, or None if they may. `rights`, when
    the page already read them (`rights_on`), saves the query."""
    if subscriber is None or not getattr(subscriber, "is_active", False):
        return Refusal("messaging.forbidden")
    if subscriber.frozen_at is not None:
        return Refusal("space.frozen")
    if company.frozen_at is not None:
        return Refusal("company.frozen")
    rights = rights if rights is not None else rights_on(subscriber, company)
    if rights.company_id != company.pk or not rights.allows(Permission.USE, MESSAGERIE):
        return Refusal("messaging.forbidden")
    return None


def may_use_messaging(subscriber, company: Company, rights: Rights | None = None) -> bool:
    """May `subscriber` read and write `company`'s threads? (one query, none with `rights`)"""
    return refusal_for(subscriber, company, rights) is None


def ensure_may_use_messaging(subscriber, company: Company, rights: Rights | None = None) -> None:
    """Raise the Refusal (`messaging.forbidden`, `space.frozen`, `company.frozen`) if not."""
    refusal = refusal_for(subscriber, company, rights)
    if refusal is not None:
        raise refusal


def role_label(subscriber, company: Company) -> str:
    """The person's role on the company's Messagerie, as recorded with their messages."""
    role = rights_on(subscriber, company).role_on(MESSAGERIE)
    return role.label if role is not None else ""


def agent_may_handle(agent, thread) -> bool:
    """An active agent of the thread's office, or of a national role (blank office)."""
    return bool(agent.is_active) and agent.office in ("", thread.office)


def ensure_agent_may_handle(agent, thread) -> None:
    if not agent_may_handle(agent, thread):
        raise Refusal("messaging.other_office")
