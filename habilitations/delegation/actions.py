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

Every function checks these with `access.Rights` (the rules are `delegation_rules.py`), then
changes through `changes`; many dossiers at once is `delegation_many.py`. A refusal is a
`core.refusals.Refusal` (codes ``delegation.*``, or ``habilitation.*`` from `changes`).
"""

from django.db import transaction

from companies.models import Company
from core.refusals import Refusal
from correspondence.mail import send_email
from habilitations.catalogue import check_designable, elementary_codes_of, label
from habilitations.delegation.queries import withdrawable
from habilitations.delegation.rules import (
    Designation,
    administers,
    check_designation,
    may_manage,
    service_for,
    titular_services,
)
from habilitations.models import Habilitation, Origin, Role, State
from habilitations.rights import actions as changes
from habilitations.rights.queries import Rights, rights_on


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
    if rights.designation_withheld():
        raise Refusal("company.strong_factor_required")
    titular = titular_services([company.pk])[company.pk]
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
                by_admin = administers(rights, held.elementary_codes)
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
    if rights.designation_withheld():
        raise Refusal("company.strong_factor_required")
    if not may_manage(granter, rights, habilitation):
        raise Refusal("delegation.not_manageable")
    return habilitation, rights


@transaction.atomic
def set_delegation_state(granter, habilitation_id: int, state: State) -> Habilitation:
    """*Mettre en veille* / *Réactiver* a delegation."""
    habilitation, rights = _managed(granter, habilitation_id)
    by_admin = administers(rights, habilitation.elementary_codes)
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
