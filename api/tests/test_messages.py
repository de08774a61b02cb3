"""The secure messaging through the API (docs/api.md §2, §7): each route, the scopes, access
cut at the next call after a suspension, a spoofed file refused with nothing stored, and the
`message.answered` event delivered to a real HTTPS receiver for whoever may use the company's
Messagerie."""

import json

import pytest
from django.core.files.storage import FileSystemStorage

from api import webhooks
from api.models import WebhookDelivery
from api.tests.helpers import bearer, token_for
from habilitations.models import Habilitation, Role, State
from messaging import actions, agent_actions
from messaging.models import Attachment, Thread
from messaging.motifs import Motif
from messaging.tests.helpers import PDF, agent, bordeaux_company, holder, upload
from tests.factories import SubscriberFactory

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def attachments_dir(tmp_path, monkeypatch):
    folder = tmp_path / "messaging"
    monkeypatch.setattr(
        Attachment._meta.get_field("file"), "storage", FileSystemStorage(location=folder)
    )
    return folder


@pytest.fixture
def company():
    return bordeaux_company(name="SARL MARTIN DISTRIBUTION")


@pytest.fixture
def accountant(company):
    """An accountant holding the company's Messagerie by delegation (an actor)."""
    return holder(company, role=Role.ACTOR)


def _base(company) -> str:
    return f"/api/v1/dossiers/{company.identifier}/threads"


def test_write_list_read_answer_and_download(client, company, accountant, attachments_dir):
    raw = token_for(accountant, scopes=["messages:read", "messages:write"])
    started = client.post(
        _base(company),
        {
            "motif": Motif.PAYMENT,
            "subject": "Échéance de mars",
            "body": "Bonjour,\nune question.",
            "files": [upload("releve.pdf", PDF)],
        },
        **bearer(raw),
    )
    assert started.status_code == 201, started.content
    body = started.json()
    assert body["state"] == "new" and body["message_count"] == 1 and not body["unread"]
    (message,) = body["messages"]
    assert message["body"] == "Bonjour,\nune question." and message["side"] == "company"
    assert message["attachments"][0]["name"] == "releve.pdf"
    thread = Thread.objects.get(pk=body["id"])
    agent_actions.answer(agent(), thread, "Voici la réponse", [upload("reponse.pdf", PDF)])
    listed = client.get(_base(company), **bearer(raw)).json()
    assert listed["total"] == 1 and listed["items"][0]["unread"] is True
    detail = client.get(f"{_base(company)}/{thread.pk}", **bearer(raw)).json()
    answer = detail["messages"][1]
    assert answer["side"] == "administration" and answer["body"] == "Voici la réponse"
    file_id = answer["attachments"][0]["id"]
    download = client.get(f"{_base(company)}/{thread.pk}/attachments/{file_id}", **bearer(raw))
    assert download.status_code == 200 and b"".join(download.streaming_content) == PDF
    assert download["Content-Disposition"].startswith("attachment")
    assert download["X-Content-Type-Options"] == "nosniff"
    assert "no-store" in download["Cache-Control"]
    marked = client.post(f"{_base(company)}/{thread.pk}/read", **bearer(raw))
    assert marked.status_code == 204
    assert client.get(_base(company), **bearer(raw)).json()["items"][0]["unread"] is False
    replied = client.post(
        f"{_base(company)}/{thread.pk}/messages", {"body": "Merci"}, **bearer(raw)
    )
    assert replied.status_code == 201 and replied.json()["body"] == "Merci"
    thread.refresh_from_db()
    assert thread.state == "assigned"


def test_threads_are_read_by_cursor_pages(client, company, accountant):
    for n in range(5):
        actions.start_thread(accountant, company, Motif.OTHER, f"Sujet {n}", "Texte")
    raw, seen, cursor = token_for(accountant, scopes=["messages:read"]), [], ""
    while True:
        body = client.get(f"{_base(company)}?limit=2&cursor={cursor}", **bearer(raw)).json()
        assert body["total"] == 5
        seen += [t["subject"] for t in body["items"]]
        cursor = body["next_cursor"]
        if cursor is None:
            break
    assert sorted(seen) == [f"Sujet {n}" for n in range(5)]
    wrong = client.get(f"{_base(company)}?cursor=forged", **bearer(raw))
    assert wrong.status_code == 400 and wrong.json()["code"] == "api.invalid_cursor"


def test_each_route_needs_its_scope(client, company, accountant):
    thread = actions.start_thread(accountant, company, Motif.OTHER, "Sujet", "Texte")
    reading = token_for(accountant, scopes=["dossiers:read"])
    for path in (_base(company), f"{_base(company)}/{thread.pk}"):
        refused = client.get(path, **bearer(reading))
        assert refused.status_code == 403 and refused.json()["code"] == "api.scope_missing"
    read_only = token_for(accountant, scopes=["messages:read"])
    for path, data in (
        (_base(company), {"motif": "autre", "subject": "S", "body": "B"}),
        (f"{_base(company)}/{thread.pk}/messages", {"body": "B"}),
        (f"{_base(company)}/{thread.pk}/read", {}),
    ):
        refused = client.post(path, data, **bearer(read_only))
        assert refused.status_code == 403 and refused.json()["code"] == "api.scope_missing"
    assert Thread.objects.count() == 1


def test_who_may_not_use_the_messagerie_gets_a_404(client, company, accountant):
    thread = actions.start_thread(accountant, company, Motif.OTHER, "Sujet", "Texte")
    outsider = token_for(SubscriberFactory())
    for path in (
        _base(company),
        f"{_base(company)}/{thread.pk}",
        "/api/v1/dossiers/000000000/threads",
    ):
        refused = client.get(path, **bearer(outsider))
        assert refused.status_code == 404 and refused.json()["code"] == "messaging.forbidden"
    raw = token_for(accountant)
    other = bordeaux_company()
    elsewhere = actions.start_thread(holder(other), other, Motif.OTHER, "Ailleurs", "Texte")
    assert client.get(f"{_base(company)}/{elsewhere.pk}", **bearer(raw)).status_code == 404


def test_a_suspension_cuts_access_at_the_next_call(client, company, accountant):
    thread = actions.start_thread(
        accountant, company, Motif.OTHER, "Sujet", "Texte", [upload("a.pdf", PDF)]
    )
    file_id = Attachment.objects.get().pk
    raw = token_for(accountant)
    file_path = f"{_base(company)}/{thread.pk}/attachments/{file_id}"
    opened = client.get(file_path, **bearer(raw))
    assert opened.status_code == 200 and b"".join(opened.streaming_content) == PDF
    Habilitation.objects.filter(subscriber=accountant).update(state=State.SUSPENDED)
    for answer in (
        client.get(file_path, **bearer(raw)),
        client.get(f"{_base(company)}/{thread.pk}", **bearer(raw)),
        client.post(f"{_base(company)}/{thread.pk}/messages", {"body": "Encore"}, **bearer(raw)),
    ):
        assert answer.status_code == 404 and answer.json()["code"] == "messaging.forbidden"


def test_a_spoofed_file_is_refused_and_nothing_is_stored(
    client, company, accountant, attachments_dir
):
    raw = token_for(accountant)
    refused = client.post(
        _base(company),
        {
            "motif": Motif.OTHER,
            "subject": "Pièce",
            "body": "Ci-joint",
            "files": [upload("facture.pdf", b"MZ\x90\x00\x03" + b"\x00" * 200)],
        },
        **bearer(raw),
    )
    assert refused.status_code == 422
    assert refused.json()["code"] in ("messaging.file_type", "messaging.file_type_mismatch")
    assert refused.json()["field"] == "files"
    assert not Thread.objects.exists() and not list(attachments_dir.rglob("*.*"))


def test_an_idempotent_multipart_post_is_made_once(client, company, accountant):
    raw = token_for(accountant)
    data = {"motif": Motif.OTHER, "subject": "Une fois", "body": "Texte"}
    first = client.post(_base(company), data, HTTP_IDEMPOTENCY_KEY="k-1", **bearer(raw))
    again = client.post(_base(company), data, HTTP_IDEMPOTENCY_KEY="k-1", **bearer(raw))
    assert first.status_code == again.status_code == 201
    assert again["Idempotent-Replayed"] == "true" and Thread.objects.count() == 1


def test_message_answered_reaches_who_may_use_the_messagerie(
    company, accountant, received, django_capture_on_commit_callbacks
):
    webhooks.register(accountant, received.url("/messages"))  # an actor, not an administrator
    outsider = SubscriberFactory()
    webhooks.register(outsider, received.url("/ailleurs"))
    suspended = holder(company, role=Role.ACTOR)
    webhooks.register(suspended, received.url("/suspendu"))
    Habilitation.objects.filter(subscriber=suspended).update(state=State.SUSPENDED)
    thread = actions.start_thread(accountant, company, Motif.OTHER, "Sujet", "Texte")
    with django_capture_on_commit_callbacks(execute=True):
        agent_actions.answer(agent(), thread, "Réponse")
    (call,) = received
    assert call.url == "/messages"
    event = json.loads(call.body)
    assert event["type"] == "message.answered"
    assert event["data"]["siren"] == company.identifier and event["data"]["thread"] == thread.pk
    assert "agent" not in event["data"] and "Réponse" not in call.body.decode()
    assert WebhookDelivery.objects.get().state == "delivered"


def test_the_token_page_offers_the_messaging_scopes(client, accountant):
    client.force_login(accountant)
    page = client.get("/espace/logiciels/").content.decode()
    assert 'value="messages:read"' in page and 'value="messages:write"' in page
