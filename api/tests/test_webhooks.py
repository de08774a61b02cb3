"""Webhooks (docs/api.md §7): HTTPS only, signed events when a delegation changes on the
owner's dossiers or a letter code is activated, retries with backoff, a delivery log."""

import hashlib
import hmac
import json
from datetime import timedelta

import pytest
import time_machine
from django.core.management import call_command

from api import webhook_addresses, webhooks
from api.models import WebhookDelivery
from core import clock
from core.refusals import Refusal
from habilitations.choices import State
from habilitations.delegation import actions as delegation
from tests.factories import HabilitationFactory

pytestmark = pytest.mark.django_db


def test_only_public_https_addresses_are_accepted(alice, received, settings):
    settings.API_WEBHOOK_ALLOW_PRIVATE = False  # as in production
    for url, code in [
        ("http://hooks.example/x", "api.webhook_https_only"),
        (received.url("/x"), "api.webhook_address_refused"),  # localhost
        ("https://10.0.0.5/x", "api.webhook_address_refused"),
        ("https://[64:ff9b:1::a00:1]/", "api.webhook_address_refused"),
    ]:
        with pytest.raises(Refusal) as refused:
            webhooks.register(alice, url)
        assert refused.value.code == code
    settings.API_WEBHOOK_ALLOW_PRIVATE = True  # the documented way a laptop reaches itself
    webhook, secret = webhooks.register(alice, received.url("/x"))
    assert secret.startswith("whsec_") and secret not in webhook.sealed_secret


def test_a_delegation_granted_and_suspended_is_posted_signed(
    alice, bob, company, received, django_capture_on_commit_callbacks
):
    HabilitationFactory(subscriber=alice, company=company)
    _, secret = webhooks.register(alice, received.url("/x"))
    with django_capture_on_commit_callbacks(execute=True):
        held = HabilitationFactory(subscriber=bob, company=company, actor=True, by=alice)
    with django_capture_on_commit_callbacks(execute=True):
        delegation.set_delegation_state(alice, held.pk, State.SUSPENDED)
    assert [json.loads(body)["type"] for _, body, _ in received] == [
        "delegation.granted",
        "delegation.suspended",
    ]
    _, body, headers = received[0]
    timestamp = headers["Webhook-Timestamp"]
    expected = hmac.new(
        secret.encode(), f"{timestamp}.".encode() + body, hashlib.sha256
    ).hexdigest()
    assert headers["Webhook-Signature"] == f"t={timestamp},v1={expected}"
    data = json.loads(body)["data"]
    assert data["siren"] == company.identifier and data["subscriber"] == bob.subscriber_number
    assert WebhookDelivery.objects.filter(delivered_at__isnull=False).count() == 2


def test_events_of_other_companies_are_not_sent(
    alice, bob, company, received, django_capture_on_commit_callbacks
):
    webhooks.register(alice, received.url("/x"))
    with django_capture_on_commit_callbacks(execute=True):
        HabilitationFactory(subscriber=bob)
    assert received == []


def test_a_failed_delivery_is_retried_with_backoff_then_given_up(
    alice, bob, company, received, settings, django_capture_on_commit_callbacks
):
    settings.API_WEBHOOK_MAX_ATTEMPTS = 3
    HabilitationFactory(subscriber=alice, company=company)
    webhooks.register(alice, received.url("/x"))
    received.answers = [500, 503, 500]
    with django_capture_on_commit_callbacks(execute=True):
        HabilitationFactory(subscriber=bob, company=company, actor=True, by=alice)
    delivery = WebhookDelivery.objects.get()
    assert delivery.attempts == 1 and delivery.last_status == 500
    call_command("deliver_webhooks")  # not due yet
    assert len(received) == 1
    with time_machine.travel(clock.now() + timedelta(seconds=61)):
        call_command("deliver_webhooks")
    with time_machine.travel(clock.now() + timedelta(seconds=61 + 121)):
        call_command("deliver_webhooks")
    delivery.refresh_from_db()
    assert len(received) == 3 and delivery.given_up_at is not None


def test_the_delivery_log_is_shown_in_the_space(
    client, alice, bob, company, received, django_capture_on_commit_callbacks
):
    HabilitationFactory(subscriber=alice, company=company)
    webhooks.register(alice, received.url("/x"))
    with django_capture_on_commit_callbacks(execute=True):
        HabilitationFactory(subscriber=bob, company=company, actor=True, by=alice)
    client.force_login(alice)
    page = client.get("/espace/logiciels/webhooks/").content.decode()
    assert "delegation.granted" in page and "Reçu (204)" in page


def test_a_letter_code_activated_is_posted(
    alice, received, letters_dir, django_capture_on_commit_callbacks
):
    from habilitations.postal.activation import activate_services
    from tests.factories import PostalRequestFactory
    from tests.helpers import letter_code

    req = PostalRequestFactory(requester=alice)
    webhooks.register(alice, received.url("/x"))
    with django_capture_on_commit_callbacks(execute=True):
        activate_services(alice, req.pk, letter_code(req))
    types = [json.loads(body)["type"] for _, body, _ in received]
    assert types == ["delegation.granted", "letter_code.activated"]
    assert json.loads(received[-1][1])["data"]["granted"] == ["declarer_tva"]


def test_company_events_go_to_its_administrators_only(
    alice, bob, carol, company, received, django_capture_on_commit_callbacks
):
    """Who holds what on a company is for its AT and AS (as *Qui a accès*): an actor's webhook
    hears what concerns them, not the others' delegations."""
    from correspondence.models import Message

    HabilitationFactory(subscriber=alice, company=company)
    HabilitationFactory(subscriber=carol, company=company, actor=True, by=alice)
    webhooks.register(carol, received.url("/carol"))
    assert Message.objects.filter(to=carol.email, purpose="api_webhook_created").exists()
    with django_capture_on_commit_callbacks(execute=True):
        HabilitationFactory(subscriber=bob, company=company, actor=True, by=alice)
    assert received == []
    with django_capture_on_commit_callbacks(execute=True):
        HabilitationFactory(subscriber=carol, company=company, payer=True, actor=True, by=alice)
    assert [json.loads(body)["data"]["subscriber"] for _, body, _ in received] == [
        carol.subscriber_number
    ]


def test_a_frozen_space_hears_nothing_and_revoked_credentials_end_its_webhooks(
    alice, bob, company, received, django_capture_on_commit_callbacks
):
    from accounts.space_access import freeze

    HabilitationFactory(subscriber=alice, company=company)
    webhook, _ = webhooks.register(alice, received.url("/x"))
    freeze(alice)
    webhook.refresh_from_db()
    assert webhook.revoked_at is not None  # freezing revokes every credential
    other, _ = webhooks.register(bob, received.url("/bob"))
    from accounts.signals import credentials_revoked

    credentials_revoked.send(type(bob), subscriber=bob, reason="password_reset")
    other.refresh_from_db()
    assert other.revoked_at is not None
    with django_capture_on_commit_callbacks(execute=True):
        HabilitationFactory(subscriber=bob, company=company, actor=True, by=alice)
    assert received == []


@pytest.mark.parametrize(
    ("address", "public"),
    [
        ("93.184.216.34", True),
        ("10.0.0.5", False),
        ("169.254.169.254", False),
        ("::ffff:127.0.0.1", False),
        ("64:ff9b::a00:1", False),
        ("64:ff9b:1::a00:1", False),
        ("2002:7f00:1::", False),
        ("2606:4700:4700::1111", True),
    ],
)
def test_addresses_in_disguise_are_not_public(address, public):
    assert webhook_addresses._is_public_address(address) is public


def test_an_address_that_turned_private_is_not_dialled(
    alice, bob, company, received, settings, django_capture_on_commit_callbacks
):
    """The address is checked again at each try, before connecting: a host that resolves to a
    private address by then (DNS rebinding) gets nothing."""
    HabilitationFactory(subscriber=alice, company=company)
    webhooks.register(alice, received.url("/x"))
    settings.API_WEBHOOK_ALLOW_PRIVATE = False  # "localhost" is now judged as production would
    with django_capture_on_commit_callbacks(execute=True):
        HabilitationFactory(subscriber=bob, company=company, actor=True, by=alice)
    delivery = WebhookDelivery.objects.get()
    assert received == [] and delivery.delivered_at is None
    assert delivery.last_error == "adresse refusée (réseau non public)"
