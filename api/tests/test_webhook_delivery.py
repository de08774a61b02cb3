"""Webhook deliveries over the network, end to end (docs/api.md §7): a real HTTPS receiver on
127.0.0.1 (api/tests/receiver.py), reached by the production client through the documented
settings only; the receiver checks the signature as integrators are told to."""

import hashlib
import hmac
import json
import time
from datetime import timedelta

import pytest
import time_machine
from django.core.management import call_command

from api import webhooks
from api.models import WebhookDelivery
from api.tests.receiver import HANG
from core import clock
from tests.factories import HabilitationFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def hooked(alice, company, received):
    """Alice administers the company and has a webhook on the receiver: its secret."""
    HabilitationFactory(subscriber=alice, company=company)
    _, secret = webhooks.register(alice, received.url("/evenements?source=espace"))
    return secret


@pytest.fixture
def grant(alice, bob, company, django_capture_on_commit_callbacks):
    """Alice delegates to Bob: one event, handed to the worker at commit."""

    def run():
        with django_capture_on_commit_callbacks(execute=True):
            HabilitationFactory(subscriber=bob, company=company, actor=True, by=alice)
        return WebhookDelivery.objects.get()

    return run


def _genuine(secret: str, headers: dict, body: bytes) -> bool:
    fields = dict(part.split("=", 1) for part in headers["Webhook-Signature"].split(","))
    mac = hmac.new(secret.encode(), f"{fields['t']}.".encode() + body, hashlib.sha256)
    return hmac.compare_digest(mac.hexdigest(), fields["v1"])


def test_an_event_reaches_a_real_receiver_over_tls_signed(
    client, alice, bob, company, received, hooked, grant
):
    delivery = grant()
    (call,) = received
    assert call.url == "/evenements?source=espace"
    # The certificate was checked against the host's name, sent as SNI and Host, although the
    # connection went to the address checked beforehand.
    assert call.server_name == "localhost"
    assert call.headers["Host"] == f"localhost:{received.port}"
    assert _genuine(hooked, call.headers, call.body)
    event = json.loads(call.body)
    assert event["type"] == "delegation.granted" and event["id"] == call.headers["Webhook-Id"]
    assert (event["data"]["siren"], event["data"]["subscriber"]) == (
        company.identifier,
        bob.subscriber_number,
    )
    delivery.refresh_from_db()
    assert (delivery.attempts, delivery.last_status) == (1, 204)
    assert delivery.delivered_at is not None
    client.force_login(alice)
    assert "Reçu (204)" in client.get("/espace/logiciels/webhooks/").content.decode()


def test_a_receiver_answering_500_then_200_gets_the_event_on_the_retry(
    client, alice, received, hooked, grant
):
    received.answers = [500, 200]
    delivery = grant()
    delivery.refresh_from_db()
    assert (delivery.attempts, delivery.last_status, delivery.last_error) == (1, 500, "HTTP 500")
    client.force_login(alice)
    assert "Nouvel essai le" in client.get("/espace/logiciels/webhooks/").content.decode()
    call_command("deliver_webhooks")  # not due yet: nothing sent
    assert len(received) == 1
    with time_machine.travel(clock.now() + timedelta(seconds=61)):
        call_command("deliver_webhooks")
    delivery.refresh_from_db()
    assert (delivery.attempts, delivery.last_status) == (2, 200)
    assert delivery.delivered_at is not None
    first, second = received
    assert first.body == second.body and first.headers["Webhook-Id"] == second.headers["Webhook-Id"]
    assert "Reçu (200)" in client.get("/espace/logiciels/webhooks/").content.decode()


def test_a_receiver_that_hangs_is_given_up_on_after_the_timeout(received, hooked, grant, settings):
    settings.API_WEBHOOK_TIMEOUT_SECONDS = 1
    received.answers = [HANG]
    started = time.monotonic()
    delivery = grant()
    waited = time.monotonic() - started
    assert 1 <= waited < 5  # the worker is freed after the timeout, not after the receiver
    delivery.refresh_from_db()
    assert delivery.last_error == "pas de réponse dans le délai" and delivery.last_status is None
    assert delivery.delivered_at is None and delivery.next_attempt_at > clock.now()
    assert len(received) == 1  # it did receive the event: the retry repeats the same Webhook-Id


def test_an_untrusted_certificate_is_refused(received, hooked, grant, settings):
    """The check of the receiver's certificate is real: without its authority trusted, nothing
    is posted and the log says only « connexion impossible »."""
    settings.API_WEBHOOK_CA_BUNDLE = ""  # certifi's authorities only, as in production
    delivery = grant()
    delivery.refresh_from_db()
    assert received == [] and delivery.last_error == "connexion impossible"


def test_the_scheduled_command_delivers_what_is_due(received, hooked, grant, settings):
    """`manage.py deliver_webhooks` (the scheduler's job) goes through the same client."""
    settings.API_WEBHOOK_TIMEOUT_SECONDS = 1
    received.answers = [HANG]
    delivery = grant()
    with time_machine.travel(clock.now() + timedelta(seconds=61)):
        call_command("deliver_webhooks")
    delivery.refresh_from_db()
    assert delivery.delivered_at is not None and delivery.attempts == 2
    assert len(received) == 2


def test_a_fault_of_ours_counts_as_a_try_and_is_logged(received, hooked, grant, settings, caplog):
    """An error in our own code (a misconfigured authority file) is not left pending with no
    try: the try counts, the log shows it, operators see the exception."""
    settings.API_WEBHOOK_CA_BUNDLE = "/nonexistent/ca.pem"
    delivery = grant()
    delivery.refresh_from_db()
    assert (delivery.attempts, delivery.last_error) == (1, "erreur interne à l'envoi")
    assert delivery.next_attempt_at > clock.now() and received == []
    assert "failed on our side" in caplog.text
