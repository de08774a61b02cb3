"""Where an agent's session works from (docs/backoffice.md §1.6): the administration's networks
(required outside DEBUG), and the network the session was opened from."""

import pytest
from django.core.management import call_command
from django.core.management.base import SystemCheckError

from audit.models import Action, AuditEvent
from backoffice.checks import agent_networks_set, agent_networks_valid
from backoffice.tests.helpers import log_in, make_agent

pytestmark = pytest.mark.django_db


def test_a_session_works_from_its_network_and_ends_when_used_from_another(client):
    client.defaults["REMOTE_ADDR"] = "192.0.2.10"
    agent = make_agent()
    log_in(client, agent)
    assert client.get("/agents/").status_code == 200
    assert client.get("/agents/", REMOTE_ADDR="192.0.2.200").status_code == 200  # same /24
    moved = client.get("/agents/", REMOTE_ADDR="198.51.100.10")
    assert moved.status_code == 302 and moved["Location"] == "/agents/connexion/"
    # The session is over, from its own network too: back to the login.
    again = client.get("/agents/")
    assert again.status_code == 302 and again["Location"] == "/agents/connexion/"
    event = AuditEvent.objects.get(action=Action.AGENT_SESSION_MOVED)
    assert event.target == agent.email and event.ip_address == "198.51.100.10"
    assert event.details["opened_from"] == "192.0.2.0/24"


def test_an_ipv6_session_stays_in_its_64(client):
    client.defaults["REMOTE_ADDR"] = "2001:db8:1:2::10"
    log_in(client, make_agent())
    assert client.get("/agents/", REMOTE_ADDR="2001:db8:1:2:ffff::1").status_code == 200
    assert client.get("/agents/", REMOTE_ADDR="2001:db8:1:3::10").status_code == 302


def test_behind_a_proxy_the_clients_own_address_counts(client, settings):
    settings.TRUSTED_PROXY_COUNT = 1
    client.defaults["HTTP_X_FORWARDED_FOR"] = "192.0.2.10"
    log_in(client, make_agent())
    assert client.get("/agents/").status_code == 200
    elsewhere = client.get("/agents/", HTTP_X_FORWARDED_FOR="198.51.100.10")
    assert elsewhere.status_code == 302


def test_check_deploy_requires_the_agents_networks_outside_debug(settings):
    settings.DEBUG = False
    settings.AGENT_ALLOWED_NETWORKS = []
    assert [e.id for e in agent_networks_set()] == ["backoffice.E001"]
    with pytest.raises(SystemCheckError, match=r"backoffice\.E001"):
        call_command("check", "--deploy", "--tag", "security")
    settings.AGENT_ALLOWED_NETWORKS = ["10.0.0.0/8"]
    assert agent_networks_set() == []
    settings.DEBUG = True
    settings.AGENT_ALLOWED_NETWORKS = []
    assert agent_networks_set() == []


def test_a_network_that_does_not_read_is_an_error(settings):
    settings.AGENT_ALLOWED_NETWORKS = ["10.0.0.0/8", "10.0.0/8"]
    assert [e.id for e in agent_networks_valid()] == ["backoffice.E002"]
