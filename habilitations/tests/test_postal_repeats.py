"""The same postal request sent twice (a double-click, a page posted again) within
POSTAL_REPEAT_SECONDS is answered with the first: one letter, one live code
(docs/habilitations.md §6.8). Concurrency on PostgreSQL with real parallel connections."""

from datetime import timedelta

import pytest
import time_machine
from django.db import connection

from audit.models import Action, AuditEvent
from companies.bank import BankDetails
from correspondence.models import Kind, Message
from habilitations.catalogue import PAYER
from habilitations.models import PostalRequest, RequestState
from habilitations.postal.adhesion import submit_adhesion
from habilitations.postal.substitution import submit_substitution
from tests.factories import CompanyFactory, HabilitationFactory, SubscriberFactory
from tests.helpers import BIC, CURRENT_TIME, IBAN, link_for, run_concurrently

pytestmark = pytest.mark.django_db


@pytest.fixture
def martin(db):
    return CompanyFactory(with_fiscal_address=True, name="SARL MARTIN DISTRIBUTION")


@pytest.fixture
def frozen():
    with time_machine.travel(CURRENT_TIME, tick=False) as traveller:
        yield traveller


def _letters() -> int:
    return Message.objects.filter(kind=Kind.LETTER).count()


def _adhere(subscriber, company, services, **kwargs):
    return submit_adhesion(subscriber, company, services, link_for=link_for, **kwargs)


def test_an_adhesion_sent_twice_at_once_is_answered_with_the_first(alice, martin, frozen):
    first = _adhere(alice, martin, ["declarer_is", "declarer_tva"])
    frozen.shift(timedelta(seconds=3))
    again = _adhere(alice, martin, ["declarer_tva", "declarer_is"])  # the same, in another order
    assert again.pk == first.pk
    first.refresh_from_db()
    assert first.state == RequestState.LETTER_SENT  # its code still works
    assert PostalRequest.objects.count() == 1 and _letters() == 1
    assert AuditEvent.objects.filter(action=Action.POSTAL_REQUEST_SUBMITTED).count() == 1
    repeated = AuditEvent.objects.get(action=Action.POSTAL_REQUEST_REPEATED)
    assert repeated.details["request_id"] == first.pk


def test_an_adhesion_awaiting_its_email_link_sends_no_second_link(alice, martin, frozen):
    first = _adhere(alice, martin, ["messagerie"], company_email="contact@martin.example")
    again = _adhere(alice, martin, ["messagerie"], company_email="contact@martin.example")
    assert again.pk == first.pk
    assert Message.objects.filter(to="contact@martin.example").count() == 1


def test_with_bank_details_the_same_details_make_the_same_request(alice, martin, frozen):
    bank = BankDetails.parse(IBAN, BIC, "SARL MARTIN")
    first = _adhere(alice, martin, [PAYER], bank=bank)
    assert _adhere(alice, martin, [PAYER], bank=bank).pk == first.pk
    other_holder = BankDetails.parse(IBAN, BIC, "MARTIN SARL")
    assert _adhere(alice, martin, [PAYER], bank=other_holder).pk != first.pk


def test_a_substitution_sent_twice_sends_one_letter_and_tells_the_titular_once(
    alice, bob, martin, frozen
):
    HabilitationFactory(company=martin, subscriber=bob, code="declarer_tva")
    first = submit_substitution(alice, martin, ["declarer_tva"])
    again = submit_substitution(alice, martin, ["declarer_tva"])
    assert again.pk == first.pk and _letters() == 1
    assert Message.objects.filter(purpose="substitution_requested", to=bob.email).count() == 1


def test_after_the_delay_the_same_request_is_a_new_one(alice, martin, frozen, settings):
    settings.POSTAL_REPEAT_SECONDS = 10
    first = _adhere(alice, martin, ["declarer_is"])
    frozen.shift(timedelta(seconds=11))
    newer = _adhere(alice, martin, ["declarer_is"])
    assert newer.pk != first.pk and _letters() == 2
    first.refresh_from_db()
    assert first.state == RequestState.WITHDRAWN


@pytest.mark.parametrize(
    ("who", "services"),
    [("alice", ["declarer_is", "declarer_cvae"]), ("bob", ["declarer_is"])],
    ids=["other services", "another person"],
)
def test_another_request_is_not_a_repeat(alice, bob, martin, frozen, who, services):
    first = _adhere(alice, martin, ["declarer_is"])
    other = _adhere({"alice": alice, "bob": bob}[who], martin, services)
    assert other.pk != first.pk and _letters() == 2


def test_a_withdrawn_request_is_not_answered_again(alice, martin, frozen):
    from habilitations.postal.actions import withdraw

    first = _adhere(alice, martin, ["declarer_is"])
    withdraw(first.pk, alice)
    assert _adhere(alice, martin, ["declarer_is"]).pk != first.pk


@pytest.mark.django_db(transaction=True)
def test_two_identical_posts_at_the_same_instant_make_one_letter():
    if connection.vendor != "postgresql":
        pytest.skip("true concurrency needs PostgreSQL (SQLite serializes writers)")
    requester = SubscriberFactory()
    company = CompanyFactory(with_fiscal_address=True)
    results = run_concurrently(
        *[lambda: _adhere(requester, company, ["declarer_is"]) for _ in range(3)]
    )
    assert not [r for r in results if isinstance(r, Exception)], results
    assert len({r.pk for r in results}) == 1
    assert PostalRequest.objects.count() == 1 and _letters() == 1
