"""The site's Redis cache: Django's `RedisCache`, keeping its redis-py client.

Django's backend builds a new `redis.Redis` object for every command (the connection comes
from a kept pool, but the object and its table of 250 response callbacks are made again each
time): 0.2 ms a command on the project's machine, three times on a logged-in page (session,
portfolio count) and twice on each API call, measured (docs/operations.md, bench/README.md).
This backend makes one client per server and keeps it; redis-py's clients are safe to share
between threads, and its pool starts afresh in a forked process (gunicorn's workers).
`kept_client()` gives it to the code that needs a pipeline (core/redis_store.py)."""

from django.core.cache.backends.redis import RedisCache, RedisCacheClient


class KeptRedisCacheClient(RedisCacheClient):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self._kept = {}

    def get_client(self, key=None, *, write=False):
        pool = self._get_connection_pool(write)
        client = self._kept.get(id(pool))
        if client is None:
            client = self._kept[id(pool)] = self._client(connection_pool=pool)
        return client


class KeptClientRedisCache(RedisCache):
    def __init__(self, server, params):
        super().__init__(server, params)
        self._class = KeptRedisCacheClient

    def kept_client(self):
        """The redis-py client of the first server (where writes go)."""
        return self._cache.get_client(write=True)
