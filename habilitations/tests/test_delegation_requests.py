"""Delegation requests (docs/habilitations.md §12): a firm asks, the company's administrators
answer through the delegation rules that exist."""

from datetime import timedelta

import pytest
import time_machine

from audit.models import Action, AuditEvent
from core.refusals import Refusal
from correspondence.models import Message
from habilitations.delegation_requests import actions as delegation_requests
from habilitations.delegation_requests import answers
from habilitations.delegation_requests import queries as request_queries
from habilitations.delegation_requests.states import expire_all
from habilitations.models import DelegationRequest, DelegationRequestState, Habilitation, Role
from habilitations.rights.queries import rights_on
from tests.factories import CompanyFactory, HabilitationFactory, SubscriberFactory
from tests.helpers import CURRENT_TIME

pytestmark = pytest.mark.django_db

AD, AC = Role.DELEGATING_ACTOR, Role.ACTOR


@pytest.fixture
def firm():
    return SubscriberFactory(
        first_name="Fanny",
        last_name="Comptable",
        company_identifier="732829320",
        company_name="CABINET COMPTA",
        email="fanny@cabinet.example",
    )


@pytest.fixture
def client_company(alice):
    """A company whose AT of Déclarer TVA and Payer is Alice; Bob is the AS of Payer."""
    company = CompanyFactory(name="BOULANGERIE DUPAIN")
    HabilitationFactory(company=company, subscriber=alice, code="declarer_tva")
    HabilitationFactory(company=company, subscriber=alice, code="payer")
    return company


def _wanted(**levels) -> delegation_requests.Wanted:
    return delegation_requests.Wanted(levels={code: Role(role) for code, role in levels.items()})


def test_a_request_tells_the_administrators_of_the_services_concerned(
    firm, client_company, alice, bob
):
    HabilitationFactory(
        company=client_company, subscriber=bob, code="payer", deputy_admin=True, by=alice
    )
    other = SubscriberFactory()
    HabilitationFactory(company=client_company, subscriber=other, code="declarer_is")
    with time_machine.travel(CURRENT_TIME, tick=False):
        req = delegation_requests.submit(
            firm, client_company, _wanted(declarer_tva=AD, payer_tva=AC), "Bonjour"
        )
    assert req.state == DelegationRequestState.PENDING
    assert req.expires_at == CURRENT_TIME + timedelta(days=21)
    received = {m.to: m for m in Message.objects.filter(purpose="delegation_request_received")}
    # Alice (AT of both) and Bob (AS of Payer); not the AT of a service not asked for.
    assert set(received) == {alice.email, bob.email}
    body = received[alice.email].body
    assert "« CABINET COMPTA »" in body and firm.subscriber_number in body
    # The firm's name and SIREN are what the requester declares: said to be unverified.
    assert (
        "Cabinet déclaré par le demandeur : « CABINET COMPTA » (SIREN ou équivalent 732829320), "
        "non vérifié" in body
    )
    assert "Déclarer TVA : Acteur délégant" in body and "Payer TVA : Acteur" in body
    assert "http" not in body  # no link: answering needs the administrator logged in
    assert AuditEvent.objects.filter(action=Action.DELEGATION_REQUEST_SENT).count() == 1
    # Both find it in their space; the other administrator does not.
    assert list(request_queries.received(alice)) == [req]
    assert list(request_queries.received(bob)) == [req]
    assert list(request_queries.received(other)) == []


def test_a_service_without_administrator_is_refused_with_the_way_to_adhesion(firm, client_company):
    with pytest.raises(Refusal) as refused:
        delegation_requests.submit(firm, client_company, _wanted(declarer_is=AC))
    assert refused.value.code == "delegation_request.no_administrator"
    assert "Adhérer aux services en ligne" in refused.value.message
    bare = CompanyFactory()
    with pytest.raises(Refusal) as refused:
        delegation_requests.submit(firm, bare, delegation_requests.Wanted(every=AC))
    assert refused.value.code == "delegation_request.no_administrator_at_all"
    assert not DelegationRequest.objects.exists()


def test_one_level_for_all_asks_every_service_the_company_administers(firm, client_company):
    req = delegation_requests.submit(firm, client_company, delegation_requests.Wanted(every=AC))
    codes = sorted(i.elementary_service for i in req.items.all())
    assert len(codes) == 10 and "declarer_tva" in codes and "payer_cvae" in codes


def test_a_duplicate_pending_request_is_refused_until_withdrawn(firm, client_company):
    first = delegation_requests.submit(firm, client_company, _wanted(declarer_tva=AC))
    with pytest.raises(Refusal) as refused:
        delegation_requests.submit(firm, client_company, _wanted(declarer_tva=AC))
    assert refused.value.code == "delegation_request.duplicate"
    delegation_requests.withdraw(firm, first.pk)
    assert Message.objects.filter(purpose="delegation_request_update", to=firm.email).exists()
    delegation_requests.submit(firm, client_company, _wanted(declarer_tva=AC))
    # A withdrawn request can no longer be withdrawn, nor answered.
    with pytest.raises(Refusal) as refused:
        delegation_requests.withdraw(firm, first.pk)
    assert refused.value.code == "delegation_request.closed"


def test_the_administrators_told_of_a_request_are_told_of_its_withdrawal(
    firm, client_company, alice, bob
):
    HabilitationFactory(
        company=client_company, subscriber=bob, code="payer", deputy_admin=True, by=alice
    )
    other = SubscriberFactory()
    HabilitationFactory(company=client_company, subscriber=other, code="declarer_is")
    with time_machine.travel(CURRENT_TIME, tick=False) as traveller:
        req = delegation_requests.submit(
            firm, client_company, _wanted(declarer_tva=AD, payer_tva=AC)
        )
        told = set(
            Message.objects.filter(purpose="delegation_request_received").values_list(
                "to", flat=True
            )
        )
        traveller.shift(timedelta(days=2))
        delegation_requests.withdraw(firm, req.pk)
    withdrawn = {m.to: m for m in Message.objects.filter(purpose="delegation_request_withdrawn")}
    # One e-mail each to those told (Alice, AT of both; Bob, AS of Payer), none to the AT of a
    # service not asked for, nor to the firm (it gets its own update).
    assert set(withdrawn) == told == {alice.email, bob.email}
    assert Message.objects.filter(purpose="delegation_request_update", to=firm.email).exists()
    message = withdrawn[bob.email]
    assert message.subject == "Demande de délégation retirée pour BOULANGERIE DUPAIN"
    assert f"(abonné {firm.subscriber_number}) avait adressée le 02/03/2026" in message.body
    assert "retirée par son auteur le 04/03/2026" in message.body
    assert "Déclarer TVA : Acteur délégant" in message.body and "Payer TVA : Acteur" in message.body
    assert "Vous n'avez plus à y répondre" in message.body
    assert "http" not in message.body  # no link, as the other e-mails of requests


def test_the_first_answer_is_final_and_says_who_gave_it_and_when(firm, client_company, alice, bob):
    """Two administrators, each of a service asked: the first to answer answers for the
    company (§12.3); the other is told who answered and when, and may still delegate directly."""
    HabilitationFactory(
        company=client_company, subscriber=bob, code="payer", deputy_admin=True, by=alice
    )
    req = delegation_requests.submit(firm, client_company, _wanted(declarer_tva=AD, payer_tva=AC))
    with time_machine.travel(CURRENT_TIME, tick=False) as traveller:
        # Bob, AS of Payer, cannot grant Déclarer TVA: his answer leaves it ungranted.
        answers.accept(bob, req.pk, {"payer_tva": AC})
        traveller.shift(timedelta(hours=3))
        told = f"elle a été acceptée en partie par {bob.display_name} le 02/03/2026 à 10:30."
        for attempt in (
            lambda: answers.accept(alice, req.pk, {"declarer_tva": AD, "payer_tva": AC}),
            lambda: answers.refuse(alice, req.pk, "Non"),
            lambda: delegation_requests.withdraw(firm, req.pk),
        ):
            with pytest.raises(Refusal) as refused:
                attempt()
            assert refused.value.code == "delegation_request.closed"
            assert told in refused.value.message
    req.refresh_from_db()
    assert req.state == DelegationRequestState.PARTLY_ACCEPTED and req.answered_by == bob
    held = Habilitation.objects.filter(subscriber=firm).values_list("elementary_service", "role")
    assert list(held) == [("payer_tva", AC)]


def test_accepting_in_full_designates_the_requester(firm, client_company, alice):
    req = delegation_requests.submit(firm, client_company, _wanted(declarer_tva=AD, payer_tva=AC))
    answers.accept(alice, req.pk, {"declarer_tva": AD, "payer_tva": AC}, "Bienvenue")
    req.refresh_from_db()
    assert req.state == DelegationRequestState.ACCEPTED and req.answered_by == alice
    roles = dict(
        Habilitation.objects.filter(subscriber=firm).values_list("elementary_service", "role")
    )
    assert roles == {"declarer_tva": AD, "payer_tva": AC}
    update = Message.objects.get(purpose="delegation_request_update", to=firm.email)
    assert "acceptée" in update.subject and "« Bienvenue »" in update.body
    # One e-mail to the firm, not a second notice from the designation.
    assert not Message.objects.filter(purpose="delegation_notice").exists()


def test_accepting_a_part_or_a_lower_level(firm, client_company, alice):
    req = delegation_requests.submit(firm, client_company, _wanted(declarer_tva=AD, payer_tva=AC))
    answers.accept(alice, req.pk, {"declarer_tva": AC, "payer_tva": None})
    req.refresh_from_db()
    assert req.state == DelegationRequestState.PARTLY_ACCEPTED
    assert list(
        Habilitation.objects.filter(subscriber=firm).values_list("elementary_service", "role")
    ) == [("declarer_tva", AC)]


def test_accepting_never_grants_more_than_asked_nor_than_the_acceptor_holds(
    firm, client_company, alice, bob
):
    req = delegation_requests.submit(firm, client_company, _wanted(declarer_tva=AC))
    with pytest.raises(Refusal) as refused:
        answers.accept(alice, req.pk, {"declarer_tva": AD})
    assert refused.value.code == "delegation_request.above_asked"
    # Bob is a delegating actor on Déclarer TVA: not an administrator, he does not receive it.
    HabilitationFactory(
        company=client_company, subscriber=bob, code="declarer_tva", delegating_actor=True, by=alice
    )
    with pytest.raises(Refusal) as refused:
        answers.accept(bob, req.pk, {"declarer_tva": AC})
    assert refused.value.code == "delegation_request.unknown"
    # An AS of Payer receives a request for Payer TVA and Déclarer TVA, but may grant only Payer.
    carol = SubscriberFactory()
    HabilitationFactory(
        company=client_company, subscriber=carol, code="payer", deputy_admin=True, by=alice
    )
    delegation_requests.withdraw(firm, req.pk)
    both = delegation_requests.submit(firm, client_company, _wanted(declarer_tva=AD, payer_tva=AD))
    both_for_carol, rights = request_queries.received_one(carol, both.pk)
    offered = {
        o.item.elementary_service: o.levels for o in request_queries.options(rights, both_for_carol)
    }
    assert offered == {"declarer_tva": (), "payer_tva": (AD, AC)}
    with pytest.raises(Refusal) as refused:
        answers.accept(carol, both.pk, {"declarer_tva": AD, "payer_tva": AD})
    assert refused.value.code == "delegation.above_granter"
    assert not Habilitation.objects.filter(subscriber=firm).exists()  # all or nothing
    answers.accept(carol, both.pk, {"payer_tva": AD})
    assert Habilitation.objects.get(subscriber=firm).elementary_service == "payer_tva"


def test_a_refused_request_grants_nothing_and_can_block_the_firm(firm, client_company, alice):
    req = delegation_requests.submit(firm, client_company, _wanted(declarer_tva=AC))
    answers.refuse(alice, req.pk, "Nous ne vous connaissons pas", block=True)
    req.refresh_from_db()
    assert req.state == DelegationRequestState.REFUSED
    assert not Habilitation.objects.filter(subscriber=firm).exists()
    with pytest.raises(Refusal) as refused:
        answers.accept(alice, req.pk, {"declarer_tva": AC})
    assert refused.value.code == "delegation_request.closed"
    # Blocked: the requesting space cannot ask again.
    with pytest.raises(Refusal) as refused:
        delegation_requests.submit(firm, client_company, _wanted(declarer_tva=AC))
    assert refused.value.code == "delegation_request.blocked"
    # Another space declaring the same firm SIREN is not blocked (the SIREN is declared, not
    # verified: blocking on it would let anyone get a real firm blocked), nor another firm.
    delegation_requests.submit(
        SubscriberFactory(company_identifier=firm.company_identifier),
        client_company,
        _wanted(declarer_tva=AC),
    )
    delegation_requests.submit(
        SubscriberFactory(company_identifier="552100554"), client_company, _wanted(declarer_tva=AC)
    )
    block = request_queries.blocks(alice, client_company).get()
    answers.unblock(alice, block.pk)
    delegation_requests.submit(firm, client_company, _wanted(declarer_tva=AC))


def test_an_expired_request_cannot_be_accepted_and_grants_nothing(firm, client_company, alice):
    with time_machine.travel(CURRENT_TIME, tick=False) as traveller:
        req = delegation_requests.submit(firm, client_company, _wanted(declarer_tva=AC))
        traveller.shift(timedelta(days=21))
        assert req.current_state == DelegationRequestState.EXPIRED
        with pytest.raises(Refusal) as refused:
            answers.accept(alice, req.pk, {"declarer_tva": AC})
    assert refused.value.code == "delegation_request.expired"
    req.refresh_from_db()
    assert req.state == DelegationRequestState.EXPIRED  # written down when used
    assert not Habilitation.objects.filter(subscriber=firm).exists()
    assert Message.objects.filter(purpose="delegation_requests_expired", to=firm.email).count() == 1
    assert AuditEvent.objects.filter(action=Action.DELEGATION_REQUEST_EXPIRED).count() == 1


def test_the_daily_job_writes_expiry_down_and_tells_each_firm_once(firm, client_company):
    other = CompanyFactory()
    HabilitationFactory(company=other, code="declarer_tva")
    with time_machine.travel(CURRENT_TIME, tick=False) as traveller:
        delegation_requests.submit_many(firm, [client_company, other], _wanted(declarer_tva=AC))
        traveller.shift(timedelta(days=20))
        assert expire_all() == 0
        traveller.shift(timedelta(days=1))
        assert expire_all() == 2
        assert expire_all() == 0
    assert Message.objects.filter(purpose="delegation_requests_expired").count() == 1


def test_a_csv_of_companies_is_planned_line_by_line(firm, client_company):
    bare = CompanyFactory()
    plan = delegation_requests.plan(firm, [client_company, bare], _wanted(declarer_tva=AC))
    assert [c for c, _ in plan.asked] == [client_company]
    assert [(c, r.code) for c, r in plan.refused] == [(bare, "delegation_request.no_administrator")]
    result = delegation_requests.submit_many(firm, [client_company, bare], _wanted(declarer_tva=AC))
    assert len(result.requests) == 1
    assert AuditEvent.objects.filter(action=Action.DELEGATION_REQUEST_NOT_SENT).count() == 1


def test_what_the_requester_already_holds_is_not_asked_again(firm, client_company, alice):
    HabilitationFactory(
        company=client_company,
        subscriber=firm,
        code="declarer_tva",
        delegating_actor=True,
        by=alice,
    )
    with pytest.raises(Refusal) as refused:
        delegation_requests.submit(firm, client_company, _wanted(declarer_tva=AC))
    assert refused.value.code == "delegation_request.already_held"
    req = delegation_requests.submit(firm, client_company, _wanted(declarer_tva=AD, payer_tva=AC))
    assert [i.elementary_service for i in req.items.all()] == ["payer_tva"]


def test_limits_per_requester_and_per_company(firm, client_company, settings):
    settings.DELEGATION_REQUESTS_PENDING_PER_REQUESTER = 2
    companies = [CompanyFactory() for _ in range(3)]
    for company in companies:
        HabilitationFactory(company=company, code="declarer_tva")
    with pytest.raises(Refusal) as refused:
        delegation_requests.submit_many(firm, companies, _wanted(declarer_tva=AC))
    assert refused.value.code == "delegation_request.too_many_pending"
    assert not DelegationRequest.objects.exists()
    settings.DELEGATION_REQUESTS_PENDING_PER_REQUESTER = 100
    settings.RATE_LIMITS = {**settings.RATE_LIMITS, "delegation_request.requester": "2/1d"}
    with pytest.raises(Refusal) as refused:
        delegation_requests.submit_many(firm, companies, _wanted(declarer_tva=AC))
    assert refused.value.code == "delegation_request.too_many_today"
    settings.RATE_LIMITS = {
        **settings.RATE_LIMITS,
        "delegation_request.requester": "100/1d",
        "delegation_request.company": "1/1d",
    }
    delegation_requests.submit(SubscriberFactory(), client_company, _wanted(declarer_tva=AC))
    result = delegation_requests.submit_many(
        firm, [client_company, *companies], _wanted(declarer_tva=AC)
    )
    assert [r.code for _, r in result.refused] == ["delegation_request.unavailable"]
    assert len(result.requests) == 3


def test_history_is_the_same_on_both_sides(firm, client_company, alice):
    req = delegation_requests.submit(firm, client_company, _wanted(declarer_tva=AD))
    answers.accept(alice, req.pk, {"declarer_tva": AC})
    req = request_queries.sent(firm).get()
    lines = [text for _, text in request_queries.history(req)]
    assert lines[0].startswith("Demande envoyée par")
    assert lines[1] == (f"Acceptée en partie par {alice.display_name} : Déclarer TVA (Acteur)")
    assert rights_on(firm, client_company).role_on("declarer_tva") == AC


def test_a_frozen_company_can_neither_be_asked_nor_grant_a_pending_request(
    firm, client_company, alice
):
    from companies.freezing import freeze, unfreeze

    pending = delegation_requests.submit(firm, client_company, _wanted(declarer_tva=AC))
    freeze(client_company)
    # In a list of companies, the frozen one is a refused line; the others are asked.
    other = CompanyFactory()
    HabilitationFactory(company=other, subscriber=alice, code="declarer_tva")
    result = delegation_requests.submit_many(
        SubscriberFactory(), [client_company, other], _wanted(declarer_tva=AC)
    )
    assert [c for c, _ in result.asked] == [other]
    assert [(c, why.code) for c, why in result.refused] == [
        (client_company, "delegation_request.unavailable")
    ]
    with pytest.raises(Refusal) as refused:
        delegation_requests.submit(
            SubscriberFactory(company_identifier="552100554"), client_company, _wanted(payer_tva=AC)
        )
    assert refused.value.code == "delegation_request.unavailable"
    with pytest.raises(Refusal) as refused:
        answers.accept(alice, pending.pk, {"declarer_tva": AC})
    assert refused.value.code == "company.frozen"
    assert not Habilitation.objects.filter(subscriber=firm).exists()
    pending.refresh_from_db()
    assert pending.state == DelegationRequestState.PENDING
    unfreeze(client_company)
    answers.accept(alice, pending.pk, {"declarer_tva": AC})
    assert Habilitation.objects.filter(subscriber=firm, elementary_service="declarer_tva").exists()
    # Withdrawing changes no right: allowed while the company is frozen.
    later = delegation_requests.submit(firm, client_company, _wanted(payer_tva=AC))
    freeze(client_company)
    assert delegation_requests.withdraw(firm, later.pk).state == DelegationRequestState.WITHDRAWN
