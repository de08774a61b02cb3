"""Supervisors of the messaging (docs/backoffice.md §10): the age of each queue's oldest
unanswered message, and the canned answers per motif; other roles are refused."""

import pytest

from audit.models import AuditEvent
from backoffice.roles import AgentRole
from backoffice.tests.helpers import log_in, visible_text
from messaging import actions, queries
from messaging.motifs import Motif
from messaging.tests.helpers import agent, bordeaux_company, holder

pytestmark = pytest.mark.django_db


def test_the_supervisor_sees_each_queue_s_oldest_unanswered_message(client, time_machine):
    time_machine.move_to("2026-03-02 09:00 +01:00")
    company = bordeaux_company()
    person = holder(company)
    actions.start_thread(person, company, Motif.PAYMENT, "Vieux", "Question")
    time_machine.move_to("2026-03-05 09:00 +01:00")
    actions.start_thread(person, company, Motif.PAYMENT, "Récent", "Question")
    log_in(client, agent("", AgentRole.SUPERVISION))
    page = client.get("/agents/messagerie/supervision/")
    text = visible_text(page.content.decode(), "overview")
    assert "Service des impôts des entreprises de Bordeaux Nouveaux 2" in text
    assert "depuis 3 jours" in text and "02/03/2026" in text


def test_gestion_is_refused_the_supervisor_s_pages(client):
    log_in(client, agent(role=AgentRole.GESTION))
    for url in (
        "/agents/messagerie/supervision/",
        "/agents/messagerie/reponses-types/",
        "/agents/messagerie/reponses-types/nouvelle/",
    ):
        assert client.get(url).status_code == 403
    assert client.post("/agents/messagerie/reponses-types/nouvelle/", {}).status_code == 403
    assert not queries.canned_answers().exists()


def test_a_supervisor_creates_and_edits_a_canned_answer(client):
    log_in(client, agent("", AgentRole.SUPERVISION))
    missing = client.post("/agents/messagerie/reponses-types/nouvelle/", {"motif": "paiement"})
    assert missing.status_code == 200 and "Saisissez un titre." in missing.content.decode()
    created = client.post(
        "/agents/messagerie/reponses-types/nouvelle/",
        {"motif": Motif.PAYMENT, "title": "Paiement reçu", "text": "Votre paiement est reçu."},
    )
    assert created.status_code == 302
    canned = queries.canned_answers(Motif.PAYMENT).get()
    assert "Paiement reçu" in client.get("/agents/messagerie/reponses-types/").content.decode()
    edited = client.post(
        f"/agents/messagerie/reponses-types/{canned.pk}/",
        {"motif": Motif.PAYMENT, "title": "Paiement bien reçu", "text": "Reçu, merci."},
    )
    assert edited.status_code == 302
    canned.refresh_from_db()
    assert (canned.title, canned.text) == ("Paiement bien reçu", "Reçu, merci.")
    assert AuditEvent.objects.filter(action="canned_answer.saved").count() == 2
    assert client.get("/agents/messagerie/reponses-types/999999/").status_code == 404
