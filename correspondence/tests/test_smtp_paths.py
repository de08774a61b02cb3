"""Every path that sends an e-mail delivers it through a real SMTP server (docs/correspondence.md
§2): triggered by its own entry point (the flow a page or a command calls), queued, sent by the
worker over SMTP; the server receives it for the right recipient, with its French subject
intact and the codes and links that the outbox masks. The templates no entry point here
reaches are sent with `send_email` and a context of their flow's shape; together they cover
every template (checked below)."""

import itertools
from datetime import timedelta
from io import StringIO
from pathlib import Path
from types import SimpleNamespace

import pytest
import time_machine
from django.conf import settings
from django.core.management import call_command

from accounts import space_access
from accounts.flows import coordinates, identifiers_change, password_change, password_reset
from accounts.flows.registration import submit_registration
from api import tokens, webhooks
from backoffice import account as agent_account
from backoffice.tests.helpers import AGENT_PASSWORD, make_agent
from companies import freezing
from core import clock
from correspondence.mail import send_email
from correspondence.models import Kind, Message
from habilitations.delegation import actions as delegation
from habilitations.delegation.many import designate_many
from habilitations.delegation.rules import Designation
from habilitations.delegation_requests import actions as delegation_requests
from habilitations.delegation_requests.states import expire_all
from habilitations.models import Origin, Role
from habilitations.rights.actions import grant
from tests.factories import CompanyFactory, HabilitationFactory, SubscriberFactory
from tests.helpers import CURRENT_TIME, link_for

# The worker runs in the test's thread and commits: transactional tests (TRAPS.md).
pytestmark = pytest.mark.django_db(transaction=True)

NEW_PASSWORD = "Le facteur sonne toujours deux fois au portail vert"


def _firm():
    return SubscriberFactory(
        first_name="Fanny",
        last_name="Comptable",
        company_identifier="732829320",
        company_name="CABINET COMPTA",
        email="fanny@cabinet.example",
    )


def _asked(alice):
    """A firm's pending request to Alice's company (she is its AT of Déclarer TVA)."""
    company = CompanyFactory(name="BOULANGERIE DUPAIN")
    HabilitationFactory(company=company, subscriber=alice, code="declarer_tva")
    firm = _firm()
    req = delegation_requests.submit(
        firm,
        company,
        delegation_requests.Wanted(levels={"declarer_tva": Role.ACTOR}),
        "Bonjour, merci",
    )
    return firm, req


def _titular_of(company, subscriber):
    grant(company, subscriber, "declarer_tva", Role.TITULAR_ADMIN, Origin.ADHESION)


# Each entry point: what it is given, what it sends (purpose, recipient).
def registration_code(w):
    submit_registration(w.registration)
    return {("space_activation_code", w.registration.email)}


def password_reset_link(w):
    assert password_reset.request_reset(w.alice.email, "animal", "Lili", link_for)
    return {("password_reset_link", w.alice.email)}


def password_changed(w):
    password_change.change_password(w.alice, NEW_PASSWORD, via="change")
    return {("password_changed", w.alice.email)}


def trust_question_changed(w):
    coordinates.change_trust_question(w.alice, "animal", "Filou")
    return {("trust_question_changed", w.alice.email)}


def login_email_change(w):
    change = identifiers_change.request_email_change(w.alice, "lila.nouvelle@example.fr")
    return {("email_change_code", change.new_email)}


def space_frozen_then_unfrozen(w):
    space_access.unfreeze(space_access.freeze(w.alice))
    return {("space_frozen", w.alice.email), ("space_unfrozen", w.alice.email)}


def password_expiry_reminder(w):
    lila = SubscriberFactory(email="lila@example.fr", expires_in=timedelta(days=60))
    call_command("send_expiry_reminders", stdout=StringIO())
    return {("password_expiry_reminder", lila.email)}


def api_token_created(w):
    tokens.create_token(
        w.alice, "Logiciel de paie", ["dossiers:read"], clock.now() + timedelta(days=30)
    )
    return {("api_token_created", w.alice.email)}


def api_webhook_created(w):
    # A public address written as such: checked without asking a resolver.
    webhooks.register(w.alice, "https://93.184.215.14/crochets/espace-pro")
    return {("api_webhook_created", w.alice.email)}


def agent_activation_code(w):
    agent = make_agent(email="agnes.martin@agents.example.fr")
    return {("agent_activation_code", agent.email)}


def agent_password_changed(w):
    agent = make_agent(email="agnes.martin@agents.example.fr")
    agent_account.change_password(agent, AGENT_PASSWORD, NEW_PASSWORD)
    return {("agent_activation_code", agent.email), ("agent_password_changed", agent.email)}


def company_frozen_then_unfrozen(w):
    tell = [w.alice.email, "contact@elegance.example"]
    freezing.unfreeze(freezing.freeze(w.company, tell=tell), tell=tell)
    return {(purpose, to) for purpose in ("company_frozen", "company_unfrozen") for to in tell}


def delegation_designated_then_withdrawn(w):
    _titular_of(w.company, w.alice)
    delegation.designate(w.alice, w.company, w.bob, [Designation("declarer_tva", Role.ACTOR)])
    delegation.withdraw_all(w.alice, w.bob)
    return {("delegation_notice", w.bob.email), ("delegations_withdrawn", w.bob.email)}


def delegations_granted_in_bulk(w):
    _titular_of(w.company, w.alice)
    designate_many(w.alice, w.bob, Role.ACTOR, ["declarer_tva"], [w.company])
    return {("delegations_granted", w.bob.email)}


def delegation_request_to_administrators(w):
    _asked(w.alice)
    return {("delegation_request_received", w.alice.email)}


def delegation_request_withdrawn(w):
    firm, req = _asked(w.alice)
    delegation_requests.withdraw(firm, req.pk)
    return {
        ("delegation_request_received", w.alice.email),
        ("delegation_request_withdrawn", w.alice.email),
        ("delegation_request_update", firm.email),
    }


def delegation_requests_expired(w):
    with time_machine.travel(CURRENT_TIME, tick=False) as traveller:
        firm, _ = _asked(w.alice)
        traveller.shift(timedelta(days=22))
        expire_all()
    return {
        ("delegation_request_received", w.alice.email),
        ("delegation_requests_expired", firm.email),
    }


# Each entry point and the e-mails it is the path of (it may send others on the way).
ENTRY_POINTS = {
    registration_code: {"space_activation_code"},
    password_reset_link: {"password_reset_link"},
    password_changed: {"password_changed"},
    trust_question_changed: {"trust_question_changed"},
    login_email_change: {"email_change_code"},
    space_frozen_then_unfrozen: {"space_frozen", "space_unfrozen"},
    password_expiry_reminder: {"password_expiry_reminder"},
    api_token_created: {"api_token_created"},
    api_webhook_created: {"api_webhook_created"},
    agent_activation_code: {"agent_activation_code"},
    agent_password_changed: {"agent_password_changed"},
    company_frozen_then_unfrozen: {"company_frozen", "company_unfrozen"},
    delegation_designated_then_withdrawn: {"delegation_notice", "delegations_withdrawn"},
    delegations_granted_in_bulk: {"delegations_granted"},
    delegation_request_to_administrators: {"delegation_request_received"},
    delegation_request_withdrawn: {"delegation_request_withdrawn", "delegation_request_update"},
    delegation_requests_expired: {"delegation_requests_expired"},
}

# The templates whose flows need more of a world than a test here builds (postal requests,
# substitutions, company e-mail links, groups, second factors…): sent with `send_email` and a
# context of the shape their flow gives, so that what reaches the server is still checked.
_WHEN = CURRENT_TIME
_COMPANY = SimpleNamespace(name="SARL ÉLÉGANCE & FILS", identifier="111111118")
_PERSON = SimpleNamespace(
    first_name="Élodie",
    last_name="Lefèvre",
    display_name="Mme Élodie LEFÈVRE",
    subscriber_number="20267350007919",
)
_AGENT = SimpleNamespace(first_name="Agnès", last_name="Martin", full_name="Agnès MARTIN")
_LINK = "https://espace-pro.example.fr/adresse-electronique-entreprise/AAAAAAAAAAAAAAAAAAAAAA/VspJiHEQjPAq/"
_SERVICES = ["Déclarer TVA", "Payer TVA"]
_HELD = [SimpleNamespace(company=_COMPANY, get_role_display="Acteur", label="Déclarer TVA")]
SENT_DIRECTLY = {
    "login_code": {"code": "482913", "expires_at": _WHEN, "minutes": 30, "step_up": False},
    "second_email_code": {"code": "482913", "minutes": 30},
    "factors_reset": {"subscriber": _PERSON},
    "agent_device_replaced": {"agent": _AGENT, "at": _WHEN},
    "agent_second_factor_reset": {
        "agent": _AGENT,
        "at": _WHEN,
        "by": _AGENT,
        "code": "VspJiHEQjPAq",
        "expires_at": _WHEN,
        "hours": 48,
        "page": "https://espace-pro.example.fr/agents/activation/",
        "reason": "Téléphone perdu",
    },
    "bank_account_changed": {
        "added": True,
        "company": _COMPANY,
        "by": _PERSON,
        "holder": "SARL ÉLÉGANCE",
        "iban": "FR76 •••• •••• 0189",
        "titular": _PERSON,
        "when": _WHEN,
    },
    "strong_factor_required": {
        "person": SimpleNamespace(**vars(_PERSON), strong_factor=False),
        "company": _COMPANY,
        "applies_from": _WHEN.date(),
        "previous": None,
        "by": _PERSON,
    },
    "strong_factor_lifted": {
        "person": _PERSON,
        "company": _COMPANY,
        "applies_from": _WHEN.date(),
        "by": _PERSON,
    },
    "company_email_change_link": {
        "company": _COMPANY,
        "expires_at": _WHEN,
        "hours": 72,
        "link": _LINK,
        "requester": _PERSON,
    },
    "company_email_changed": {"company": _COMPANY, "new_email": "contact@elegance.example"},
    "company_email_link": {
        "kind": "simplified",
        "company": _COMPANY,
        "expires_at": _WHEN,
        "hours": 72,
        "link": _LINK,
        "requester_name": "Mme Élodie LEFÈVRE",
        "services": _SERVICES,
    },
    "group_delegations_withdrawn": {
        "by": _PERSON,
        "delegate": _PERSON,
        "group": SimpleNamespace(name="Équipe TVA"),
        "habilitations": _HELD,
    },
    "login_email_changed": {
        "changed_at": _WHEN,
        "new_email": "lila.nouvelle@example.fr",
        "previous_email": "lila@example.fr",
    },
    "postal_code_withdrawn": {"company": _COMPANY, "services": _SERVICES},
    "postal_request_replaced": {"company": _COMPANY, "services": _SERVICES},
    "substitution_done": {
        "at": _WHEN,
        "company": _COMPANY,
        "requester": _PERSON,
        "services": _SERVICES,
        "titular": _PERSON,
    },
    "substitution_requested": {
        "company": _COMPANY,
        "request": SimpleNamespace(code_expires_at=_WHEN, created_at=_WHEN),
        "requester": _PERSON,
        "services": _SERVICES,
        "titular": _PERSON,
    },
}


def _run_worker() -> None:
    call_command("db_worker", "--batch", "--no-startup-delay", stdout=StringIO())


def _assert_each_recorded_email_reached_the_server(server) -> list[Message]:
    """What the server received is what the outbox recorded: one message per e-mail, to its
    recipient, with its subject, its body with the codes and links the outbox masks."""
    recorded = list(Message.objects.filter(kind=Kind.EMAIL).order_by("id"))
    assert recorded
    assert sorted((r.rcpt_tos, r.subject) for r in server.received) == sorted(
        ([m.to], m.subject) for m in recorded
    )
    by_recipient_and_subject = {(r.rcpt_tos[0], r.subject): r for r in server.received}
    for message in recorded:
        received = by_recipient_and_subject[(message.to, message.subject)]
        assert received.mail_from == settings.DEFAULT_FROM_EMAIL
        assert str(received.message["To"]) == message.to
        assert "[masqué]" not in received.body
        # The recorded body (masked or not) is the delivered one, line for line, but the
        # masked values.
        for line in message.body.splitlines():
            if "[masqué]" not in line:
                assert line in received.body
        message.refresh_from_db()
        assert message.delivered_at is not None and message.sealed_body == ""
    return recorded


@pytest.fixture
def world(registration, company, alice, bob):
    return SimpleNamespace(registration=registration, company=company, alice=alice, bob=bob)


@pytest.mark.parametrize("entry_point", ENTRY_POINTS, ids=lambda f: f.__name__)
def test_each_path_delivers_its_emails_through_the_mail_server(
    entry_point, world, running_mail_server
):
    expected = entry_point(world)
    assert {purpose for purpose, _ in expected} >= ENTRY_POINTS[entry_point]
    assert running_mail_server.received == []  # queued: the flow did not wait for the server
    _run_worker()
    recorded = _assert_each_recorded_email_reached_the_server(running_mail_server)
    assert expected <= {(m.purpose, m.to) for m in recorded}


@pytest.mark.parametrize("purpose", sorted(SENT_DIRECTLY))
def test_each_other_template_is_delivered_through_the_mail_server(purpose, running_mail_server):
    send_email(purpose, "lila@example.fr", SENT_DIRECTLY[purpose])
    _run_worker()
    (message,) = _assert_each_recorded_email_reached_the_server(running_mail_server)
    assert message.purpose == purpose


def test_every_template_is_delivered_by_one_of_the_tests_above():
    """A new e-mail needs its path here (an entry point, or else its template's context)."""
    folders = [Path(settings.BASE_DIR) / app for app in ("correspondence", "api")]
    templates = {
        path.name.removesuffix("_subject.txt")
        for folder in folders
        for path in (folder / "templates" / "correspondence" / "email").glob("*_subject.txt")
    }
    covered = set(SENT_DIRECTLY) | set(itertools.chain.from_iterable(ENTRY_POINTS.values()))
    assert templates == covered
