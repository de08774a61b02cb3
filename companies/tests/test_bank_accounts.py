"""Bank accounts (docs/companies.md §4, docs/habilitations.md §2): IBAN/BIC of a
SEPA country, managed by the AT/AS of Payer only, active or inactive, for paying taxes only."""

import pytest

from audit.models import Action, AuditEvent
from companies.bank import (
    SEPA_COUNTRIES,
    BankDetails,
    add_account,
    has_active_account,
    set_active,
)
from core.refusals import Refusal

pytestmark = pytest.mark.django_db


IBAN = "FR7630006000011234567890189"


@pytest.mark.parametrize(
    ("iban", "bic"),
    [
        ("fr76 3000 6000 0112 3456 7890 189", "bnpafrpp"),
        ("DE89370400440532013000", "COBADEFFXXX"),
        ("CH9300762011623852957", "UBSWCHZH80A"),  # SEPA, not EU
        ("GB29NWBK60161331926819", "NWBKGB2L"),
    ],
)
def test_sepa_accounts_are_accepted_in_any_layout(iban, bic):
    details = BankDetails.parse(iban, bic, "  SARL   MARIANNE ")
    assert details.iban == iban.replace(" ", "").upper()
    assert details.bic == bic.upper()
    assert details.holder == "SARL MARIANNE"


@pytest.mark.parametrize(
    ("iban", "bic", "field", "message"),
    [
        ("FR7630006000011234567890188", "BNPAFRPP", "iban", "IBAN invalide"),
        ("FR76", "BNPAFRPP", "iban", "IBAN invalide"),
        ("TR330006100519786457841326", "BNPAFRPP", "iban", "zone SEPA"),
        (IBAN, "BNP", "bic", "BIC invalide"),
        (IBAN, "CITIUS33", "bic", "zone SEPA"),
    ],
)
def test_invalid_or_non_sepa_details_are_refused(iban, bic, field, message):
    with pytest.raises(Refusal, match=message) as refused:
        BankDetails.parse(iban, bic, "SARL MARIANNE")
    assert refused.value.field == field


def test_the_sepa_list_holds_the_eea_and_its_neighbours():
    assert {"FR", "DE", "IS", "NO", "LI", "CH", "GB", "MC", "SM", "VA", "AD"} <= SEPA_COUNTRIES
    assert not {"US", "TR", "CN"} & SEPA_COUNTRIES


def test_an_iban_is_known_once_per_company(company):
    add_account(company, BankDetails.parse(IBAN, "BNPAFRPP", "A"))
    with pytest.raises(Refusal, match="déjà enregistré"):
        add_account(company, BankDetails.parse(IBAN, "BNPAFRPP", "B"))


def test_active_and_inactive(company):
    account = add_account(company, BankDetails.parse(IBAN, "BNPAFRPP", "A"))
    assert has_active_account(company)
    set_active(account, False)
    assert not has_active_account(company)
    assert AuditEvent.objects.filter(action=Action.BANK_ACCOUNT_DEACTIVATED).count() == 1
