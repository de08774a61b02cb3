"""The redis-py client of a Redis cache of the site, for the hottest paths (docs/api.md §9):
a pipeline (Django's cache API has none) and no per-command cost. With the site's backend
(`core.cache.KeptClientRedisCache`) it is the cache's own kept client; with Django's plain
`RedisCache` (which builds a client per command) one is made here per process, for the
cache's first server. Keys go through the cache's own `make_and_validate_key`: the cache's API
reads the counters written here (both store integers as such) and deletes any key; texts
written by `put` and `add` are read by `get` (the cache's API would expect a pickle)."""

import redis
from django.conf import settings
from django.core.cache import caches
from django.core.cache.backends.redis import RedisCache

from core.cache import KeptClientRedisCache

_clients: dict[tuple[str, str], redis.Redis] = {}


def client(alias: str) -> tuple[redis.Redis, RedisCache] | None:
    """(client, the cache) for the cache `alias` when it is a Redis cache, else None."""
    cache = caches[alias]
    if isinstance(cache, KeptClientRedisCache):
        return cache.kept_client(), cache
    if not isinstance(cache, RedisCache):
        return None
    location = settings.CACHES[alias]["LOCATION"]
    if isinstance(location, list | tuple):
        location = location[0]
    location = location.split(",")[0].strip()
    kept = _clients.get((alias, location))
    if kept is None:
        kept = _clients[(alias, location)] = redis.Redis.from_url(location)
    return kept, cache


def get(alias: str, key: str) -> str | None:
    """The text kept under `key` in the cache `alias` (any backend), or None."""
    kept = client(alias)
    if kept is None:
        return caches[alias].get(key)
    redis_client, cache = kept
    value = redis_client.get(cache.make_and_validate_key(key))
    return None if value is None else value.decode()


def add(alias: str, key: str, value: str, seconds: int) -> None:
    """Keep `value` under `key` unless something is kept there already."""
    kept = client(alias)
    if kept is None:
        caches[alias].add(key, value, seconds)
        return
    redis_client, cache = kept
    redis_client.set(cache.make_and_validate_key(key), value, ex=seconds, nx=True)


def put(alias: str, key: str, value: str, seconds: int) -> None:
    """Keep `value` under `key`, over whatever was there."""
    kept = client(alias)
    if kept is None:
        caches[alias].set(key, value, seconds)
        return
    redis_client, cache = kept
    redis_client.set(cache.make_and_validate_key(key), value, ex=seconds)
