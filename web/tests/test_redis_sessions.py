"""Sessions in Redis when REDIS_URL is set (docs/security.md §11.7): Django's own RedisCache,
sessions read from it and written through to the database (`cached_db`).

The tests that need a Redis server use the `redis_sessions` fixture (conftest.py): skipped when
no server answers at REDIS_TEST_URL."""

import json
import os
import subprocess
import sys

from django.db import connection
from django.test.utils import CaptureQueriesContext

from tests.factories import SubscriberFactory

PROBE = (
    "import django, json; django.setup(); from django.conf import settings as s; "
    "print(json.dumps([s.CACHES['default'], s.SESSION_ENGINE]))"
)


def _settings_with(**env) -> tuple[dict, str]:
    environment = {k: v for k, v in os.environ.items() if k != "REDIS_URL"}
    environment.update(
        {
            "DJANGO_SETTINGS_MODULE": "config.settings",
            "DEBUG": "0",
            "OUTBOX_ENABLED": "0",
            "SECRET_KEY": "x" * 50,
            "SITE_URL": "https://espace-pro.example.fr",
            **env,
        }
    )
    output = subprocess.run(
        [sys.executable, "-c", PROBE], env=environment, capture_output=True, text=True, check=True
    )
    cache, engine = json.loads(output.stdout)
    return cache, engine


def test_with_redis_url_the_cache_is_redis_and_sessions_are_cached_db():
    cache, engine = _settings_with(REDIS_URL="redis://cache.internal:6379/0")
    assert cache == {
        "BACKEND": "core.cache.KeptClientRedisCache",
        "LOCATION": "redis://cache.internal:6379/0",
        "KEY_PREFIX": "espace-pro",
    }
    assert engine == "django.contrib.sessions.backends.cached_db"
    cache, _ = _settings_with(REDIS_URL="redis://cache.internal:6379/0", CACHE_KEY_PREFIX="pro2")
    assert cache["KEY_PREFIX"] == "pro2"


def test_without_redis_url_the_cache_is_local_and_sessions_in_the_database():
    cache, engine = _settings_with()
    assert cache == {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}
    assert engine == "django.contrib.sessions.backends.db"


def _session_key(keys) -> bytes:
    (key,) = [k for k in keys() if b"sessions" in k]
    return key


def test_a_page_view_reads_the_session_from_redis_and_writes_nothing(client, redis_sessions):
    redis, keys = redis_sessions
    client.force_login(SubscriberFactory())
    assert client.get("/espace/").status_code == 200
    with CaptureQueriesContext(connection) as queries:
        assert client.get("/espace/").status_code == 200
    statements = [q["sql"] for q in queries.captured_queries]
    assert not [sql for sql in statements if "django_session" in sql], statements
    # The user and the dossiers with unread messages (the number of dossiers is in Redis too).
    assert len(statements) == 2
    # The idle timeout lives in Redis as the key's time to live, set when the session is saved.
    assert 0 < redis.ttl(_session_key(keys)) <= 30 * 60


def test_a_redis_restart_logs_nobody_out(client, redis_sessions):
    redis, keys = redis_sessions
    client.force_login(SubscriberFactory())
    assert client.get("/espace/").status_code == 200
    for key in keys():  # what a restart of a Redis that keeps nothing on disk does
        redis.delete(key)
    assert client.get("/espace/").status_code == 200  # read back from the database
    assert _session_key(keys)  # and in Redis again


def test_logging_out_ends_the_session_in_redis_and_in_the_database(client, redis_sessions):
    from django.contrib.sessions.models import Session

    _, keys = redis_sessions
    client.force_login(SubscriberFactory())
    assert client.get("/espace/").status_code == 200
    client.post("/quitter/")
    assert not [k for k in keys() if b"sessions" in k]
    assert not Session.objects.exists()
    assert client.get("/espace/").status_code == 302
