"""Delegations (docs/habilitations.md §2), through `habilitations.delegation.actions` as the pages:
designate, list what one may manage, suspend or reactivate, delete, withdraw all of a
collaborator's delegations, and one level on many dossiers in one transaction."""

from ninja import Router, Status

from accounts.models import Subscriber
from accounts.queries import designatable_subscriber, subscriber_by_number
from api import problems
from api.auth import SubscriberToken, subscriber_of
from api.models import Scope
from api.routes.dossiers import dossier_or_404, habilitation_out
from api.schemas import (
    ROLE_OF_NAME,
    BulkDelegationIn,
    BulkDelegationOut,
    DelegationIn,
    DelegationStateIn,
    HabilitationOut,
    WithdrawAllOut,
)
from core.refusals import Refusal
from habilitations.choices import State
from habilitations.delegation import actions as delegation
from habilitations.delegation import queries as delegation_queries
from habilitations.delegation.many import designate_many
from habilitations.delegation.queries import delegation_on, held_on, managed_delegations
from habilitations.delegation.rules import Designation
from habilitations.portfolio.queries import dossiers_by_identifier
from habilitations.rights.queries import administered_company_ids

router = Router(auth=SubscriberToken(Scope.DELEGATIONS_WRITE))


def _subscriber(number: str) -> Subscriber:
    holder = designatable_subscriber(number)
    if holder is None:
        raise problems.problem("api.unknown_subscriber")
    return holder


@router.get(
    "/dossiers/{siren}/delegations",
    response=list[HabilitationOut],
    summary="Les délégations que vous gérez sur ce dossier",
)
def delegations(request, siren: str):
    company, rights = dossier_or_404(request, siren)
    if not rights.may_delegate() and not rights.may_manage_deputies():
        if rights.designation_withheld():
            raise problems.problem("company.strong_factor_required")
        raise problems.problem("api.forbidden")
    mine = managed_delegations(subscriber_of(request), company, rights)
    return [habilitation_out(h) for h in mine]


@router.post(
    "/dossiers/{siren}/delegations",
    response={201: list[HabilitationOut]},
    summary="Désigner un délégataire (ou un administrateur suppléant)",
)
def designate(request, siren: str, body: DelegationIn):
    company, _ = dossier_or_404(request, siren)
    holder = _subscriber(body.subscriber_number)
    designations = [Designation(d.code, ROLE_OF_NAME[d.role]) for d in body.designations]
    delegation.designate(subscriber_of(request), company, holder, designations)
    return Status(201, [habilitation_out(h) for h in held_on(company, holder)])


def _on_company(request, siren: str, delegation_id: int):
    company, _ = dossier_or_404(request, siren)
    if delegation_on(company, delegation_id) is None:
        raise problems.problem("api.not_found")
    return company


@router.patch(
    "/dossiers/{siren}/delegations/{delegation_id}",
    response=HabilitationOut,
    summary="Mettre en veille ou réactiver une délégation",
)
def set_state(request, siren: str, delegation_id: int, body: DelegationStateIn):
    company = _on_company(request, siren, delegation_id)
    delegation.set_delegation_state(subscriber_of(request), delegation_id, State(body.state))
    h = delegation_on(company, delegation_id)
    return habilitation_out(h)


@router.delete(
    "/dossiers/{siren}/delegations/{delegation_id}",
    response={204: None},
    summary="Supprimer une délégation",
)
def revoke(request, siren: str, delegation_id: int):
    _on_company(request, siren, delegation_id)
    delegation.revoke(subscriber_of(request), delegation_id)
    return Status(204, None)


@router.post(
    "/delegates/{subscriber_number}/withdraw-all",
    response=WithdrawAllOut,
    summary="Retirer toutes les délégations d'un collaborateur",
)
def withdraw_all(request, subscriber_number: str):
    me = subscriber_of(request)
    # As the page: only for those who administer a company, and an unknown number looks like
    # a stranger (nothing of theirs this caller may withdraw).
    if not administered_company_ids(me).exists():
        raise problems.problem("api.not_found")
    holder = subscriber_by_number(subscriber_number)
    if holder is None or not delegation_queries.withdrawable(me, holder):
        raise problems.problem("api.not_found")
    return {"removed": delegation.withdraw_all(me, holder)}


@router.post(
    "/delegations/bulk",
    response=BulkDelegationOut,
    summary="Déléguer un niveau sur plusieurs dossiers (une transaction)",
)
def bulk(request, body: BulkDelegationIn):
    me = subscriber_of(request)
    holder = _subscriber(body.subscriber_number)
    sirens = list(dict.fromkeys(body.sirens))
    companies = dossiers_by_identifier(me, sirens)
    plan = designate_many(me, holder, ROLE_OF_NAME[body.role], body.codes, companies)
    granted = {h.company_id for h in plan.granted}
    refused = {c.pk: why for c, why in plan.refused}
    by_siren = {c.identifier: c for c in companies}
    items = []
    for siren in sirens:
        company = by_siren.get(siren)
        if company is None:
            detail = Refusal("api.not_found")
            items.append(
                {
                    "siren": siren,
                    "outcome": "refused",
                    "code": detail.code,
                    "detail": detail.message,
                }
            )
        elif company.pk in refused:
            items.append(
                {
                    "siren": siren,
                    "outcome": "refused",
                    "code": plan.refused_codes.get(company.pk),
                    "detail": refused[company.pk],
                }
            )
        else:
            items.append(
                {"siren": siren, "outcome": "granted" if company.pk in granted else "unchanged"}
            )
    return {"granted": len(plan.granted), "items": items}
