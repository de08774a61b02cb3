"""A company's requirement of a strong factor through the API (docs/habilitations.md §14,
docs/api.md §5): the service clients' check says why it denies, a dossier says what is withheld,
designating answers the problem `company.strong_factor_required`."""

import json

import pytest

from api.tests.helpers import bearer, service_bearer, token_for
from core import clock
from habilitations.models import Role, StrongFactorPolicy
from tests.factories import HabilitationFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def required(company, alice, bob):
    """Alice administers Payer and TVA; Bob is a delegating actor of Payer TVA and TVA; the
    company's requirement applies from today; neither has a strong factor."""
    HabilitationFactory(company=company, subscriber=alice, code="payer")
    HabilitationFactory(company=company, subscriber=alice, code="declarer_tva")
    for code in ("payer_tva", "declarer_tva"):
        HabilitationFactory(
            company=company, subscriber=bob, code=code, role=Role.DELEGATING_ACTOR, by=alice
        )
    StrongFactorPolicy.objects.create(
        company=company, applies_from=clock.today(), set_by=alice, set_at=clock.now()
    )


def _check(client, raw, body):
    return client.post(
        "/api/v1/authorizations/check",
        json.dumps(body),
        content_type="application/json",
        **bearer(raw),
    )


def test_the_check_denies_payer_with_the_reason(client, company, bob, required):
    raw = service_bearer()
    item = {"subscriber_number": bob.subscriber_number, "siren": company.identifier}
    payer = _check(client, raw, {**item, "service": "payer_tva"}).json()
    assert payer["allowed"] is False and payer["reason"] == "company.strong_factor_required"
    tva = _check(client, raw, {**item, "service": "declarer_tva"}).json()
    assert tva["allowed"] is True and tva["reason"] is None
    batch = _check(
        client,
        raw,
        {
            "items": [
                {**item, "service": "declarer_tva", "action": "designate_actor"},
                {**item, "service": "declarer_tva"},
                {**item, "service": "declarer_is"},  # not held: a plain deny, no reason
            ]
        },
    ).json()["results"]
    assert batch == [
        {"allowed": False, "reason": "company.strong_factor_required"},
        {"allowed": True, "reason": None},
        {"allowed": False, "reason": None},
    ]
    bob.strong_factor = True
    bob.save(update_fields=["strong_factor"])
    assert _check(client, raw, {**item, "service": "payer_tva"}).json()["allowed"] is True


def test_a_dossier_says_what_is_withheld_and_designating_is_a_problem(
    client, company, bob, carol, required
):
    raw = token_for(bob)
    body = client.get(f"/api/v1/dossiers/{company.identifier}", **bearer(raw)).json()
    assert body["usable"] == ["coordonnees_gestionnaire", "declarer_tva"]
    assert "payer_tva" in body["withheld_by_policy"] and body["designation_withheld"] is True
    listing = client.get(f"/api/v1/dossiers/{company.identifier}/delegations", **bearer(raw))
    assert listing.status_code == 403
    assert listing.json()["type"].endswith(":company.strong_factor_required")
    answer = client.post(
        f"/api/v1/dossiers/{company.identifier}/delegations",
        json.dumps(
            {
                "subscriber_number": carol.subscriber_number,
                "designations": [{"code": "declarer_tva", "role": "actor"}],
            }
        ),
        content_type="application/json",
        **bearer(raw),
    )
    assert answer.status_code == 403
    assert answer.json()["type"].endswith(":company.strong_factor_required")
    assert "activez-en une dans Mon espace" in answer.json()["detail"]
