"""Authorization (docs/habilitations.md §2): "may this subscriber do <action> on <service> for
<company>?".

Every page and every API asks `rights_on(...)` (one indexed query) and then
`Rights.allows(action, code)`; pages that need a dossier use `dossier_or_403`, which
audits refusals.
"""

from dataclasses import dataclass, field
from enum import StrEnum

from django.core.exceptions import PermissionDenied
from django.http import HttpRequest

from audit.models import Action as AuditAction
from audit.trail import record
from companies.models import Company
from habilitations.catalogue import (
    DERIVED_BY_CODE,
    ELEMENTARY_BY_CODE,
    PAYER,
    SERVICES_BY_CODE,
    elementary_codes_of,
)
from habilitations.models import Habilitation, Role, State


class Action(StrEnum):
    USE = "use"
    MANAGE_COMPANY_DATA = (
        "manage_company_data"  # bank accounts (Payer), company e-mail (Messagerie)
    )
    DESIGNATE_DEPUTY = "designate_deputy"
    DESIGNATE_DELEGATING_ACTOR = "designate_delegating_actor"
    DESIGNATE_ACTOR = "designate_actor"


# The table of docs/habilitations.md §2.
ROLE_RIGHTS: dict[Role, frozenset[Action]] = {
    Role.TITULAR_ADMIN: frozenset(Action),
    Role.DEPUTY_ADMIN: frozenset(
        {
            Action.USE,
            Action.MANAGE_COMPANY_DATA,
            Action.DESIGNATE_DELEGATING_ACTOR,
            Action.DESIGNATE_ACTOR,
        }
    ),
    Role.DELEGATING_ACTOR: frozenset({Action.USE, Action.DESIGNATE_ACTOR}),
    Role.ACTOR: frozenset({Action.USE}),
}


@dataclass(frozen=True)
class Rights:
    """What one subscriber holds on one company: the active role per elementary service."""

    company_id: int
    roles: dict[str, Role] = field(default_factory=dict)

    @property
    def any(self) -> bool:
        return bool(self.roles)

    def role_on(self, elementary_code: str) -> Role | None:
        return self.roles.get(elementary_code)

    def allows(self, action: Action, code: str) -> bool:
        """May the holder do `action` on this elementary service, service or derived access?"""
        if code in DERIVED_BY_CODE:
            if action != Action.USE:
                return False
            if DERIVED_BY_CODE[code].requires == PAYER:
                return any(self.roles.get(es) for es in elementary_codes_of(PAYER))
            return self.any
        if code in ELEMENTARY_BY_CODE:
            role = self.roles.get(code)
            return role is not None and action in ROLE_RIGHTS[role]
        if code in SERVICES_BY_CODE:
            # A service as a whole (Payer's nine): the right must hold on each of them.
            return all(self.allows(action, es) for es in elementary_codes_of(code))
        return False

    def usable(self) -> set[str]:
        """Codes of the elementary services and derived accesses the holder may use."""
        codes = {es for es in self.roles}
        codes.update(d for d in DERIVED_BY_CODE if self.allows(Action.USE, d))
        return codes


def rights_from_rows(company_id: int, rows) -> Rights:
    roles: dict[str, Role] = {}
    for elementary_service, role in rows:
        # Payer's administrators hold one row for the nine elementary services.
        for es in elementary_codes_of(elementary_service):
            roles[es] = Role(role)
    return Rights(company_id, roles)


def rights_on(subscriber, company: Company | int) -> Rights:
    """The subscriber's active rights on a company, in one query (suspended ones grant nothing)."""
    company_id = company if isinstance(company, int) else company.pk
    rows = Habilitation.objects.filter(
        subscriber=subscriber, company_id=company_id, state=State.ACTIVE
    ).values_list("elementary_service", "role")
    return rights_from_rows(company_id, rows)


def may(subscriber, action: Action, code: str, company: Company | int) -> bool:
    """The one answer to "may this subscriber do <action> on <code> for <company>?"."""
    return rights_on(subscriber, company).allows(action, code)


def refuse(request: HttpRequest, company_identifier: str, reason: str, **details) -> None:
    """Audit a refused authorization, then refuse (403)."""
    record(
        AuditAction.ACCESS_REFUSED,
        actor=request.user,
        target=company_identifier,
        request=request,
        path=request.path,
        reason=reason,
        **details,
    )
    raise PermissionDenied(reason)


def dossier_or_403(request: HttpRequest, identifier: str) -> tuple[Company, Rights]:
    """The company and the requester's rights on it, or a 403 (audited) if they hold none."""
    company = Company.objects.filter(identifier=identifier).first()
    rights = rights_on(request.user, company) if company else None
    if company is None or not rights.any:
        # An unknown company and a company without rights look the same (no enumeration).
        refuse(request, identifier, "no habilitation on this company")
    return company, rights


def require(request: HttpRequest, company: Company, rights: Rights, action: Action, code: str):
    if not rights.allows(action, code):
        refuse(request, company.identifier, f"{action} not allowed on {code}", code=code)
