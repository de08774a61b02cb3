"""Property-based tests of every operation against the OpenAPI document (schemathesis), with a
valid token and without: no 500, no answer that breaks the document (docs/api.md §8)."""

import pytest
import schemathesis
from django.core.signals import request_finished, request_started
from django.core.wsgi import get_wsgi_application
from django.db import close_old_connections
from hypothesis import HealthCheck, given, settings

from api import webhooks
from api.tests.helpers import service_bearer, token_for
from tests.factories import HabilitationFactory

pytestmark = pytest.mark.django_db

# Bounded, so that the file runs in about a minute.
EXAMPLES = 10
# "Schema-valid data is accepted (2xx)": the document cannot say the business rules (a valid
# SIREN of a company without rights is a 404, a valid code may be wrong: 422), so this one
# check does not apply; every other (no 5xx, statuses, content types, headers, schemas, invalid
# data refused, auth enforced) does.
EXCLUDED = [schemathesis.checks.positive_data_acceptance]


@pytest.fixture
def schema(alice, company, settings, monkeypatch):
    # A webhook's host is not looked up in DNS: every well-formed https address is public here.
    monkeypatch.setattr(webhooks, "_public", lambda host: True)
    settings.RATE_LIMITS = {
        **settings.RATE_LIMITS,
        "api.space": "100000/1m",
        "api.address": "100000/1m",
        "api.unidentified_address": "100000/1m",
        "api.client": "100000/1m",
        "api.oauth_address": "100000/1m",
    }
    HabilitationFactory(subscriber=alice, company=company)
    # The WSGI handler closes the database connection after each request, which would end the
    # test's transaction on PostgreSQL; Django's test client holds the same signals back.
    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    try:
        yield schemathesis.openapi.from_wsgi("/api/v1/openapi.json", get_wsgi_application())
    finally:
        request_started.connect(close_old_connections)
        request_finished.connect(close_old_connections)


@pytest.fixture
def operations(schema):
    found = [result.ok() for result in schema.get_all_operations()]
    assert len(found) >= 22
    return found


def _run_all(operations, headers: dict, examples: int) -> None:
    for operation in operations:

        @given(case=operation.as_strategy())
        @settings(
            max_examples=examples,
            deadline=None,
            database=None,
            suppress_health_check=list(HealthCheck),
        )
        def run(case):
            case.call_and_validate(headers=headers, excluded_checks=EXCLUDED)

        run()


def test_every_operation_with_a_valid_token(operations, alice):
    _run_all(operations, {"Authorization": f"Bearer {token_for(alice)}"}, EXAMPLES)


def test_every_operation_with_a_service_clients_bearer(operations):
    _run_all(operations, {"Authorization": f"Bearer {service_bearer()}"}, EXAMPLES // 2)


def test_every_operation_without_a_token(operations):
    _run_all(operations, {}, EXAMPLES // 2)


def test_the_webhooks_answers_with_real_data_match_the_document(
    schema, alice, bob, company, received, django_capture_on_commit_callbacks
):
    """Generated bodies seldom make a well-formed https address: a registration, the list, a
    webhook with a delivery in its log and a deletion, checked against the document."""
    headers = {"Authorization": f"Bearer {token_for(alice, scopes=['webhooks:write'])}"}
    hooks = schema["/api/v1/webhooks"]

    def call(operation, **case):
        response = operation.Case(**case).call_and_validate(
            headers=headers, excluded_checks=EXCLUDED
        )
        assert response.status_code < 300, response.text
        return response

    created = call(hooks["POST"], body={"url": "https://hooks.example/x"}).json()
    with django_capture_on_commit_callbacks(execute=True):
        HabilitationFactory(subscriber=bob, company=company, actor=True, by=alice)
    one = schema["/api/v1/webhooks/{webhook_id}"]
    shown = call(one["GET"], path_parameters={"webhook_id": created["id"]}).json()
    assert [d["state"] for d in shown["deliveries"]] == ["delivered"]
    assert [w["id"] for w in call(hooks["GET"]).json()] == [created["id"]]
    call(one["DELETE"], path_parameters={"webhook_id": created["id"]})
