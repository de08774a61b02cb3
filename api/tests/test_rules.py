"""Writes through the API refuse what the pages refuse (docs/api.md §5), with the same codes:
designation above one's rights, a company without rights, suspended rights, scopes; the bulk
delegation's report; withdrawing all; postal requests."""

import json

import pytest

from api.tests.helpers import bearer, token_for
from audit.models import Action, AuditEvent
from habilitations.choices import Role, State
from habilitations.models import Habilitation, PostalRequest
from tests.factories import CompanyFactory, HabilitationFactory, bulk_portfolio
from tests.helpers import letter_code, wrong

pytestmark = pytest.mark.django_db


def _post(client, url, body, raw, **extra):
    return client.post(
        url, json.dumps(body), content_type="application/json", **bearer(raw), **extra
    )


def _designate(client, raw, siren, number, code="declarer_tva", role="actor"):
    return _post(
        client,
        f"/api/v1/dossiers/{siren}/delegations",
        {"subscriber_number": number, "designations": [{"code": code, "role": role}]},
        raw,
    )


@pytest.fixture
def dossier(company, alice):
    HabilitationFactory(subscriber=alice, company=company)
    return company


def test_an_administrator_delegates_and_the_write_is_audited_with_the_token(
    client, alice, bob, dossier
):
    raw = token_for(alice)
    answer = _designate(client, raw, dossier.identifier, bob.subscriber_number)
    assert answer.status_code == 201
    assert [(h["subscriber_number"], h["role"]) for h in answer.json()] == [
        (bob.subscriber_number, "actor")
    ]
    event = AuditEvent.objects.get(action=Action.HABILITATION_GRANTED, details__role="AC")
    assert event.actor == alice and event.details["via"].startswith("api_token:")


def test_a_designation_above_ones_rights_is_refused_as_on_the_page(
    client, alice, bob, carol, dossier
):
    HabilitationFactory(subscriber=bob, company=dossier, actor=True, by=alice)
    answer = _designate(client, token_for(bob), dossier.identifier, carol.subscriber_number)
    assert answer.status_code == 403
    assert answer.json()["code"] == "delegation.above_granter"
    assert not Habilitation.objects.filter(subscriber=carol).exists()


@pytest.mark.parametrize(
    ("code", "role"),
    [
        ("pas_un_service", "actor"),
        ("payer", "actor"),  # a service, not an elementary one
        ("0", "delegating_actor"),
        ("payer_tva", "deputy_admin"),  # an elementary service where a service is asked
    ],
)
def test_an_unknown_service_code_is_refused_with_its_name(client, alice, bob, dossier, code, role):
    answer = _designate(
        client, token_for(alice), dossier.identifier, bob.subscriber_number, code, role
    )
    assert answer.status_code == 422, answer.content
    problem = answer.json()
    assert problem["code"] == "delegation.unknown_service" and f"« {code} »" in problem["detail"]
    assert not Habilitation.objects.filter(subscriber=bob).exists()
    if role == "deputy_admin":
        return  # the bulk delegation designates delegates only
    bulk = {"subscriber_number": bob.subscriber_number, "role": "actor", "codes": [code]}
    answer = _post(
        client,
        "/api/v1/delegations/bulk",
        {**bulk, "sirens": [dossier.identifier]},
        token_for(alice),
    )
    assert answer.status_code == 422 and answer.json()["code"] == "delegation.unknown_service"


def test_acting_on_a_company_without_rights_is_a_404(client, alice, bob):
    stranger = CompanyFactory()
    HabilitationFactory(subscriber=bob, company=stranger)
    answer = _designate(client, token_for(alice), stranger.identifier, alice.subscriber_number)
    assert answer.status_code == 404 and answer.json()["code"] == "api.not_found"


def test_suspended_rights_grant_nothing(client, alice, bob, carol, dossier):
    HabilitationFactory(
        subscriber=bob, company=dossier, delegating_actor=True, by=alice, suspended=True
    )
    answer = _designate(client, token_for(bob), dossier.identifier, carol.subscriber_number)
    assert answer.status_code == 404


def test_a_token_without_the_scope_is_refused(client, alice, bob, dossier):
    raw = token_for(alice, scopes=["dossiers:read"])
    answer = _designate(client, raw, dossier.identifier, bob.subscriber_number)
    assert answer.status_code == 403
    assert answer.json()["code"] == "api.scope_missing"
    assert "delegations:write" in answer.json()["detail"]


def test_a_token_never_carries_more_than_its_owner_holds_now(client, alice, bob, carol, dossier):
    delegating = HabilitationFactory(
        subscriber=bob, company=dossier, delegating_actor=True, by=alice
    )
    raw = token_for(bob)
    assert _designate(client, raw, dossier.identifier, carol.subscriber_number).status_code == 201
    from habilitations.delegation import actions as delegation

    delegation.revoke(alice, delegating.pk)
    again = _designate(
        client, raw, dossier.identifier, carol.subscriber_number, role="delegating_actor"
    )
    assert again.status_code == 404


def test_suspend_reactivate_and_delete_a_delegation(client, alice, bob, dossier):
    held = HabilitationFactory(subscriber=bob, company=dossier, actor=True, by=alice)
    raw, url = token_for(alice), f"/api/v1/dossiers/{dossier.identifier}/delegations/{held.pk}"
    listed = client.get(f"/api/v1/dossiers/{dossier.identifier}/delegations", **bearer(raw))
    assert [h["id"] for h in listed.json()] == [held.pk]
    suspended = client.patch(
        url, json.dumps({"state": "suspended"}), content_type="application/json", **bearer(raw)
    )
    assert suspended.status_code == 200 and suspended.json()["state"] == "suspended"
    assert Habilitation.objects.get(pk=held.pk).state == State.SUSPENDED
    client.patch(
        url, json.dumps({"state": "active"}), content_type="application/json", **bearer(raw)
    )
    assert Habilitation.objects.get(pk=held.pk).state == State.ACTIVE
    assert client.delete(url, **bearer(raw)).status_code == 204
    assert not Habilitation.objects.filter(pk=held.pk).exists()
    gone = client.delete(url, **bearer(raw))
    assert gone.status_code == 404


def test_a_delegation_is_reached_only_through_its_own_company(client, alice, bob, carol, dossier):
    held = HabilitationFactory(subscriber=carol, company=dossier, actor=True, by=alice)
    other = CompanyFactory()
    HabilitationFactory(subscriber=bob, company=other)
    url = f"/api/v1/dossiers/{other.identifier}/delegations/{held.pk}"
    body = json.dumps({"state": "suspended"})
    answer = client.patch(url, body, content_type="application/json", **bearer(token_for(bob)))
    assert answer.status_code == 404
    assert Habilitation.objects.get(pk=held.pk).state == State.ACTIVE


def test_an_actor_cannot_suspend_the_delegation_of_another(client, alice, bob, carol, dossier):
    held = HabilitationFactory(subscriber=carol, company=dossier, actor=True, by=alice)
    HabilitationFactory(subscriber=bob, company=dossier, actor=True, by=alice)
    url = f"/api/v1/dossiers/{dossier.identifier}/delegations/{held.pk}"
    body = json.dumps({"state": "suspended"})
    answer = client.patch(url, body, content_type="application/json", **bearer(token_for(bob)))
    assert answer.status_code == 403 and answer.json()["code"] == "delegation.not_manageable"
    assert Habilitation.objects.get(pk=held.pk).state == State.ACTIVE


def test_withdraw_all_of_a_collaborators_delegations(client, alice, bob):
    companies = bulk_portfolio(alice, 3)
    for company in companies:
        HabilitationFactory(subscriber=bob, company=company, actor=True, by=alice)
    answer = _post(
        client, f"/api/v1/delegates/{bob.subscriber_number}/withdraw-all", {}, token_for(alice)
    )
    assert answer.status_code == 200 and answer.json() == {"removed": 3}
    stranger = _post(client, "/api/v1/delegates/20260000000000/withdraw-all", {}, token_for(alice))
    assert stranger.status_code == 404


def test_bulk_delegation_reports_each_dossier(client, alice, bob):
    mine = bulk_portfolio(alice, 3)
    foreign = CompanyFactory()
    HabilitationFactory(company=foreign)
    sirens = [c.identifier for c in mine] + [foreign.identifier]
    body = {
        "subscriber_number": bob.subscriber_number,
        "role": "actor",
        "codes": ["payer_tva"],
        "sirens": sirens,
    }
    answer = _post(client, "/api/v1/delegations/bulk", body, token_for(alice))
    assert answer.status_code == 200
    report = {item["siren"]: (item["outcome"], item["code"]) for item in answer.json()["items"]}
    # Payer has no AT on these dossiers: refused per dossier with the page's rule.
    assert report[mine[0].identifier] == ("refused", "delegation.no_titular")
    assert report[foreign.identifier] == ("refused", "api.not_found")
    body["codes"] = ["declarer_tva"]
    answer = _post(client, "/api/v1/delegations/bulk", body, token_for(alice))
    assert answer.json()["granted"] == 3
    assert Habilitation.objects.filter(subscriber=bob, role=Role.ACTOR).count() == 3


def test_an_adhesion_request_then_its_letter_code(client, alice, letters_dir):
    company = CompanyFactory(with_fiscal_address=True)
    raw = token_for(alice)
    created = _post(
        client,
        "/api/v1/demandes",
        {"kind": "adhesion", "siren": company.identifier, "services": ["declarer_tva"]},
        raw,
    )
    assert created.status_code == 201, created.content
    demande = created.json()
    assert demande["state"] == "letter_sent"
    listed = client.get("/api/v1/demandes", **bearer(raw)).json()
    assert [d["id"] for d in listed] == [demande["id"]]
    code = letter_code(PostalRequest.objects.get(pk=demande["id"]))
    url = f"/api/v1/demandes/{demande['id']}/activate"
    bad = _post(client, url, {"code": wrong(code)}, raw)
    assert bad.status_code == 422 and bad.json()["code"] == "postal.wrong_code"
    assert PostalRequest.objects.get(pk=demande["id"]).failed_attempts == 1
    good = _post(client, url, {"code": code}, raw)
    assert good.status_code == 200 and good.json()["granted"] == ["declarer_tva"]


def test_a_request_for_a_managed_service_is_refused_as_on_the_page(client, alice, bob, dossier):
    answer = _post(
        client,
        "/api/v1/demandes",
        {"kind": "adhesion", "siren": dossier.identifier, "services": ["declarer_tva"]},
        token_for(bob),
    )
    assert answer.status_code == 422 and answer.json()["code"] == "adhesion.already_managed"
    assert answer.json()["field"] == "services"


def test_withdraw_a_request_and_nobody_elses(client, alice, bob, letters_dir):
    company = CompanyFactory(with_fiscal_address=True)
    raw = token_for(alice)
    demande = _post(
        client,
        "/api/v1/demandes",
        {"kind": "adhesion", "siren": company.identifier, "services": ["declarer_is"]},
        raw,
    ).json()
    other = _post(client, f"/api/v1/demandes/{demande['id']}/withdraw", {}, token_for(bob))
    assert other.status_code == 404 and other.json()["code"] == "postal.unknown_request"
    mine = _post(client, f"/api/v1/demandes/{demande['id']}/withdraw", {}, raw)
    assert mine.status_code == 200 and mine.json()["state"] == "withdrawn"
