"""Delegation (docs/habilitations.md §2): who may designate, change, suspend and remove whom.

The rules, in words:
- an AT designates the AS of its services (one per service, Payer as a whole), delegating
  actors and actors; an AS designates delegating actors and actors; a delegating actor
  designates actors only, on its own elementary services; an actor designates no one;
- delegation only on a service that has an AT, never to oneself;
- roles never accumulate: designating someone who holds another role there changes it,
  but only if the granter could manage that role (never upwards past the granter);
- a delegation is managed (level, suspension, removal) by its granter and by the AT/AS of
  the service; the AS by the AT; the AT by no one (substitution replaces it);
- the holder of a delegation may renounce it, unless an administrator suspended it: only an
  administrator then gives that person that right again (docs/habilitations.md §4.5.1);
- every operation locks the company, then reads the habilitations it decides on (§4.6.1).

Every function checks these with `access.Rights`, then changes through `changes`; a refusal
is a `core.refusals.Refusal` (codes ``delegation.*``, or ``habilitation.*`` from `changes`).
"""

from collections import defaultdict
from dataclasses import dataclass, field

from django.db import transaction
from django.db.models import Count

from companies.models import Company
from core.refusals import Refusal
from correspondence.mail import send_email
from habilitations import changes
from habilitations.access import (
    Permission,
    Rights,
    administered_company_ids,
    rights_from_rows,
    rights_on,
)
from habilitations.catalogue import (
    ELEMENTARY_BY_CODE,
    SERVICES_BY_CODE,
    check_designable,
    elementary_codes_of,
    label,
    service_of,
)
from habilitations.models import ADMIN_ROLES, Habilitation, Origin, Role, State

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
    """May `granter` change, suspend or remove this habilitation?"""
    role = Role(habilitation.role)
    if role == Role.TITULAR_ADMIN or habilitation.subscriber_id == granter.pk:
        return False
    codes = elementary_codes_of(habilitation.elementary_service)
    if role == Role.DEPUTY_ADMIN:
        return rights.allows(Permission.DESIGNATE_DEPUTY, habilitation.service)
    if _administers(rights, codes):
        return True
    return (
        habilitation.granted_by_id == granter.pk
        and not habilitation.suspended_by_admin
        and all(may_designate(rights, role, es) for es in codes)
    )


def _administers(rights: Rights, codes) -> bool:
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


def _notify(delegate, company: Company, lines: list[str], by) -> None:
    """Tell the delegate what changed on their rights (docs/habilitations.md §2, issue: e-mail on
    each change)."""
    if not lines:
        return
    send_email(
        "delegation_notice",
        delegate.email,
        {"delegate": delegate, "company": company, "lines": lines, "by": by},
    )


def _titular_services(company_ids) -> dict[int, set[str]]:
    """The services that have an AT, per company (one query)."""
    titular = defaultdict(set)
    for company_id, service in Habilitation.objects.filter(
        company_id__in=company_ids, role=Role.TITULAR_ADMIN
    ).values_list("company_id", "service"):
        titular[company_id].add(service)
    return titular


@transaction.atomic
def designate(
    granter,
    company: Company,
    delegate,
    designations: list[Designation],
    *,
    notify: bool = True,
) -> list[Habilitation]:
    """Designate `delegate` on several services of one company, at once (*Créer/Modifier*).
    `notify=False` when the caller tells the delegate itself (an accepted delegation request)."""
    changes.lock(company)
    rights = rights_on(granter, company)
    titular = _titular_services([company.pk])[company.pk]
    current = {
        h.elementary_service: h
        for h in Habilitation.objects.filter(company=company, subscriber=delegate)
    }
    for designation in designations:
        check_designable(designation.code, deputy=designation.role == Role.DEPUTY_ADMIN)
    lines, granted = [], []
    for designation in designations:
        service = service_for(designation)
        if service not in titular:
            raise Refusal("delegation.no_titular", service=label(service))
        held = current.get(designation.code)
        if held is None and designation.role != Role.DEPUTY_ADMIN:
            held = current.get(service)  # a Payer administrator's row covers the nine
            if held is not None:
                raise Refusal(
                    "delegation.already_service_admin",
                    role=Role(held.role).label.lower(),
                    service=label(service),
                )
        check_designation(granter, rights, delegate, designation, held)
        if designation.role == Role.DEPUTY_ADMIN:
            for es in elementary_codes_of(service):
                if (row := current.get(es)) and row.elementary_service != service:
                    check_designation(granter, rights, delegate, designation, row)
            _replace_deputy(granter, company, service, delegate)
        if held is not None and held.role == designation.role:
            if held.state == State.SUSPENDED:
                by_admin = _administers(rights, held.elementary_codes)
                changes.set_state(held, State.ACTIVE, by=granter, by_admin=by_admin)
                lines.append(f"{label(designation.code)} : {designation.role.label} (réactivée)")
            continue
        habilitation = changes.grant(
            company,
            delegate,
            designation.code,
            designation.role,
            Origin.DELEGATION,
            by=granter,
        )
        granted.append(habilitation)
        verb = "modifiée" if held is not None else "accordée"
        lines.append(f"{label(designation.code)} : {designation.role.label} ({verb})")
    if notify:
        _notify(delegate, company, lines, granter)
    return granted


def _replace_deputy(granter, company: Company, service: str, newcomer) -> None:
    """One AS per service: designating a new one ends the former one's role."""
    former = (
        Habilitation.objects.filter(company=company, service=service, role=Role.DEPUTY_ADMIN)
        .exclude(subscriber=newcomer)
        .select_related("subscriber", "company")
        .first()
    )
    if former is not None:
        changes.remove(former, by=granter)
        _notify(
            former.subscriber,
            company,
            [f"{label(service)} : {Role.DEPUTY_ADMIN.label} (retirée, remplacée)"],
            granter,
        )


def _locked(habilitation_id: int, **mine) -> Habilitation:
    """Lock the habilitation's company, then read the habilitation (a double submit or another
    administrator may have removed it meanwhile: a refusal, not a `DoesNotExist`)."""
    rows = Habilitation.objects.filter(pk=habilitation_id, **mine)
    company_id = rows.values_list("company_id", flat=True).first()  # never changes
    if company_id is not None:
        changes.lock_many([company_id])
        habilitation = rows.select_related("company", "subscriber").first()
        if habilitation is not None:
            return habilitation
    raise Refusal("delegation.gone")


def _managed(granter, habilitation_id: int) -> tuple[Habilitation, Rights]:
    habilitation = _locked(habilitation_id)
    rights = rights_on(granter, habilitation.company)
    if not may_manage(granter, rights, habilitation):
        raise Refusal("delegation.not_manageable")
    return habilitation, rights


def may_revoke(granter, habilitation: Habilitation) -> bool:
    """Whether `granter` may delete this delegation (the confirmation page is shown only then)."""
    return may_manage(granter, rights_on(granter, habilitation.company), habilitation)


@transaction.atomic
def set_delegation_state(granter, habilitation_id: int, state: State) -> Habilitation:
    """*Mettre en veille* / *Réactiver* a delegation."""
    habilitation, rights = _managed(granter, habilitation_id)
    by_admin = _administers(rights, habilitation.elementary_codes)
    if habilitation.state == state:
        # Nothing changes for the holder, but an administrator's suspension must stick.
        if state == State.SUSPENDED and by_admin:
            changes.set_state(habilitation, state, by=granter, by_admin=True)
        return habilitation
    changes.set_state(habilitation, state, by=granter, by_admin=by_admin)
    what = "mise en veille" if state == State.SUSPENDED else "réactivée"
    _notify(
        habilitation.subscriber,
        habilitation.company,
        [f"{habilitation.label} : {Role(habilitation.role).label} ({what})"],
        granter,
    )
    return habilitation


@transaction.atomic
def revoke(granter, habilitation_id: int) -> None:
    """*Supprimer* a delegation; the actors it designated stay (they belong to the company)."""
    habilitation, _ = _managed(granter, habilitation_id)
    changes.remove(habilitation, by=granter)
    _notify(
        habilitation.subscriber,
        habilitation.company,
        [f"{habilitation.label} : {Role(habilitation.role).label} (supprimée)"],
        granter,
    )


def firm_delegates(granter):
    """*Vos délégataires*: the people holding delegations (or an AS role) on the companies
    `granter` administers, with how many companies and rights each, by name."""
    return (
        Habilitation.objects.filter(company_id__in=administered_company_ids(granter))
        .exclude(role=Role.TITULAR_ADMIN)
        .exclude(subscriber=granter)
        .values(
            "subscriber_id",
            "subscriber__first_name",
            "subscriber__last_name",
            "subscriber__subscriber_number",
        )
        .annotate(companies=Count("company_id", distinct=True), rights=Count("id"))
        .order_by("subscriber__last_name", "subscriber_id")
    )


@transaction.atomic
def renounce(holder, habilitation_id: int) -> Habilitation:
    """The holder gives up a delegation they hold (not the AT: substitution replaces it; not
    a right an administrator suspended: that would undo the suspension, docs/habilitations.md
    §4.6)."""
    habilitation = _locked(habilitation_id, subscriber=holder)
    if habilitation.role == Role.TITULAR_ADMIN:
        raise Refusal("delegation.titular_cannot_renounce")
    if habilitation.held_by_an_administrators_suspension:
        raise Refusal("delegation.suspended_by_admin_not_renounced")
    changes.remove(habilitation, by=holder)
    return habilitation


def _rights_by_company(granter, company_ids) -> dict[int, Rights]:
    rows = defaultdict(list)
    for company_id, es, role in Habilitation.objects.filter(
        subscriber=granter, company_id__in=company_ids, state=State.ACTIVE
    ).values_list("company_id", "elementary_service", "role"):
        rows[company_id].append((es, role))
    return {pk: rights_from_rows(pk, rows.get(pk, [])) for pk in company_ids}


def withdrawable(granter, delegate) -> list[Habilitation]:
    """Every right of `delegate` that `granter` may remove, on every company (3 queries)."""
    held = list(
        Habilitation.objects.filter(subscriber=delegate)
        .exclude(role=Role.TITULAR_ADMIN)
        .select_related("company", "subscriber")
        .order_by("company__search_name", "company_id", "service", "elementary_service")
    )
    rights = _rights_by_company(granter, {h.company_id for h in held})
    return [h for h in held if may_manage(granter, rights[h.company_id], h)]


@transaction.atomic
def withdraw_all(granter, delegate) -> int:
    """*Retirer toutes ses délégations*: a collaborator leaving (docs/habilitations.md §2), in one
    transaction."""
    companies = set(
        Habilitation.objects.filter(subscriber=delegate)
        .exclude(role=Role.TITULAR_ADMIN)
        .values_list("company_id", flat=True)
    )
    changes.lock_many(companies)
    # Decided under the locks; a right created meanwhile on another company waits for next time.
    habilitations = [h for h in withdrawable(granter, delegate) if h.company_id in companies]
    removed = changes.remove_many(habilitations, by=granter)
    if removed:
        send_email(
            "delegations_withdrawn",
            delegate.email,
            {"delegate": delegate, "by": granter, "habilitations": habilitations},
        )
    return removed


@dataclass
class BulkPlan:
    """What designating one delegate on many companies would do, before it is done."""

    granted: list[Habilitation]
    replaced: list[Habilitation]
    refused: list[tuple[Company, str]]
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
    rights = _rights_by_company(granter, company_ids)
    titular = _titular_services(company_ids)
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
            plan.refused.append((company, refusal.message))
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
    rights = _rights_by_company(granter, {h.company_id for h in rows})
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
