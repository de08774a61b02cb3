"""Bank accounts managed from the space (docs/companies.md §4.3, §4.6): the rules of
`companies.bank`, plus who is told. When anyone other than the AT of *Payer* adds an account
or makes one active, that AT receives an e-mail in the same transaction, naming the account
(its IBAN masked) and who did it."""

from django.db import transaction

from companies import bank
from companies.models import BankAccount, Company
from correspondence.mail import send_email
from habilitations.catalogue import PAYER
from habilitations.models import Habilitation, Role


def payer_titular(company: Company):
    """The AT of Payer for the company, or None."""
    row = (
        Habilitation.objects.filter(company=company, service=PAYER, role=Role.TITULAR_ADMIN)
        .select_related("subscriber")
        .first()
    )
    return row.subscriber if row is not None else None


def tell_payer_titular(account: BankAccount, *, added: bool, by) -> None:
    """E-mail the AT of Payer about an account added or made active by someone else
    (docs/companies.md §4.6). Nobody to tell when the AT did it or there is no AT."""
    titular = payer_titular(account.company)
    if titular is None or by is None or titular.pk == by.pk:
        return
    send_email(
        "bank_account_changed",
        titular.email,
        {
            "titular": titular,
            "company": account.company,
            "added": added,
            "iban": bank.masked_iban(account.iban),
            "holder": account.holder,
            "when": account.changed_at,
            "by": by,
        },
    )


@transaction.atomic
def add_account(company: Company, details: bank.BankDetails, *, label: str = "", by) -> BankAccount:
    """*Gérer les comptes bancaires de l'entreprise*: add an account (companies.bank's rules),
    the AT of Payer told if someone else did it."""
    account = bank.add_account(company, details, label=label, by=by)
    tell_payer_titular(account, added=True, by=by)
    return account


@transaction.atomic
def set_active(account: BankAccount, active: bool, *, by) -> BankAccount:
    """Make an account active or inactive; the AT of Payer is told of an activation by
    someone else (a deactivation stops payments from it, it opens no way for money to go)."""
    was_active = account.is_active
    account = bank.set_active(account, active, by=by)
    if active and not was_active:
        tell_payer_titular(account, added=False, by=by)
    return account
