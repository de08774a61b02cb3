"""Delegation requests against abuse (docs/habilitations.md §12.5, review findings 5 and 6): no
link in the message, previews and refused single requests counted, a frozen company answered like
a busy one."""

import re
from datetime import timedelta

import pytest
import time_machine

from audit.models import Action, AuditEvent
from companies.freezing import freeze
from core.refusals import Refusal
from correspondence.models import Message
from habilitations.delegation_requests import actions as delegation_requests
from habilitations.models import DelegationRequest, Role
from tests.factories import CompanyFactory, HabilitationFactory, SubscriberFactory
from tests.helpers import CURRENT_TIME

pytestmark = pytest.mark.django_db

WANTED = delegation_requests.Wanted(levels={"declarer_tva": Role.ACTOR})


@pytest.fixture
def firm():
    return SubscriberFactory(company_identifier="732829320", company_name="CABINET COMPTA")


@pytest.fixture
def company(alice):
    company = CompanyFactory()
    HabilitationFactory(company=company, subscriber=alice, code="declarer_tva")
    return company


@pytest.mark.parametrize(
    "message",
    [
        "Connectez-vous sur https://impots-gouv.example/valider",
        "Voir http://cabinet.example",
        "Rendez-vous sur www.cabinet-compta.fr pour confirmer",
        "Validez sur cabinet-compta.fr/confirmer avant vendredi",
        "hxxp://detour",
        "Validez sur impots-gouv .fr avant vendredi",
        "Validez sur impots-gouv. fr avant vendredi",
        "Validez sur impots-gouv\uff0efr avant vendredi",
    ],
)
def test_a_message_with_a_link_is_refused_and_nothing_is_sent(firm, company, message):
    with pytest.raises(Refusal) as refused:
        delegation_requests.submit(firm, company, WANTED, message)
    assert refused.value.code == "delegation_request.link_in_message"
    assert refused.value.field == "message"
    assert not DelegationRequest.objects.exists()
    assert not Message.objects.filter(purpose="delegation_request_received").exists()


@pytest.mark.parametrize(
    "message",
    [
        "Nous tenons votre comptabilité depuis janvier.",
        "Écrivez-moi à fanny@cabinet-compta.fr. M. Dupont, S.A.R.L. Dupont, taux 12.5 %.",
        "Cabinet SIREN 732 829 320 (SIRET 73282932000074), mission du 01/02/2024, 1 250 €.",
    ],
)
def test_a_message_without_link_is_sent(firm, company, message):
    assert delegation_requests.submit(firm, company, WANTED, message).message == message


@pytest.mark.parametrize(
    "message", ["Rappelez-nous au 06 12 34 56 78", "Un doute ? +33 1 23 45 67 89", "0 800 123 456"]
)
def test_a_message_with_a_phone_number_is_refused_and_nothing_is_sent(firm, company, message):
    with pytest.raises(Refusal) as refused:
        delegation_requests.submit(firm, company, WANTED, message)
    assert refused.value.code == "delegation_request.phone_in_message"
    assert refused.value.field == "message"
    assert not DelegationRequest.objects.exists()
    assert not Message.objects.filter(purpose="delegation_request_received").exists()


def test_previews_are_counted_per_requester(firm, company, settings):
    settings.RATE_LIMITS = {**settings.RATE_LIMITS, "delegation_request.preview": "2/1h"}
    with time_machine.travel(CURRENT_TIME, tick=False) as traveller:
        for _ in range(2):
            assert delegation_requests.preview(firm, [company], WANTED).asked
        for _ in range(2):
            with pytest.raises(Refusal) as refused:
                delegation_requests.preview(firm, [company], WANTED)
            assert refused.value.code == "delegation_request.too_many_previews"
        assert re.search(r"réessayez dans \d+ min\.", refused.value.message)
        # Audited once per window; another requester is not held back.
        assert AuditEvent.objects.filter(action=Action.RATE_LIMITED).count() == 1
        assert delegation_requests.preview(SubscriberFactory(), [company], WANTED).asked
        traveller.shift(timedelta(hours=1))
        assert delegation_requests.preview(firm, [company], WANTED).asked


def test_single_requests_refused_for_their_company_are_counted_per_requester(
    firm, company, settings
):
    """One SIREN at a time, a refusal tells which services a company has an administrator
    for: counted like the previews of a list, so that it cannot probe companies either."""
    settings.RATE_LIMITS = {**settings.RATE_LIMITS, "delegation_request.refused": "3/1h"}
    no_admin = [CompanyFactory() for _ in range(4)]
    with time_machine.travel(CURRENT_TIME, tick=False) as traveller:
        # Sent requests and requests refused whole (nothing learnt of the company) cost nothing.
        for _ in range(4):
            with pytest.raises(Refusal, match="ne peut pas contenir de lien"):
                delegation_requests.submit(firm, company, WANTED, "www.cabinet.example")
        sent = [delegation_requests.submit(firm, c, WANTED) for c in [company, *_administered(3)]]
        assert len(sent) == 4
        for target in no_admin[:3]:
            with pytest.raises(Refusal) as refused:
                delegation_requests.submit(firm, target, WANTED)
            assert refused.value.code == "delegation_request.no_administrator"
        # The fourth refusal of the hour is not reached: the company is not even looked at,
        # and a company that would accept is refused alike.
        for target in (no_admin[3], *_administered(1)):
            with pytest.raises(Refusal) as refused:
                delegation_requests.submit(firm, target, WANTED)
            assert refused.value.code == "delegation_request.too_many_refused"
            assert re.search(r"refusées : réessayez dans \d+ min\.", refused.value.message)
        assert DelegationRequest.objects.filter(requester=firm).count() == 4
        assert (
            AuditEvent.objects.filter(
                action=Action.RATE_LIMITED, details__limit="delegation_request.refused"
            ).count()
            == 1
        )
        # Another requester is not held back; the next hour, the firm may ask again.
        assert delegation_requests.submit(SubscriberFactory(), _administered(1)[0], WANTED)
        traveller.shift(timedelta(hours=1))
        assert delegation_requests.submit(firm, _administered(1)[0], WANTED)


def _administered(count: int) -> list:
    companies = [CompanyFactory() for _ in range(count)]
    for c in companies:
        HabilitationFactory(company=c, code="declarer_tva")
    return companies


def test_a_frozen_company_is_refused_like_a_busy_one(firm, company, settings):
    settings.RATE_LIMITS = {**settings.RATE_LIMITS, "delegation_request.company": "1/1d"}
    busy = CompanyFactory()
    HabilitationFactory(company=busy, code="declarer_tva")
    delegation_requests.submit(SubscriberFactory(), busy, WANTED)
    freeze(company)
    result = delegation_requests.submit_many(firm, [company, busy], WANTED)
    (_, frozen_why), (_, busy_why) = result.refused
    assert frozen_why.code == busy_why.code == "delegation_request.unavailable"
    assert frozen_why.message == busy_why.message
    assert "gel" not in frozen_why.message
    # The audit keeps the cause the firm is not told.
    causes = AuditEvent.objects.filter(action=Action.DELEGATION_REQUEST_NOT_SENT).values_list(
        "target", "details__cause"
    )
    assert set(causes) == {(company.identifier, "frozen"), (busy.identifier, "busy")}
