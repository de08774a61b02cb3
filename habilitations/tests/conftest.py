import pytest
from stdnum import luhn

from accounts.tests.factories import SubscriberFactory
from companies.models import Company


def make_company(n: int, name: str | None = None) -> Company:
    base = f"{40000000 + n:08d}"
    return Company.objects.create(
        identifier=base + luhn.calc_check_digit(base), name=name or f"SOCIETE {n:05d}"
    )


@pytest.fixture
def company(db) -> Company:
    return make_company(1, "SARL MARIANNE")


@pytest.fixture
def alice(db):
    return SubscriberFactory(first_name="Alice", last_name="Titulaire")


@pytest.fixture
def bob(db):
    return SubscriberFactory(first_name="Bob", last_name="Suppleant")


@pytest.fixture
def carol(db):
    return SubscriberFactory(first_name="Carol", last_name="Actrice")
