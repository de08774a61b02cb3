"""Letters' codes used at the same instant (docs/habilitations.md §7, docs/security.md §1), with two
real PostgreSQL connections: one AT whatever happens, and one code one success."""

import threading

import pytest
from django.db import connection, connections

from core.refusals import Refusal
from habilitations.models import Habilitation, PostalRequest, RequestState, Role
from habilitations.postal.activation import activate_services
from habilitations.postal.adhesion import submit_adhesion
from tests.factories import CompanyFactory, PostalRequestFactory, SubscriberFactory
from tests.helpers import letter_code, link_for


def _race(calls) -> list[str]:
    """Run the calls at the same instant, each on its own connection."""
    barrier = threading.Barrier(len(calls))
    outcomes = []

    def run(call):
        try:
            barrier.wait()
            outcomes.append(call())
        except Refusal as refusal:
            outcomes.append(f"refused: {refusal.message}")
        finally:
            connections.close_all()

    threads = [threading.Thread(target=run, args=(call,)) for call in calls]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return outcomes


@pytest.fixture
def postgresql():
    if connection.vendor != "postgresql":
        pytest.skip("true concurrency needs PostgreSQL (SQLite serializes writers)")


@pytest.mark.django_db(transaction=True)
def test_two_requesters_activating_at_the_same_instant_make_one_titular(postgresql):
    company = CompanyFactory(with_fiscal_address=True, name="SARL MARTIN DISTRIBUTION")
    first, second = SubscriberFactory(), SubscriberFactory()
    # Two live codes for the same services cannot be issued any more (a newer request
    # withdraws the older); requests left from before that rule, or any bug, must still give
    # one AT: the withdrawn one is revived by hand.
    requests = [
        submit_adhesion(s, company, ["declarer_tva", "declarer_is"], link_for=link_for)
        for s in (first, second)
    ]
    PostalRequest.objects.filter(pk=requests[0].pk).update(
        state=RequestState.LETTER_SENT, closed_at=None
    )
    codes = [letter_code(req) for req in requests]

    def activation(subscriber, req, code):
        return lambda: activate_services(subscriber, req.pk, code).granted

    outcomes = _race(
        [activation(s, r, c) for s, r, c in zip((first, second), requests, codes, strict=True)]
    )
    assert sorted(map(str, outcomes)) == sorted(["['declarer_tva', 'declarer_is']", "[]"])
    titulars = Habilitation.objects.filter(company=company, role=Role.TITULAR_ADMIN)
    assert titulars.count() == 2 and len({h.subscriber_id for h in titulars}) == 1
    loser = PostalRequest.objects.get(granted=[])
    assert loser.state == RequestState.ACTIVATED
    assert loser.not_granted == ["declarer_tva", "declarer_is"]


@pytest.mark.django_db(transaction=True)
def test_one_code_used_twice_at_the_same_instant_succeeds_once(postgresql):
    company = CompanyFactory(with_fiscal_address=True, name="SARL MARTIN DISTRIBUTION")
    subscriber = SubscriberFactory()
    req = PostalRequestFactory(requester=subscriber, company=company)
    code = letter_code(req)
    outcomes = _race([lambda: activate_services(subscriber, req.pk, code).granted] * 2)
    assert sorted(map(str, outcomes)) == [
        "['declarer_tva']",
        "refused: Ce code a déjà été utilisé : la demande est activée.",
    ]
    assert Habilitation.objects.filter(company=company).count() == 1
