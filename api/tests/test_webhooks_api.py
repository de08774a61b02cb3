"""Webhooks through the API (docs/api.md §2, §7): `GET/POST /webhooks`, `GET/DELETE
/webhooks/{id}` with the scope `webhooks:write`; the page's rules and refusal codes, the secret
shown once, every write audited with the token, the delivery log."""

import json
import threading
from datetime import timedelta

import pytest
import time_machine
from django.db import connection, connections
from django.utils.html import escape

from api import webhook_addresses, webhooks
from api.models import IdempotentAnswer, Webhook
from api.tests.helpers import bearer, service_bearer, token_for
from audit.models import Action, AuditEvent
from core import clock
from core.refusals import Refusal
from tests.factories import HabilitationFactory
from tests.helpers import prove_fresh_factor

pytestmark = pytest.mark.django_db


def _register(client, raw, url, **extra):
    return client.post(
        "/api/v1/webhooks",
        json.dumps({"url": url}),
        content_type="application/json",
        **bearer(raw),
        **extra,
    )


@pytest.fixture
def raw(alice, received):
    return token_for(alice, scopes=["webhooks:write"])


@pytest.fixture
def hook_url(received):
    return received.url()


def test_a_token_registers_lists_shows_and_deletes_a_webhook(client, alice, raw, hook_url):
    created = _register(client, raw, hook_url)
    assert created.status_code == 201, created.content
    body = created.json()
    assert body["url"] == hook_url and body["secret"].startswith("whsec_")
    assert body["created_at"].endswith("Z")
    listed = client.get("/api/v1/webhooks", **bearer(raw)).json()
    assert listed == [{"id": body["id"], "url": hook_url, "created_at": body["created_at"]}]
    shown = client.get(f"/api/v1/webhooks/{body['id']}", **bearer(raw)).json()
    assert (shown["url"], shown["deliveries"]) == (hook_url, [])

    deleted = client.delete(f"/api/v1/webhooks/{body['id']}", **bearer(raw))
    assert deleted.status_code == 204
    gone = client.get(f"/api/v1/webhooks/{body['id']}", **bearer(raw))
    assert gone.status_code == 404 and gone.json()["code"] == "api.not_found"
    assert client.get("/api/v1/webhooks", **bearer(raw)).json() == []
    again = client.delete(f"/api/v1/webhooks/{body['id']}", **bearer(raw))
    assert again.status_code == 404
    # The page shows what the API did.
    client.force_login(alice)
    prove_fresh_factor(client)
    assert hook_url not in client.get("/espace/logiciels/webhooks/").content.decode()


def test_the_secret_is_shown_once_and_signs_the_events(
    client, alice, bob, company, raw, received, hook_url, django_capture_on_commit_callbacks
):
    HabilitationFactory(subscriber=alice, company=company)
    secret = _register(client, raw, hook_url).json()["secret"]
    webhook = Webhook.objects.get()
    assert secret not in webhook.sealed_secret
    for read in ("/api/v1/webhooks", f"/api/v1/webhooks/{webhook.pk}"):
        assert secret not in client.get(read, **bearer(raw)).content.decode()
    client.force_login(alice)
    prove_fresh_factor(client)
    assert secret not in client.get("/espace/logiciels/webhooks/").content.decode()
    with django_capture_on_commit_callbacks(execute=True):
        HabilitationFactory(subscriber=bob, company=company, actor=True, by=alice)
    _, body, headers = received[0]
    timestamp = headers["Webhook-Timestamp"]
    assert headers["Webhook-Signature"] == webhooks.sign(secret, int(timestamp), body)


def test_a_retry_with_the_same_key_gets_the_same_webhook_and_its_secret_kept_sealed(
    client, raw, received, hook_url
):
    first = _register(client, raw, hook_url, HTTP_IDEMPOTENCY_KEY="hook-1")
    again = _register(client, raw, hook_url, HTTP_IDEMPOTENCY_KEY="hook-1")
    assert first.status_code == again.status_code == 201
    assert again.json() == first.json() and again["Idempotent-Replayed"] == "true"
    assert Webhook.objects.count() == 1
    kept = IdempotentAnswer.objects.get()
    assert kept.sealed and first.json()["secret"].encode() not in bytes(kept.body)
    other = _register(client, raw, received.url("/autre"), HTTP_IDEMPOTENCY_KEY="hook-1")
    assert other.status_code == 422 and other.json()["code"] == "api.idempotency_key_reused"


@pytest.mark.parametrize(
    ("url", "code"),
    [
        ("http://hooks.example/x", "api.webhook_https_only"),
        ("hooks.example/x", "api.webhook_https_only"),
        ("https://intranet.example/x", "api.webhook_address_refused"),
        ("https://10.0.0.5/x", "api.webhook_address_refused"),
        ("https://localhost/x", "api.webhook_address_refused"),
        ("https://[64:ff9b:1::a00:1]/", "api.webhook_address_refused"),
        ("https://moi:secret@hooks.example/x", "api.webhook_address_refused"),
        ("https://hooks.example/" + "x" * 480, "api.webhook_url_too_long"),
        ("https://hooks.example:99999/x", "api.webhook_url_invalid"),
        ("https://hooks example/x", "api.webhook_url_invalid"),
    ],
)
def test_each_address_refused_on_the_page_is_refused_alike(client, alice, raw, url, code, settings):
    settings.API_WEBHOOK_ALLOW_PRIVATE = False  # as in production
    answer = _register(client, raw, url)
    assert answer.status_code == 422
    problem = answer.json()
    assert (problem["code"], problem["field"]) == (code, "url")
    message = Refusal(code, max=webhook_addresses.URL_MAX_LENGTH).message
    assert problem["detail"] == message
    assert answer["Content-Type"] == "application/problem+json"
    client.force_login(alice)
    prove_fresh_factor(client)
    page = client.post("/espace/logiciels/webhooks/", {"url": url})
    assert escape(message) in page.content.decode()
    assert not Webhook.objects.exists()


def test_the_limit_of_webhooks_per_space_is_the_pages(client, alice, raw, hook_url, settings):
    settings.API_WEBHOOKS_PER_SUBSCRIBER = 2
    for n in range(2):
        assert _register(client, raw, f"{hook_url}/{n}").status_code == 201
    refused = _register(client, raw, f"{hook_url}/2")
    assert refused.status_code == 422 and refused.json()["code"] == "api.too_many_webhooks"
    assert refused.json()["detail"] == Refusal("api.too_many_webhooks", count=2).message
    client.force_login(alice)
    prove_fresh_factor(client)
    page = client.post("/espace/logiciels/webhooks/", {"url": f"{hook_url}/3"})
    assert escape(Refusal("api.too_many_webhooks", count=2).message) in page.content.decode()
    # A deleted one frees its place.
    client.delete(f"/api/v1/webhooks/{Webhook.objects.first().pk}", **bearer(raw))
    assert _register(client, raw, f"{hook_url}/4").status_code == 201


def test_without_the_scope_every_operation_is_refused(client, alice, hook_url):
    webhook, _ = webhooks.register(alice, hook_url)
    reader = token_for(alice, scopes=["dossiers:read", "delegations:write", "demandes:write"])
    calls = [
        client.get("/api/v1/webhooks", **bearer(reader)),
        _register(client, reader, hook_url),
        client.get(f"/api/v1/webhooks/{webhook.pk}", **bearer(reader)),
        client.delete(f"/api/v1/webhooks/{webhook.pk}", **bearer(reader)),
    ]
    assert [(c.status_code, c.json()["code"]) for c in calls] == [(403, "api.scope_missing")] * 4
    assert "webhooks:write" in calls[0].json()["detail"]
    service = client.get("/api/v1/webhooks", **bearer(service_bearer()))
    assert service.status_code == 403 and service.json()["code"] == "api.subscribers_only"
    assert client.get("/api/v1/webhooks").status_code == 401
    assert Webhook.objects.filter(revoked_at=None).count() == 1


def test_another_owners_webhook_is_not_found(client, bob, raw, received):
    theirs, _ = webhooks.register(bob, received.url("/bob"))
    for answer in (
        client.get(f"/api/v1/webhooks/{theirs.pk}", **bearer(raw)),
        client.delete(f"/api/v1/webhooks/{theirs.pk}", **bearer(raw)),
    ):
        assert answer.status_code == 404 and answer.json()["code"] == "api.not_found"
    assert client.get("/api/v1/webhooks", **bearer(raw)).json() == []
    theirs.refresh_from_db()
    assert theirs.revoked_at is None


def test_each_write_is_audited_with_the_token(client, alice, raw, hook_url):
    created = _register(client, raw, hook_url).json()
    client.delete(f"/api/v1/webhooks/{created['id']}", **bearer(raw))
    events = AuditEvent.objects.filter(
        action__in=[Action.API_WEBHOOK_CREATED, Action.API_WEBHOOK_REVOKED]
    ).order_by("at", "pk")
    assert [(e.action, e.actor, e.details["webhook"]) for e in events] == [
        (Action.API_WEBHOOK_CREATED, alice, created["id"]),
        (Action.API_WEBHOOK_REVOKED, alice, created["id"]),
    ]
    token_id = alice.api_tokens.get().pk
    assert {e.details["via"] for e in events} == {f"api_token:{token_id}"}


def test_the_delivery_log_tells_what_was_received_and_what_is_retried(
    client, alice, bob, carol, company, raw, received, hook_url, django_capture_on_commit_callbacks
):
    HabilitationFactory(subscriber=alice, company=company)
    mine = _register(client, raw, hook_url).json()
    other = _register(client, raw, received.url("/autre")).json()
    client.delete(f"/api/v1/webhooks/{other['id']}", **bearer(raw))
    received.answers = [204, 503]
    with django_capture_on_commit_callbacks(execute=True):
        HabilitationFactory(subscriber=bob, company=company, actor=True, by=alice)
    with time_machine.travel(clock.now() + timedelta(seconds=5)):
        with django_capture_on_commit_callbacks(execute=True):
            HabilitationFactory(subscriber=carol, company=company, actor=True, by=alice)
        log = client.get(f"/api/v1/webhooks/{mine['id']}", **bearer(raw)).json()["deliveries"]
    assert [(d["event"], d["state"], d["attempts"], d["last_status"]) for d in log] == [
        ("delegation.granted", "retrying", 1, 503),
        ("delegation.granted", "delivered", 1, 204),
    ]
    assert [d["payload"]["data"]["subscriber"] for d in log] == [
        carol.subscriber_number,
        bob.subscriber_number,
    ]
    assert {d["siren"] for d in log} == {company.identifier}
    assert log[0]["next_attempt_at"].endswith("Z") and log[1]["delivered_at"].endswith("Z")
    assert log[0]["last_error"] == "HTTP 503"


def test_the_token_page_offers_the_webhooks_scope(client, alice):
    client.force_login(alice)
    prove_fresh_factor(client)
    assert 'value="webhooks:write"' in client.get("/espace/logiciels/").content.decode()
    expires = (clock.now() + timedelta(days=30)).strftime("%d/%m/%Y")
    answer = client.post(
        "/espace/logiciels/",
        {
            "name": "Logiciel",
            "scopes": ["webhooks:write"],
            "expires_on": expires,
        },
    )
    assert answer.status_code == 201
    assert alice.api_tokens.get().scopes == ["webhooks:write"]


@pytest.mark.django_db(transaction=True)
def test_two_registrations_at_once_cannot_pass_the_limit(alice, hook_url, settings):
    if connection.vendor != "postgresql":
        pytest.skip("true concurrency needs PostgreSQL (SQLite serializes writers)")
    settings.API_WEBHOOKS_PER_SUBSCRIBER = 2
    webhooks.register(alice, f"{hook_url}/0")
    barrier = threading.Barrier(2)
    outcomes = []

    def register(n):
        try:
            barrier.wait()
            webhooks.register(alice, f"{hook_url}/{n}")
            outcomes.append("registered")
        except Refusal as refusal:
            outcomes.append(refusal.code)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=register, args=(n,)) for n in (1, 2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert sorted(outcomes) == ["api.too_many_webhooks", "registered"]
    assert webhooks.webhooks_of(alice).count() == 2


def test_a_nul_character_in_the_json_is_refused_before_any_view(client, raw):
    """PostgreSQL refuses NUL in text: a 400 (as a NUL in a page's form), never a 500."""
    answer = _register(client, raw, "https://hooks.example/\x00")
    assert answer.status_code == 400 and answer.json()["code"] == "api.invalid_request"
    assert not Webhook.objects.exists()
