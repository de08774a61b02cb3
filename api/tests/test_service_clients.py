"""Service clients (docs/api.md §4): client credentials for a short-lived bearer, the
authorization check for one triple or a batch of up to 1,000, and nothing else."""

import base64
import json
from datetime import timedelta

import pytest
import time_machine
from django.core.management import call_command

from api.tests.helpers import bearer, service_bearer, token_for
from core import clock
from tests.factories import CompanyFactory, HabilitationFactory

pytestmark = pytest.mark.django_db


def _check(client, raw, body):
    return client.post(
        "/api/v1/authorizations/check",
        json.dumps(body),
        content_type="application/json",
        **bearer(raw),
    )


def test_the_command_creates_a_client_that_gets_a_bearer(client, capsys):
    call_command("create_service_client", "Déclarer TVA")
    out = dict(line.split("=", 1) for line in capsys.readouterr().out.split())
    basic = base64.b64encode(f"{out['client_id']}:{out['client_secret']}".encode()).decode()
    answer = client.post(
        "/api/v1/oauth/token",
        {"grant_type": "client_credentials"},
        HTTP_AUTHORIZATION=f"Basic {basic}",
    )
    assert answer.status_code == 200
    assert answer.json()["token_type"] == "Bearer" and answer.json()["expires_in"] == 600
    form = client.post(
        "/api/v1/oauth/token",
        {
            "grant_type": "client_credentials",
            "client_id": out["client_id"],
            "client_secret": out["client_secret"],
        },
    )
    assert form.status_code == 200


def test_wrong_credentials_are_refused_and_counted_per_address(client, settings):
    settings.RATE_LIMITS = {**settings.RATE_LIMITS, "api.oauth_address": "2/1m"}
    # The clock stands still: a window of one minute must not end between the tries (the test
    # failed when the real clock crossed a minute).
    with time_machine.travel(clock.now(), tick=False):
        for _ in range(2):
            wrong = client.post(
                "/api/v1/oauth/token",
                {"grant_type": "client_credentials", "client_id": "svc_x", "client_secret": "nope"},
            )
            assert wrong.status_code == 401 and wrong.json()["code"] == "api.invalid_client"
        locked = client.post(
            "/api/v1/oauth/token",
            {"grant_type": "client_credentials", "client_id": "svc_x", "client_secret": "n"},
        )
    assert locked.status_code == 429 and int(locked["Retry-After"]) > 0


def test_the_bearer_is_short_lived(client, company):
    raw = service_bearer()
    body = {
        "subscriber_number": "20260000000000",
        "siren": company.identifier,
        "service": "declarer_tva",
    }
    assert _check(client, raw, body).status_code == 200
    with time_machine.travel(clock.now() + timedelta(seconds=601)):
        assert _check(client, raw, body).status_code == 401


def test_one_triple_is_answered_by_the_rules_of_the_pages(client, alice, bob, company):
    HabilitationFactory(subscriber=alice, company=company)
    HabilitationFactory(subscriber=bob, company=company, actor=True, by=alice, suspended=True)
    raw = service_bearer()
    triple = {
        "subscriber_number": alice.subscriber_number,
        "siren": company.identifier,
        "service": "declarer_tva",
    }
    assert _check(client, raw, triple).json() == {"allowed": True, "reason": None, "results": None}
    assert _check(client, raw, {**triple, "action": "designate_deputy"}).json()["allowed"] is True
    assert _check(client, raw, {**triple, "service": "declarer_is"}).json()["allowed"] is False
    suspended = {**triple, "subscriber_number": bob.subscriber_number}
    assert _check(client, raw, suspended).json()["allowed"] is False
    unknown = {**triple, "siren": "123456782"}
    assert _check(client, raw, unknown).json()["allowed"] is False


def test_a_frozen_space_is_denied_everything_as_on_the_pages(client, alice, company):
    from accounts.space_access import freeze, unfreeze

    HabilitationFactory(subscriber=alice, company=company)
    raw = service_bearer()
    triple = {
        "subscriber_number": alice.subscriber_number,
        "siren": company.identifier,
        "service": "declarer_tva",
    }
    assert _check(client, raw, triple).json()["allowed"] is True
    freeze(alice)
    assert _check(client, raw, triple).json()["allowed"] is False
    batch = _check(client, raw, {"items": [triple, triple]}).json()
    assert [item["allowed"] for item in batch["results"]] == [False, False]
    unfreeze(alice)
    assert _check(client, raw, triple).json()["allowed"] is True


def test_a_batch_of_a_thousand_is_one_query(client, alice, company, django_assert_max_num_queries):
    HabilitationFactory(subscriber=alice, company=company)
    other = CompanyFactory()
    raw = service_bearer()
    items = [
        {
            "subscriber_number": alice.subscriber_number,
            "siren": c.identifier,
            "service": "declarer_tva",
        }
        for c in (company, other)
    ] * 500
    # The bearer, its rate counter (4 in the database, 1 command with Redis), the check.
    with django_assert_max_num_queries(6):
        answer = _check(client, raw, {"items": items})
    results = [r["allowed"] for r in answer.json()["results"]]
    assert results == [True, False] * 500
    too_many = _check(client, raw, {"items": items + items[:1]})
    assert too_many.status_code == 400


def test_a_personal_token_may_not_check_and_a_client_may_not_read_dossiers(client, alice, company):
    body = {
        "subscriber_number": alice.subscriber_number,
        "siren": company.identifier,
        "service": "declarer_tva",
    }
    refused = _check(client, token_for(alice), body)
    assert refused.status_code == 403 and refused.json()["code"] == "api.service_clients_only"
    raw = service_bearer()
    assert client.get("/api/v1/dossiers", **bearer(raw)).json()["code"] == "api.subscribers_only"


def test_each_client_has_its_rate_limit(client, settings, company):
    settings.RATE_LIMITS = {**settings.RATE_LIMITS, "api.client": "2/1m"}
    raw, other = service_bearer("A"), service_bearer("B")
    body = {
        "subscriber_number": "20260000000000",
        "siren": company.identifier,
        "service": "declarer_tva",
    }
    assert [_check(client, raw, body).status_code for _ in range(3)] == [200, 200, 429]
    limited = _check(client, raw, body)
    assert limited["Retry-After"].isdigit() and limited.json()["code"] == "api.rate_limited"
    assert _check(client, other, body).status_code == 200
