"""Finding a dossier by the words of its name (docs/habilitations.md §10.2, issue 12 §1): any
word, in any order, prefixes of words, without case, accents or legal form; SIREN prefixes;
best matches first. Run on SQLite (FTS5) and PostgreSQL (GIN) alike."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from companies.models import Company
from companies.names import query_words, search_key
from habilitations.models import Habilitation, PortfolioEntry
from habilitations.portfolio import queries as portfolio
from habilitations.rights.actions import remove
from tests.factories import CompanyFactory, HabilitationFactory

pytestmark = pytest.mark.django_db

NAMES = [
    "SARL SIMONET",
    "EURL ATLANTIQUE LOIRE",
    "BOULANGERIE DE L'ÉGLISE SAS",
    "SCI Les Pâtures",
    "SAS LOIRE ATLANTIQUE TRANSPORTS",
    "BOIS ET ATLANTES",
    "SOCIÉTÉ CIVILE IMMOBILIÈRE DU PARC",
    "Œuvres du Port",
]


@pytest.fixture
def dossiers(alice):
    companies = {name: CompanyFactory(name=name) for name in NAMES}
    for company in companies.values():
        HabilitationFactory(company=company, subscriber=alice)
    return companies


def names(subscriber, query, **kwargs):
    return [e.name for e in portfolio.page(subscriber, query=query, **kwargs).entries]


@pytest.mark.parametrize(
    ("name", "key"),
    [
        ("SARL SIMONET", "SIMONET"),
        ("EURL ATLANTIQUE LOIRE", "ATLANTIQUE LOIRE"),
        ("Boulangerie de l'Église SAS", "BOULANGERIE DE L EGLISE"),
        ("S.A.R.L. DUPONT & FILS", "DUPONT FILS"),
        ("Société Civile Immobilière du Parc", "DU PARC"),
        ("Œuvres du Port", "OEUVRES DU PORT"),
        ("SCI", "SCI"),  # nothing else: the name stays
        ("SAS", "SAS"),
        ("SA MAISON SA", "MAISON"),
    ],
)
def test_the_search_key_sets_the_legal_form_aside(name, key):
    assert search_key(name) == key


def test_query_words_drop_a_legal_form_unless_it_is_all_there_is():
    assert query_words("sarl  Simonet") == ["SIMONET"]
    assert query_words("simonet sarl") == ["SIMONET"]
    assert query_words("sa") == ["SA"]
    assert query_words("ÉGLISE, boulang.") == ["EGLISE", "BOULANG"]


@pytest.mark.parametrize(
    ("query", "found"),
    [
        ("SIMONET", ["SARL SIMONET"]),
        ("simonet", ["SARL SIMONET"]),
        ("sarl simonet", ["SARL SIMONET"]),
        ("atlantique", ["EURL ATLANTIQUE LOIRE", "SAS LOIRE ATLANTIQUE TRANSPORTS"]),
        ("atlan", ["EURL ATLANTIQUE LOIRE", "BOIS ET ATLANTES", "SAS LOIRE ATLANTIQUE TRANSPORTS"]),
        ("loire atlan", ["SAS LOIRE ATLANTIQUE TRANSPORTS", "EURL ATLANTIQUE LOIRE"]),
        ("boulangerie", ["BOULANGERIE DE L'ÉGLISE SAS"]),
        ("eglise boul", ["BOULANGERIE DE L'ÉGLISE SAS"]),
        ("ÉGLISE", ["BOULANGERIE DE L'ÉGLISE SAS"]),
        ("patures", ["SCI Les Pâtures"]),
        ("parc", ["SOCIÉTÉ CIVILE IMMOBILIÈRE DU PARC"]),
        ("oeuvres", ["Œuvres du Port"]),
        ("œuv", ["Œuvres du Port"]),
        ("atlantique simonet", []),
        ("imonet", []),  # the start of a word, not its middle
        ("sarl", []),  # the legal form is not searched
    ],
)
def test_any_word_in_any_order_without_case_accents_or_legal_form(alice, dossiers, query, found):
    assert names(alice, query) == found
    assert portfolio.page(alice, query=query).total == len(found)


def test_best_matches_first_then_by_name(alice):
    for name in ["SAS TRANSPORTS DU CAP", "EURL CAP TRANSPORTS", "SARL CAPITOLE", "SA BOIS CAP"]:
        HabilitationFactory(company=CompanyFactory(name=name), subscriber=alice)
    # Names beginning with the words first, then the words following each other, then the rest.
    assert names(alice, "cap") == [
        "EURL CAP TRANSPORTS",
        "SARL CAPITOLE",
        "SA BOIS CAP",
        "SAS TRANSPORTS DU CAP",
    ]
    assert names(alice, "cap trans") == ["EURL CAP TRANSPORTS", "SAS TRANSPORTS DU CAP"]
    assert names(alice, "transports cap") == ["SAS TRANSPORTS DU CAP", "EURL CAP TRANSPORTS"]


def test_sorting_by_name_ignores_the_legal_form(alice, dossiers):
    assert names(alice, "")[:3] == [
        "EURL ATLANTIQUE LOIRE",
        "BOIS ET ATLANTES",
        "BOULANGERIE DE L'ÉGLISE SAS",
    ]


def test_siren_full_or_start_with_spaces(alice, dossiers):
    target = dossiers["SARL SIMONET"].identifier
    spaced = f"{target[:3]} {target[3:6]} {target[6:]}"
    assert names(alice, spaced) == ["SARL SIMONET"]
    assert names(alice, f" {target[:3]} {target[3:5]}") == sorted(
        (n for n, c in dossiers.items() if c.identifier.startswith(target[:5])),
        key=search_key,
    )


def test_only_ones_own_dossiers_are_found(alice, bob, dossiers):
    HabilitationFactory(company=CompanyFactory(name="SARL SIMONET FRERES"), subscriber=bob)
    assert names(alice, "simonet") == ["SARL SIMONET"]
    assert names(bob, "simonet") == ["SARL SIMONET FRERES"]
    assert names(bob, "atlan") == []


def test_the_search_follows_renames_grants_and_removals(alice, dossiers):
    company = dossiers["SARL SIMONET"]
    Company.objects.filter(pk=company.pk).update(name="SARL DUVAL", search_name="DUVAL")
    from habilitations.portfolio import sync as portfolio_sync

    portfolio_sync.refresh_company_names()
    assert names(alice, "simonet") == []
    assert names(alice, "duval") == ["SARL DUVAL"]
    remove(Habilitation.objects.get(company=company, subscriber=alice), by=None)
    assert names(alice, "duval") == []
    HabilitationFactory(company=company, subscriber=alice, code="payer")
    assert names(alice, "duv") == ["SARL DUVAL"]
    assert portfolio_sync.rebuild_all() == len(NAMES)
    assert names(alice, "duv") == ["SARL DUVAL"]
    assert names(alice, "atlan loi") == ["EURL ATLANTIQUE LOIRE", "SAS LOIRE ATLANTIQUE TRANSPORTS"]


def test_keyset_pages_of_a_ranked_search_walk_every_match_once(alice):
    for n in range(23):
        name = f"SARL CAP {n:02d}" if n % 2 else f"SAS MARINE CAP {n:02d}"
        HabilitationFactory(company=CompanyFactory(name=name), subscriber=alice)
    seen, after, pages = [], "", []
    while True:
        result = portfolio.page(alice, query="cap", size=5, after=after)
        pages.append(result)
        seen += [e.name for e in result.entries]
        if not result.next_cursor:
            break
        after = result.next_cursor
    expected = sorted((f"SARL CAP {n:02d}" for n in range(1, 23, 2)), key=search_key) + sorted(
        (f"SAS MARINE CAP {n:02d}" for n in range(0, 23, 2)), key=search_key
    )
    assert seen == expected
    back = portfolio.page(alice, query="cap", size=5, before=pages[3].previous_cursor)
    assert [e.name for e in back.entries] == [e.name for e in pages[2].entries]


def test_a_search_costs_two_queries_whatever_the_portfolio_size(alice):
    def queries():
        with CaptureQueriesContext(connection) as captured:
            portfolio.page(alice, query="atlan loi")
        return len(captured)

    HabilitationFactory(company=CompanyFactory(name="EURL ATLANTIQUE LOIRE"), subscriber=alice)
    few = queries()
    _many(alice, 300)
    assert queries() == few == 2
    assert portfolio.page(alice, query="atlan loi").total == 301


def _many(subscriber, size):
    from tests.factories import bulk_portfolio

    companies = bulk_portfolio(subscriber, size, start=30_000_000, name="SAS ATLANTIQUE LOIRE {n}")
    Company.objects.filter(pk__in=[c.pk for c in companies]).update(
        search_name=search_key("ATLANTIQUE LOIRE")
    )
    assert PortfolioEntry.objects.filter(subscriber=subscriber).count() >= size


def test_the_search_reads_the_word_index(alice, dossiers):
    """The plan that makes a search cost the subscriber's matches only: PostgreSQL's GIN
    index (its expression must be the query's, to the letter), SQLite's FTS5 table driving
    the query (not a walk through the subscriber's entries)."""
    sql, params = portfolio.search(alice, "atlan loi").query.sql_with_params()
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            from habilitations.portfolio.search import WordsMatch

            # A few rows make any plan good: with scans of other indexes off, the GIN index
            # is used if and only if its expression matches the query's.
            words = PortfolioEntry.objects.filter(WordsMatch(f"'s{alice.pk}xATLAN':*"))
            sql, params = words.query.sql_with_params()
            for scan in ("seqscan", "indexscan", "indexonlyscan"):
                cursor.execute(f"SET LOCAL enable_{scan} = off")
            cursor.execute(f"EXPLAIN {sql}", params)
            plan = "\n".join(row[0] for row in cursor.fetchall())
            assert "Bitmap Index Scan on portfolio_words" in plan, plan
        else:
            cursor.execute(f"EXPLAIN QUERY PLAN {sql}", params)
            plan = "\n".join(row[-1] for row in cursor.fetchall())
            assert "USING INTEGER PRIMARY KEY" in plan, plan
            assert "habilitations_portfolio_words VIRTUAL TABLE" in plan, plan


def test_an_idsp_is_found_by_its_beginning_and_not_a_neighbour(alice, dossiers):
    waiting = CompanyFactory(identifier="P12345678", name="SAS EN ATTENTE")
    HabilitationFactory(company=waiting, subscriber=alice)
    other = CompanyFactory(identifier="P12355678", name="SAS AUTRE")
    HabilitationFactory(company=other, subscriber=alice)
    assert names(alice, "p 1234") == ["SAS EN ATTENTE"]
    assert names(alice, "P12345678") == ["SAS EN ATTENTE"]
    assert names(alice, "P123") == ["SAS AUTRE", "SAS EN ATTENTE"]
