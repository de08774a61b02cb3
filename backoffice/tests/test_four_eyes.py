"""Four eyes that one supervisor cannot defeat alone (docs/backoffice.md §1.1, §7.2.1): a new
agent's activation code goes by e-mail to the agent, never to its creator; and an approver who
may hide the requester (the creator or creature, or a common sponsor while an account is
young) is refused, in the domain and through the pages, audited."""

import html
from datetime import timedelta

import pytest
import time_machine

from audit.models import Action, AuditEvent
from backoffice import agent_accounts, auth, four_eyes, unfreeze
from backoffice.guards import acting_agent
from backoffice.models import Agent, UnfreezeRequest
from backoffice.roles import AgentRole
from backoffice.tests.helpers import AGENT_PASSWORD, log_in, make_agent
from core import clock
from core.refusals import Refusal
from correspondence.models import Message
from tests.factories import SubscriberFactory
from tests.helpers import CURRENT_TIME, last_code_sent_to, last_email_to

pytestmark = pytest.mark.django_db
REASON = {"reason": "Nouvel agent du service", "ticket": ""}
PERIOD = timedelta(days=30)


def _code(requester, approver):
    refusal = four_eyes.approval_refusal(requester, approver)
    return refusal and refusal.code


# --- the route of the activation code ------------------------------------------------------


def test_the_creating_supervisor_is_never_shown_the_activation_code(client):
    supervisor = make_agent(AgentRole.SUPERVISION)
    log_in(client, supervisor)
    data = {"email": "Nouvelle@Agents.example.fr", "first_name": "Nora", "last_name": "Neuve"}
    response = client.post("/agents/agents/", {**data, "role": "gestion", **REASON})
    page = html.unescape(response.content.decode())
    code = last_code_sent_to("nouvelle@agents.example.fr")
    assert code not in page
    assert "Un courriel avec le code d'activation est envoyé à nouvelle@agents.example.fr" in page
    mail = last_email_to("nouvelle@agents.example.fr", "agent_activation_code")
    assert supervisor.full_name in mail.body and "/agents/activation/" in mail.body
    created = Agent.objects.get(email="nouvelle@agents.example.fr")
    assert created.created_by == supervisor
    event = AuditEvent.objects.get(action=Action.AGENT_CREATED, target=created.email)
    assert event.details["created_by"]["id"] == str(supervisor.pk)
    assert event.details["agent"]["reason"] == REASON["reason"]


def test_the_new_agent_activates_with_the_emailed_code(client):
    agent = agent_accounts.create_agent(
        "arrivee@agents.example.fr", "Aline", "Arrivee", "assistance"
    )
    response = client.post(
        "/agents/activation/",
        {
            "email": agent.email,
            "code": last_code_sent_to(agent.email),
            "password1": AGENT_PASSWORD,
            "password2": AGENT_PASSWORD,
        },
    )
    assert response["Location"] == "/agents/activation/application/"


@pytest.mark.parametrize(
    ("email", "message"),
    [
        ("moi+second@agents.example.fr", "ne peut pas contenir « + »"),
        ("quelquun@gmail.com", "doit être son adresse professionnelle (agents.example.fr)"),
    ],
)
def test_an_agent_address_is_one_professional_mailbox(client, settings, email, message):
    settings.AGENT_EMAIL_DOMAINS = ["agents.example.fr"]
    log_in(client, make_agent(AgentRole.SUPERVISION))
    data = {"email": email, "first_name": "Ali", "last_name": "Autre", "role": "gestion"}
    page = client.post("/agents/agents/", {**data, **REASON}).content.decode()
    assert message in page
    assert not Agent.objects.filter(email=email).exists()
    assert not Message.objects.filter(to=email).exists()


def test_a_supervisor_resends_the_activation_code_by_email_only(client):
    supervisor = make_agent(AgentRole.SUPERVISION)
    log_in(client, supervisor)
    agent = agent_accounts.create_agent(
        "lente@agents.example.fr", "Lea", "Lente", "gestion", by=supervisor
    )
    old = last_code_sent_to(agent.email)
    response = client.post(f"/agents/actions/resend_agent_activation/{agent.pk}/", REASON)
    new = last_code_sent_to(agent.email)
    assert new != old
    assert new not in client.get(response["Location"]).content.decode()
    with pytest.raises(Refusal):
        agent_accounts.activate(_session_request(), agent.email, old, AGENT_PASSWORD)
    agent_accounts.activate(_session_request(), agent.email, new, AGENT_PASSWORD)
    event = AuditEvent.objects.get(action=Action.AGENT_ACTIVATION_SENT)
    assert event.details["agent"]["email"] == supervisor.email
    # Once activated, a code is not resent (a reset of the second factor is another matter).
    response = client.post(f"/agents/actions/resend_agent_activation/{agent.pk}/", REASON)
    assert "Ce compte est déjà activé" in response.content.decode()


def _session_request():
    from django.contrib.sessions.backends.db import SessionStore
    from django.test import RequestFactory

    request = RequestFactory().post("/")
    request.session = SessionStore()
    return request


# --- the rule, in the domain ---------------------------------------------------------------


def test_an_agent_never_approves_for_its_creator_nor_its_creator_for_it():
    with time_machine.travel(CURRENT_TIME, tick=False) as traveller:
        creator = make_agent(AgentRole.SUPERVISION)
        creature = make_agent(AgentRole.SUPERVISION, by=creator)
        assert _code(creator, creator) == "unfreeze.same_agent"
        assert _code(creator, creature) == "unfreeze.related_agent"
        assert _code(creature, creator) == "unfreeze.related_agent"
        traveller.shift(PERIOD * 10)  # whatever their age
        assert _code(creator, creature) == "unfreeze.related_agent"


def test_two_agents_of_one_creator_are_not_four_eyes_while_one_is_young():
    """The bypass of review finding 4: a supervisor creates two accounts (one asks, the other
    approves); the codes went to addresses the supervisor chose."""
    with time_machine.travel(CURRENT_TIME, tick=False) as traveller:
        creator = make_agent(AgentRole.SUPERVISION)
        asks = make_agent(AgentRole.GESTION, by=creator)
        traveller.shift(PERIOD * 2)  # the first is old, the second young: still refused
        approves = make_agent(AgentRole.SUPERVISION, by=creator)
        assert _code(asks, approves) == "unfreeze.shared_sponsor"
        traveller.shift(PERIOD - timedelta(minutes=1))
        assert _code(asks, approves) == "unfreeze.shared_sponsor"
        traveller.shift(timedelta(minutes=2))  # both older than the period
        assert _code(asks, approves) is None
        # A young requester of the same creator: refused the other way round too.
        young = make_agent(AgentRole.GESTION, by=creator)
        assert _code(young, approves) == "unfreeze.shared_sponsor"


def test_a_chain_of_young_accounts_leads_back_to_the_requester():
    """A supervisor creates a supervisor, who creates the approver: all three may be one."""
    with time_machine.travel(CURRENT_TIME, tick=False) as traveller:
        requester = make_agent(AgentRole.SUPERVISION)
        traveller.shift(PERIOD * 2)
        relay = make_agent(AgentRole.SUPERVISION, by=requester)
        approver = make_agent(AgentRole.SUPERVISION, by=relay)
        assert _code(requester, approver) == "unfreeze.shared_sponsor"
        # Once the relay is old, the approver's creator is deemed its holder alone.
        traveller.shift(PERIOD + timedelta(days=1))
        newer = make_agent(AgentRole.SUPERVISION, by=relay)
        assert _code(requester, newer) is None
        assert _code(relay, newer) == "unfreeze.related_agent"


def test_independent_agents_approve():
    creator = make_agent(AgentRole.SUPERVISION)
    other_creator = make_agent(AgentRole.SUPERVISION)
    asks = make_agent(AgentRole.GESTION, by=creator)
    approves = make_agent(AgentRole.SUPERVISION, by=other_creator)
    assert _code(asks, approves) is None
    assert _code(asks, other_creator) is None
    assert _code(make_agent(AgentRole.GESTION), make_agent(AgentRole.SUPERVISION)) is None


def test_approve_unfreeze_enforces_the_rule_and_names_both_agents():
    space = SubscriberFactory(frozen_at=clock.now())
    creator = make_agent(AgentRole.SUPERVISION)
    asks = make_agent(AgentRole.GESTION, by=creator)
    sibling = make_agent(AgentRole.SUPERVISION, by=creator)
    with acting_agent(asks, "Vérifié avec la personne"):
        row = unfreeze.request_unfreeze(space, asks)
    with pytest.raises(Refusal) as refused, acting_agent(sibling, "J'approuve"):
        unfreeze.approve_unfreeze(row.pk, sibling)
    assert refused.value.code == "unfreeze.shared_sponsor"
    row.refresh_from_db()
    assert row.approved_at is None
    independent = make_agent(AgentRole.SUPERVISION)
    with acting_agent(independent, "Vérifié"):
        unfreeze.approve_unfreeze(row.pk, independent)
    space.refresh_from_db()
    assert not space.is_frozen
    event = AuditEvent.objects.get(action=Action.SPACE_UNFREEZE_APPROVED)
    assert event.details["requested_by"]["id"] == str(asks.pk)
    assert event.details["agent"]["id"] == str(independent.pk)


# --- through the pages -----------------------------------------------------------------------


def _ready_through_the_pages(client, email):
    """What the creator would do if the address were one they read: activate and enrol."""
    client.post(
        "/agents/activation/",
        {
            "email": email,
            "code": last_code_sent_to(email),
            "password1": AGENT_PASSWORD,
            "password2": AGENT_PASSWORD,
        },
    )
    agent = Agent.objects.get(email=email)
    device = agent.devices.get()
    client.post("/agents/activation/application/", {"code": auth.current_code(device)})
    return agent


def test_the_bypass_through_the_pages_is_refused_and_audited(client):
    space = SubscriberFactory(frozen_at=clock.now())
    supervisor = make_agent(AgentRole.SUPERVISION)
    sup = type(client)()
    log_in(sup, supervisor)
    for email, role in (
        ("g1@agents.example.fr", "gestion"),
        ("s1@agents.example.fr", "supervision"),
    ):
        data = {"email": email, "first_name": "Faux", "last_name": "Compte", "role": role}
        sup.post("/agents/agents/", {**data, **REASON})
    asks_client, approves_client = type(client)(), type(client)()
    asks = _ready_through_the_pages(asks_client, "g1@agents.example.fr")
    approves = _ready_through_the_pages(approves_client, "s1@agents.example.fr")
    asks_client.post(f"/agents/actions/request_unfreeze/{space.subscriber_number}/", REASON)
    row = UnfreezeRequest.objects.get()
    assert row.requested_by == asks
    home = approves_client.get("/agents/").content.decode()
    assert "Vous ne pouvez pas approuver ce dégel." in home
    assert f"/agents/actions/approve_unfreeze/{row.pk}/" not in home
    page = approves_client.get(f"/agents/abonnes/{space.subscriber_number}/").content.decode()
    assert 'id="unfreeze-refusal"' in page and "Approuver le dégel</a>" not in page
    response = approves_client.post(f"/agents/actions/approve_unfreeze/{row.pk}/", REASON)
    assert "Le dégel doit être approuvé par un agent indépendant" in response.content.decode()
    space.refresh_from_db()
    assert space.is_frozen
    event = AuditEvent.objects.get(action=Action.AGENT_ACTION_REFUSED)
    assert event.details["refusal"] == "unfreeze.shared_sponsor"
    assert event.details["agent"]["email"] == approves.email
    # A supervisor the first did not create approves.
    other = type(client)()
    log_in(other, make_agent(AgentRole.SUPERVISION))
    assert f"/agents/actions/approve_unfreeze/{row.pk}/" in other.get("/agents/").content.decode()
    other.post(f"/agents/actions/approve_unfreeze/{row.pk}/", REASON)
    space.refresh_from_db()
    assert not space.is_frozen


def test_the_agents_list_says_who_created_whom_and_each_state(client):
    supervisor = make_agent(AgentRole.SUPERVISION)
    log_in(client, supervisor)
    waiting = agent_accounts.create_agent(
        "attend@agents.example.fr", "Anne", "Attend", "gestion", by=supervisor
    )
    page = client.get("/agents/agents/").content.decode()
    assert "Activation en attente" in page and supervisor.full_name in page
    assert f"/agents/actions/resend_agent_activation/{waiting.pk}/" in page
    assert f"/agents/actions/reset_second_factor/{supervisor.pk}/" not in page


def test_check_deploy_warns_while_agents_addresses_are_not_restricted(settings):
    from backoffice.checks import agent_email_domains_set

    settings.AGENT_EMAIL_DOMAINS = []
    assert [w.id for w in agent_email_domains_set()] == ["backoffice.W001"]
    settings.AGENT_EMAIL_DOMAINS = ["agents.example.fr"]
    assert agent_email_domains_set() == []
