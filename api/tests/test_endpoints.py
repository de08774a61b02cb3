"""Reading through the API (docs/api.md §2, §5): /me, /catalogue, the portfolio with its
cursor pages and search, a dossier, who has access; errors as problem+json; no session; no
CORS."""

import re

import pytest
from django.test import override_settings

from api.tests.helpers import bearer, token_for
from tests.factories import CompanyFactory, HabilitationFactory, bulk_portfolio

pytestmark = pytest.mark.django_db


def test_me_names_the_owner_and_the_token(client, alice):
    answer = client.get("/api/v1/me", **bearer(token_for(alice, name="Compta")))
    assert answer.status_code == 200
    body = answer.json()
    assert body["subscriber_number"] == alice.subscriber_number
    assert body["token"]["name"] == "Compta" and body["token"]["expires_at"].endswith("Z")
    assert answer["Cache-Control"] == "no-store, private" or "no-store" in answer["Cache-Control"]


def test_the_catalogue_lists_services_and_what_each_role_may(client, alice):
    body = client.get("/api/v1/catalogue", **bearer(token_for(alice))).json()
    payer = next(s for s in body["services"] if s["code"] == "payer")
    assert len(payer["elementary_services"]) == 9
    roles = {r["role"]: r["permissions"] for r in body["roles"]}
    assert roles["actor"] == ["use"] and "designate_deputy" in roles["titular_admin"]


def test_the_portfolio_is_read_by_cursor_pages(client, alice, django_assert_max_num_queries):
    bulk_portfolio(alice, 7)
    raw, seen, cursor = token_for(alice), [], ""
    while True:
        with django_assert_max_num_queries(8):
            body = client.get(f"/api/v1/dossiers?limit=3&cursor={cursor}", **bearer(raw)).json()
        seen += [item["siren"] for item in body["items"]]
        assert body["total"] == 7
        if not (cursor := body["next_cursor"]):
            break
    assert len(seen) == len(set(seen)) == 7


def test_the_portfolio_query_count_does_not_grow_with_its_size(
    client, alice, django_assert_num_queries
):
    raw = token_for(alice)
    bulk_portfolio(alice, 5)
    client.get("/api/v1/dossiers", **bearer(raw))  # the token's last use written once
    # The token (1), its rate counter in the database (savepoint, update, read, release: 4;
    # one command with Redis), the count and the page (2).
    with django_assert_num_queries(7) as small:
        client.get("/api/v1/dossiers", **bearer(raw))
    bulk_portfolio(alice, 300, start=1000)
    with django_assert_num_queries(len(small.captured_queries)):
        client.get("/api/v1/dossiers?limit=200", **bearer(raw))


def test_the_portfolio_is_searched_as_on_the_page(client, alice):
    bulk_portfolio(alice, 3, name="BOULANGERIE {n:05d}")
    bulk_portfolio(alice, 2, start=500, name="GARAGE ATLANTIQUE {n:05d}")
    body = client.get("/api/v1/dossiers?q=atlan gar", **bearer(token_for(alice))).json()
    assert [i["name"][:17] for i in body["items"]] == ["GARAGE ATLANTIQUE"] * 2


def test_limits_and_cursors_are_checked(client, alice):
    raw = token_for(alice)
    too_many = client.get("/api/v1/dossiers?limit=201", **bearer(raw))
    assert too_many.status_code == 400 and too_many.json()["code"] == "api.invalid_request"
    forged = client.get("/api/v1/dossiers?cursor=bm9wZQ", **bearer(raw))
    assert forged.status_code == 400 and forged.json()["code"] == "api.invalid_cursor"


def test_a_dossier_lists_my_roles(client, alice, company):
    HabilitationFactory(subscriber=alice, company=company, code="payer")
    body = client.get(f"/api/v1/dossiers/{company.identifier}", **bearer(token_for(alice))).json()
    assert {r["elementary_service"] for r in body["rights"]} >= {"payer_tva", "payer_is"}
    assert {r["role"] for r in body["rights"]} == {"titular_admin"}


def test_an_unknown_company_and_a_company_without_rights_look_the_same(client, alice, company):
    stranger = CompanyFactory()
    HabilitationFactory(company=stranger)
    raw = token_for(alice)
    unknown = client.get("/api/v1/dossiers/123456782", **bearer(raw))
    foreign = client.get(f"/api/v1/dossiers/{stranger.identifier}", **bearer(raw))
    assert unknown.status_code == foreign.status_code == 404
    assert {k: v for k, v in unknown.json().items() if k != "instance"} == {
        k: v for k, v in foreign.json().items() if k != "instance"
    }
    assert unknown["Content-Type"] == "application/problem+json"


def test_holders_need_the_same_right_as_the_page(client, alice, bob, company):
    HabilitationFactory(subscriber=alice, company=company)
    HabilitationFactory(subscriber=bob, company=company, actor=True, by=alice)
    admin = client.get(f"/api/v1/dossiers/{company.identifier}/holders", **bearer(token_for(alice)))
    assert {h["subscriber_number"] for h in admin.json()} == {
        alice.subscriber_number,
        bob.subscriber_number,
    }
    actor = client.get(f"/api/v1/dossiers/{company.identifier}/holders", **bearer(token_for(bob)))
    assert actor.status_code == 403 and actor.json()["code"] == "api.forbidden"


def test_a_session_does_not_authenticate_the_api(client, alice):
    client.force_login(alice)
    answer = client.get("/api/v1/me")
    assert answer.status_code == 401 and answer.json()["code"] == "api.unauthenticated"


def test_cors_stays_closed(client, alice):
    answer = client.options(
        "/api/v1/me",
        HTTP_ORIGIN="https://evil.example",
        HTTP_ACCESS_CONTROL_REQUEST_METHOD="GET",
    )
    assert "Access-Control-Allow-Origin" not in answer
    got = client.get("/api/v1/me", HTTP_ORIGIN="https://evil.example", **bearer(token_for(alice)))
    assert "Access-Control-Allow-Origin" not in got


def test_the_openapi_document_is_3_1_with_problem_errors(client):
    schema = client.get("/api/v1/openapi.json").json()
    assert schema["openapi"].startswith("3.1")
    operation = schema["paths"]["/api/v1/dossiers/{siren}"]["get"]
    assert "application/problem+json" in operation["responses"]["404"]["content"]
    posts = [op for path in schema["paths"].values() for m, op in path.items() if m == "post"]
    assert all(
        any(p["name"] == "Idempotency-Key" for p in op.get("parameters", [])) for op in posts
    )


def test_the_documentation_page_lists_every_operation_from_the_sites_own_files(client):
    schema = client.get("/api/v1/openapi.json").json()
    response = client.get("/api/v1/docs")
    assert response.status_code == 200 and response["Content-Type"].startswith("text/html")
    page = response.content.decode()
    for path, operations in schema["paths"].items():
        for method, operation in operations.items():
            assert f"<code>{path}</code>" in page, path
            assert operation["summary"] in page.replace("&#x27;", "'"), operation["summary"]
    # Nothing from elsewhere: no script, style sheet or font fetched from another site.
    assert not re.search(r'<(script|link)[^>]*(src|href)="(https?:)?//', page)
    assert "cdn." not in page.lower()


def test_every_endpoint_needs_a_credential(client):
    schema = client.get("/api/v1/openapi.json").json()
    for path, operations in schema["paths"].items():
        for method, operation in operations.items():
            if path.endswith("/oauth/token"):
                assert "security" not in operation
                continue
            assert operation.get("security"), (method, path)
            answer = client.generic(method.upper(), path.replace("{", "").replace("}", ""))
            assert answer.status_code == 401, (method, path)
            assert answer["Content-Type"] == "application/problem+json"


def test_what_the_site_refuses_before_the_api_is_still_problem_json(client, alice):
    answer = client.post(
        "/api/v1/oauth/token", {"grant_type": "\x00"}, **{"HTTP_AUTHORIZATION": "Basic eA=="}
    )
    assert answer.status_code == 400
    assert answer["Content-Type"] == "application/problem+json"
    assert answer.json()["code"] == "api.invalid_request"
    for field in ("client_id", "client_secret"):
        answer = client.post(
            "/api/v1/oauth/token", {"grant_type": "client_credentials", field: "svc_\x00"}
        )
        assert answer.status_code == 400 and answer.json()["code"] == "api.invalid_request"
    # In JSON, escaped: refused; an escaped backslash followed by "u0000" is plain text.
    nul = client.post(
        "/api/v1/oauth/token", '{"grant_type": "a\\u0000"}', content_type="application/json"
    )
    assert nul.status_code == 400 and nul.json()["detail"].endswith("caractère nul refusé.")
    text = client.post(
        "/api/v1/oauth/token", '{"grant_type": "a\\\\u0000"}', content_type="application/json"
    )
    assert text.status_code != 400 or "nul" not in text.json()["detail"]


def test_the_documentation_page_keeps_the_visitors_session_the_calls_do_not(client, alice):
    client.force_login(alice)
    page = client.get("/api/v1/docs").content.decode()
    assert "Quitter" in page and "Connexion" not in page  # the logged-in header
    # The same browser's session is no credential for the calls themselves.
    me = client.get("/api/v1/me")
    assert me.status_code == 401 and me["Content-Type"] == "application/problem+json"


def test_a_body_larger_than_the_site_takes_is_refused_as_problem_json(client, alice):
    body = '{"subscriber_number": "' + "1" * 500 + '"}'
    with override_settings(DATA_UPLOAD_MAX_MEMORY_SIZE=100):
        answer = client.post("/api/v1/authorizations/check", body, content_type="application/json")
    assert answer.status_code == 400
    assert answer["Content-Type"] == "application/problem+json"
    assert answer.json()["code"] == "api.invalid_request"


def test_a_call_for_a_host_the_site_does_not_serve_is_refused(client, alice):
    answer = client.get("/api/v1/me", HTTP_HOST="evil.example", **bearer(token_for(alice)))
    assert answer.status_code == 400
    assert answer["Content-Type"] == "application/problem+json"


def test_the_calls_answers_are_never_framed_nor_run(client, alice):
    for answer in (
        client.get("/api/v1/me", **bearer(token_for(alice))),
        client.get("/api/v1/me"),
        client.get("/api/v1/nothing-here"),
    ):
        assert answer["X-Frame-Options"] == "DENY"
        assert answer["Content-Security-Policy"] == "default-src 'none'; frame-ancestors 'none'"


@pytest.mark.urls("api.tests.urls_page_under_api")
def test_a_page_under_the_apis_prefix_keeps_the_login_requirement(client):
    answer = client.get("/api/page-of-the-site")
    assert answer.status_code == 302 and answer["Location"].endswith("?next=/api/page-of-the-site")


def test_a_method_the_endpoint_does_not_take_is_a_405_that_names_the_allowed_ones(client, alice):
    answer = client.delete("/api/v1/me", **bearer(token_for(alice)))
    assert answer.status_code == 405
    assert answer["Content-Type"] == "application/problem+json"
    assert answer["Allow"] == "GET"
    assert answer["X-Content-Type-Options"] == "nosniff"
    assert answer["X-Frame-Options"] == "DENY"


def test_a_head_is_the_gets_answer_without_its_body(client, alice):
    headers = bearer(token_for(alice))
    full = client.get("/api/v1/catalogue", **headers)
    head = client.head("/api/v1/catalogue", **headers)
    assert head.status_code == 200 and head.content == b""
    assert head["Content-Length"] == str(len(full.content))
    assert head["Content-Type"] == full["Content-Type"]
    assert client.head("/api/v1/catalogue").status_code == 401  # the same credential rules
