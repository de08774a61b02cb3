"""Agents for tests, and logging one in as a person does (password, then the TOTP code)."""

import itertools

from backoffice import auth
from backoffice.management.commands.create_agent import ready
from backoffice.models import Agent
from backoffice.roles import AgentRole

AGENT_PASSWORD = "Un agent attentif relit toujours deux fois"
_numbers = itertools.count(1)


def make_agent(
    role: AgentRole = AgentRole.ASSISTANCE, email: str | None = None, *, by: Agent | None = None
) -> Agent:
    """A ready agent (password and application), created by `by` if given: as if its holder
    had activated it with the e-mailed code."""
    n = next(_numbers)
    email = email or f"agent{n}@agents.example.fr"
    agent = auth.create_agent(email, "Agent", f"Numero{n}", role, by=by)
    ready(agent, AGENT_PASSWORD, None)
    agent.refresh_from_db()
    return agent


def totp_now(agent: Agent) -> str:
    return auth.current_code(agent.device)


def totp_next(device) -> str:
    """The code the application will show in 30 seconds: accepted now (one step of
    tolerance) even when this step's code already served (replay refused)."""
    from django_otp.oath import TOTP

    from core import clock

    totp = TOTP(device.bin_key, step=30, t0=0, digits=6, drift=0)
    totp.time = clock.now().timestamp() + 30
    return f"{totp.token():06d}"


def log_in(client, agent: Agent):
    """Both factors through the pages; returns the last response."""
    response = client.post("/agents/connexion/", {"email": agent.email, "password": AGENT_PASSWORD})
    assert response.status_code == 302, response.content.decode()[:2000]
    return client.post("/agents/connexion/code/", {"code": totp_now(agent)})
