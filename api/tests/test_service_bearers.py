"""A service client's bearer (docs/api.md §4): kept in the shared cache once seen (and for a
second in each process's memory), so the authorization check reads only the rights; revoked by
`revoke_service_client`, in the cache too, whatever order the revocation and a concurrent
look-up write in."""

import json
from datetime import timedelta

import pytest
import time_machine
from django.core.management import call_command
from django.core.management.base import CommandError

from api import clients
from api.models import ServiceBearer, ServiceClient
from audit.models import Action, AuditEvent
from core import clock
from tests.factories import HabilitationFactory

pytestmark = pytest.mark.django_db

REDIS_URL = "redis://127.0.0.1:6379/9"


@pytest.fixture
def shared_cache(settings, redis_cache_alias):
    """The bearers kept in a real Redis, as in production."""
    redis_cache_alias("bearers")
    settings.API_BEARER_CACHE = "bearers"


def _new_client():
    client, secret = clients.create_client("Déclarer TVA")
    raw, _ = clients.issue_bearer(client.client_id, secret)
    return client, raw


def _check(http, raw, body):
    return http.post(
        "/api/v1/authorizations/check",
        json.dumps(body),
        content_type="application/json",
        HTTP_AUTHORIZATION=f"Bearer {raw}",
    )


def test_once_seen_a_bearer_costs_no_query_and_the_check_reads_only_the_rights(
    client, shared_cache, alice, company, django_assert_num_queries
):
    HabilitationFactory(subscriber=alice, company=company)
    _, raw = _new_client()
    body = {
        "subscriber_number": alice.subscriber_number,
        "siren": company.identifier,
        "service": "declarer_tva",
    }
    # First call: the bearer, the rights, and the database's rate counter.
    assert _check(client, raw, body).json()["allowed"] is True
    with django_assert_num_queries(5):  # the rights; the counter's 4 (no Redis counter here)
        assert _check(client, raw, body).json()["allowed"] is True


def test_a_kept_bearer_still_expires_on_the_clock(shared_cache):
    client, raw = _new_client()
    assert clients.authenticate(raw).client_id == client.client_id
    with time_machine.travel(clock.now() + timedelta(seconds=601)):
        assert clients.authenticate(raw) is None


@pytest.mark.parametrize("kept", [False, True], ids=["database", "shared cache"])
def test_revoking_a_client_stops_its_bearers_at_once(
    request, kept, capsys, settings, django_capture_on_commit_callbacks
):
    if kept:
        request.getfixturevalue("shared_cache")
    client, raw = _new_client()
    assert clients.authenticate(raw) is not None  # seen (and kept, with the cache)
    with django_capture_on_commit_callbacks(execute=True):
        call_command("revoke_service_client", client.client_id)
    assert "revoked" in capsys.readouterr().out
    # With the shared cache, an app process believes what it read for at most this long.
    memory = timedelta(seconds=settings.API_BEARER_MEMORY_SECONDS if kept else 0)
    with time_machine.travel(clock.now() + memory):
        assert clients.authenticate(raw) is None
    assert not ServiceBearer.objects.filter(client__client_id=client.client_id).exists()
    assert ServiceClient.objects.get(pk=client.pk).revoked_at is not None
    assert clients.issue_bearer(client.client_id, "any") is None
    assert AuditEvent.objects.filter(
        action=Action.API_SERVICE_CLIENT_REVOKED, target=client.client_id
    ).exists()


def test_a_look_up_that_read_the_database_before_the_revocation_cannot_bring_it_back(
    shared_cache, django_capture_on_commit_callbacks
):
    client, raw = _new_client()
    bearer = ServiceBearer.objects.get(client=client)
    stale = f"{client.pk} {client.client_id} {bearer.expires_at.timestamp()}"
    with django_capture_on_commit_callbacks(execute=True):
        clients.revoke_client(client.client_id)
    # A process that read the bearer before the revocation committed now keeps what it read:
    # it only adds where nothing is kept, and the revocation's mark is there.
    token_hash = clients.codes.hash_code(raw, clients.BEARER_PURPOSE)
    clients.redis_store.add("bearers", clients._cache_key(token_hash), stale, 600)
    assert clients.authenticate(raw) is None


def test_the_command_refuses_an_unknown_client_and_lists_them(capsys):
    client, _ = _new_client()
    with pytest.raises(CommandError, match="No live service client"):
        call_command("revoke_service_client", "svc_nobody")
    call_command("revoke_service_client", "--list")
    assert client.client_id in capsys.readouterr().out
    call_command("revoke_service_client", client.client_id)
    with pytest.raises(CommandError):
        call_command("revoke_service_client", client.client_id)


def test_a_process_believes_the_shared_cache_for_a_second_only(shared_cache, settings):
    _, raw = _new_client()
    assert clients.authenticate(raw) is not None  # read in the database, kept in the cache
    assert clients.authenticate(raw) is not None  # read in the cache, remembered
    token_hash = clients.codes.hash_code(raw, clients.BEARER_PURPOSE)
    clients.redis_store.put("bearers", clients._cache_key(token_hash), clients.REVOKED, 600)
    assert clients.authenticate(raw) is not None  # within the second: the memory answers
    later = clock.now() + timedelta(seconds=settings.API_BEARER_MEMORY_SECONDS)
    with time_machine.travel(later):
        assert clients.authenticate(raw) is None


def test_a_revocation_that_cannot_reach_redis_fails_whole(settings):
    """The marks are written before the commit: Redis unreachable, nothing is revoked and the
    command fails (to be run again), rather than leaving kept bearers alive."""
    import redis

    settings.CACHES = {
        **settings.CACHES,
        "bearers": {
            "BACKEND": "core.cache.KeptClientRedisCache",
            "LOCATION": "redis://127.0.0.1:1/0",  # nothing listens there
            "OPTIONS": {"socket_connect_timeout": 0.2},
        },
    }
    settings.API_BEARER_CACHE = "bearers"
    client, _ = _new_client()
    with pytest.raises(redis.ConnectionError):
        clients.revoke_client(client.client_id)
    client.refresh_from_db()
    assert client.revoked_at is None
    assert ServiceBearer.objects.filter(client=client).exists()
