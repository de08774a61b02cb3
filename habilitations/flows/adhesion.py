"""Adhesion (docs/habilitations.md §7; seed 001 §3.2, §4.1): asking to become the AT of services of
a company
that nobody manages yet. The code of the letter activates what is still free then."""

from collections.abc import Callable

from django.db import transaction
from django.http import HttpRequest

from companies.bank import BankDetails, has_active_account
from companies.models import Company
from habilitations.catalogue import MESSAGERIE, PAYER, SERVICES_BY_CODE, label
from habilitations.flows import postal
from habilitations.flows.postal import RequestRefused
from habilitations.models import PostalRequest, RequestKind

NO_SERVICE = "Cochez au moins un service."
ALREADY_MANAGED = (
    "Le service « {service} » est déjà géré pour cette entreprise : l'adhésion n'est possible "
    "que pour un service qu'aucun autre abonné ne gère. Pour le reprendre, faites une demande "
    "de substitution (remplacer le titulaire) ; pour le partager, demandez au titulaire de vous "
    "déléguer ses droits."
)
ALREADY_YOURS = "Vous êtes déjà administrateur titulaire du service « {service} »."
EMAIL_NEEDED = (
    "Le service Messagerie demande l'adresse électronique de l'entreprise : saisissez-la."
)
BANK_NEEDED = (
    "Un service Payer demande un compte bancaire, aucun compte actif n'étant connu pour cette "
    "entreprise : saisissez l'IBAN, le BIC et le titulaire du compte."
)


def needs_bank_account(company: Company, services) -> bool:
    """A Payer service needs an account, unless an active one is known (docs/habilitations.md
    §7)."""
    return PAYER in services and not has_active_account(company)


def submit_adhesion(
    subscriber,
    company: Company,
    services: list[str],
    *,
    company_email: str = "",
    general_information: bool = False,
    bank: BankDetails | None = None,
    link_for: Callable[[int, str], str],
    request: HttpRequest | None = None,
) -> PostalRequest:
    """Record an adhesion request; the link to the company e-mail (Messagerie) or the letter
    goes out in the same transaction."""
    services = list(dict.fromkeys(services))
    if not services:
        raise RequestRefused(NO_SERVICE, "services")
    unknown = [s for s in services if s not in SERVICES_BY_CODE]
    if unknown:
        raise RequestRefused(f"Service inconnu : {unknown[0]}.", "services")
    titulars = postal.titulars(company)
    for service in services:
        if service in titulars:
            message = ALREADY_YOURS if titulars[service] == subscriber else ALREADY_MANAGED
            raise RequestRefused(message.format(service=label(service)), "services")
    if MESSAGERIE in services and not company_email:
        raise RequestRefused(EMAIL_NEEDED, "company_email")
    if needs_bank_account(company, services):
        if bank is None:
            raise RequestRefused(BANK_NEEDED, "iban")
    else:
        bank = None  # an active account is known (or no Payer): it is used, none is asked
    with transaction.atomic():
        req = postal.create(
            RequestKind.ADHESION,
            company,
            services,
            requester=subscriber,
            company_email=company_email if MESSAGERIE in services else "",
            general_information=general_information,
            bank=bank,
            request=request,
        )
        postal.start(req, link_for)
    return req
