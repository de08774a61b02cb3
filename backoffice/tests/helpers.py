"""Agents for tests, and logging one in as a person does (password, then the TOTP code)."""

import itertools

from backoffice import auth
from backoffice.management.commands.create_agent import ready
from backoffice.models import Agent
from backoffice.roles import AgentRole

AGENT_PASSWORD = "Un agent attentif relit toujours deux fois"
_numbers = itertools.count(1)


def make_agent(role: AgentRole = AgentRole.ASSISTANCE, email: str | None = None) -> Agent:
    n = next(_numbers)
    agent = auth.create_agent(email or f"agent{n}@agents.example.fr", "Agent", f"Numero{n}", role)
    ready(agent, AGENT_PASSWORD, None)
    agent.refresh_from_db()
    return agent


def totp_now(agent: Agent) -> str:
    return auth.current_code(agent.device)


def log_in(client, agent: Agent):
    """Both factors through the pages; returns the last response."""
    response = client.post("/agents/connexion/", {"email": agent.email, "password": AGENT_PASSWORD})
    assert response.status_code == 302, response.content.decode()[:2000]
    return client.post("/agents/connexion/code/", {"code": totp_now(agent)})
