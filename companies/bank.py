"""The company's bank accounts (docs/companies.md §4, docs/habilitations.md §7, §2): IBAN and BIC of
a SEPA country, used only to pay taxes. Managed by the AT/AS of a Payer service; the views check
that right."""

from dataclasses import dataclass

from django.db import IntegrityError, transaction
from stdnum import bic as stdnum_bic
from stdnum import iban as stdnum_iban
from stdnum.exceptions import ValidationError as StdnumError

from audit.models import Action
from audit.trail import record
from companies.models import BankAccount, Company
from core import clock
from core.refusals import Refusal

# The countries and territories of the SEPA schemes (European Payments Council, list of
# 2025): the 27 EU states, the EEA (IS, LI, NO), CH, GB, the micro-states (AD, MC, SM, VA),
# the newest members (AL, MD, ME, MK), and territories whose banks have a country code of
# their own in a BIC (French overseas departments and collectivities of the SEPA area,
# Gibraltar, the Crown dependencies, Åland). The one list of SEPA countries in the code.
SEPA_COUNTRIES = frozenset(
    {
        # European Union
        *("AT", "BE", "BG", "CY", "CZ", "DE", "DK", "EE", "ES", "FI", "FR", "GR", "HR", "HU"),
        *("IE", "IT", "LT", "LU", "LV", "MT", "NL", "PL", "PT", "RO", "SE", "SI", "SK"),
        # European Economic Area, Switzerland, United Kingdom, micro-states
        *("IS", "LI", "NO", "CH", "GB", "AD", "MC", "SM", "VA"),
        # Joined the SEPA schemes in 2024-2025
        *("AL", "MD", "ME", "MK"),
        # Territories
        *("GF", "GP", "MQ", "RE", "YT", "PM", "BL", "MF", "GI", "GG", "JE", "IM", "AX"),
    }
)


@dataclass(frozen=True)
class BankDetails:
    iban: str
    bic: str
    holder: str

    @classmethod
    def parse(cls, iban: str, bic: str, holder: str) -> "BankDetails":
        """IBAN and BIC checked with python-stdnum, both of a SEPA country
        (docs/companies.md §1)."""
        return cls(iban=clean_iban(iban), bic=clean_bic(bic), holder=clean_holder(holder))

    def as_dict(self) -> dict:
        return {"iban": self.iban, "bic": self.bic, "holder": self.holder}


def clean_iban(value: str) -> str:
    try:
        iban = stdnum_iban.validate(value or "")
    except StdnumError as exc:
        raise Refusal("bank.invalid_iban", field="iban") from exc
    if iban[:2] not in SEPA_COUNTRIES:
        raise Refusal("bank.not_sepa_iban", field="iban", country=iban[:2])
    return iban


def clean_bic(value: str) -> str:
    try:
        bic = stdnum_bic.validate(value or "")
    except StdnumError as exc:
        raise Refusal("bank.invalid_bic", field="bic") from exc
    if bic[4:6] not in SEPA_COUNTRIES:
        raise Refusal("bank.not_sepa_bic", field="bic", country=bic[4:6])
    return bic


def clean_holder(value: str) -> str:
    holder = " ".join((value or "").split())
    if not holder:
        raise Refusal("bank.holder_missing", field="holder")
    return holder


def masked_iban(iban: str) -> str:
    """An IBAN as an e-mail prints it (docs/companies.md §4.6): every character but the last 4
    hidden, in groups of four counted from the end (`*** **** … **** 0189`)."""
    masked = "*" * (len(iban) - 4) + iban[-4:]
    head = len(masked) % 4
    groups = [masked[:head]] if head else []
    groups += [masked[i : i + 4] for i in range(head, len(masked), 4)]
    return " ".join(groups)


def has_active_account(company: Company) -> bool:
    """An active account known for the company spares an adhesion to Payer from giving one
    (docs/habilitations.md §7)."""
    return BankAccount.objects.filter(company=company, is_active=True).exists()


@transaction.atomic
def add_account(
    company: Company,
    details: BankDetails,
    *,
    label: str = "",
    by=None,
) -> BankAccount:
    """Record a new account for the company; an IBAN already known is refused."""
    now = clock.now()
    try:
        with transaction.atomic():
            account = BankAccount.objects.create(
                company=company,
                iban=details.iban,
                bic=details.bic,
                holder=details.holder,
                label=" ".join(label.split()),
                added_at=now,
                added_by=by,
                changed_at=now,
            )
    except IntegrityError as exc:
        raise Refusal("bank.already_known", field="iban") from exc
    record(
        Action.BANK_ACCOUNT_ADDED,
        actor=by,
        target=company.identifier,
        account=account.pk,
        iban_end=details.iban[-4:],
    )
    return account


@transaction.atomic
def attach_from_request(company: Company, details: BankDetails, *, by=None) -> None:
    """The account given with an adhesion, once its Payer service is granted: added, or made
    active again if the company already knew it."""
    existing = BankAccount.objects.filter(company=company, iban=details.iban).first()
    if existing is None:
        add_account(company, details, label="Compte donné lors de l'adhésion", by=by)
    elif not existing.is_active:
        set_active(existing, True, by=by)


@transaction.atomic
def set_active(account: BankAccount, active: bool, *, by=None) -> BankAccount:
    """Mark an account active or inactive (*Gérer les comptes bancaires de l'entreprise*)."""
    if account.is_active == active:
        return account
    account.is_active = active
    account.changed_at = clock.now()
    account.save(update_fields=["is_active", "changed_at"])
    record(
        Action.BANK_ACCOUNT_ACTIVATED if active else Action.BANK_ACCOUNT_DEACTIVATED,
        actor=by,
        target=account.company.identifier,
        account=account.pk,
        iban_end=account.iban[-4:],
    )
    return account
