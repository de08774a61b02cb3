"""Property-based tests of every operation against the OpenAPI document (schemathesis), with a
valid token and without: no 500, no answer that breaks the document (docs/api.md §8)."""

import pytest
import schemathesis
from django.core.signals import request_finished, request_started
from django.core.wsgi import get_wsgi_application
from django.db import close_old_connections
from hypothesis import HealthCheck, given, settings

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
def operations(alice, company, settings):
    settings.RATE_LIMITS = {
        **settings.RATE_LIMITS,
        "api.token": "100000/1m",
        "api.client": "100000/1m",
        "api.oauth_address": "100000/1m",
    }
    HabilitationFactory(subscriber=alice, company=company)
    # The WSGI handler closes the database connection after each request, which would end the
    # test's transaction on PostgreSQL; Django's test client holds the same signals back.
    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    try:
        schema = schemathesis.openapi.from_wsgi("/api/v1/openapi.json", get_wsgi_application())
        found = [result.ok() for result in schema.get_all_operations()]
        assert len(found) >= 15
        yield found
    finally:
        request_started.connect(close_old_connections)
        request_finished.connect(close_old_connections)


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
