"""Delegation on many dossiers at once (docs/habilitations.md §2, §13): one delegate at the same
level on many companies (*Vos délégataires*, a group of dossiers, the API), planned before it is
done, and the removal of what a group gave. The rules are `delegation_rules`; one company at a
time is `delegation`."""

from collections import defaultdict
from dataclasses import dataclass, field
from typing import NamedTuple

from django.db import transaction

from companies.models import Company
from core.refusals import Refusal
from correspondence.mail import send_email
from habilitations.catalogue import check_designable, label, service_of
from habilitations.delegation.rules import (
    Designation,
    check_designation,
    may_manage,
    rights_by_company,
    titular_services,
)
from habilitations.models import Habilitation, Origin, Role
from habilitations.rights import actions as changes


class RefusedCompany(NamedTuple):
    company: Company
    reason: str


@dataclass
class BulkPlan:
    """What designating one delegate on many companies would do, before it is done."""

    granted: list[Habilitation]
    replaced: list[Habilitation]
    refused: list[RefusedCompany]
    # The refusal code of each refused company (by key), for the API's report per dossier.
    refused_codes: dict[int, str] = field(default_factory=dict)


def plan_many(
    granter,
    delegate,
    role: Role,
    codes: list[str],
    companies: list[Company],
    *,
    keep_held: bool = False,
) -> BulkPlan:
    """Check a designation on many companies (a constant number of queries). With `keep_held`,
    an elementary service where the delegate holds any role is left as it is (neither checked
    nor changed): a group of dossiers only adds (docs/habilitations.md §13.3)."""
    if role not in (Role.DELEGATING_ACTOR, Role.ACTOR):
        raise Refusal("delegation.choose_level")
    codes = list(dict.fromkeys(codes))
    for code in codes:
        check_designable(code)
    if delegate.pk == granter.pk:
        raise Refusal("delegation.not_oneself")
    company_ids = [c.pk for c in companies]
    rights = rights_by_company(granter, company_ids)
    titular = titular_services(company_ids)
    current = {
        (h.company_id, h.elementary_service): h
        for h in Habilitation.objects.filter(subscriber=delegate, company_id__in=company_ids)
    }
    plan = BulkPlan([], [], [])
    for company in companies:
        try:
            for code in codes:
                service = service_of(code)
                if keep_held and _holds_any(current, company.pk, code):
                    continue
                if service not in titular[company.pk]:
                    raise Refusal("delegation.no_titular", service=label(service))
                if (company.pk, service) in current and service != code:
                    # The preview lists it per company: the short form of the message.
                    raise Refusal(
                        "delegation.already_service_admin",
                        "déjà administrateur du service « {service} »",
                        service=label(service),
                    )
                held = current.get((company.pk, code))
                check_designation(
                    granter, rights[company.pk], delegate, Designation(code, role), held
                )
        except Refusal as refusal:
            plan.refused.append(RefusedCompany(company, refusal.message))
            plan.refused_codes[company.pk] = refusal.code
            continue
        for code in codes:
            held = current.get((company.pk, code))
            if keep_held and _holds_any(current, company.pk, code):
                continue
            if held is not None and held.role == role:
                continue
            if held is not None:
                plan.replaced.append(held)
            plan.granted.append(
                Habilitation(
                    subscriber=delegate,
                    company=company,
                    service=service_of(code),
                    elementary_service=code,
                    role=role,
                    origin=Origin.DELEGATION,
                )
            )
    return plan


def _holds_any(current: dict, company_id: int, code: str) -> bool:
    """The delegate holds a role on this elementary service (or administers its service)."""
    return (company_id, code) in current or (company_id, service_of(code)) in current


@transaction.atomic
def designate_many(
    granter,
    delegate,
    role: Role,
    codes: list[str],
    companies: list[Company],
    *,
    keep_held: bool = False,
) -> BulkPlan:
    """A newcomer: the same level on many companies at once, in one transaction."""
    changes.lock_many([c.pk for c in companies])
    plan = plan_many(granter, delegate, role, codes, companies, keep_held=keep_held)
    if plan.granted:
        changes.grant_many(plan.granted, plan.replaced, by=granter)
        send_email(
            "delegations_granted",
            delegate.email,
            {
                "delegate": delegate,
                "by": granter,
                "role": role.label,
                "services": [label(code) for code in codes],
                # Each company once, by name and identifier: homonyms stay apart.
                "companies": sorted({(h.company.name, h.company.identifier) for h in plan.granted}),
            },
        )
    return plan


@transaction.atomic
def withdraw_these(
    granter, habilitation_ids, *, email_template: str, context: dict | None = None
) -> tuple[int, list[Habilitation]]:
    """Remove these delegations (what a group of dossiers gave, docs/habilitations.md §13.4), each
    only if `granter` may manage it (§4.5), in one transaction and a constant number of queries.
    Returns how many were removed and the ones kept (not `granter`'s to remove). Each delegate
    is told once."""
    ids = list(habilitation_ids)
    company_ids = set(Habilitation.objects.filter(pk__in=ids).values_list("company_id", flat=True))
    changes.lock_many(company_ids)
    rows = list(
        Habilitation.objects.filter(pk__in=ids)
        .exclude(role=Role.TITULAR_ADMIN)
        .select_related("company", "subscriber")
        .order_by("company__search_name", "company_id", "elementary_service")
    )
    rights = rights_by_company(granter, {h.company_id for h in rows})
    removable = [h for h in rows if may_manage(granter, rights[h.company_id], h)]
    kept = [h for h in rows if h not in removable]
    removed = changes.remove_many(removable, by=granter)
    by_delegate: dict[int, list[Habilitation]] = defaultdict(list)
    for habilitation in removable:
        by_delegate[habilitation.subscriber_id].append(habilitation)
    for habilitations in by_delegate.values():
        delegate = habilitations[0].subscriber
        send_email(
            email_template,
            delegate.email,
            {
                "delegate": delegate,
                "by": granter,
                "habilitations": habilitations,
                **(context or {}),
            },
        )
    return removed, kept
