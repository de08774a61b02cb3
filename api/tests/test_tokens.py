"""Personal access tokens (docs/api.md §3): shown once, stored hashed, at most two years,
revocable, last use kept, e-mail on creation, dead after *Mot de passe oublié*."""

from datetime import timedelta

import pytest
import time_machine

from accounts.flows.password_change import change_password
from api import tokens
from api.models import AccessToken
from api.tests.helpers import bearer, token_for
from audit.models import Action, AuditEvent
from core import clock
from core.refusals import Refusal
from tests.helpers import STRONG_PASSWORD, last_email_to

pytestmark = pytest.mark.django_db


def test_a_token_is_stored_only_as_a_hash_and_its_owner_is_told(alice):
    token, raw = tokens.create_token(
        alice, "Logiciel comptable", ["dossiers:read"], clock.now() + timedelta(days=90)
    )
    assert raw.startswith("epro_pat_") and len(raw) > 40
    stored = AccessToken.objects.get(pk=token.pk)
    assert raw not in {stored.token_hash, stored.hint} and stored.token_hash != raw
    assert raw.startswith(stored.hint)
    message = last_email_to(alice.email, "api_token_created")
    assert "Logiciel comptable" in message.body and raw not in message.body
    event = AuditEvent.objects.get(action=Action.API_TOKEN_CREATED)
    assert event.actor == alice and event.details["token"] == token.pk


def test_an_expiry_beyond_two_years_or_in_the_past_is_refused(alice):
    for days in (731, -1):
        with pytest.raises(Refusal) as refused:
            tokens.create_token(alice, "x", ["dossiers:read"], clock.now() + timedelta(days=days))
        assert refused.value.code == "api.token_expiry_invalid"
    tokens.create_token(alice, "x", ["dossiers:read"], clock.now() + timedelta(days=730))


def test_a_token_needs_a_name_and_a_scope(alice):
    later = clock.now() + timedelta(days=3)
    with pytest.raises(Refusal, match="nom"):
        tokens.create_token(alice, "  ", ["dossiers:read"], later)
    with pytest.raises(Refusal, match="portée"):
        tokens.create_token(alice, "x", ["admin:everything"], later)


def test_a_revoked_token_no_longer_opens_the_api(client, alice):
    raw = token_for(alice)
    assert client.get("/api/v1/me", **bearer(raw)).status_code == 200
    token = AccessToken.objects.get()
    assert tokens.revoke(alice, token.pk) is not None
    answer = client.get("/api/v1/me", **bearer(raw))
    assert answer.status_code == 401 and answer.json()["code"] == "api.token_invalid"


def test_nobody_revokes_the_token_of_another(alice, bob):
    token_for(alice)
    assert tokens.revoke(bob, AccessToken.objects.get().pk) is None
    assert AccessToken.objects.get().revoked_at is None


def test_an_expired_token_is_refused(client, alice):
    raw = token_for(alice, days=2)
    with time_machine.travel(clock.now() + timedelta(days=2, seconds=1)):
        answer = client.get("/api/v1/me", **bearer(raw))
    assert answer.status_code == 401
    assert answer["Content-Type"] == "application/problem+json"
    assert answer["WWW-Authenticate"].startswith("Bearer")


def test_the_last_use_keeps_date_and_address(client, alice):
    raw = token_for(alice)
    client.get("/api/v1/me", REMOTE_ADDR="203.0.113.7", **bearer(raw))
    token = AccessToken.objects.get()
    assert token.last_used_ip == "203.0.113.7" and token.last_used_at is not None


def test_a_password_reset_kills_every_token_a_routine_change_does_not(alice):
    first, second = token_for(alice), token_for(alice)
    change_password(alice, STRONG_PASSWORD + "x", via="change")
    assert tokens.live_tokens(alice).count() == 2
    change_password(alice, STRONG_PASSWORD + "y", via="reset")
    assert tokens.live_tokens(alice).count() == 0
    assert set(AccessToken.objects.values_list("revoked_reason", flat=True)) == {"password_reset"}
    assert first != second


def test_tokens_of_lists_every_token_of_a_subscriber_for_the_back_office(alice, bob):
    token_for(alice, name="A"), token_for(alice, name="B"), token_for(bob, name="C")
    assert [t.name for t in tokens.tokens_of(alice)] == ["B", "A"]


def test_a_subscriber_holds_a_bounded_number_of_live_tokens(alice, settings):
    settings.API_TOKENS_PER_SUBSCRIBER = 2
    token_for(alice), token_for(alice)
    with pytest.raises(Refusal) as refused:
        token_for(alice)
    assert refused.value.code == "api.too_many_tokens"


def test_an_inactive_space_opens_no_api(client, alice):
    raw = token_for(alice)
    alice.is_active = False
    alice.save(update_fields=["is_active"])
    assert client.get("/api/v1/me", **bearer(raw)).status_code == 401
