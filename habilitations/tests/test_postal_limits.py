"""Letters are limited (docs/habilitations.md §7.9, docs/security.md §13): per company whoever
asks, per requester, per client address; one live code per service of a company; every
refusal audited. Concurrency on PostgreSQL with real parallel connections."""

import dataclasses
import threading

import pytest
from django.db import connection, connections

from audit.models import Action, AuditEvent
from core.context import acting
from core.refusals import Refusal
from correspondence.models import Kind, Message
from habilitations.models import PostalRequest, RequestState
from habilitations.postal.adhesion import submit_adhesion
from habilitations.postal.simplified import submit_simplified
from habilitations.postal.substitution import submit_substitution
from tests.factories import CompanyFactory, HabilitationFactory, SubscriberFactory
from tests.helpers import link_for

pytestmark = pytest.mark.django_db
ATTACKER = "203.0.113.66"


def _anonymous_creation(data, n: int, ip: str = ATTACKER):
    registration = dataclasses.replace(data.registration, email=f"creation{n}@example.fr")
    with acting(ip_address=ip):
        return submit_simplified(
            dataclasses.replace(data, registration=registration), link_for=link_for
        )


def _letters_and_links_to_the_company(company) -> int:
    return PostalRequest.objects.filter(company=company).count()


def test_anonymous_creations_for_one_company_stop_at_the_companys_limit(
    simplified_data, company, settings
):
    settings.RATE_LIMITS = {**settings.RATE_LIMITS, "postal.company": "3/30d"}
    for n in range(3):
        _anonymous_creation(simplified_data, n, ip=f"198.51.100.{n}")
    with pytest.raises(Refusal, match="nombre maximal de courriers") as refused:
        _anonymous_creation(simplified_data, 9, ip="192.0.2.1")
    assert refused.value.code == "postal.company_limit"
    assert _letters_and_links_to_the_company(company) == 3
    event = AuditEvent.objects.get(action=Action.POSTAL_REQUEST_REFUSED)
    assert event.target == company.identifier
    assert event.details["reason"] == "postal.company_limit"
    assert event.ip_address == "192.0.2.1"


def test_one_address_cannot_ask_for_letters_without_end(simplified_data, settings):
    settings.RATE_LIMITS = {**settings.RATE_LIMITS, "postal.address": "2/1d"}
    for n in range(2):
        _anonymous_creation(simplified_data, n)
    with pytest.raises(Refusal, match="depuis votre connexion Internet"):
        _anonymous_creation(simplified_data, 2)
    # Another address may still ask.
    _anonymous_creation(simplified_data, 3, ip="192.0.2.1")
    assert AuditEvent.objects.filter(action=Action.POSTAL_REQUEST_REFUSED).count() == 1


def test_only_the_newest_creation_has_a_live_request(simplified_data, company):
    first = _anonymous_creation(simplified_data, 1, ip="198.51.100.1")
    second = _anonymous_creation(simplified_data, 2, ip="198.51.100.2")
    first.refresh_from_db()
    assert first.state == RequestState.WITHDRAWN
    assert (
        PostalRequest.objects.get(company=company, state__in=["awaiting_email", "letter_sent"])
        == second
    )
    # The first person is told their request was replaced.
    assert Message.objects.filter(
        purpose="postal_request_replaced", to="creation1@example.fr"
    ).exists()


def test_a_company_has_few_open_requests_at_a_time(settings):
    settings.POSTAL_OPEN_REQUESTS_PER_COMPANY = 2
    company = CompanyFactory(with_fiscal_address=True)
    people = [SubscriberFactory() for _ in range(3)]
    submit_adhesion(people[0], company, ["declarer_tva"], link_for=link_for)
    submit_adhesion(people[1], company, ["declarer_is"], link_for=link_for)
    with pytest.raises(Refusal, match="Plusieurs demandes sont déjà en cours"):
        submit_adhesion(people[2], company, ["declarer_cvae"], link_for=link_for)
    assert Message.objects.filter(kind=Kind.LETTER).count() == 2


def test_the_requesters_daily_limit_holds_across_companies(settings, alice):
    settings.RATE_LIMITS = {**settings.RATE_LIMITS, "postal.requester": "2/1d"}
    companies = [CompanyFactory(with_fiscal_address=True) for _ in range(3)]
    for company in companies[:2]:
        submit_adhesion(alice, company, ["declarer_tva"], link_for=link_for)
    with pytest.raises(Refusal, match="réessayez demain"):
        submit_adhesion(alice, companies[2], ["declarer_tva"], link_for=link_for)
    event = AuditEvent.objects.get(action=Action.POSTAL_REQUEST_REFUSED)
    assert event.actor_id == alice.pk and event.details["reason"] == "postal.too_many_requests"


def _race(calls) -> list:
    barrier = threading.Barrier(len(calls))
    outcomes = []
    lock = threading.Lock()

    def run(call):
        try:
            barrier.wait()
            result = call()
        except Exception as exc:
            result = exc
        finally:
            connections.close_all()
        with lock:
            outcomes.append(result)

    threads = [threading.Thread(target=run, args=(call,)) for call in calls]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return outcomes


def _from(n: int, call, *args):
    """Each request from its own address, so that nothing but the rule under test serializes
    them."""
    with acting(ip_address=f"198.51.100.{n}"):
        return call(*args)


@pytest.fixture
def postgresql():
    if connection.vendor != "postgresql":
        pytest.skip("true concurrency needs PostgreSQL (SQLite serializes writers)")


@pytest.mark.django_db(transaction=True)
def test_simultaneous_requests_of_one_subscriber_respect_the_daily_limit(postgresql, settings):
    settings.RATE_LIMITS = {**settings.RATE_LIMITS, "postal.requester": "5/1d"}
    requester = SubscriberFactory()
    companies = [CompanyFactory(with_fiscal_address=True) for _ in range(12)]
    for company in companies:
        HabilitationFactory(company=company, code="declarer_tva")  # an AT to replace
    outcomes = _race(
        [
            lambda n=n, c=c: _from(n, submit_substitution, requester, c, ["declarer_tva"])
            for n, c in enumerate(companies)
        ]
    )
    assert not [o for o in outcomes if isinstance(o, Exception) and not isinstance(o, Refusal)]
    assert PostalRequest.objects.filter(requester=requester).count() == 5
    assert Message.objects.filter(kind=Kind.LETTER).count() == 5


@pytest.mark.django_db(transaction=True)
def test_identical_simultaneous_requests_leave_one_live_code(postgresql):
    requester = SubscriberFactory()
    company = CompanyFactory(with_fiscal_address=True)
    HabilitationFactory(company=company, code="declarer_tva")
    outcomes = _race(
        [
            lambda n=n: _from(n, submit_substitution, requester, company, ["declarer_tva"])
            for n in range(6)
        ]
    )
    assert not [o for o in outcomes if isinstance(o, Exception) and not isinstance(o, Refusal)]
    live = PostalRequest.objects.filter(company=company, state=RequestState.LETTER_SENT)
    assert live.count() == 1
