"""An IDSP becomes a SIREN (docs/backoffice.md §6): the entity is now in the registry. The
company keeps its row, so its habilitations, requests, bank accounts and e-mail follow; the
portfolios' copies of its identifier are carried along in the same transaction."""

from django.db import transaction

from audit.models import Action
from audit.trail import record
from companies.identifiers import normalize_company_identifier
from companies.models import BankAccount, Company, CompanyEmail
from companies.provisional import is_idsp
from core.refusals import Refusal
from habilitations.models import Habilitation, PortfolioEntry, PostalRequest

REGISTRY_FIELDS = ("name", "legal_category", "is_active", "head_office_nic")


def _holds_anything(company: Company) -> bool:
    return any(
        model.objects.filter(company=company).exists()
        for model in (Habilitation, PostalRequest, BankAccount, CompanyEmail, PortfolioEntry)
    )


@transaction.atomic
def convert_idsp(company: Company, raw_siren: str) -> Company:
    """Give the company with an IDSP its SIREN. A registry row already under that SIREN (an
    import came first) lends its registry data and goes, unless something hangs on it."""
    siren = normalize_company_identifier(raw_siren)
    if is_idsp(siren):
        raise Refusal("company.invalid_identifier", field="siren")
    company = Company.objects.select_for_update().get(pk=company.pk)
    if not is_idsp(company.identifier):
        raise Refusal("company.not_idsp")
    registered = Company.objects.select_for_update().filter(identifier=siren).first()
    if registered is not None:
        if _holds_anything(registered):
            raise Refusal("company.siren_in_use", field="siren")
        for field in REGISTRY_FIELDS:
            setattr(company, field, getattr(registered, field))
        if registered.street_line or registered.city:
            company.street_line = registered.street_line
            company.postal_code = registered.postal_code
            company.city = registered.city
            company.country = ""
        registered.delete()
    previous = company.identifier
    company.previous_identifier = previous
    company.identifier = siren
    company.save()
    PortfolioEntry.objects.filter(company=company).update(
        identifier=siren, name=company.name, search_name=company.search_name
    )
    record(Action.IDSP_CONVERTED, target=siren, previous_identifier=previous)
    return company
