"""Delegation's rules (docs/habilitations.md §2): who may designate what, who may manage which
delegation, and the checks a designation passes, on one company or many; plus the two reads they
decide on (the services that have an AT, the granter's rights per company). Pure functions of
`access.Rights` but for those reads; the changes are `delegation` and `delegation_many`."""

from collections import defaultdict
from dataclasses import dataclass

from core.refusals import Refusal
from habilitations.catalogue import (
    ELEMENTARY_BY_CODE,
    SERVICES_BY_CODE,
    elementary_codes_of,
    label,
    service_of,
)
from habilitations.models import ADMIN_ROLES, Habilitation, Role, State
from habilitations.rights.queries import RIGHTS_COLUMNS, Permission, Rights, rights_from_rows

_DESIGNATE = {
    Role.DEPUTY_ADMIN: Permission.DESIGNATE_DEPUTY,
    Role.DELEGATING_ACTOR: Permission.DESIGNATE_DELEGATING_ACTOR,
    Role.ACTOR: Permission.DESIGNATE_ACTOR,
}


@dataclass(frozen=True)
class Designation:
    code: str  # a service for an AS, an elementary service for a delegate
    role: Role


def may_designate(rights: Rights, role: Role, code: str) -> bool:
    """May the holder of `rights` designate `role` on `code` (docs/habilitations.md §2's table)?"""
    if role not in _DESIGNATE:
        return False
    if role == Role.DEPUTY_ADMIN and code not in SERVICES_BY_CODE:
        return False
    if role != Role.DEPUTY_ADMIN and code not in ELEMENTARY_BY_CODE:
        return False
    return rights.allows(_DESIGNATE[role], code)


def may_manage(granter, rights: Rights, habilitation: Habilitation) -> bool:
    """May `granter` change, suspend or remove this habilitation? Not while the company's
    requirement of a strong factor withholds their designating (docs/habilitations.md §14)."""
    role = Role(habilitation.role)
    if rights.strong_factor_missing:
        return False
    if role == Role.TITULAR_ADMIN or habilitation.subscriber_id == granter.pk:
        return False
    codes = elementary_codes_of(habilitation.elementary_service)
    if role == Role.DEPUTY_ADMIN:
        return rights.allows(Permission.DESIGNATE_DEPUTY, habilitation.service)
    if administers(rights, codes):
        return True
    return (
        habilitation.granted_by_id == granter.pk
        and not habilitation.suspended_by_admin
        and all(may_designate(rights, role, es) for es in codes)
    )


def administers(rights: Rights, codes) -> bool:
    return all(rights.role_on(es) in ADMIN_ROLES for es in codes)


def check_designation(
    granter, rights: Rights, delegate, designation: Designation, current: Habilitation | None
) -> None:
    """Refuse (`Refusal`) a designation outside the granter's rights."""
    code, role = designation.code, designation.role
    if delegate.pk == granter.pk:
        raise Refusal("delegation.not_oneself")
    if not may_designate(rights, role, code):
        raise Refusal("delegation.above_granter", role=role.label.lower(), service=label(code))
    changes_it = current is not None and (
        Role(current.role) != role or current.state == State.SUSPENDED
    )
    if changes_it and not may_manage(granter, rights, current):
        if current.held_by_an_administrators_suspension:
            raise Refusal("delegation.suspended_by_admin", service=label(code))
        raise Refusal(
            "delegation.role_not_yours_to_change",
            role=Role(current.role).label.lower(),
            service=label(code),
        )


def same_level_for_all(
    granter, rights: Rights, role: Role, held: dict[str, Habilitation]
) -> tuple[list[Designation], list[str]]:
    """« Même niveau pour tous les services » (issue 12 §3): `role` on every elementary service
    on which the granter may designate it, but where the delegate already holds a right that
    this would not be theirs to change (an administrator's role, a right someone else granted
    or an administrator suspended), which stays as it is. `held` is the delegate's rows on the
    company by elementary service (a Payer administrator's under "payer"). Returns the
    designations, and the labels of the services left as they are."""
    designations, kept = [], []
    for es in ELEMENTARY_BY_CODE.values():
        if not may_designate(rights, role, es.code):
            continue
        current = held.get(es.code) or held.get(es.service)
        if current is not None:
            changes_it = Role(current.role) != role or current.state == State.SUSPENDED
            if Role(current.role) in ADMIN_ROLES or (
                changes_it and not may_manage(granter, rights, current)
            ):
                kept.append(es.label)
                continue
        designations.append(Designation(es.code, role))
    return designations, kept


def service_for(designation: Designation) -> str:
    if designation.role == Role.DEPUTY_ADMIN:
        return designation.code
    return service_of(designation.code)


def titular_services(company_ids) -> dict[int, set[str]]:
    """The services that have an AT, per company (one query)."""
    titular = defaultdict(set)
    for company_id, service in Habilitation.objects.filter(
        company_id__in=company_ids, role=Role.TITULAR_ADMIN
    ).values_list("company_id", "service"):
        titular[company_id].add(service)
    return titular


def rights_by_company(granter, company_ids) -> dict[int, Rights]:
    """The granter's rights on each of these companies (one query), with what a company's
    requirement of a strong factor withholds (docs/habilitations.md §14)."""
    rows = defaultdict(list)
    for company_id, *row in Habilitation.objects.filter(
        subscriber=granter, company_id__in=company_ids, state=State.ACTIVE
    ).values_list("company_id", *RIGHTS_COLUMNS):
        rows[company_id].append(row)
    return {pk: rights_from_rows(pk, rows.get(pk, [])) for pk in company_ids}
