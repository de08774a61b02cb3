"""The secure messaging in the back office (docs/backoffice.md §10): queues per office, the
thread page (readings audited), take, answer with a canned answer and files, internal notes
never on the company's side, reassign, close; a thread or a file of another office is a 404."""

import pytest
from django.core.files.storage import FileSystemStorage
from django.db import connection
from django.test.utils import CaptureQueriesContext

from audit.models import AuditEvent
from backoffice.roles import AgentRole
from backoffice.tests.helpers import log_in, visible_text
from messaging import actions, agent_actions, queries
from messaging.models import Attachment, Message, ThreadState
from messaging.motifs import Motif
from messaging.tests.helpers import PDF, agent, bordeaux_company, holder, upload

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def attachments_dir(tmp_path, monkeypatch):
    folder = tmp_path / "messaging"
    monkeypatch.setattr(
        Attachment._meta.get_field("file"), "storage", FileSystemStorage(location=folder)
    )
    return folder


def _thread(subject="Échéancier", files=()):
    company = bordeaux_company(name="SARL MARTIN DISTRIBUTION")
    person = holder(company)
    thread = actions.start_thread(
        person, company, Motif.PAYMENT_DELAY, subject, "Pouvons-nous étaler ?", files
    )
    return thread, person


def _logged(client, office="SIE-BORDEAUX", role=AgentRole.GESTION):
    clerk = agent(office, role)
    log_in(client, clerk)
    return clerk


def test_the_office_s_queue_lists_its_new_threads_oldest_first(client, time_machine):
    time_machine.move_to("2026-03-02 09:00 +01:00")
    older, _ = _thread("Premier")
    time_machine.move_to("2026-03-04 09:00 +01:00")
    newer, _ = _thread("Second")
    _logged(client)
    page = client.get("/agents/messagerie/")
    assert page.status_code == 200
    text = visible_text(page.content.decode(), "queue")
    assert text.index("Premier") < text.index("Second")
    assert "2 jours" in text  # the age of the waiting
    assert older.pk != newer.pk


def test_another_office_sees_nothing_of_it(client):
    thread, _ = _thread(files=[upload("avis.pdf", PDF)])
    file = Message.objects.get(thread=thread).attachments.get()
    _logged(client, office="SIE-LYON")
    assert "Échéancier" not in client.get("/agents/messagerie/").content.decode()
    assert client.get(f"/agents/messagerie/{thread.pk}/").status_code == 404
    assert client.get(f"/agents/messagerie/{thread.pk}/pieces/{file.pk}/").status_code == 404
    assert client.post(f"/agents/messagerie/{thread.pk}/prendre/").status_code == 404
    assert not AuditEvent.objects.filter(action__in=["thread.read_by_agent", "thread.taken"])


def test_a_national_agent_filters_by_office(client):
    _thread("Bordelais")
    _logged(client, office="")
    assert "Bordelais" in client.get("/agents/messagerie/").content.decode()
    assert "Bordelais" in client.get("/agents/messagerie/?service=SIE-BORDEAUX").content.decode()
    assert "Bordelais" not in client.get("/agents/messagerie/?service=SIE-LYON").content.decode()


def test_the_assistance_line_does_not_read_messages(client):
    thread, _ = _thread()
    _logged(client, role=AgentRole.ASSISTANCE)
    assert client.get("/agents/messagerie/").status_code == 403
    assert client.get(f"/agents/messagerie/{thread.pk}/").status_code == 403


def test_the_queue_costs_the_same_for_3_threads_or_30(client):
    _logged(client)

    def cost():
        with CaptureQueriesContext(connection) as queries_run:
            assert client.get("/agents/messagerie/").status_code == 200
        return len(queries_run)

    for _ in range(3):
        _thread()
    few = cost()
    for _ in range(27):
        _thread()
    assert cost() == few


def test_reading_a_thread_and_a_file_is_audited_with_the_agent(client):
    thread, _ = _thread(files=[upload("avis.pdf", PDF)])
    file = Message.objects.get(thread=thread).attachments.get()
    clerk = _logged(client)
    page = client.get(f"/agents/messagerie/{thread.pk}/")
    html = page.content.decode()
    assert "SARL MARTIN DISTRIBUTION" in html and thread.company.identifier in html
    assert f"/agents/entreprises/{thread.company.identifier}/" in html
    assert "Demande de délais de paiement" in html and "Pouvons-nous étaler ?" in html
    read = AuditEvent.objects.get(action="thread.read_by_agent")
    assert read.details["agent"]["id"] == str(clerk.pk) and read.details["thread"] == thread.pk
    download = client.get(f"/agents/messagerie/{thread.pk}/pieces/{file.pk}/")
    assert download.status_code == 200 and b"".join(download.streaming_content) == PDF
    assert download["Content-Disposition"].startswith("attachment")
    assert download["X-Content-Type-Options"] == "nosniff"
    assert "no-store" in download["Cache-Control"]
    opened = AuditEvent.objects.get(action="attachment.read_by_agent")
    assert opened.details["agent"]["id"] == str(clerk.pk)
    assert opened.details["attachment"] == file.pk
    other, _ = _thread()  # a file id of another thread is not this thread's
    assert client.get(f"/agents/messagerie/{other.pk}/pieces/{file.pk}/").status_code == 404


def test_two_agents_taking_one_thread_the_second_is_told(client):
    thread, _ = _thread()
    first = agent()
    agent_actions.take(first, thread)
    _logged(client)
    refused = client.post(f"/agents/messagerie/{thread.pk}/prendre/")
    assert refused.status_code == 409
    assert "déjà été prise en charge" in refused.content.decode()
    thread.refresh_from_db()
    assert thread.assigned_agent == first


def test_take_then_answer_with_a_canned_answer_and_a_file(client):
    thread, _ = _thread()
    boss = agent(role=AgentRole.SUPERVISION)
    canned = agent_actions.save_canned_answer(
        boss, Motif.PAYMENT_DELAY, "Délais accordés", "Un échéancier vous est accordé."
    )
    clerk = _logged(client)
    assert client.post(f"/agents/messagerie/{thread.pk}/prendre/").status_code == 302
    inserted = client.post(
        f"/agents/messagerie/{thread.pk}/repondre/",
        {"answer-canned": canned.pk, "answer-body": "Bonjour,", "insert": "1"},
    )
    assert inserted.status_code == 200
    assert "Bonjour,\n\nUn échéancier vous est accordé." in inserted.content.decode()
    assert not Message.objects.filter(thread=thread, side="administration").exists()
    sent = client.post(
        f"/agents/messagerie/{thread.pk}/repondre/",
        {"answer-body": "Bonjour,\n\nUn échéancier.", "answer-files": [upload("plan.pdf", PDF)]},
    )
    assert sent.status_code == 302
    thread.refresh_from_db()
    assert thread.state == ThreadState.WAITING_COMPANY and thread.assigned_agent == clerk
    answer = Message.objects.get(thread=thread, side="administration")
    assert answer.author_agent == clerk and answer.attachments.get().name == "plan.pdf"
    assert queries.office_queue("SIE-BORDEAUX", "waiting_company", clerk).get() == thread


def test_a_refused_answer_keeps_the_text_and_saves_nothing(client, attachments_dir):
    thread, _ = _thread()
    _logged(client)
    refused = client.post(
        f"/agents/messagerie/{thread.pk}/repondre/",
        {"answer-body": "Ma réponse tapée", "answer-files": [upload("faux.pdf", b"MZ\x90\x00")]},
    )
    assert refused.status_code == 422
    html = refused.content.decode()
    assert "Ma réponse tapée" in html and "faux.pdf" in html
    assert not Message.objects.filter(thread=thread, side="administration").exists()
    assert not list(attachments_dir.rglob("*.*"))
    empty = client.post(f"/agents/messagerie/{thread.pk}/repondre/", {"answer-body": "  "})
    assert empty.status_code == 422 and "fr-error-text" in empty.content.decode()


def test_internal_notes_are_marked_and_never_among_the_company_s_messages(client):
    thread, person = _thread()
    _logged(client)
    added = client.post(f"/agents/messagerie/{thread.pk}/note/", {"note-body": "Dossier papier"})
    assert added.status_code == 302
    html = client.get(f"/agents/messagerie/{thread.pk}/").content.decode()
    assert "Dossier papier" in visible_text(html, "thread-notes")
    assert "Note interne — jamais visible par l'entreprise" in visible_text(html, "thread-notes")
    assert "Dossier papier" not in visible_text(html, "thread-messages")
    # The company's side reads the thread through these: no note in them.
    assert all("Dossier papier" not in m.body for m in queries.messages_of(thread))
    listed = queries.threads_of(thread.company, person).get()
    assert listed.message_count == 1
    empty = client.post(f"/agents/messagerie/{thread.pk}/note/", {"note-body": " "})
    assert empty.status_code == 422


def test_reassign_and_close(client):
    thread, _ = _thread()
    _logged(client)
    same = client.post(
        f"/agents/messagerie/{thread.pk}/reaffecter/", {"reassign-office": "SIE-BORDEAUX"}
    )
    assert same.status_code == 422 and "Choisissez un service de la liste." in same.content.decode()
    moved = client.post(
        f"/agents/messagerie/{thread.pk}/reaffecter/", {"reassign-office": "SIE-LYON"}
    )
    assert moved.status_code == 302 and moved["Location"] == "/agents/messagerie/"
    thread.refresh_from_db()
    assert thread.office == "SIE-LYON"
    assert client.get(f"/agents/messagerie/{thread.pk}/").status_code == 404
    other, _ = _thread()
    assert client.post(f"/agents/messagerie/{other.pk}/clore/").status_code == 302
    other.refresh_from_db()
    assert other.state == ThreadState.CLOSED
    again = client.post(f"/agents/messagerie/{other.pk}/clore/")
    assert again.status_code == 409 and "close" in again.content.decode()


def test_actions_are_posts_only(client):
    thread, _ = _thread()
    _logged(client)
    for action in ("prendre", "repondre", "note", "reaffecter", "clore"):
        assert client.get(f"/agents/messagerie/{thread.pk}/{action}/").status_code == 405
