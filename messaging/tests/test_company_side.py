"""The company's side: who may write, the states, closing and reopening."""

from datetime import timedelta

import pytest
import time_machine

from accounts.space_access import freeze as freeze_space
from audit.models import AuditEvent
from companies.freezing import freeze as freeze_company
from core import clock
from core.refusals import Refusal
from habilitations.models import Habilitation, Role, State
from habilitations.rights.actions import set_state
from messaging import actions
from messaging.access import may_use_messaging
from messaging.models import Message, Side, Thread, ThreadState
from messaging.motifs import Motif
from messaging.tests.helpers import bordeaux_company, holder
from tests.factories import CompanyFactory, HabilitationFactory, SubscriberFactory

pytestmark = pytest.mark.django_db


def _start(person, company, body="Bonjour,\nvoici ma question."):
    return actions.start_thread(person, company, Motif.DECLARATION, "TVA de mars", body)


def test_a_holder_of_messagerie_writes_to_the_company_s_office():
    company = bordeaux_company()
    person = holder(company, Role.ACTOR)
    thread = _start(person, company)
    assert (thread.office, thread.state, thread.subject) == ("SIE-BORDEAUX", "new", "TVA de mars")
    message = Message.objects.get(thread=thread)
    assert message.side == Side.COMPANY and message.author_subscriber == person
    assert message.author_name == person.full_name and message.author_role == "Acteur"
    assert message.body == "Bonjour,\nvoici ma question."  # line breaks kept
    assert AuditEvent.objects.filter(action="message.thread_started", actor=person).exists()


@pytest.mark.parametrize("role", list(Role))
def test_every_role_on_messagerie_may_use_it(role):
    company = bordeaux_company()
    assert may_use_messaging(holder(company, role), company)


def test_another_service_or_another_company_gives_no_access():
    company = bordeaux_company()
    other = SubscriberFactory()
    HabilitationFactory(company=company, subscriber=other, code="declarer_tva")
    assert not may_use_messaging(other, company)
    with pytest.raises(Refusal) as refused:
        _start(other, company)
    assert refused.value.code == "messaging.forbidden"
    assert not may_use_messaging(holder(CompanyFactory()), company)
    assert not Thread.objects.exists()


def test_a_suspension_cuts_access_at_the_next_call_and_the_history_stays():
    company = bordeaux_company()
    person = holder(company, Role.ACTOR)
    thread = _start(person, company)
    set_state(Habilitation.objects.get(subscriber=person), State.SUSPENDED)
    with pytest.raises(Refusal) as refused:
        actions.reply(person, thread, "Encore moi")
    assert refused.value.code == "messaging.forbidden"
    successor = holder(company, Role.DEPUTY_ADMIN)
    actions.reply(successor, thread, "Je reprends le dossier")
    assert thread.messages.count() == 2


def test_a_frozen_space_or_company_cuts_access():
    company = bordeaux_company()
    person = holder(company)
    thread = _start(person, company)
    freeze_company(company)
    with pytest.raises(Refusal) as refused:
        actions.reply(person, thread, "Texte")
    assert refused.value.code == "company.frozen"
    company.refresh_from_db()  # the next request reads the company again
    assert not may_use_messaging(person, company)

    other_company = bordeaux_company()
    other = holder(other_company)
    freeze_space(other)
    other.refresh_from_db()
    with pytest.raises(Refusal) as refused:
        _start(other, other_company)
    assert refused.value.code == "space.frozen"


@pytest.mark.parametrize(
    ("motif", "subject", "body", "code"),
    [
        ("inconnu", "Objet", "Texte", "messaging.motif_unknown"),
        (Motif.OTHER, "   ", "Texte", "messaging.subject_missing"),
        (Motif.OTHER, "x" * 151, "Texte", "messaging.subject_too_long"),
        (Motif.OTHER, "Objet", " \n\t ", "messaging.body_missing"),
        (Motif.OTHER, "Objet", "x" * 8001, "messaging.body_too_long"),
    ],
)
def test_what_is_written_is_checked(motif, subject, body, code):
    company = bordeaux_company()
    with pytest.raises(Refusal) as refused:
        actions.start_thread(holder(company), company, motif, subject, body)
    assert refused.value.code == code
    assert not Thread.objects.exists() and not Message.objects.exists()


def test_control_characters_are_dropped_and_text_stays_plain():
    company = bordeaux_company()
    thread = actions.start_thread(
        holder(company), company, Motif.OTHER, "Objet\x00 <b>", "<script>x</script>\x07\r\nfin"
    )
    assert thread.subject == "Objet <b>"
    assert thread.messages.get().body == "<script>x</script>\nfin"


def test_states_through_a_conversation():
    from messaging import agent_actions
    from messaging.tests.helpers import agent

    company = bordeaux_company()
    person = holder(company)
    thread = _start(person, company)
    clerk = agent()
    agent_actions.take(clerk, thread)
    thread.refresh_from_db()
    assert thread.state == ThreadState.ASSIGNED and thread.assigned_agent == clerk
    agent_actions.answer(clerk, thread, "Voici la réponse")
    thread.refresh_from_db()
    assert thread.state == ThreadState.WAITING_COMPANY and thread.awaiting_since is None
    actions.reply(person, thread, "Merci, une précision")
    thread.refresh_from_db()
    assert thread.state == ThreadState.ASSIGNED and thread.awaiting_since is not None
    actions.close_by_company(person, thread)
    thread.refresh_from_db()
    assert thread.state == ThreadState.CLOSED and thread.closed_by == Side.COMPANY
    assert AuditEvent.objects.filter(action="thread.closed", actor=person).exists()


def test_a_closed_thread_may_be_answered_once_within_the_reopen_window(settings):
    settings.MESSAGING_REOPEN_DAYS = 15
    company = bordeaux_company()
    person = holder(company)
    thread = _start(person, company)
    actions.close_by_company(person, thread)
    with time_machine.travel(clock.now() + timedelta(days=14), tick=False):
        actions.reply(person, thread, "Une dernière chose")
    thread.refresh_from_db()
    assert thread.state == ThreadState.NEW and thread.reopened_at is not None
    actions.close_by_company(person, thread)
    thread.refresh_from_db()
    assert thread.reopen_until is None  # reopened once already
    with pytest.raises(Refusal) as refused:
        actions.reply(person, thread, "Encore une")
    assert refused.value.message == "Cette conversation est close : écrivez un nouveau message."


def test_a_closed_thread_past_the_window_needs_a_new_one(settings):
    settings.MESSAGING_REOPEN_DAYS = 15
    company = bordeaux_company()
    person = holder(company)
    thread = _start(person, company)
    actions.close_by_company(person, thread)
    later = clock.now() + timedelta(days=15, minutes=1)
    with time_machine.travel(later, tick=False), pytest.raises(Refusal) as refused:
        actions.reply(person, thread, "Trop tard")
    assert refused.value.code == "messaging.closed"
    assert thread.messages.count() == 1
