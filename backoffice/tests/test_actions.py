"""The agents' actions through their pages (docs/backoffice.md §4 to §8): each asks a reason,
does what it says through the domain's functions, and is written to the audit trail with the
agent and the reason, visible on the subscriber's or company's page."""

from datetime import timedelta

import pytest

from accounts import throttle
from accounts.models import PendingRegistration
from accounts.signals import credentials_revoked
from api.tokens import create_token
from audit.models import Action, AuditEvent
from backoffice.management.commands.create_agent import ready
from backoffice.models import Agent, UnfreezeRequest
from backoffice.roles import AgentRole
from backoffice.tests.helpers import AGENT_PASSWORD, log_in, make_agent
from companies.models import Company
from core import clock, context
from core.refusals import Refusal
from correspondence.models import Message
from habilitations.choices import Origin, RequestState, Role
from habilitations.models import Habilitation, PortfolioEntry
from habilitations.postal.activation import activate_services
from habilitations.postal.adhesion import submit_adhesion
from habilitations.postal.substitution import submit_substitution
from habilitations.rights.actions import grant
from tests.factories import CompanyFactory, HabilitationFactory, SubscriberFactory
from tests.helpers import PASSWORD, letter_code, link_for, login

pytestmark = pytest.mark.django_db
YEAR = timedelta(days=365)
REASON = {"reason": "Appel de la personne au 0809", "ticket": "T-42"}


@pytest.fixture
def gestion(client):
    log_in(client, make_agent(AgentRole.GESTION))
    return client


def _act(client, name, key, data=REASON):
    return client.post(f"/agents/actions/{name}/{key}/", data)


def _agent_event(action):
    event = AuditEvent.objects.filter(action=action).first()
    assert event is not None, action
    return event.details["agent"]


def test_an_action_without_reason_does_nothing(gestion):
    space = SubscriberFactory()
    response = _act(gestion, "freeze_space", space.subscriber_number, {"reason": "  "})
    assert response.status_code == 200
    assert "Saisissez le motif de cette action." in response.content.decode()
    space.refresh_from_db()
    assert not space.is_frozen


def test_unlocking_lets_a_locked_person_log_in(client, gestion):
    space = SubscriberFactory()
    person = type(client)()
    with context.acting(ip_address="127.0.0.1"):  # the test client's address
        for _ in range(5):
            throttle.count_failure(space.email)
    assert login(person, space.email, PASSWORD).status_code == 429
    _act(gestion, "unlock", space.subscriber_number)
    assert login(person, space.email, PASSWORD)["Location"] == "/espace/"
    agent = _agent_event(Action.LOGIN_UNLOCKED)
    assert agent["reason"] == REASON["reason"] and agent["ticket"] == "T-42"
    page = gestion.get(f"/agents/abonnes/{space.subscriber_number}/").content.decode()
    assert "Verrouillage de connexion levé" in page and REASON["reason"] in page


def test_ending_access_ends_sessions_and_tokens(client, gestion):
    space = SubscriberFactory()
    token, _ = create_token(space, "Logiciel comptable", ["dossiers:read"], clock.now() + YEAR)
    person = type(client)(HTTP_USER_AGENT="Mozilla/5.0 (Windows NT 10.0) Firefox/128.0")
    assert login(person, space.email, PASSWORD)["Location"] == "/espace/"
    page = gestion.get(f"/agents/abonnes/{space.subscriber_number}/").content.decode()
    assert "Logiciel comptable" in page and "actif" in page
    assert '<table id="sessions">' in page and "Firefox sur Windows" in page
    revoked = []

    def heard(**kwargs):
        revoked.append(kwargs["reason"])

    credentials_revoked.connect(heard)
    try:
        _act(gestion, "end_access", space.subscriber_number)
    finally:
        credentials_revoked.disconnect(heard)
    assert person.get("/espace/").status_code == 302
    assert revoked == ["agent"]
    token.refresh_from_db()
    assert token.revoked_at is not None
    page = gestion.get(f"/agents/abonnes/{space.subscriber_number}/").content.decode()
    assert "Logiciel comptable" in page and "révoqué le" in page
    assert '<p id="sessions">Aucune session ouverte.</p>' in page
    assert login(person, space.email, PASSWORD)["Location"] == "/espace/"


def test_a_frozen_space_cannot_log_in_and_a_second_agent_unfreezes_it(client):
    space = SubscriberFactory()
    company = CompanyFactory()
    HabilitationFactory(company=company, subscriber=space, code="declarer_tva")
    person = type(client)()
    person.force_login(space)
    gestion = type(client)()
    gestion_agent = make_agent(AgentRole.GESTION)
    log_in(gestion, gestion_agent)
    _act(gestion, "freeze_space", space.subscriber_number)
    assert person.get("/espace/").status_code == 302  # its session is over
    refused = login(person, space.email, PASSWORD)
    assert "0809 400 210" in refused.content.decode()
    assert Message.objects.filter(to=space.email, purpose="space_frozen").exists()
    # Four eyes: the requester cannot approve, another supervisor can.
    supervisor = make_agent(AgentRole.SUPERVISION)
    sup_client = type(client)()
    log_in(sup_client, supervisor)
    _act(sup_client, "request_unfreeze", space.subscriber_number)
    from backoffice.models import UnfreezeRequest

    row = UnfreezeRequest.objects.get()
    response = _act(sup_client, "approve_unfreeze", row.pk)
    assert "Le dégel doit être approuvé par un autre agent" in response.content.decode()
    other = type(client)()
    log_in(other, make_agent(AgentRole.SUPERVISION))
    _act(other, "approve_unfreeze", row.pk)
    assert login(person, space.email, PASSWORD)["Location"] == "/espace/"
    assert Message.objects.filter(to=space.email, purpose="space_unfrozen").exists()


def _created_by(client, role):
    """An agent created through the supervisor's page, made ready as its creator could (the
    activation code was shown to them)."""
    email = f"cree-{role}@agents.example.fr"
    data = {"email": email, "first_name": "Compte", "last_name": "Cree", "role": role, **REASON}
    assert client.post("/agents/agents/", data).status_code == 200
    agent = Agent.objects.get(email=email)
    ready(agent, AGENT_PASSWORD, None)
    agent.refresh_from_db()
    return agent


def test_an_unfreeze_is_not_approved_by_the_requesters_creature_nor_creator(client):
    """Review finding 4: a supervisor creates a second account, activates it with the code
    shown to them, and would approve their own request (or ask with it and approve)."""
    space = SubscriberFactory(frozen_at=clock.now())
    supervisor = make_agent(AgentRole.SUPERVISION)
    sup_client = type(client)()
    log_in(sup_client, supervisor)
    creature = _created_by(sup_client, AgentRole.SUPERVISION)
    assert creature.created_by == supervisor
    _act(sup_client, "request_unfreeze", space.subscriber_number)
    row = UnfreezeRequest.objects.get()
    creature_client = type(client)()
    log_in(creature_client, creature)
    refused = _act(creature_client, "approve_unfreeze", row.pk).content.decode()
    assert "approuvé par un agent qui" in refused
    space.refresh_from_db()
    assert space.is_frozen and UnfreezeRequest.objects.get().approved_at is None
    event = AuditEvent.objects.get(action=Action.AGENT_ACTION_REFUSED)
    assert event.details["refusal"] == "unfreeze.related_agent"
    assert event.details["agent"]["email"] == creature.email
    assert event.details["agent"]["reason"] == REASON["reason"]
    # The other way: the creature (gestion) asks, its creator approves.
    UnfreezeRequest.objects.all().delete()
    gestion_creature = _created_by(sup_client, AgentRole.GESTION)
    gestion_client = type(client)()
    log_in(gestion_client, gestion_creature)
    _act(gestion_client, "request_unfreeze", space.subscriber_number)
    row = UnfreezeRequest.objects.get()
    refused = _act(sup_client, "approve_unfreeze", row.pk).content.decode()
    assert "approuvé par un agent qui" in refused
    space.refresh_from_db()
    assert space.is_frozen
    # A supervisor unrelated to the requester approves.
    other = type(client)()
    log_in(other, make_agent(AgentRole.SUPERVISION))
    _act(other, "approve_unfreeze", row.pk)
    space.refresh_from_db()
    assert not space.is_frozen


def test_a_frozen_company_changes_no_habilitation_and_gets_no_letter(gestion):
    company = CompanyFactory(with_fiscal_address=True)
    alice, bob = SubscriberFactory(), SubscriberFactory()
    HabilitationFactory(company=company, subscriber=alice, code="declarer_tva")
    _act(gestion, "freeze_company", company.identifier)
    company.refresh_from_db()
    assert company.is_frozen
    with pytest.raises(Refusal) as refused:
        grant(company, bob, "declarer_is", Role.TITULAR_ADMIN, Origin.ADHESION)
    assert refused.value.code == "company.frozen"
    letters = Message.objects.filter(kind="letter").count()
    with pytest.raises(Refusal):
        submit_adhesion(bob, company, ["declarer_is"], link_for=link_for)
    assert Message.objects.filter(kind="letter").count() == letters
    assert Message.objects.filter(to=alice.email, purpose="company_frozen").exists()
    _act(gestion, "unfreeze_company", company.identifier)
    grant(company, bob, "declarer_is", Role.TITULAR_ADMIN, Origin.ADHESION)


def test_withdrawing_a_forged_substitution_letter_kills_its_code(gestion):
    company = CompanyFactory(with_fiscal_address=True)
    titular, forger = SubscriberFactory(), SubscriberFactory()
    HabilitationFactory(company=company, subscriber=titular, code="declarer_tva")
    req = submit_substitution(forger, company, ["declarer_tva"])
    code = letter_code(req)
    _act(gestion, "withdraw_code", req.pk)
    req.refresh_from_db()
    assert req.state == RequestState.WITHDRAWN
    assert Message.objects.filter(to=forger.email, purpose="postal_code_withdrawn").exists()
    with pytest.raises(Refusal) as refused:
        activate_services(forger, req.pk, code)
    assert refused.value.code == "postal.code_withdrawn"
    assert Habilitation.objects.get(company=company, service="declarer_tva").subscriber == titular
    page = gestion.get(f"/agents/entreprises/{company.identifier}/").content.decode()
    assert "Code du courrier retiré" in page and REASON["reason"] in page


def test_reissuing_a_letter_to_a_corrected_address(gestion):
    company = CompanyFactory(with_fiscal_address=True)
    alice = SubscriberFactory()
    req = submit_adhesion(alice, company, ["declarer_tva"], link_for=link_for)
    old = letter_code(req)
    gestion.post(
        f"/agents/entreprises/{company.identifier}/corriger/",
        {
            "name": company.name,
            "street_line": "1 RUE NEUVE",
            "postal_code": "13001",
            "city": "MARSEILLE",
            "country": "FRANCE",
            **REASON,
        },
    )
    _act(gestion, "reissue_letter", req.pk)
    req.refresh_from_db()
    assert "13001 MARSEILLE" in req.letter.address
    new = letter_code(req)
    assert new != old
    with pytest.raises(Refusal):
        activate_services(alice, req.pk, old)
    activate_services(alice, req.pk, new)
    assert Habilitation.objects.filter(company=company, subscriber=alice).exists()


def test_resending_and_cancelling_a_pending_registration(gestion, registration):
    from accounts.flows.registration import submit_registration
    from accounts.flows.space_activation import activate_space
    from tests.helpers import last_code_sent_to

    pending = submit_registration(registration)
    old = last_code_sent_to(pending.email)
    _act(gestion, "resend_activation", pending.pk)
    new = last_code_sent_to(pending.email)
    assert new != old
    with pytest.raises(Refusal):
        activate_space(pending.email, old)
    _act(gestion, "cancel_registration", pending.pk)
    assert not PendingRegistration.objects.exists()
    assert _agent_event(Action.REGISTRATION_CANCELLED)["reason"] == REASON["reason"]


def test_an_idsp_is_issued_used_for_an_adhesion_and_converted_to_a_siren(gestion):
    response = gestion.post(
        "/agents/idsp/",
        {
            "name": "Atelier Lumière GmbH",
            "street_line": "Hauptstrasse 5",
            "postal_code": "10115",
            "city": "Berlin",
            "country": "Allemagne",
            **REASON,
        },
    )
    company = Company.objects.get(name="ATELIER LUMIÈRE GMBH")
    assert company.identifier.startswith("P") and len(company.identifier) == 9
    assert response["Location"] == f"/agents/entreprises/{company.identifier}/"
    alice = SubscriberFactory()
    req = submit_adhesion(alice, company, ["declarer_tva"], link_for=link_for)
    assert "ALLEMAGNE" in req.letter.address
    activate_services(alice, req.pk, letter_code(req))
    response = gestion.post(
        f"/agents/entreprises/{company.identifier}/siren/", {"siren": "732 829 320", **REASON}
    )
    company.refresh_from_db()
    assert company.identifier == "732829320" and company.previous_identifier.startswith("P")
    assert Habilitation.objects.get(subscriber=alice).company == company
    assert PortfolioEntry.objects.get(subscriber=alice).identifier == "732829320"
    found = gestion.get("/agents/entreprises/?q=" + company.previous_identifier).content.decode()
    assert "732829320" in found


def test_look_ups(gestion):
    space = SubscriberFactory(last_name="Berthelot", first_name="Agnès")
    company = CompanyFactory(name="BOULANGERIE DE L'ÉGLISE")
    for query in (space.email.upper(), space.subscriber_number, "berth", "Berthelot Ag"):
        page = gestion.get("/agents/abonnes/", {"q": query}).content.decode()
        assert space.subscriber_number in page, query
    for query in (company.identifier, "eglise boul", "Boulangerie"):
        page = gestion.get("/agents/entreprises/", {"q": query}).content.decode()
        assert company.identifier in page, query


def test_the_subscriber_page_never_shows_codes(gestion, registration):
    space = SubscriberFactory()
    from correspondence.mail import send_email

    send_email(
        "space_activation_code",
        space.email,
        {"code": "SECRET123456", "hours": 48, "expires_at": None},
    )
    page = gestion.get(f"/agents/abonnes/{space.subscriber_number}/").content.decode()
    assert "SECRET123456" not in page
    assert "Aucun jeton." in page
