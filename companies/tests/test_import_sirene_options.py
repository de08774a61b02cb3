"""`manage.py import_sirene`: its options checked, its memory with DEBUG on, and the portfolios
it keeps up to date. The import of the sample files is test_import_sirene.py."""

import io
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command
from django.db import connection

from companies.models import Company

pytestmark = pytest.mark.django_db

DATA = Path(__file__).resolve().parents[2] / "tests" / "data" / "sirene"
UNITS = DATA / "StockUniteLegale_sample.csv"
ESTABLISHMENTS = DATA / "StockEtablissement_sample.csv"


@pytest.mark.parametrize("option", [("--batch-size", "0"), ("--limit", "-3"), ("--examples", "x")])
def test_counts_given_as_options_are_checked(option):
    with pytest.raises(CommandError, match="un entier d'au moins"):
        call_command("import_sirene", str(UNITS), str(ESTABLISHMENTS), *option)
    assert not Company.objects.exists()


def test_with_debug_on_the_import_does_not_pile_up_queries(settings):
    settings.DEBUG = True
    err = io.StringIO()
    call_command("import_sirene", str(UNITS), str(ESTABLISHMENTS), stdout=io.StringIO(), stderr=err)
    assert "DEBUG est activé" in err.getvalue()
    assert Company.objects.count() == 13
    # The portfolio names' refresh after the import, and the count just above: each batch's
    # queries were dropped.
    assert len(connection.queries) == 2


def test_a_rename_reaches_the_portfolios():
    """The portfolio copies company names (for sorting): an import that renames updates them."""
    from io import StringIO

    from habilitations.models import PortfolioEntry
    from tests.factories import HabilitationFactory, SubscriberFactory

    call_command(
        "import_sirene", str(UNITS), str(ESTABLISHMENTS), stdout=StringIO(), stderr=StringIO()
    )
    company = Company.objects.order_by("id").first()
    holder = SubscriberFactory()
    HabilitationFactory(company=company, subscriber=holder, code="declarer_tva")
    Company.objects.filter(pk=company.pk).update(name="ANCIEN NOM", search_name="ANCIEN NOM")
    PortfolioEntry.objects.filter(company=company).update(
        name="ANCIEN NOM", search_name="ANCIEN NOM"
    )
    out = StringIO()
    call_command("import_sirene", str(UNITS), str(ESTABLISHMENTS), stdout=out, stderr=StringIO())
    entry = PortfolioEntry.objects.get(company=company)
    company.refresh_from_db()
    assert entry.name == company.name != "ANCIEN NOM"
    assert entry.search_name == company.search_name
    assert "1 dénomination(s) mise(s) à jour" in out.getvalue()
