"""The site's Redis cache (core/cache.py): Django's RedisCache with its redis-py client kept,
and the same answers as Django's own backend."""

import pytest
from django.core.cache.backends.redis import RedisCache

from core import limits, redis_store
from core.cache import KeptClientRedisCache


def test_one_client_serves_every_command_and_the_answers_are_djangos(redis_sessions):
    from django.core.cache import caches

    cache = caches["default"]
    assert isinstance(cache, KeptClientRedisCache)
    first = cache._cache.get_client(write=True)
    cache.set("answer", {"a": 1}, 60)
    assert cache.get("answer") == {"a": 1}
    assert cache.add("counter", 5, 60) and not cache.add("counter", 9, 60)
    assert cache.incr("counter", 2) == 7
    assert cache.get_many(["answer", "counter", "missing"]) == {"answer": {"a": 1}, "counter": 7}
    cache.delete_many(["answer", "counter"])
    assert cache.get("answer") is None
    assert cache._cache.get_client(write=True) is first is cache.kept_client()


def test_what_the_kept_client_writes_the_cache_reads(redis_sessions, settings):
    from django.core.cache import caches

    settings.RATE_LIMIT_CACHE = "default"
    settings.RATE_LIMITS = {**settings.RATE_LIMITS, "test.limit": "3/1m"}
    assert [limits.hit("test.limit", "k").count for _ in range(4)] == [1, 2, 3, 4]
    assert limits.peek("test.limit", "k").exceeded  # read through the cache's own API
    redis_store.put("default", "word", "mot", 60)
    assert redis_store.get("default", "word") == "mot"
    redis_store.add("default", "word", "autre", 60)  # only where nothing is kept
    assert redis_store.get("default", "word") == "mot"
    caches["default"].delete("word")  # the same key for the cache's API
    assert redis_store.get("default", "word") is None


@pytest.mark.parametrize("backend", [RedisCache, KeptClientRedisCache])
def test_both_backends_give_a_client_to_the_hot_paths(backend, redis_sessions, settings):
    from django.core.cache import caches

    settings.CACHES = {
        **settings.CACHES,
        "other": {
            "BACKEND": f"{backend.__module__}.{backend.__name__}",
            "LOCATION": settings.CACHES["default"]["LOCATION"],
            "KEY_PREFIX": settings.CACHES["default"]["KEY_PREFIX"] + "-other",
        },
    }
    client, cache = redis_store.client("other")
    assert cache is caches["other"] and client.ping()
    assert redis_store.client("other")[0] is client  # kept, whichever the backend
