"""`Idempotency-Key` on every POST (docs/api.md §6)."""

import json

import pytest

from api.tests.helpers import bearer, token_for
from habilitations.models import Habilitation
from tests.factories import HabilitationFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def setting(company, alice, bob):
    HabilitationFactory(subscriber=alice, company=company)
    return f"/api/v1/dossiers/{company.identifier}/delegations", token_for(alice)


def _post(client, url, raw, body, key):
    return client.post(
        url,
        json.dumps(body),
        content_type="application/json",
        HTTP_IDEMPOTENCY_KEY=key,
        **bearer(raw),
    )


def test_the_same_key_and_body_return_the_first_answer(client, bob, setting):
    url, raw = setting
    body = {
        "subscriber_number": bob.subscriber_number,
        "designations": [{"code": "declarer_tva", "role": "actor"}],
    }
    first = _post(client, url, raw, body, "key-1")
    again = _post(client, url, raw, body, "key-1")
    assert first.status_code == again.status_code == 201
    assert again.content == first.content and again["Idempotent-Replayed"] == "true"
    assert Habilitation.objects.filter(subscriber=bob).count() == 1


def test_the_same_key_with_another_body_is_refused(client, bob, setting):
    url, raw = setting
    body = {
        "subscriber_number": bob.subscriber_number,
        "designations": [{"code": "declarer_tva", "role": "actor"}],
    }
    _post(client, url, raw, body, "key-2")
    body["designations"][0]["role"] = "delegating_actor"
    refused = _post(client, url, raw, body, "key-2")
    assert refused.status_code == 422 and refused.json()["code"] == "api.idempotency_key_reused"
    assert Habilitation.objects.get(subscriber=bob).role == "AC"


def test_keys_belong_to_one_credential(client, alice, bob, setting):
    url, raw = setting
    body = {
        "subscriber_number": bob.subscriber_number,
        "designations": [{"code": "declarer_tva", "role": "actor"}],
    }
    _post(client, url, raw, body, "shared")
    other = _post(client, url, token_for(alice), body, "shared")
    assert "Idempotent-Replayed" not in other


def test_a_malformed_key_is_refused(client, bob, setting):
    url, raw = setting
    answer = _post(client, url, raw, {}, "x" * 256)
    assert answer.status_code == 400 and answer.json()["code"] == "api.idempotency_key_invalid"
