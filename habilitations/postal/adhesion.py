"""Adhesion (docs/habilitations.md §7): asking to become the AT of services of
a company that nobody manages yet. The code of the letter activates what is still free then."""

from collections.abc import Callable

from django.db import transaction

from companies.bank import BankDetails, has_active_account
from companies.models import Company
from core.refusals import Refusal
from habilitations.catalogue import MESSAGERIE, PAYER, label
from habilitations.models import PostalRequest, RequestKind
from habilitations.postal import actions as postal
from habilitations.postal import letters as postal_letters


def needs_bank_account(company: Company, services) -> bool:
    """A Payer service needs an account, unless an active one is known
    (docs/habilitations.md §7)."""
    return PAYER in services and not has_active_account(company)


def adhesion_problems(
    subscriber,
    company: Company,
    services: list[str],
    *,
    company_email: str = "",
    bank: BankDetails | None = None,
) -> list[Refusal]:
    """Every reason to refuse this adhesion, not only the first (docs/habilitations.md §7):
    a form shows them all at once. Empty when it may be recorded."""
    services, refused = postal.services_asked(services)
    if refused:
        return [refused]
    problems = []
    titulars = postal.titulars(company)
    for service in services:
        if service not in titulars:
            continue
        if titulars[service] == subscriber:
            problems.append(
                Refusal("postal.already_yours", field="services", service=label(service))
            )
        else:
            problems.append(
                Refusal("adhesion.already_managed", field="services", service=label(service))
            )
    if MESSAGERIE in services and not company_email:
        problems.append(Refusal("adhesion.email_needed", field="company_email"))
    if needs_bank_account(company, services) and bank is None:
        problems.append(Refusal("adhesion.bank_needed", field="iban"))
    return problems


def submit_adhesion(
    subscriber,
    company: Company,
    services: list[str],
    *,
    company_email: str = "",
    general_information: bool = False,
    bank: BankDetails | None = None,
    link_for: Callable[[int, str], str],
) -> PostalRequest:
    """Record an adhesion request; the link to the company e-mail (Messagerie) or the letter
    goes out in the same transaction. Refused with the first of `adhesion_problems`."""
    services = list(dict.fromkeys(services))
    problems = adhesion_problems(
        subscriber, company, services, company_email=company_email, bank=bank
    )
    if problems:
        raise problems[0]
    if not needs_bank_account(company, services):
        bank = None  # an active account is known (or no Payer): it is used, none is asked
    with (
        postal.refusals_audited(RequestKind.ADHESION, company.identifier, subscriber),
        transaction.atomic(),
    ):
        req, new = postal.create(
            RequestKind.ADHESION,
            company,
            services,
            requester=subscriber,
            company_email=company_email if MESSAGERIE in services else "",
            general_information=general_information,
            bank=bank,
        )
        if new:  # else the same request sent again: answered with the first (§6.8)
            postal_letters.start(req, link_for)
    return req
