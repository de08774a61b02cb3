"""The table of limits (docs/security.md §13): fixed windows from the clock, atomic counts, in
the database or in Redis."""

import threading

import pytest
import time_machine
from django.db import connection, connections

from core import limits
from core.models import RateCounter
from tests.helpers import CURRENT_TIME

pytestmark = pytest.mark.django_db


@pytest.fixture
def table(settings):
    settings.RATE_LIMITS = {**settings.RATE_LIMITS, "test.limit": "3/10m"}


def test_rates_read_like_the_table():
    assert limits.Rate.parse("5/15m") == limits.Rate(5, 900)
    assert limits.Rate.parse("20/1d") == limits.Rate(20, 86400)
    assert limits.Rate.parse("60/m") == limits.Rate(60, 60)
    with pytest.raises(ValueError):
        limits.Rate.parse("five a minute")


def test_every_limit_of_the_settings_parses(settings):
    for name in settings.RATE_LIMITS:
        assert limits.rate(name).count > 0


def test_a_window_counts_then_resets_with_the_clock(table):
    with time_machine.travel(CURRENT_TIME, tick=False) as traveller:
        for n in range(1, 4):
            usage = limits.hit("test.limit", "10.0.0.1")
            assert usage.count == n and not usage.exceeded
        assert limits.peek("test.limit", "10.0.0.1").reached
        assert limits.hit("test.limit", "10.0.0.1").exceeded
        assert not limits.peek("test.limit", "10.0.0.2").reached  # another key
        traveller.shift(10 * 60)
        assert limits.peek("test.limit", "10.0.0.1").count == 0


def test_clear_and_give_back(table):
    limits.hit("test.limit", "k")
    limits.hit("test.limit", "k")
    assert limits.hit("test.limit", "k", -1).count == 1
    limits.clear("test.limit", "k")
    assert limits.peek("test.limit", "k").count == 0


def test_keys_are_not_stored_in_clear(table):
    limits.hit("test.limit", "lila@example.fr")
    assert "lila" not in RateCounter.objects.get().key


def test_expired_counters_are_purged(table):
    with time_machine.travel(CURRENT_TIME, tick=False) as traveller:
        limits.hit("test.limit", "k")
        traveller.shift(11 * 60)
        limits.hit("test.limit", "k")
        assert limits.purge_expired() == 1
    assert RateCounter.objects.count() == 1


@pytest.mark.django_db(transaction=True)
def test_simultaneous_hits_are_each_counted_once(table):
    if connection.vendor != "postgresql":
        pytest.skip("true concurrency needs PostgreSQL (SQLite serializes writers)")
    barrier = threading.Barrier(20)
    counts = []

    def run():
        try:
            barrier.wait()
            counts.append(limits.hit("test.limit", "burst").count)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=run) for _ in range(20)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert sorted(counts) == list(range(1, 21))


@pytest.fixture
def redis_store(settings, redis_cache_alias):
    # Django's own RedisCache: the counters' path for a backend that does not keep its client.
    redis_cache_alias("limits", backend="django.core.cache.backends.redis.RedisCache")
    settings.RATE_LIMIT_CACHE = "limits"


def test_in_redis_the_counts_are_the_same_and_nothing_goes_to_the_database(table, redis_store):
    with time_machine.travel(CURRENT_TIME, tick=False) as traveller:
        assert [limits.hit("test.limit", "k").count for _ in range(4)] == [1, 2, 3, 4]
        assert limits.peek("test.limit", "k").exceeded
        traveller.shift(10 * 60)
        assert limits.peek("test.limit", "k").count == 0
    assert not RateCounter.objects.exists()


def test_in_redis_simultaneous_hits_are_each_counted_once(table, redis_store):
    barrier = threading.Barrier(20)
    counts = []

    def run():
        barrier.wait()
        counts.append(limits.hit("test.limit", "burst").count)

    threads = [threading.Thread(target=run) for _ in range(20)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert sorted(counts) == list(range(1, 21))


@pytest.fixture
def two_limits(settings):
    settings.RATE_LIMITS = {**settings.RATE_LIMITS, "test.limit": "3/10m", "test.other": "1/1m"}


def _hit_many_twice_then_read(traveller):
    limits.hit("test.limit", "k")  # a counter already there, counted with `hit`
    first = limits.hit_many([("test.limit", "k"), ("test.other", "k")])
    assert [(u.count, u.exceeded) for u in first] == [(2, False), (1, False)]
    second = limits.hit_many([("test.limit", "k"), ("test.other", "k")])
    assert [(u.count, u.exceeded) for u in second] == [(3, False), (2, True)]
    assert [u.retry_after for u in second] == [600, 60]
    assert limits.peek("test.limit", "k").count == 3  # the same counters as `hit`'s
    traveller.shift(60)
    assert [u.count for u in limits.hit_many([("test.limit", "k"), ("test.other", "k")])] == [4, 1]


def test_several_counters_are_counted_in_one_step(two_limits):
    with time_machine.travel(CURRENT_TIME, tick=False) as traveller:
        _hit_many_twice_then_read(traveller)


@pytest.mark.parametrize(
    "backend",
    [
        "core.cache.KeptClientRedisCache",  # one round trip (MULTI)
        "django.core.cache.backends.redis.RedisCache",  # Django's own, without the kept client
    ],
)
def test_in_redis_several_counters_are_counted_in_one_step(
    two_limits, settings, redis_cache_alias, backend
):
    redis_cache_alias("limits", backend=backend)
    settings.RATE_LIMIT_CACHE = "limits"
    with time_machine.travel(CURRENT_TIME, tick=False) as traveller:
        _hit_many_twice_then_read(traveller)
    assert not RateCounter.objects.exists()


@pytest.mark.django_db(transaction=True)
def test_simultaneous_hits_of_several_counters_are_each_counted_once(two_limits):
    if connection.vendor != "postgresql":
        pytest.skip("true concurrency needs PostgreSQL (SQLite serializes writers)")
    barrier = threading.Barrier(20)
    counts = []

    def run():
        try:
            barrier.wait()
            counts.append(
                [u.count for u in limits.hit_many([("test.limit", "a"), ("test.other", "b")])]
            )
        finally:
            connections.close_all()

    threads = [threading.Thread(target=run) for _ in range(20)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert sorted(c[0] for c in counts) == sorted(c[1] for c in counts) == list(range(1, 21))
