"""Shared fixtures: small builders, no world built before every test."""

from datetime import UTC, datetime

import pytest

from accounts.flows.registration import RegistrationData
from companies.models import Company

# A fixed, named instant for tests that move the clock.
CURRENT_TIME = datetime(2026, 3, 2, 9, 30, tzinfo=UTC)
STRONG_PASSWORD = "Trois pommes vertes sur la table du jardin"


@pytest.fixture
def company(db) -> Company:
    return Company.objects.create(
        identifier="987654324",
        name="SARLALERIS",
        street_line="12 RUE DES LILAS",
        postal_code="75011",
        city="PARIS",
    )


@pytest.fixture
def registration(company) -> RegistrationData:
    return RegistrationData(
        email="lila.rosemonde@example.fr",
        password=STRONG_PASSWORD,
        civility="MME",
        last_name="Rosemonde",
        first_name="Lila",
        foreign_company=False,
        company_identifier=company.identifier,
        company_name=company.name,
        phone="01 24 57 88 77",
        street_number="",
        street_type="",
        street_name="",
        address_complement="",
        postal_code="",
        city="PARIS",
        country="FRANCE",
        trust_question="animal",
        trust_answer="Lili",
    )
