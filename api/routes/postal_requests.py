"""Postal requests (docs/habilitations.md §7, §8), through `habilitations.flows` as the pages:
an adhesion or a substitution, the list with states, withdrawal, activation with the letter's
code."""

from typing import TYPE_CHECKING

from ninja import Router, Status

from api import problems
from api.auth import SubscriberToken, subscriber_of
from api.models import Scope
from api.schemas import ActivationIn, DemandeIn, DemandeOut
from companies.bank import BankDetails
from companies.lookup import company_by_identifier
from core import clock
from core.links import token_link
from habilitations.choices import RequestKind
from habilitations.postal import actions as postal
from habilitations.postal.activation import activate_services
from habilitations.postal.adhesion import submit_adhesion
from habilitations.postal.queries import postal_request, requests_of
from habilitations.postal.substitution import submit_substitution

if TYPE_CHECKING:
    from habilitations.models import PostalRequest

router = Router(auth=SubscriberToken(Scope.POSTAL_REQUESTS_WRITE))


def demande_out(req: "PostalRequest") -> dict:
    state = req.status(clock.now())
    return {
        "id": req.pk,
        "kind": req.kind,
        "siren": req.company.identifier,
        "company_name": req.company.name,
        "services": req.services,
        "state": state.value,
        "state_label": state.label,
        "created_at": req.created_at,
        "code_expires_at": req.code_expires_at,
        "granted": req.granted,
        "not_granted": req.not_granted,
    }


def _own(request, demande_id: int) -> "PostalRequest":
    req = postal_request(demande_id)
    if req is None or req.requester_id != subscriber_of(request).pk:
        raise problems.problem("postal.unknown_request")
    return req


@router.get("/demandes", response=list[DemandeOut], summary="Vos demandes et leur état")
def demandes(request):
    return [demande_out(req) for req in requests_of(subscriber_of(request))[:500]]


@router.post(
    "/demandes", response={201: DemandeOut}, summary="Demander une adhésion ou une substitution"
)
def create(request, body: DemandeIn):
    company = company_by_identifier(body.siren)
    if company is None:
        raise problems.problem("company.unknown")
    me = subscriber_of(request)
    if body.kind == RequestKind.ADHESION:
        bank = (
            BankDetails.parse(body.bank.iban, body.bank.bic, body.bank.holder)
            if body.bank
            else None
        )
        req = submit_adhesion(
            me,
            company,
            body.services,
            company_email=body.company_email.strip(),
            general_information=body.general_information,
            bank=bank,
            link_for=token_link("postal_requests:company_email_link"),
        )
    else:
        req = submit_substitution(me, company, body.services)
    return Status(201, demande_out(req))


@router.get("/demandes/{demande_id}", response=DemandeOut, summary="Une demande")
def demande(request, demande_id: int):
    return demande_out(_own(request, demande_id))


@router.post(
    "/demandes/{demande_id}/withdraw", response=DemandeOut, summary="Supprimer une demande en cours"
)
def withdraw(request, demande_id: int):
    _own(request, demande_id)
    return demande_out(postal.withdraw(demande_id, subscriber_of(request)))


@router.post(
    "/demandes/{demande_id}/activate",
    response=DemandeOut,
    summary="Activer les services avec le code du courrier",
)
def activate(request, demande_id: int, body: ActivationIn):
    # A wrong code is counted in the flow's own transaction, then refused: the refusal becomes
    # the answer (`api.main`), the count is kept.
    req = activate_services(subscriber_of(request), demande_id, body.code)
    return demande_out(req)
