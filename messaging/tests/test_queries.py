"""Reads: the lists, the unread counts (one query for a firm of many dossiers), the queues."""

from datetime import timedelta

import pytest
import time_machine

from core import clock
from habilitations.models import Habilitation, Role, State
from habilitations.rights.actions import set_state
from messaging import actions, agent_actions, queries
from messaging.motifs import Motif
from messaging.tests.helpers import agent, bordeaux_company, holder
from tests.factories import HabilitationFactory

pytestmark = pytest.mark.django_db


def _write(person, company, subject="Objet"):
    return actions.start_thread(person, company, Motif.OTHER, subject, "Texte")


def test_unread_is_per_person_and_drops_when_read():
    company = bordeaux_company()
    alice, bob = holder(company), holder(company, Role.ACTOR)
    thread = _write(alice, company)
    assert queries.unread_count_on(alice, company) == 0
    agent_actions.answer(agent(), thread, "Réponse")
    assert queries.unread_count_on(alice, company) == 1
    assert queries.unread_count_on(bob, company) == 1
    actions.mark_read(bob, thread)
    assert queries.unread_count_on(bob, company) == 0
    assert queries.unread_count_on(alice, company) == 1
    with time_machine.travel(clock.now() + timedelta(minutes=5), tick=False):
        agent_actions.answer(agent(), thread, "Autre réponse")
    assert queries.unread_count_on(bob, company) == 1


def test_thread_list_unread_first_then_by_last_message():
    company = bordeaux_company()
    person = holder(company)
    first = _write(person, company, "Premier")
    with time_machine.travel(clock.now() + timedelta(hours=1), tick=False):
        second = _write(person, company, "Second")
    with time_machine.travel(clock.now() + timedelta(hours=2), tick=False):
        third = _write(person, company, "Troisième")
    agent_actions.answer(agent(), first, "Réponse")  # now, before the others' last message
    rows = list(queries.threads_of(company, person))
    assert [t.subject for t in rows] == ["Premier", "Troisième", "Second"]
    assert [t.unread for t in rows] == [True, False, False]
    assert [t.message_count for t in rows] == [2, 1, 1]
    assert [t.pk for t in queries.threads_of(company)] == [third.pk, second.pk, first.pk]


def test_thread_for_is_scoped_by_company():
    company, other = bordeaux_company(), bordeaux_company()
    person = holder(company)
    thread = _write(person, company)
    assert queries.thread_for(person, company, str(thread.pk)) == thread
    assert queries.thread_for(person, other, thread.pk) is None
    assert queries.thread_for(person, company, "abc") is None


def test_unread_dossiers_of_a_firm_in_one_query(django_assert_num_queries):
    firm = holder(bordeaux_company(), Role.ACTOR)
    clerk = agent("")
    companies = []
    for n in range(12):
        company = bordeaux_company()
        writer = holder(company)
        HabilitationFactory(company=company, subscriber=firm, code="messagerie", role=Role.ACTOR)
        thread = _write(writer, company)
        if n % 3 == 0:
            agent_actions.answer(clerk, thread, "Réponse")
            companies.append(company)
    read = companies.pop()
    actions.mark_read(firm, queries.threads_of(read).get())
    suspended = companies.pop()
    set_state(Habilitation.objects.get(subscriber=firm, company=suspended), State.SUSPENDED)
    with django_assert_num_queries(1):
        found = list(queries.unread_dossiers(firm))
    assert {c.pk for c in found} == {c.pk for c in companies}
    assert len(found) == 2


def test_queues_of_an_office_oldest_first():
    company = bordeaux_company()
    person = holder(company)
    old = _write(person, company, "Ancien")
    with time_machine.travel(clock.now() + timedelta(hours=1), tick=False):
        young = _write(person, company, "Récent")
    clerk, other = agent(), agent()
    assert list(queries.office_queue("SIE-BORDEAUX", "new", clerk)) == [old, young]
    assert not queries.office_queue("SIE-LYON", "new", clerk).exists()
    agent_actions.take(clerk, young)
    assert list(queries.office_queue("SIE-BORDEAUX", "mine", clerk)) == [young]
    assert not queries.office_queue("SIE-BORDEAUX", "mine", other).exists()
    agent_actions.answer(clerk, young, "Réponse")
    assert list(queries.office_queue("SIE-BORDEAUX", "waiting_company", clerk)) == [young]
    agent_actions.close_by_agent(clerk, young)
    assert list(queries.office_queue(None, "closed", clerk)) == [young]
    oldest = queries.oldest_unanswered_by_queue("SIE-BORDEAUX")
    assert oldest == [
        {"office": "SIE-BORDEAUX", "state": "new", "count": 1, "oldest": old.awaiting_since}
    ]
