"""The API's rate limits (docs/api.md §6, docs/security.md §13): one budget per subscriber's
space whatever its tokens, one per client address, a tighter one per address for calls without
a valid credential, one per service client; 429 problem+json with Retry-After."""

from datetime import timedelta

import pytest
import time_machine

from api.tests.helpers import bearer, service_bearer, token_for
from tests.factories import SubscriberFactory
from tests.helpers import CURRENT_TIME

pytestmark = pytest.mark.django_db

HERE = "198.51.100.7"
ELSEWHERE = "203.0.113.9"


@pytest.fixture(autouse=True)
def frozen():
    # Fixed windows: the clock stands still so that no window ends during a test.
    with time_machine.travel(CURRENT_TIME, tick=False) as traveller:
        yield traveller


@pytest.fixture
def limits(settings):
    def set_limits(**rates):
        settings.RATE_LIMITS = {
            **settings.RATE_LIMITS,
            **{f"api.{name}": rate for name, rate in rates.items()},
        }

    return set_limits


def _me(client, raw=None, address=HERE):
    headers = bearer(raw) if raw is not None else {}
    return client.get("/api/v1/me", REMOTE_ADDR=address, **headers)


def _assert_limited(response):
    assert response.status_code == 429
    assert response["Content-Type"] == "application/problem+json"
    assert response.json()["code"] == "api.rate_limited"
    assert 0 < int(response["Retry-After"]) <= 60


def test_the_tokens_of_one_space_share_its_budget(client, limits, alice, bob):
    limits(space="3/1m")
    first, second = token_for(alice, name="Logiciel A"), token_for(alice, name="Logiciel B")
    assert [_me(client, raw).status_code for raw in (first, second, first)] == [200] * 3
    _assert_limited(_me(client, second))
    # From another address too: the budget is the space's.
    _assert_limited(_me(client, token_for(alice, name="Logiciel C"), address=ELSEWHERE))
    assert _me(client, token_for(bob)).status_code == 200


def test_calls_with_a_wrong_token_are_limited_per_address(client, limits, alice):
    limits(unidentified_address="3/1m")
    for raw in ("pat_wrong", "pat_wrong_again", "not-even-a-token"):
        refused = _me(client, raw)
        assert refused.status_code == 401 and refused.json()["code"] == "api.token_invalid"
    _assert_limited(_me(client, "pat_one_more"))
    _assert_limited(_me(client))  # without any token: counted alike
    # Another address is not held back, nor a valid token from this one.
    assert _me(client, "pat_wrong", address=ELSEWHERE).status_code == 401
    assert _me(client, token_for(alice)).status_code == 200


def test_calls_without_a_token_are_limited_per_address(client, limits):
    limits(unidentified_address="2/1m")
    assert [_me(client).status_code for _ in range(2)] == [401, 401]
    _assert_limited(_me(client))


def test_one_address_has_one_budget_across_spaces(client, limits, frozen):
    limits(address="3/1m")
    raws = [token_for(SubscriberFactory()) for _ in range(4)]
    assert [_me(client, raw).status_code for raw in raws[:3]] == [200] * 3
    _assert_limited(_me(client, raws[3]))
    assert _me(client, raws[3], address=ELSEWHERE).status_code == 200
    frozen.shift(timedelta(minutes=1))
    assert _me(client, raws[3]).status_code == 200


def test_a_service_client_is_counted_on_its_own_budget_not_its_address(client, limits):
    limits(address="1/1m", unidentified_address="1/1m", client="3/1m")
    raw = service_bearer()

    def catalogue():
        return client.get("/api/v1/catalogue", REMOTE_ADDR=HERE, **bearer(raw))

    assert [catalogue().status_code for _ in range(3)] == [200] * 3
    _assert_limited(catalogue())
