"""Property-based tests of every operation against the OpenAPI document (schemathesis), with a
valid token and without: no 500, no answer that breaks the document (docs/api.md §8).

Generated identifiers almost never name a dossier, a delegation or a request of the test's
data, so the handlers would only ever answer 404: half the time, each path parameter and each
body field that names something takes one of the test data's real values instead (its SIRENs,
subscriber numbers, delegation, request and webhook ids, service codes good and bad, a letter's
code), so that the cases reach past the look-ups into the rules."""

import pytest
import schemathesis
from django.core.signals import request_finished, request_started
from django.core.wsgi import get_wsgi_application
from django.db import close_old_connections
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from api import webhooks
from api.tests.helpers import service_bearer, token_for
from tests.factories import CompanyFactory, HabilitationFactory, PostalRequestFactory
from tests.helpers import letter_code

pytestmark = pytest.mark.django_db

# Bounded, so that the file runs in about a minute.
EXAMPLES = 10
# "Schema-valid data is accepted (2xx)": the document cannot say the business rules (a valid
# SIREN of a company without rights is a 404, a valid code may be wrong: 422), so this one
# check does not apply; every other (no 5xx, statuses, content types, headers, schemas, invalid
# data refused, auth enforced) does.
EXCLUDED = [schemathesis.checks.positive_data_acceptance]


@pytest.fixture
def real(schema, alice, bob, company, received, letters_dir):
    """The test data's identifiers, by the name of the parameter or field that takes them."""
    other = CompanyFactory()
    HabilitationFactory(subscriber=bob, company=other)
    delegated = HabilitationFactory(subscriber=bob, company=company, actor=True, by=alice)
    request = PostalRequestFactory(requester=alice)
    webhook, _ = webhooks.register(alice, received.url("/schemathesis"))
    codes = ["declarer_tva", "payer_tva", "payer", "messagerie", "pas_un_service", "0"]
    return {
        "siren": [company.identifier, other.identifier, request.company.identifier],
        "sirens": [[company.identifier], [company.identifier, other.identifier]],
        "subscriber_number": [bob.subscriber_number, alice.subscriber_number],
        "delegation_id": [delegated.pk],
        "demande_id": [request.pk],
        "webhook_id": [webhook.pk],
        "code": [*codes, letter_code(request)],
        "codes": [[c] for c in codes] + [codes[:2]],
        "service": codes,
        "services": [["messagerie"], ["payer"], ["declarer_tva"], ["pas_un_service"]],
        "url": [received.url("/schemathesis"), "https://10.0.0.5/x"],
    }


def _realized(value, real, draw):
    """`value` with, half the time, each named field replaced by one of the real values."""
    if isinstance(value, dict):
        return {
            key: draw(st.sampled_from(real[key]))
            if key in real and draw(st.booleans())
            else _realized(item, real, draw)
            for key, item in value.items()
        }
    if isinstance(value, list):
        return [_realized(item, real, draw) for item in value]
    return value


def _with_real_identifiers(operation, real):
    @st.composite
    def cases(draw):
        case = draw(operation.as_strategy())
        if case.path_parameters:
            case.path_parameters = _realized(case.path_parameters, real, draw)
        if isinstance(case.body, dict):
            case.body = _realized(case.body, real, draw)
        return case

    return cases()


@pytest.fixture
def schema(alice, company, settings):
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
def operations(schema, real):
    found = [result.ok() for result in schema.get_all_operations()]
    assert len(found) >= 22
    return found


def _run_all(operations, headers: dict, examples: int, real: dict) -> None:
    for operation in operations:

        @given(case=_with_real_identifiers(operation, real))
        @settings(
            max_examples=examples,
            deadline=None,
            database=None,
            suppress_health_check=list(HealthCheck),
        )
        def run(case):
            case.call_and_validate(headers=headers, excluded_checks=EXCLUDED)

        run()


def test_every_operation_with_a_valid_token(operations, alice, real):
    _run_all(operations, {"Authorization": f"Bearer {token_for(alice)}"}, EXAMPLES, real)


def test_every_operation_with_a_service_clients_bearer(operations, real):
    _run_all(operations, {"Authorization": f"Bearer {service_bearer()}"}, EXAMPLES // 2, real)


def test_every_operation_without_a_token(operations, real):
    _run_all(operations, {}, EXAMPLES // 2, real)


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

    created = call(hooks["POST"], body={"url": received.url("/x")}).json()
    with django_capture_on_commit_callbacks(execute=True):
        HabilitationFactory(subscriber=bob, company=company, actor=True, by=alice)
    one = schema["/api/v1/webhooks/{webhook_id}"]
    shown = call(one["GET"], path_parameters={"webhook_id": created["id"]}).json()
    assert [d["state"] for d in shown["deliveries"]] == ["delivered"]
    assert len(received) == 1  # delivered to the real receiver
    assert [w["id"] for w in call(hooks["GET"]).json()] == [created["id"]]
    call(one["DELETE"], path_parameters={"webhook_id": created["id"]})
