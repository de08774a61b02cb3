"""The one access check of the agents' pages (docs/backoffice.md §2): every view of the back
office is wrapped by `agent_view` (or `agent_public` for the login steps). A page needs an
agent with both factors checked; a role's predicate that says no is a 403, audited; an action
runs with the agent and their reason in `core.context`, so every event it records names them."""

from collections.abc import Callable
from contextlib import contextmanager
from functools import wraps

from django.shortcuts import redirect, render

from audit.models import Action
from audit.trail import record
from core import context


def agent_public(view):
    """A step before the agent is known (login, second factor, activation)."""
    view.login_required = False  # not a subscriber's page (LoginRequiredMiddleware)
    view.agent_public = True
    return view


def agent_view(predicate: Callable | None = None):
    def decorate(view):
        @wraps(view)
        def guarded(request, *args, **kwargs):
            agent = request.agent
            if not agent:
                return redirect("backoffice:login")
            if predicate is not None and not predicate(agent):
                record(
                    Action.AGENT_ACCESS_REFUSED,
                    target=request.path[:200],
                    agent=agent.identity(),
                    predicate=predicate.__name__,
                )
                return render(request, "backoffice/forbidden.html", {"agent": agent}, status=403)
            with acting_agent(agent):
                return view(request, *args, **kwargs)

        guarded.login_required = False  # the agents' own check replaces the subscribers'
        guarded.agent_predicate = predicate
        return guarded

    return decorate


@contextmanager
def acting_agent(agent, reason: str = "", ticket: str = ""):
    """Within this block, every audit event names the agent (and the reason given)."""
    who = {**agent.identity(), "reason": reason, "ticket": ticket}
    with context.acting(ip_address=context.current().ip_address, agent=who):
        yield
