"""/healthz and /readyz: what a load balancer and an orchestrator ask, answered cheaply,
without login, in plain http, whatever Host they send."""

import pytest
from django.db import connection
from django.db.migrations.recorder import MigrationRecorder

from ops import health


@pytest.fixture(autouse=True)
def fresh_migrations_check():
    health.forget_migrations_check()
    yield
    health.forget_migrations_check()


def test_healthz_says_alive_without_touching_the_database(client):
    # No `db` fixture: any database access would raise.
    response = client.get("/healthz")
    assert response.status_code == 200
    assert response.json() == {"status": "ok"}
    assert response["X-Request-ID"]


def test_probes_answer_a_load_balancer_calling_by_address_in_plain_http(client, settings, db):
    # Not in ALLOWED_HOSTS, not HTTPS, no session: still answered (a page would be a 400/301).
    settings.SECURE_SSL_REDIRECT = True
    for path in ("/healthz", "/readyz"):
        response = client.get(path, HTTP_HOST="10.1.2.3:8000")
        assert response.status_code == 200, path
    assert client.get("/", HTTP_HOST="10.1.2.3:8000").status_code == 400


def test_readyz_checks_database_cache_and_migrations(client, db):
    response = client.get("/readyz")
    assert response.status_code == 200
    assert response.json() == {
        "status": "ok",
        "checks": {"database": "ok", "cache": "ok", "migrations": "ok"},
    }


def test_readyz_is_503_when_the_database_does_not_answer(client, db, monkeypatch):
    def refuse(*args, **kwargs):
        from django.db import OperationalError

        raise OperationalError("connection refused")

    # The test's own database cannot be stopped under it: the driver's error is raised where a
    # dead server would raise it (a real stop belongs to the fault suite, issue 27).
    with monkeypatch.context() as patched:  # undone before the test's rollback
        patched.setattr(connection, "cursor", refuse)
        response = client.get("/readyz")
    assert response.status_code == 503
    body = response.json()
    assert body["status"] == "unavailable"
    assert body["checks"]["database"] == "unreachable"
    assert "refused" not in response.content.decode()  # details go to the log only


def test_readyz_is_503_when_the_cache_does_not_answer(client, db, settings):
    # A real Redis client towards a port where nothing listens.
    settings.CACHES = {
        **settings.CACHES,
        "default": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": "redis://127.0.0.1:1/0",
        },
    }
    response = client.get("/readyz")
    assert response.status_code == 503
    assert response.json()["checks"]["cache"] == "unreachable"


def test_readyz_is_503_while_a_migration_is_not_applied(client, db):
    recorder = MigrationRecorder(connection)
    latest = recorder.migration_qs.filter(app="accounts").latest("id")
    latest.delete()  # as if the release step had not run the code's newest migration
    response = client.get("/readyz")
    assert response.status_code == 503
    assert response.json()["checks"]["migrations"] == f"1 unapplied: accounts.{latest.name}"
