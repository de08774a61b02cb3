"""Agents for tests, and logging one in as a person does (password, then the TOTP code)."""

import itertools
from html.parser import HTMLParser

from backoffice import agent_accounts, auth
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
    agent = agent_accounts.create_agent(email, "Agent", f"Numero{n}", role, by=by)
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


class _Text(HTMLParser):
    """The text a person sees in a page (no markup, attributes, scripts nor styles), in the
    element of id `within` if given, split per `tag` element if given."""

    VOID = {"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source"}

    def __init__(self, within: str | None, tag: str | None):
        super().__init__()
        self.within, self.tag = within, tag
        self.depth = 0 if within else 1  # > 0: inside the element looked at
        self.hidden = 0
        self.in_tag = 0  # > 0: inside a `tag` element (when one is given)
        self.parts: list[list[str]] = [[]]

    def handle_starttag(self, name, attrs):
        if name in self.VOID:
            return
        if self.depth:
            self.depth += 1
        elif self.within and dict(attrs).get("id") == self.within:
            self.depth = 1
        if name in ("script", "style", "title"):
            self.hidden += 1
        if self.depth and name == self.tag:
            self.in_tag += 1
            if self.in_tag == 1:
                self.parts.append([])

    def handle_endtag(self, name):
        if name in self.VOID:
            return
        if name in ("script", "style", "title"):
            self.hidden -= 1
        if self.depth and name == self.tag:
            self.in_tag -= 1
        if self.depth and (self.within or self.depth > 1):
            self.depth -= 1

    def handle_data(self, data):
        if self.depth and not self.hidden and (self.in_tag or not self.tag):
            self.parts[-1].append(data)


def visible_text(html: str, within: str | None = None) -> str:
    parser = _Text(within, None)
    parser.feed(html)
    return " ".join(" ".join(parser.parts[0]).split())


def visible_texts(html: str, tag: str, within: str | None = None) -> list[str]:
    """The text of each `tag` element (e.g. each "tbody" of a table)."""
    parser = _Text(within, tag)
    parser.feed(html)
    return [" ".join(" ".join(part).split()) for part in parser.parts[1:]]
