"""The number of a portfolio's entries kept in the shared cache between its changes
(habilitations/portfolio/count.py, docs/habilitations.md §10): read without a query, never
served after a change of that person's habilitations has committed."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext, override_settings

from habilitations.models import Habilitation
from habilitations.portfolio import queries as portfolio
from habilitations.portfolio import sync as portfolio_sync
from habilitations.rights.actions import remove
from tests.factories import CompanyFactory, HabilitationFactory

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("shared_count")]


@pytest.fixture
def shared_count():
    # The tests' memory cache stands for Redis (one process here).
    with override_settings(PORTFOLIO_COUNT_CACHE="default"):
        yield


def queries(call):
    with CaptureQueriesContext(connection) as captured:
        result = call()
    return result, len(captured)


def grant(subscriber, capture, n=1):
    with capture(execute=True):
        return [
            HabilitationFactory(company=CompanyFactory(), subscriber=subscriber) for _ in range(n)
        ]


def test_the_count_is_read_once_then_kept(alice, django_capture_on_commit_callbacks):
    grant(alice, django_capture_on_commit_callbacks, 3)
    assert queries(lambda: portfolio.count(alice)) == (3, 1)
    assert queries(lambda: portfolio.count(alice)) == (3, 0)
    page, n = queries(lambda: portfolio.page(alice))
    assert (page.total, n) == (3, 1)  # the page's rows only


def test_a_committed_change_is_counted_at_once(alice, bob, django_capture_on_commit_callbacks):
    (first,) = grant(alice, django_capture_on_commit_callbacks)
    grant(bob, django_capture_on_commit_callbacks, 2)
    assert portfolio.count(alice) == 1 and portfolio.count(bob) == 2
    grant(alice, django_capture_on_commit_callbacks, 2)
    assert portfolio.count(alice) == 3
    assert portfolio.page(alice).total == 3
    assert queries(lambda: portfolio.count(bob)) == (2, 0)  # bob's kept count still holds
    with django_capture_on_commit_callbacks(execute=True):
        remove(Habilitation.objects.get(pk=first.pk), by=None)
    assert portfolio.count(alice) == 2


def test_a_count_read_inside_the_changing_transaction_is_not_kept_after_it(
    alice, django_capture_on_commit_callbacks
):
    grant(alice, django_capture_on_commit_callbacks)
    with django_capture_on_commit_callbacks(execute=True):
        HabilitationFactory(company=CompanyFactory(), subscriber=alice)
        # Read (and kept) before the commit renews the token.
        assert portfolio.count(alice) == 2
    assert portfolio.count(alice) == 2
    with django_capture_on_commit_callbacks(execute=False):
        HabilitationFactory(company=CompanyFactory(), subscriber=alice)
        assert portfolio.count(alice) == 3  # this transaction's own view


def test_searches_are_always_counted(alice, django_capture_on_commit_callbacks):
    grant(alice, django_capture_on_commit_callbacks, 2)
    portfolio.count(alice)
    company = CompanyFactory(name="SARL SIMONET")
    with django_capture_on_commit_callbacks(execute=True):
        HabilitationFactory(company=company, subscriber=alice)
    assert portfolio.page(alice, query="simonet").total == 1
    assert portfolio.page(alice, query=company.identifier[:5]).total >= 1


def test_a_bulk_rebuild_forgets_every_kept_count(alice, django_capture_on_commit_callbacks):
    grant(alice, django_capture_on_commit_callbacks, 2)
    assert portfolio.count(alice) == 2
    # A bulk load writes habilitations behind the domain's back, then rebuilds.
    extra = HabilitationFactory(company=CompanyFactory(), subscriber=alice)
    Habilitation.objects.filter(pk=extra.pk).update(subscriber=alice)
    with django_capture_on_commit_callbacks(execute=True):
        portfolio_sync.rebuild_all()
    assert portfolio.count(alice) == 3


@override_settings(PORTFOLIO_COUNT_CACHE="")
def test_without_a_shared_cache_every_page_counts(alice, django_capture_on_commit_callbacks):
    grant(alice, django_capture_on_commit_callbacks, 2)
    assert queries(lambda: portfolio.count(alice)) == (2, 1)
    assert queries(lambda: portfolio.count(alice)) == (2, 1)
