"""Two agents taking the same thread at once: one owner (on PostgreSQL)."""

import pytest
from django.db import connection

from core.refusals import Refusal
from messaging import actions, agent_actions
from messaging.models import Thread
from messaging.motifs import Motif
from messaging.tests.helpers import agent, bordeaux_company, holder
from tests.helpers import run_concurrently


@pytest.mark.django_db(transaction=True)
def test_two_agents_taking_one_thread_make_one_owner():
    if connection.vendor != "postgresql":
        pytest.skip("true concurrency needs PostgreSQL (SQLite serializes writers)")
    company = bordeaux_company()
    thread = actions.start_thread(holder(company), company, Motif.OTHER, "Objet", "Texte")
    first, second = agent(), agent()
    for _ in range(5):  # several rounds: a race lost by chance once would pass
        Thread.objects.filter(pk=thread.pk).update(state="new", assigned_agent=None)
        results = run_concurrently(
            lambda: agent_actions.take(first, thread), lambda: agent_actions.take(second, thread)
        )
        taken = [r for r in results if isinstance(r, Thread)]
        refused = [r for r in results if isinstance(r, Refusal)]
        assert len(taken) == 1 and len(refused) == 1, results
        assert refused[0].code == "messaging.already_taken"
        owner = Thread.objects.get(pk=thread.pk).assigned_agent
        assert owner == taken[0].assigned_agent and owner in (first, second)
