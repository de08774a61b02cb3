"""Agents are not subscribers (docs/backoffice.md §1): their own login with a mandatory TOTP
second factor, recovery codes, activation and QR enrolment, their own session and cookie,
15 idle minutes, an allow-list of networks (more in test_agent_networks.py)."""

from datetime import UTC, datetime, timedelta

import pytest
import time_machine
from django.conf import settings

from audit.models import Action, AuditEvent
from backoffice import agent_accounts, auth
from backoffice.models import Agent, AgentDevice
from backoffice.roles import AgentRole
from backoffice.tests.helpers import AGENT_PASSWORD, log_in, make_agent, totp_now
from core import clock
from tests.factories import SubscriberFactory
from tests.helpers import last_code_sent_to

pytestmark = pytest.mark.django_db
CURRENT_TIME = clock.now().replace(microsecond=0)


def test_an_agent_logs_in_with_password_and_totp(client):
    agent = make_agent()
    response = log_in(client, agent)
    assert response.status_code == 302 and response["Location"] == "/agents/"
    page = client.get("/agents/")
    assert page.status_code == 200
    assert agent.full_name in page.content.decode()
    assert settings.AGENT_SESSION_COOKIE_NAME in client.cookies
    assert AuditEvent.objects.filter(action=Action.AGENT_LOGIN_SUCCEEDED).exists()


def test_a_password_alone_opens_nothing(client):
    agent = make_agent(AgentRole.SUPERVISION)
    client.post("/agents/connexion/", {"email": agent.email, "password": AGENT_PASSWORD})
    for url in ("/agents/", "/agents/abonnes/?q=x", "/agents/journal/", "/agents/agents/"):
        response = client.get(url)
        assert response.status_code == 302 and response["Location"] == "/agents/connexion/", url


def test_a_wrong_totp_code_is_refused_and_audited(client):
    agent = make_agent()
    client.post("/agents/connexion/", {"email": agent.email, "password": AGENT_PASSWORD})
    wrong = f"{(int(totp_now(agent)) + 1) % 1_000_000:06d}"
    response = client.post("/agents/connexion/code/", {"code": wrong})
    assert "Ce code est incorrect ou a déjà servi." in response.content.decode()
    assert client.get("/agents/").status_code == 302
    assert AuditEvent.objects.filter(action=Action.AGENT_SECOND_FACTOR_FAILED).count() == 1


def test_a_totp_code_serves_once(client):
    agent = make_agent()
    with time_machine.travel(CURRENT_TIME, tick=False):
        log_in(client, agent)
        client.post("/agents/deconnexion/")
        client.post("/agents/connexion/", {"email": agent.email, "password": AGENT_PASSWORD})
        response = client.post("/agents/connexion/code/", {"code": totp_now(agent)})
    assert response.status_code == 200  # the same code again: refused
    assert client.get("/agents/").status_code == 302


def test_a_wrong_password_and_an_unknown_email_get_the_same_answer(client):
    make_agent(email="connue@agents.example.fr")
    one = client.post("/agents/connexion/", {"email": "connue@agents.example.fr", "password": "x"})
    two = client.post(
        "/agents/connexion/", {"email": "inconnue@agents.example.fr", "password": "x"}
    )
    message = "Adresse électronique ou mot de passe incorrect."
    assert message in one.content.decode() and message in two.content.decode()


def test_a_recovery_code_replaces_the_application_once(client, rf):
    agent = make_agent()
    codes = auth.new_recovery_codes(agent)
    client.post("/agents/connexion/", {"email": agent.email, "password": AGENT_PASSWORD})
    assert client.post("/agents/connexion/code/", {"code": codes[0]}).status_code == 302
    assert client.get("/agents/").status_code == 200
    client.post("/agents/deconnexion/")
    client.post("/agents/connexion/", {"email": agent.email, "password": AGENT_PASSWORD})
    assert client.post("/agents/connexion/code/", {"code": codes[0]}).status_code == 200
    assert AuditEvent.objects.filter(action=Action.AGENT_RECOVERY_CODE_USED).count() == 1


def _wrong(agent) -> str:
    return f"{(int(totp_now(agent)) + 1) % 1_000_000:06d}"


def test_no_recovery_code_is_looked_at_while_the_device_is_throttled(client):
    """Review finding 7: after a wrong TOTP code django-otp holds the device a moment; a
    recovery code, even a right one, must not get through meanwhile."""
    agent = make_agent()
    codes = auth.new_recovery_codes(agent)
    with time_machine.travel(CURRENT_TIME, tick=False) as traveller:
        client.post("/agents/connexion/", {"email": agent.email, "password": AGENT_PASSWORD})
        client.post("/agents/connexion/code/", {"code": _wrong(agent)})
        response = client.post("/agents/connexion/code/", {"code": codes[0]})
        assert response.status_code == 200 and client.get("/agents/").status_code == 302
        traveller.shift(timedelta(seconds=2))  # django-otp's delay is over: the code serves
        assert client.post("/agents/connexion/code/", {"code": codes[0]}).status_code == 302
    assert client.get("/agents/").status_code == 200


def test_second_factor_failures_count_against_the_login_limit(client):
    """Review finding 7: wrong recovery codes (and TOTP codes) count against `agent.login`;
    once it is reached, even the right code is refused until the window ends."""
    agent = make_agent()
    codes = auth.new_recovery_codes(agent)
    window_start = datetime(2030, 1, 7, 9, 0, tzinfo=UTC)  # the limit's windows are fixed
    with time_machine.travel(window_start, tick=False) as traveller:
        client.post("/agents/connexion/", {"email": agent.email, "password": AGENT_PASSWORD})
        for n in range(5):
            traveller.shift(timedelta(minutes=1))  # past django-otp's growing delay
            client.post("/agents/connexion/code/", {"code": f"AAAA-BBBB-CCC{n}"})
            client.post("/agents/connexion/", {"email": agent.email, "password": AGENT_PASSWORD})
        response = client.post("/agents/connexion/code/", {"code": totp_now(agent)})
        assert "Trop de tentatives ont échoué" in response.content.decode()
        assert client.get("/agents/").status_code == 302
        traveller.shift(timedelta(minutes=16))
        client.post("/agents/connexion/", {"email": agent.email, "password": AGENT_PASSWORD})
        assert client.post("/agents/connexion/code/", {"code": codes[0]}).status_code == 302
    assert AuditEvent.objects.filter(action=Action.AGENT_SECOND_FACTOR_FAILED).count() == 6


def test_the_session_ends_after_15_idle_minutes(client):
    agent = make_agent()
    with time_machine.travel(CURRENT_TIME, tick=False) as traveller:
        log_in(client, agent)
        assert client.get("/agents/").status_code == 200
        traveller.shift(timedelta(minutes=14))
        assert client.get("/agents/").status_code == 200  # pushed back the idle timeout
        traveller.shift(timedelta(minutes=16))
        assert client.get("/agents/").status_code == 302


def test_activation_then_qr_enrolment_then_recovery_codes(client):
    agent = agent_accounts.create_agent("nouvel@agents.example.fr", "Nina", "Nouvel", "assistance")
    code = last_code_sent_to(agent.email)
    response = client.post(
        "/agents/activation/",
        {
            "email": agent.email,
            "code": code,
            "password1": AGENT_PASSWORD,
            "password2": AGENT_PASSWORD,
        },
    )
    assert response["Location"] == "/agents/activation/application/"
    page = client.get("/agents/activation/application/").content.decode()
    assert 'src="data:image/svg+xml' in page
    device = AgentDevice.objects.get(user=agent)
    assert device.base32_key in page and not device.confirmed
    assert device.hex_key not in device.sealed_key  # sealed at rest
    response = client.post("/agents/activation/application/", {"code": auth.current_code(device)})
    assert response.status_code == 200
    assert response.content.decode().count("<code>") == 10
    assert client.get("/agents/").status_code == 200
    # The activation code is spent.
    agent.refresh_from_db()
    assert agent.activation_code_hash == ""


def test_an_account_not_yet_activated_cannot_log_in(client):
    agent = agent_accounts.create_agent("attente@agents.example.fr", "Ana", "Attente", "gestion")
    response = client.post("/agents/connexion/", {"email": agent.email, "password": ""})
    assert response.status_code == 200
    assert client.get("/agents/connexion/code/")["Location"] == "/agents/connexion/"


def test_a_deactivated_agent_loses_its_session(client):
    agent = make_agent()
    log_in(client, agent)
    Agent.objects.filter(pk=agent.pk).update(is_active=False)
    assert client.get("/agents/").status_code == 302


def test_a_subscriber_session_opens_no_agent_page(client):
    client.force_login(SubscriberFactory())
    assert client.get("/espace/").status_code == 200
    response = client.get("/agents/")
    assert response.status_code == 302 and response["Location"] == "/agents/connexion/"


def test_an_agent_session_opens_no_subscriber_page(client):
    log_in(client, make_agent(AgentRole.SUPERVISION))
    assert client.get("/agents/").status_code == 200
    response = client.get("/espace/")
    assert response.status_code == 302 and response["Location"].startswith("/?next=")


def test_an_agent_cookie_copied_into_the_subscribers_cookie_is_nobody(client):
    log_in(client, make_agent())
    key = client.cookies[settings.AGENT_SESSION_COOKIE_NAME].value
    client.cookies[settings.SESSION_COOKIE_NAME] = key
    assert client.get("/espace/").status_code == 302


def test_the_allow_list_of_networks(client, settings):
    settings.AGENT_ALLOWED_NETWORKS = ["10.0.0.0/8"]
    assert client.get("/agents/connexion/").status_code == 403
    assert client.get("/agents/connexion/", REMOTE_ADDR="10.1.2.3").status_code == 200
    assert client.get("/").status_code == 200  # the subscribers' pages are not concerned


def test_agent_pages_are_not_kept_by_the_browser(client):
    response = client.get("/agents/connexion/")
    assert "no-store" in response["Cache-Control"]
