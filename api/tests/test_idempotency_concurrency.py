"""Two POSTs with one `Idempotency-Key` at the same instant (docs/api.md §6), through the whole
stack: a live server, two client threads, each request on its own PostgreSQL connection. One
write happens; the same request gets the same answer twice, another request under the key is
refused."""

import threading
import uuid

import httpx
import pytest
from django.db import connection

from api import idempotency
from api.models import IdempotentAnswer
from api.tests.helpers import token_for
from audit.models import Action, AuditEvent
from habilitations.choices import Role
from habilitations.models import Habilitation, PostalRequest
from tests.factories import CompanyFactory, HabilitationFactory

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture(autouse=True)
def postgresql():
    if connection.vendor != "postgresql":
        pytest.skip("true concurrency needs PostgreSQL (SQLite serializes writers)")


@pytest.fixture(autouse=True)
def side_by_side(monkeypatch):
    """Neither call goes past its first look for a kept answer until both have looked (and
    found none): they then race for real, whatever the threads' scheduling."""
    barrier = threading.Barrier(2, timeout=20)
    looked: set[int] = set()
    first_look = idempotency._kept

    def kept(owner, key):
        if threading.get_ident() not in looked:
            looked.add(threading.get_ident())
            barrier.wait()
        return first_look(owner, key)

    # Chance made deterministic: the real look-up runs, only held until both threads reach it.
    monkeypatch.setattr(idempotency, "_kept", kept)


def _post_together(url: str, raw: str, bodies: list[dict], key: str) -> list[httpx.Response]:
    """POST each body at the same instant, from its own thread, with the same key."""
    start = threading.Barrier(len(bodies))
    answers: list[httpx.Response | None] = [None] * len(bodies)

    def send(index: int, body: dict) -> None:
        start.wait()
        answers[index] = httpx.post(
            url,
            json=body,
            headers={"Authorization": f"Bearer {raw}", "Idempotency-Key": key},
            timeout=30,
        )

    threads = [threading.Thread(target=send, args=item) for item in enumerate(bodies)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert all(answers), "a call got no answer"
    return answers


def _designation(bob, role: str = "actor") -> dict:
    return {
        "subscriber_number": bob.subscriber_number,
        "designations": [{"code": "declarer_tva", "role": role}],
    }


def test_one_designation_sent_twice_at_once_is_made_once_and_answered_alike(
    live_server, company, alice, bob
):
    HabilitationFactory(subscriber=alice, company=company)
    url = f"{live_server.url}/api/v1/dossiers/{company.identifier}/delegations"
    body = _designation(bob)
    answers = _post_together(url, token_for(alice), [body, body], str(uuid.uuid4()))
    assert [a.status_code for a in answers] == [201, 201]
    assert answers[0].content == answers[1].content
    assert sorted(a.headers.get("Idempotent-Replayed", "") for a in answers) == ["", "true"]
    assert Habilitation.objects.filter(subscriber=bob).count() == 1
    granted = AuditEvent.objects.filter(
        action=Action.HABILITATION_GRANTED, details__subscriber=bob.subscriber_number
    )
    assert granted.count() == 1
    assert IdempotentAnswer.objects.count() == 1


def test_one_adhesion_sent_twice_at_once_makes_one_request(live_server, alice, letters_dir):
    company = CompanyFactory(with_fiscal_address=True)
    body = {"kind": "adhesion", "siren": company.identifier, "services": ["declarer_tva"]}
    answers = _post_together(
        f"{live_server.url}/api/v1/demandes", token_for(alice), [body, body], "adhesion-1"
    )
    assert [a.status_code for a in answers] == [201, 201]
    assert answers[0].json() == answers[1].json()
    requests = PostalRequest.objects.filter(requester=alice)
    assert [r.pk for r in requests] == [answers[0].json()["id"]]
    assert AuditEvent.objects.filter(action=Action.POSTAL_REQUEST_SUBMITTED).count() == 1


def test_two_bodies_under_one_key_at_once_one_is_made_the_other_refused(
    live_server, company, alice, bob
):
    HabilitationFactory(subscriber=alice, company=company)
    url = f"{live_server.url}/api/v1/dossiers/{company.identifier}/delegations"
    bodies = [_designation(bob, "actor"), _designation(bob, "delegating_actor")]
    answers = _post_together(url, token_for(alice), bodies, "one-key")
    statuses = sorted(a.status_code for a in answers)
    assert statuses == [201, 422]
    won = next(i for i, a in enumerate(answers) if a.status_code == 201)
    refused = answers[1 - won]
    assert refused.json()["code"] == "api.idempotency_key_reused"
    assert refused.headers["Content-Type"] == "application/problem+json"
    held = Habilitation.objects.get(subscriber=bob)
    assert held.role == {0: Role.ACTOR, 1: Role.DELEGATING_ACTOR}[won]
    granted = AuditEvent.objects.filter(
        action=Action.HABILITATION_GRANTED, details__subscriber=bob.subscriber_number
    )
    assert granted.count() == 1
