"""The administration's side: offices, take, answer, notes, reassign, close, audited readings,
canned answers; and the e-mails an answer sends."""

import pytest
from django.core import mail

from audit.models import AuditEvent
from backoffice.roles import AgentRole
from core.refusals import Refusal
from correspondence.models import Message as Email
from habilitations.models import Role
from messaging import actions, agent_actions, queries
from messaging.models import Side, ThreadState
from messaging.motifs import Motif
from messaging.tests.helpers import PDF, agent, bordeaux_company, holder, upload
from tests.factories import SubscriberFactory

pytestmark = pytest.mark.django_db


def _thread(company=None):
    company = company or bordeaux_company(email_address="contact@societe.example.fr")
    person = holder(company)
    return actions.start_thread(person, company, Motif.PAYMENT, "Paiement", "Question"), person


def test_an_agent_of_another_office_is_refused_a_national_one_is_not():
    thread, _ = _thread()
    with pytest.raises(Refusal) as refused:
        agent_actions.take(agent("SIE-LYON"), thread)
    assert refused.value.code == "messaging.other_office"
    national = agent("")
    agent_actions.take(national, thread)
    thread.refresh_from_db()
    assert thread.assigned_agent == national


def test_a_thread_taken_cannot_be_taken_again():
    thread, _ = _thread()
    agent_actions.take(agent(), thread)
    with pytest.raises(Refusal) as refused:
        agent_actions.take(agent(), thread)
    assert refused.value.code == "messaging.already_taken"


def test_an_answer_tells_holders_and_the_company_address_never_the_content(
    django_capture_on_commit_callbacks,
):
    company = bordeaux_company(email_address="contact@societe.example.fr")
    thread, person = _thread(company)
    colleague = holder(company, Role.ACTOR)
    quiet = holder(company, Role.DELEGATING_ACTOR)
    actions.set_email_opt_out(quiet, True)
    outsider = SubscriberFactory()  # no Messagerie
    clerk = agent()
    with django_capture_on_commit_callbacks(execute=True):
        message = agent_actions.answer(
            clerk, thread, "Votre échéancier secret", [upload("plan.pdf", PDF)]
        )
    assert message.side == Side.ADMINISTRATION and message.author_agent == clerk
    assert message.author_role == "Service des impôts des entreprises de Bordeaux"
    recorded = Email.objects.filter(purpose="messaging_answer")
    assert sorted(recorded.values_list("to", flat=True)) == sorted(
        [person.email, colleague.email, "contact@societe.example.fr"]
    )
    assert quiet.email not in {m.to for m in recorded} and outsider.email not in {
        m.to for m in recorded
    }
    sent = mail.outbox
    assert sorted(address for m in sent for address in m.to) == sorted(
        recorded.values_list("to", flat=True)
    )
    for email in sent:
        assert "Votre échéancier" not in email.body and "http" not in email.body
        assert f"{company.name} ({company.identifier})" in email.body
    thread.refresh_from_db()
    assert thread.state == ThreadState.WAITING_COMPANY and thread.assigned_agent == clerk


def test_opting_out_and_back_in():
    company = bordeaux_company()
    thread, person = _thread(company)
    actions.set_email_opt_out(person, True)
    actions.set_email_opt_out(person, True)  # twice: one row, one event
    assert queries.has_email_opt_out(person)
    agent_actions.answer(agent(), thread, "Réponse")
    assert not Email.objects.filter(to=person.email, purpose="messaging_answer").exists()
    actions.set_email_opt_out(person, False)
    assert not queries.has_email_opt_out(person)
    actions.reply(person, thread, "Merci")
    agent_actions.answer(agent(), thread, "Réponse 2")
    assert Email.objects.filter(to=person.email, purpose="messaging_answer").count() == 1
    assert AuditEvent.objects.filter(action="messaging.emails_changed", actor=person).count() == 2


def test_notes_are_never_among_the_company_s_messages():
    thread, _ = _thread()
    clerk = agent()
    note = agent_actions.add_note(clerk, thread, "Contribuable connu, voir dossier papier")
    assert list(queries.notes_of(thread)) == [note]
    assert all("Contribuable" not in m.body for m in queries.messages_of(thread))
    with pytest.raises(Refusal):
        agent_actions.add_note(agent("SIE-LYON"), thread, "Ailleurs")


def test_reassigning_to_another_office():
    thread, _ = _thread()
    clerk = agent()
    agent_actions.take(clerk, thread)
    agent_actions.reassign(clerk, thread, "SIE-LYON")
    thread.refresh_from_db()
    assert (thread.office, thread.state, thread.assigned_agent) == ("SIE-LYON", "new", None)
    with pytest.raises(Refusal) as refused:
        agent_actions.take(clerk, thread)
    assert refused.value.code == "messaging.other_office"
    lyon = agent("SIE-LYON")
    for code, expected in (
        ("SIE-NOWHERE", "messaging.office_unknown"),
        ("SIE-LYON", "messaging.same_office"),
    ):
        with pytest.raises(Refusal) as refused:
            agent_actions.reassign(lyon, thread, code)
        assert refused.value.code == expected


def test_an_agent_closes_and_may_not_answer_a_closed_thread():
    thread, person = _thread()
    clerk = agent()
    agent_actions.close_by_agent(clerk, thread)
    thread.refresh_from_db()
    assert thread.state == ThreadState.CLOSED and thread.closed_by == Side.ADMINISTRATION
    with pytest.raises(Refusal) as refused:
        agent_actions.answer(clerk, thread, "Trop tard")
    assert refused.value.code == "messaging.closed"
    actions.reply(person, thread, "Une dernière chose")  # within the reopen window
    thread.refresh_from_db()
    assert thread.state == ThreadState.NEW


def test_readings_by_agents_are_audited_with_the_agent():
    thread, _ = _thread()
    clerk = agent()
    agent_actions.answer(clerk, thread, "Pièce", [upload("p.pdf", PDF)])
    attachment = queries.messages_of(thread).last().attachments.get()
    agent_actions.agent_read_thread(clerk, thread)
    agent_actions.agent_read_attachment(clerk, attachment)
    events = AuditEvent.objects.filter(
        action__in=["thread.read_by_agent", "attachment.read_by_agent"]
    )
    assert {e.details["agent"]["email"] for e in events} == {clerk.email}
    assert events.get(action="attachment.read_by_agent").details["attachment"] == attachment.pk
    with pytest.raises(Refusal):
        agent_actions.agent_read_thread(agent("SIE-LYON"), thread)


def test_canned_answers_are_edited_by_supervisors_only():
    with pytest.raises(Refusal) as refused:
        agent_actions.save_canned_answer(agent(), Motif.PAYMENT_DELAY, "Délais", "Texte")
    assert refused.value.code == "messaging.supervisors_only"
    supervisor = agent(role=AgentRole.SUPERVISION)
    canned = agent_actions.save_canned_answer(supervisor, Motif.PAYMENT_DELAY, "Délais", "Texte")
    agent_actions.save_canned_answer(supervisor, Motif.PAYMENT_DELAY, "Délais", "Nouveau", canned)
    assert [c.text for c in queries.canned_answers(Motif.PAYMENT_DELAY)] == ["Nouveau"]
    assert not queries.canned_answers(Motif.OTHER).exists()
