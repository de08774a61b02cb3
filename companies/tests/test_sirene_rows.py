"""The rows of INSEE's SIRENE stock files, one at a time: what makes a company or is refused,
the fiscal address's words (companies/sirene.py), and a batch's rows written
(companies/sirene_import.py). The command on the sample files is test_import_sirene.py."""

import pytest

from companies.models import Company
from companies.sirene import (
    ESTABLISHMENT_COLUMNS,
    INVALID_SIREN,
    NAME_NOT_DIFFUSED,
    NO_NAME,
    UNIT_COLUMNS,
    UNKNOWN_STATE,
    RowRefused,
    city,
    street_line,
    unit_record,
)
from companies.sirene_import import DUPLICATE_SIREN, import_establishments, import_units

pytestmark = pytest.mark.django_db

DUPONT = "987651023"  # a valid SIREN (a sole trader of the sample files)


def unit_rows(*rows: dict) -> list[tuple[int, dict | None]]:
    blank = dict.fromkeys(UNIT_COLUMNS, "")
    return [(line, None if row is None else blank | row) for line, row in enumerate(rows, 2)]


def test_a_siren_twice_in_a_batch_keeps_the_last_row():
    valid = {"etatAdministratifUniteLegale": "A", "siren": DUPONT}
    report = import_units(
        unit_rows(valid | {"nomUniteLegale": "ANCIEN"}, valid | {"nomUniteLegale": "NOUVEAU"})
    )
    assert Company.objects.get(identifier=DUPONT).name == "NOUVEAU"
    assert report.refused.examples == {DUPLICATE_SIREN: [(2, DUPONT)]}
    assert report.created == 1


def test_a_value_too_long_for_the_registry_is_refused_not_fatal():
    address = dict.fromkeys(ESTABLISHMENT_COLUMNS, "") | {
        "siren": DUPONT,
        "etablissementSiege": "true",
        "libelleCommuneEtablissement": "X" * 101,
    }
    Company.objects.create(identifier=DUPONT, name="JEAN DUPONT")
    report = import_establishments([(2, address)])
    assert dict(report.refused.counts) == {
        "Valeur trop longue pour « Commune » (au plus 100 caractères)": 1
    }


@pytest.mark.parametrize(
    ("row", "reason"),
    [
        ({"siren": "P12345678", "denominationUniteLegale": "IDSP"}, INVALID_SIREN),
        ({"siren": DUPONT, "denominationUniteLegale": "X"}, UNKNOWN_STATE),
        (
            {"siren": DUPONT, "etatAdministratifUniteLegale": "A", "prenom1UniteLegale": "JEAN"},
            NO_NAME,
        ),
        (
            {"siren": DUPONT, "etatAdministratifUniteLegale": "A", "nomUsageUniteLegale": "[ND]"},
            NAME_NOT_DIFFUSED,
        ),
    ],
)
def test_rows_that_cannot_make_a_company_are_refused(row, reason):
    with pytest.raises(RowRefused) as refusal:
        unit_record(dict.fromkeys(UNIT_COLUMNS, "") | row)
    assert refusal.value.reason == reason


@pytest.mark.parametrize(
    ("values", "expected"),
    [
        (
            {
                "numeroVoieEtablissement": "12",
                "indiceRepetitionEtablissement": "B",
                "typeVoieEtablissement": "RUE",
                "libelleVoieEtablissement": "DES LILAS",
            },
            "12 B RUE DES LILAS",
        ),
        (
            {
                "numeroVoieEtablissement": "3",
                "typeVoieEtablissement": "av",
                "libelleVoieEtablissement": "FOCH",
            },
            "3 AVENUE FOCH",
        ),
        (
            {
                "indiceRepetitionEtablissement": "B",
                "typeVoieEtablissement": "RUE",
                "libelleVoieEtablissement": "DES LILAS",
            },
            "RUE DES LILAS",
        ),
        (
            {"typeVoieEtablissement": "RPT", "libelleVoieEtablissement": "DE L'EUROPE"},
            "ROND-POINT DE L'EUROPE",
        ),
        (
            {
                "numeroVoieEtablissement": "[ND]",
                "typeVoieEtablissement": "[ND]",
                "libelleVoieEtablissement": "[ND]",
            },
            "",
        ),
        (
            {
                "complementAdresseEtablissement": " RESIDENCE  LES PINS ",
                "libelleVoieEtablissement": "LE BOURG",
            },
            "RESIDENCE LES PINS, LE BOURG",
        ),
    ],
)
def test_the_street_line_expands_insee_street_types(values, expected):
    assert street_line(dict.fromkeys(ESTABLISHMENT_COLUMNS, "") | values) == expected


def test_a_foreign_city_names_its_country():
    row = dict.fromkeys(ESTABLISHMENT_COLUMNS, "") | {
        "libelleCommuneEtablissement": "",
        "libelleCommuneEtrangerEtablissement": "GENEVE",
        "libellePaysEtrangerEtablissement": "SUISSE",
    }
    assert city(row) == "GENEVE, SUISSE"
