"""IDSP issue (docs/companies.md §1.3, docs/backoffice.md §6)."""

import pytest

from companies.identifiers import normalize_company_identifier
from companies.provisional import Entity, issue_idsp
from core.refusals import Refusal

pytestmark = pytest.mark.django_db


def test_an_idsp_is_p_and_8_digits_and_accepted_wherever_a_siren_is():
    company = issue_idsp(Entity("Studio Nord AS", "Storgata 1", "0155", "Oslo", "Norvège"))
    assert normalize_company_identifier(company.identifier) == company.identifier
    assert company.identifier[0] == "P" and company.identifier[1:].isdigit()
    assert company.fiscal_address.endswith("NORVÈGE")


def test_an_entity_needs_a_name_and_a_city():
    with pytest.raises(Refusal) as refused:
        issue_idsp(Entity(" ", "", "", "Oslo", "Norvège"))
    assert refused.value.field == "name"
