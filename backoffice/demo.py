"""The demo's agents (docs/backoffice.md §9): one of each role, with a known password and TOTP
secret, printed by `make run` (`manage.py demo_agents`). Development only: the secrets are
public."""

from dataclasses import dataclass

from backoffice import agent_accounts
from backoffice.management.commands.create_agent import ready
from backoffice.models import Agent
from backoffice.roles import AgentRole

DEMO_AGENT_PASSWORD = "Quatre agents veillent sur le guichet du centre"


@dataclass(frozen=True)
class DemoAgent:
    email: str
    first_name: str
    last_name: str
    role: AgentRole
    hex_secret: str


AGENTS = [
    DemoAgent(
        "assistance@agents.example.fr",
        "Inès",
        "Assistance",
        AgentRole.ASSISTANCE,
        "3132333435363738393031323334353637383930",
    ),
    DemoAgent(
        "gestion@agents.example.fr",
        "Gaston",
        "Gestion",
        AgentRole.GESTION,
        "4142434445464748494a4b4c4d4e4f5051525354",
    ),
    DemoAgent(
        "supervision@agents.example.fr",
        "Suzanne",
        "Supervision",
        AgentRole.SUPERVISION,
        "6162636465666768696a6b6c6d6e6f7071727374",
    ),
]


def load_demo_agents() -> list[tuple[DemoAgent, Agent, bool]]:
    results = []
    for demo in AGENTS:
        agent = Agent.objects.filter(email=demo.email).first()
        created = agent is None
        if created:
            agent = agent_accounts.create_agent(
                demo.email, demo.first_name, demo.last_name, demo.role
            )
            ready(agent, DEMO_AGENT_PASSWORD, demo.hex_secret)
        results.append((demo, agent, created))
    return results
