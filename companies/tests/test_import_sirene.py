import csv
import io
import zipfile
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command

from companies.models import Company
from companies.sirene import (
    ESTABLISHMENT_COLUMNS,
    ESTABLISHMENTS_LABEL,
    INVALID_SIREN,
    NAME_NOT_DIFFUSED,
    NO_NAME,
    UNIT_COLUMNS,
    UNITS_LABEL,
    WRONG_WIDTH,
    StockReader,
)
from companies.sirene_import import (
    OTHER_HEAD_OFFICE,
    UNKNOWN_COMPANY,
    import_establishments,
    import_units,
)

pytestmark = pytest.mark.django_db

DATA = Path(__file__).resolve().parents[2] / "tests" / "data" / "sirene"
UNITS = DATA / "StockUniteLegale_sample.csv"
ESTABLISHMENTS = DATA / "StockEtablissement_sample.csv"

BOULANGERIE = "987651015"  # a company with a denomination, and a secondary establishment
DUPONT = "987651023"  # sole trader: usual first name and last name
LEFEVRE = "987651031"  # sole trader: usual first name and married name, accents
GARCON = "987651049"  # sole trader without a usual first name
MENUISERIE = "987651056"  # ceased
LONDON = "987651080"  # head office abroad
ASSOCIATION = "987651098"  # address complement
CHARTRONS = "987651106"  # QUAI
SCIERIE = "987651114"  # an address complement and no street
MARTIN_FILS = "987651122"  # no establishment in the file
MOULIN = "987651130"  # a street type INSEE's table does not have
DEMENAGE = "987651148"  # the file's head office is not the unit's head office NIC
QUARTIER = "987651155"  # QUA (quartier)
NO_NAME_SIREN = "987651064"
NOT_DIFFUSED_SIREN = "987651072"
UNKNOWN_SIREN = "987651171"  # only in the establishments file


def run_import(units=UNITS, establishments=ESTABLISHMENTS, **options) -> str:
    out, err = io.StringIO(), io.StringIO()
    call_command(
        "import_sirene", str(units), str(establishments), stdout=out, stderr=err, **options
    )
    return out.getvalue()


def rewrite(source: Path, target: Path, *, header=None, change=None) -> Path:
    """Copy a sample file with another header (order, columns) and changed rows."""
    with source.open(encoding="utf-8", newline="") as stream:
        reader = csv.DictReader(stream)
        rows = list(reader)
        fields = header(reader.fieldnames) if header else reader.fieldnames
    with target.open("w", encoding="utf-8", newline="") as stream:
        writer = csv.DictWriter(stream, fields, extrasaction="ignore", restval="")
        writer.writeheader()
        for row in rows:
            writer.writerow(change(row) if change else row)
    return target


def refusals(out: str) -> list[str]:
    """The report's lines about refused rows: counts, reasons, examples."""
    return [line for line in out.splitlines() if "refusées" in line or line.startswith("    ")]


def registry() -> dict[str, tuple]:
    return {
        c.identifier: (
            c.name,
            c.search_name,
            c.legal_category,
            c.is_active,
            c.head_office_nic,
            c.street_line,
            c.postal_code,
            c.city,
        )
        for c in Company.objects.all()
    }


def test_the_sample_creates_the_valid_companies_and_reports_counts():
    out = run_import()
    assert Company.objects.count() == 13
    assert "17 lignes lues" in out
    assert "entreprises créées : 13" in out
    assert "21 lignes lues" in out
    assert "adresses de siège enregistrées : 11" in out
    assert "établissements secondaires ignorés : 5" in out
    assert not Company.objects.filter(identifier__in=[NO_NAME_SIREN, UNKNOWN_SIREN]).exists()


@pytest.mark.parametrize(
    ("identifier", "name", "search_name"),
    [
        (BOULANGERIE, "BOULANGERIE DU CHÂTEAU", "BOULANGERIE DU CHATEAU"),
        (DUPONT, "JEAN DUPONT", "JEAN DUPONT"),
        (LEFEVRE, "HÉLÈNE LEFÈVRE", "HELENE LEFEVRE"),
        (GARCON, "ÉLODIE GARÇON", "ELODIE GARCON"),
        (MARTIN_FILS, "MARTIN, PERE ET FILS", "MARTIN PERE ET FILS"),
    ],
)
def test_names_come_from_the_denomination_or_the_sole_traders_names(identifier, name, search_name):
    run_import()
    company = Company.objects.get(identifier=identifier)
    assert company.name == name
    assert company.search_name == search_name  # set although bulk_create skips save()


def test_state_legal_category_and_head_office_nic_are_kept():
    run_import()
    ceased = Company.objects.get(identifier=MENUISERIE)
    assert (ceased.is_active, ceased.legal_category, ceased.head_office_nic) == (
        False,
        "5499",
        "00019",
    )
    assert Company.objects.get(identifier=DUPONT).is_active is True
    assert Company.objects.get(identifier=DUPONT).legal_category == "1000"
    assert Company.objects.filter(is_active=False).count() == 1


@pytest.mark.parametrize(
    ("identifier", "street", "postal_code", "city_name"),
    [
        (BOULANGERIE, "12 B RUE DES LILAS", "75011", "PARIS 11"),  # not its Lyon branch
        (DUPONT, "5 BOULEVARD VOLTAIRE", "13001", "MARSEILLE"),
        (LEFEVRE, "PLACE DU MARCHÉ", "33000", "BORDEAUX"),
        (GARCON, "8 CHEMIN DES VIGNES", "84000", "AVIGNON"),
        (MENUISERIE, "44 ROUTE DE NANTES", "49000", "ANGERS"),  # closed, still its last
        (LONDON, "", "", "LONDRES, ROYAUME-UNI"),
        (ASSOCIATION, "BATIMENT C, 2 IMPASSE DES ROSES", "59000", "LILLE"),
        (CHARTRONS, "10 QUAI DES CHARTRONS", "33300", "BORDEAUX"),
        (QUARTIER, "QUARTIER SAINT-ROCH", "06000", "NICE"),
        (SCIERIE, "ZA DES PINS", "40100", "DAX"),
        (MOULIN, "1 ZAC DU MOULIN", "31000", "TOULOUSE"),
        (MARTIN_FILS, "", "", ""),
        (DEMENAGE, "", "", ""),
    ],
)
def test_the_fiscal_address_is_the_head_offices(identifier, street, postal_code, city_name):
    run_import()
    company = Company.objects.get(identifier=identifier)
    assert (company.street_line, company.postal_code, company.city) == (
        street,
        postal_code,
        city_name,
    )


def test_refused_rows_are_counted_by_reason_with_their_line_numbers():
    with UNITS.open(encoding="utf-8", newline="") as stream:
        units = import_units(StockReader(stream, UNIT_COLUMNS, UNITS_LABEL))
    with ESTABLISHMENTS.open(encoding="utf-8", newline="") as stream:
        establishments = import_establishments(
            StockReader(stream, ESTABLISHMENT_COLUMNS, ESTABLISHMENTS_LABEL)
        )
    assert dict(units.refused.counts) == {INVALID_SIREN: 2, NO_NAME: 1, NAME_NOT_DIFFUSED: 1}
    assert units.refused.examples[INVALID_SIREN] == [(7, "987651016"), (8, "98765ABCD")]
    assert units.refused.examples[NO_NAME] == [(9, NO_NAME_SIREN)]
    assert units.refused.examples[NAME_NOT_DIFFUSED] == [(10, NOT_DIFFUSED_SIREN)]
    assert (units.rows_read, units.created, units.updated, units.unchanged) == (17, 13, 0, 0)
    assert dict(establishments.refused.counts) == {
        INVALID_SIREN: 1,
        UNKNOWN_COMPANY: 3,
        OTHER_HEAD_OFFICE: 1,
    }
    assert establishments.refused.examples[UNKNOWN_COMPANY] == [
        (10, NO_NAME_SIREN),
        (11, NOT_DIFFUSED_SIREN),
        (21, UNKNOWN_SIREN),
    ]
    assert establishments.refused.examples[OTHER_HEAD_OFFICE] == [(19, f"{DEMENAGE} 00031")]
    assert (establishments.addresses_set, establishments.not_head_office) == (11, 5)


def test_the_report_lists_reasons_and_examples():
    out = run_import(examples=1)
    assert "lignes refusées : 4" in out
    assert f"{INVALID_SIREN} : 2\n      ligne 7 : 987651016\n" in out
    assert "ligne 8 : 98765ABCD" not in out  # one example per reason asked
    assert f"{UNKNOWN_COMPANY} : 3" in out
    assert f"{NAME_NOT_DIFFUSED} : 1" in out


def test_a_rerun_changes_nothing_and_says_so():
    first = run_import()
    before = registry()
    second = run_import()
    assert registry() == before
    assert Company.objects.count() == 13
    assert "entreprises créées : 0" in second
    assert "entreprises mises à jour : 0" in second
    assert "entreprises déjà à jour : 13" in second
    assert "adresses de siège enregistrées : 0" in second
    assert "adresses de siège déjà à jour : 11" in second
    assert refusals(second) == refusals(first)
    assert len(refusals(first)) == 17  # 2 totals, 6 reasons, 9 examples


def test_a_rerun_with_newer_files_applies_the_changes(tmp_path):
    run_import()

    def newer_unit(row):
        if row["siren"] == BOULANGERIE:
            row |= {
                "denominationUniteLegale": "PÂTISSERIE DU CHÂTEAU",
                "etatAdministratifUniteLegale": "C",
            }
        return row

    def newer_establishment(row):
        if row["siren"] == DUPONT and row["etablissementSiege"] == "true":
            row |= {"numeroVoieEtablissement": "7", "typeVoieEtablissement": "AV"}
        return row

    out = run_import(
        rewrite(UNITS, tmp_path / "u.csv", change=newer_unit),
        rewrite(ESTABLISHMENTS, tmp_path / "e.csv", change=newer_establishment),
    )
    boulangerie = Company.objects.get(identifier=BOULANGERIE)
    assert (boulangerie.name, boulangerie.search_name, boulangerie.is_active) == (
        "PÂTISSERIE DU CHÂTEAU",
        "PATISSERIE DU CHATEAU",
        False,
    )
    assert boulangerie.street_line == "12 B RUE DES LILAS"  # the units pass leaves addresses
    assert Company.objects.get(identifier=DUPONT).street_line == "7 AVENUE VOLTAIRE"
    assert "entreprises mises à jour : 1" in out
    assert "entreprises déjà à jour : 12" in out
    assert "adresses de siège enregistrées : 1" in out
    assert Company.objects.count() == 13


def test_companies_absent_from_the_files_are_left_alone(company):
    run_import()
    company.refresh_from_db()
    assert (company.name, company.street_line, company.is_active) == (
        "SARLALERIS",
        "12 RUE DES LILAS",
        True,
    )
    assert Company.objects.count() == 14


def test_a_company_already_known_takes_the_registry_values():
    Company.objects.create(identifier=DUPONT, name="DUPONT JEAN (saisi à la main)")
    run_import()
    dupont = Company.objects.get(identifier=DUPONT)
    assert (dupont.name, dupont.search_name, dupont.street_line) == (
        "JEAN DUPONT",
        "JEAN DUPONT",
        "5 BOULEVARD VOLTAIRE",
    )


def test_column_order_and_unknown_columns_do_not_matter(tmp_path):
    run_import()
    expected = registry()
    Company.objects.all().delete()

    def reordered(fields):
        return ["colonneDeDemain", *reversed(fields), "autreNouveaute"]

    def with_new_values(row):
        return row | {"colonneDeDemain": "x,y", "autreNouveaute": "42"}

    run_import(
        rewrite(UNITS, tmp_path / "u.csv", header=reordered, change=with_new_values),
        rewrite(ESTABLISHMENTS, tmp_path / "e.csv", header=reordered, change=with_new_values),
    )
    assert registry() == expected


@pytest.mark.parametrize(
    ("which", "column", "label"),
    [
        ("units", "nicSiegeUniteLegale", "unités légales"),
        ("establishments", "etablissementSiege", "établissements"),
    ],
)
def test_a_missing_column_stops_before_any_write(tmp_path, which, column, label):
    files = {"units": UNITS, "establishments": ESTABLISHMENTS}
    files[which] = rewrite(
        files[which],
        tmp_path / "cut.csv",
        header=lambda fields: [f for f in fields if f != column],
    )
    with pytest.raises(CommandError) as error:
        run_import(**files)
    assert (
        str(error.value)
        == f"Colonnes obligatoires absentes du fichier des {label} (cut.csv) : {column}."
    )
    assert not Company.objects.exists()


def test_swapped_files_are_pointed_out():
    with pytest.raises(CommandError, match="ressemble à celui des établissements"):
        run_import(ESTABLISHMENTS, UNITS)


def test_a_missing_file_is_reported(tmp_path):
    with pytest.raises(CommandError, match="Fichier des établissements introuvable"):
        run_import(UNITS, tmp_path / "absent.csv")


def test_the_zip_files_of_insee_are_read(tmp_path):
    archives = []
    for source in (UNITS, ESTABLISHMENTS):
        archive = tmp_path / f"{source.stem}_utf8.zip"
        with zipfile.ZipFile(archive, "w", zipfile.ZIP_DEFLATED) as zipped:
            zipped.write(source, f"{source.stem}_utf8.csv")
        archives.append(archive)
    run_import(*archives)
    assert Company.objects.count() == 13
    assert Company.objects.get(identifier=BOULANGERIE).street_line == "12 B RUE DES LILAS"


def test_small_batches_give_the_same_registry():
    run_import()
    expected = registry()
    Company.objects.all().delete()
    out = run_import(batch_size=2)
    assert registry() == expected
    assert "entreprises créées : 13" in out


def test_limit_reads_only_the_first_rows():
    out = run_import(limit=3)
    assert "3 lignes lues" in out
    assert set(Company.objects.values_list("identifier", flat=True)) == {
        BOULANGERIE,
        DUPONT,
        LEFEVRE,
    }
    assert Company.objects.get(identifier=BOULANGERIE).street_line == "12 B RUE DES LILAS"


def test_progress_goes_to_stderr_with_a_rate():
    err = io.StringIO()
    call_command("import_sirene", str(UNITS), str(ESTABLISHMENTS), stdout=io.StringIO(), stderr=err)
    assert "Unités légales : 100 % — 17 lignes lues, 4 refusées" in err.getvalue()
    assert "Établissements : 100 % — 21 lignes lues, 5 refusées" in err.getvalue()
    assert "lignes/s" in err.getvalue()


def test_a_file_not_in_utf8_is_refused_clearly(tmp_path):
    latin = tmp_path / "latin1.csv"
    latin.write_bytes(UNITS.read_text(encoding="utf-8").encode("latin-1"))
    with pytest.raises(CommandError, match=r"unités légales \(latin1.csv\) n'est pas en UTF-8"):
        run_import(latin, ESTABLISHMENTS)


def test_a_row_of_the_wrong_width_is_refused(tmp_path):
    broken = tmp_path / "u.csv"
    lines = UNITS.read_text(encoding="utf-8").splitlines()
    lines[1] += ",une colonne de trop"
    broken.write_text("\n".join(lines) + "\n", encoding="utf-8")
    out = run_import(broken, ESTABLISHMENTS)
    assert f"{WRONG_WIDTH} : 1\n      ligne 2\n" in out
    assert not Company.objects.filter(identifier=BOULANGERIE).exists()
