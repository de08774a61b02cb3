import pytest

from companies.models import Company
from demo.demo import COMPANIES
from messaging.offices import (
    DEFAULT_OFFICE,
    DEPARTEMENTS,
    OFFICES_BY_CODE,
    departement_of,
    office_for,
)


@pytest.mark.parametrize(
    ("postal_code", "departement"),
    [
        ("33000", "33"),
        ("75011", "75"),
        ("01000", "01"),
        ("20000", "2A"),
        ("20167", "2A"),
        ("20200", "2B"),
        ("20600", "2B"),
        ("97400", "974"),
        ("97200", "972"),
        (" 44 000", "44"),
        ("", None),
        ("B-1000", None),
        ("1234", None),
    ],
)
def test_departement_of_a_postal_code(postal_code, departement):
    assert departement_of(postal_code) == departement


def test_every_departement_maps_to_a_listed_office():
    assert set(DEPARTEMENTS.values()) <= set(OFFICES_BY_CODE)
    assert DEFAULT_OFFICE in OFFICES_BY_CODE


def test_the_demo_companies_map_to_their_region_s_office():
    offices = {
        name: office_for(Company(postal_code=postal_code)).code
        for _, name, _, _, postal_code, _ in COMPANIES
    }
    assert offices["SARL MARTIN DISTRIBUTION"] == "SIE-BORDEAUX"
    assert offices["SARL MARIANNE"] == "SIE-LYON"
    assert offices["SARL SIMONET"] == "SIE-NANTES"
    assert offices["SAS LES JARDINS DE PROVENCE"] == "SIE-MARSEILLE"
    assert offices["SARLALERIS"] == "SIE-PARIS"


def test_corsica_overseas_and_unknown_addresses():
    assert office_for(Company(postal_code="20090")).code == "SIE-AJACCIO"
    assert office_for(Company(postal_code="20200")).code == "SIE-AJACCIO"
    assert office_for(Company(postal_code="97100")).code == "SIE-OUTRE-MER"
    assert office_for(Company(postal_code="")).code == DEFAULT_OFFICE
    assert office_for(Company(postal_code="88000")).code == DEFAULT_OFFICE
