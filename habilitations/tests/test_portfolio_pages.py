"""The portfolio's pages as a person pages through them (issue 12 §3): « Page x sur y », the
last page, and the filters of *Consulter vos services* by service and role."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from habilitations.models import Role
from habilitations.portfolio import queries as portfolio
from tests.factories import HabilitationFactory, SubscriberFactory, bulk_portfolio

pytestmark = pytest.mark.django_db


def _names(page) -> list[str]:
    return [entry.name for entry in page.entries]


def test_the_last_page_holds_what_is_left_after_the_full_pages():
    firm = SubscriberFactory()
    bulk_portfolio(firm, 12)
    first = portfolio.page(firm, size=5)
    assert (first.number, first.pages) == (1, 3)
    last = portfolio.page(firm, size=5, last=True)
    assert (last.number, last.pages) == (3, 3)
    assert _names(last) == ["SOCIETE 00110", "SOCIETE 00111"]
    assert last.next_cursor is None
    # Back from the last page: the same pages as forward from the first.
    middle = portfolio.page(firm, size=5, before=last.previous_cursor, number=2)
    assert middle.number == 2
    assert _names(middle) == _names(portfolio.page(firm, size=5, after=first.next_cursor, number=2))
    assert _names(portfolio.page(firm, size=5, before=middle.previous_cursor, number=1)) == (
        _names(first)
    )


def test_a_page_number_is_kept_within_the_pages_and_the_ends_are_known():
    firm = SubscriberFactory()
    bulk_portfolio(firm, 12)
    first = portfolio.page(firm, size=5, number=7)  # a forged number on the first page
    assert first.number == 1
    second = portfolio.page(firm, size=5, after=first.next_cursor, number=99)
    assert second.number == 2  # neither the first nor the last
    third = portfolio.page(firm, size=5, after=second.next_cursor, number=1)
    assert third.number == 3  # nothing after it: the last, whatever was asked


def test_one_page_and_no_page_say_page_1_of_1():
    firm = SubscriberFactory()
    assert (portfolio.page(firm).number, portfolio.page(firm).pages) == (1, 1)
    assert portfolio.page(firm, last=True).entries == []
    bulk_portfolio(firm, 3)
    only = portfolio.page(firm, size=5, last=True)
    assert (only.number, only.pages, len(only.entries)) == (1, 1, 3)


def test_companies_are_filtered_by_the_service_and_role_held_there():
    firm = SubscriberFactory()
    companies = bulk_portfolio(firm, 4)  # AT of Déclarer TVA on each
    other = SubscriberFactory()
    HabilitationFactory(company=companies[1], subscriber=other, code="payer")
    HabilitationFactory(company=companies[1], subscriber=firm, code="payer_tva", role=Role.ACTOR)
    HabilitationFactory(company=companies[2], subscriber=firm, code="payer")
    assert _names(portfolio.page(firm, service="payer")) == ["SOCIETE 00101", "SOCIETE 00102"]
    assert _names(portfolio.page(firm, service="payer", role="AC")) == ["SOCIETE 00101"]
    assert _names(portfolio.page(firm, role="AC")) == ["SOCIETE 00101"]
    assert portfolio.page(firm, role="AS").total == 0
    assert _names(portfolio.page(firm, query="00102", service="payer")) == []
    assert _names(portfolio.page(firm, query="societe 00102", service="payer")) == ["SOCIETE 00102"]


@pytest.mark.parametrize("size", [5, 60])
def test_a_filtered_page_runs_two_queries_whatever_the_portfolio(size):
    firm = SubscriberFactory()
    bulk_portfolio(firm, size)
    with CaptureQueriesContext(connection) as queries:
        page = portfolio.page(firm, query="societe", service="declarer_tva", role="AT", size=20)
    assert len(queries) == 2
    assert page.total == size
