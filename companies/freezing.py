"""A company frozen by an agent (docs/backoffice.md §7): none of its habilitations can change
and no letter for it goes out, until it is unfrozen. `is_frozen` is the predicate every flow
asks (habilitations' `changes` and postal letters check it under the company's lock)."""

from collections.abc import Iterable

from django.db import transaction

from audit.models import Action
from audit.trail import record
from companies.models import Company
from core import clock
from core.refusals import Refusal
from correspondence.mail import send_email


def is_frozen(company: Company) -> bool:
    return company.frozen_at is not None


def ensure_not_frozen(company: Company) -> None:
    """Refuse (`company.frozen`) a change of a frozen company; call it on the locked row."""
    if company.frozen_at is not None:
        raise Refusal("company.frozen")


def _locked(company: Company) -> Company:
    return Company.objects.select_for_update().get(pk=company.pk)


def _tell(template: str, company: Company, addresses: Iterable[str]) -> None:
    for address in sorted(set(addresses)):
        send_email(template, address, {"company": company})


@transaction.atomic
def freeze(company: Company, *, tell: Iterable[str] = ()) -> Company:
    """Freeze at once; the addresses in `tell` (the company's and its administrators') are told."""
    company = _locked(company)
    if company.frozen_at is not None:
        raise Refusal("company.already_frozen")
    company.frozen_at = clock.now()
    company.save(update_fields=["frozen_at"])
    record(Action.COMPANY_FROZEN, target=company.identifier)
    _tell("company_frozen", company, tell)
    return company


@transaction.atomic
def unfreeze(company: Company, *, tell: Iterable[str] = ()) -> Company:
    company = _locked(company)
    if company.frozen_at is None:
        raise Refusal("company.not_frozen")
    company.frozen_at = None
    company.save(update_fields=["frozen_at"])
    record(Action.COMPANY_UNFROZEN, target=company.identifier)
    _tell("company_unfrozen", company, tell)
    return company
