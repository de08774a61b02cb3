"""The agents' one-time codes (docs/backoffice.md §1.1, §1.9; docs/security.md §5): five wrong
tries kill an e-mailed code, and codes issued before they moved onto `core.one_time` still serve."""

import html
from datetime import timedelta

import pytest
import time_machine

from backoffice import agent_accounts
from backoffice.models import AgentRecoveryCode
from backoffice.roles import AgentRole
from backoffice.tests.helpers import AGENT_PASSWORD, log_in, make_agent
from core import clock, codes
from tests.helpers import last_code_sent_to

pytestmark = pytest.mark.django_db
PASSWORD = "Le héron pêche au bord du canal sous la pluie"


def _activate(client, email, code):
    return client.post(
        "/agents/activation/",
        {"email": email, "code": code, "password1": PASSWORD, "password2": PASSWORD},
    )


def _wrong(code: str) -> str:
    return ("B" if code[0] == "A" else "A") + code[1:]


def test_five_wrong_activation_codes_kill_the_code(client):
    agent = agent_accounts.create_agent("nouvel@agents.example.fr", "Nina", "Nouvel", "assistance")
    code = last_code_sent_to(agent.email)
    for _ in range(5):
        assert "ce code n'est plus valable" in html.unescape(
            _activate(client, agent.email, _wrong(code)).content.decode()
        )
    response = _activate(client, agent.email, code)
    assert response.status_code == 200  # refused: the right code is dead too
    agent.refresh_from_db()
    assert not agent.is_activated


def test_five_wrong_reset_codes_kill_the_code(client):
    supervisor = make_agent(AgentRole.SUPERVISION)
    log_in(client, supervisor)
    agent = make_agent()
    client.post(
        f"/agents/actions/reset_second_factor/{agent.pk}/",
        {"reason": "Téléphone perdu, identité vérifiée en personne", "ticket": "T-7"},
    )
    code = last_code_sent_to(agent.email)
    person = type(client)()
    person.post("/agents/connexion/", {"email": agent.email, "password": AGENT_PASSWORD})
    for _ in range(5):
        person.post("/agents/connexion/code/", {"code": _wrong(code)})
    # Past the login limit's window (agent.login, 15 minutes), the code is still dead.
    with time_machine.travel(clock.now() + timedelta(minutes=16), tick=False):
        response = person.post(
            "/agents/connexion/", {"email": agent.email, "password": AGENT_PASSWORD}
        )
        assert response.status_code == 200  # no second factor left: refused as usual
        agent.refresh_from_db()
        assert agent.activation_attempts == 5


def test_codes_issued_before_the_move_still_serve(client):
    """An activation code e-mailed, or recovery codes printed, before the codes moved onto
    `core.one_time` were hashed as `codes.hash_code(code, purpose)`: they keep working."""
    agent = agent_accounts.create_agent("ancien@agents.example.fr", "Anne", "Ancien", "assistance")
    old_code = codes.new_code()
    agent.activation_code_hash = codes.hash_code(old_code, "backoffice.activation")
    agent.save(update_fields=["activation_code_hash"])
    response = _activate(client, agent.email, old_code)
    assert response["Location"] == "/agents/activation/application/"

    ready = make_agent()
    printed = codes.new_code(codes.PRINTED_CODE_ALPHABET, 10)
    AgentRecoveryCode.objects.create(
        agent=ready, code_hash=codes.hash_code(printed, f"backoffice.recovery:{ready.pk}")
    )
    person = type(client)()
    person.post("/agents/connexion/", {"email": ready.email, "password": AGENT_PASSWORD})
    response = person.post("/agents/connexion/code/", {"code": f"{printed[:5]}-{printed[5:]}"})
    assert response["Location"] == "/agents/"
    assert not AgentRecoveryCode.objects.filter(agent=ready).exists()
