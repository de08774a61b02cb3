"""The sessions open for a space (docs/security.md §8.4): what `open_sessions` lists after a
login, a logout, a password change elsewhere, an agent ending the access, and the lifetimes;
the session store really loses what is ended; the retention job purges the rest."""

from datetime import timedelta
from importlib import import_module

import pytest
import time_machine
from django.conf import settings
from django.core.management import call_command
from django.test import Client

from accounts import retention, sessions, space_access
from accounts.flows.password_change import change_password
from accounts.models import SubscriberSession
from accounts.sessions import describe_browser, open_sessions
from core import clock
from tests.factories import SubscriberFactory
from tests.helpers import PASSWORD, login, prove_fresh_factor

pytestmark = pytest.mark.django_db
FIREFOX = "Mozilla/5.0 (X11; Linux x86_64; rv:128.0) Gecko/20100101 Firefox/128.0"
SAFARI_IPHONE = (
    "Mozilla/5.0 (iPhone; CPU iPhone OS 17_5 like Mac OS X) AppleWebKit/605.1.15 "
    "(KHTML, like Gecko) Version/17.5 Mobile/15E148 Safari/604.1"
)
NEW = "Quatre poires jaunes sous le banc du verger"


def _browser(space, user_agent=FIREFOX, address="203.0.113.7") -> Client:
    client = Client(HTTP_USER_AGENT=user_agent, REMOTE_ADDR=address)
    assert login(client, space.email, PASSWORD)["Location"] == "/espace/"
    return client


def _key(client) -> str:
    return client.cookies[settings.SESSION_COOKIE_NAME].value


def _in_store(key: str) -> bool:
    return import_module(settings.SESSION_ENGINE).SessionStore().exists(key)


def test_a_login_is_listed_with_its_time_address_and_browser():
    space = SubscriberFactory()
    _browser(space)
    phone = _browser(space, SAFARI_IPHONE, "2001:db8::1")
    listed = open_sessions(space)
    assert [(s.ip_address, s.browser) for s in listed] == [
        ("2001:db8::1", "Safari sur iOS"),
        ("203.0.113.7", "Firefox sur Linux"),
    ]
    assert all(abs(s.opened_at - clock.now()) < timedelta(minutes=1) for s in listed)
    assert SubscriberSession.objects.get(session_key=_key(phone)).subscriber == space
    assert open_sessions(SubscriberFactory()) == []  # another space's sessions are not its own


def test_a_logout_is_no_longer_listed():
    space = SubscriberFactory()
    office, home = _browser(space), _browser(space, SAFARI_IPHONE)
    key = _key(home)
    home.post("/quitter/")
    assert [s.browser for s in open_sessions(space)] == ["Firefox sur Linux"]
    assert not SubscriberSession.objects.filter(session_key=key).exists()
    assert office.get("/espace/").status_code == 200


def test_a_password_change_from_another_session_ends_this_one():
    space = SubscriberFactory()
    office, home = _browser(space), _browser(space, SAFARI_IPHONE)
    home_key = _key(home)
    prove_fresh_factor(office)  # the page is behind step-up (docs/security.md §14.4)
    office.post(
        "/espace/identifiants/",
        {
            "change_password": "on",
            "new_password1": NEW,
            "new_password2": NEW,
            "current_password": PASSWORD,
        },
    )
    space.refresh_from_db()
    assert [s.browser for s in open_sessions(space)] == ["Firefox sur Linux"]
    assert not _in_store(home_key)  # gone from the store, not only refused
    assert home.get("/espace/").status_code == 302
    assert office.get("/espace/").status_code == 200  # this one stays, under a new key
    assert SubscriberSession.objects.filter(session_key=_key(office)).exists()


def test_a_session_whose_hash_no_longer_matches_is_not_listed():
    """Whatever path changed the password, the session hash decides (not the table)."""
    space = SubscriberFactory()
    _browser(space)
    change_password(space, NEW, via="identifiers")
    assert SubscriberSession.objects.filter(subscriber=space).exists()
    assert open_sessions(space) == []


def test_an_agent_ending_the_access_deletes_every_session_from_the_store():
    space = SubscriberFactory()
    clients = [_browser(space), _browser(space, SAFARI_IPHONE)]
    keys = [_key(c) for c in clients]
    assert all(_in_store(k) for k in keys)
    space_access.end_access(space)
    assert open_sessions(space) == []
    assert not any(_in_store(k) for k in keys)
    assert not SubscriberSession.objects.filter(subscriber=space).exists()
    assert [c.get("/espace/").status_code for c in clients] == [302, 302]
    _browser(space)  # a new login is listed again
    space.refresh_from_db()
    assert len(open_sessions(space)) == 1


def test_a_freeze_deletes_the_sessions_too():
    space = SubscriberFactory()
    key = _key(_browser(space))
    space_access.freeze(space)
    assert not _in_store(key) and open_sessions(space) == []


def test_idle_and_absolute_lifetimes_end_the_listing():
    space = SubscriberFactory()
    with time_machine.travel(clock.now(), tick=False) as traveller:
        client = _browser(space)
        idle = settings.SESSION_COOKIE_AGE
        traveller.shift(timedelta(seconds=idle - 120))
        assert client.get("/espace/").status_code == 200  # pushes the idle timeout back
        traveller.shift(timedelta(seconds=idle - 120))
        assert len(open_sessions(space)) == 1
        traveller.shift(timedelta(seconds=idle))
        assert open_sessions(space) == []  # idle: the store's row expired
        client = _browser(space)
        lifetime, step = settings.SESSION_ABSOLUTE_SECONDS, idle - 120
        for _ in range(lifetime // step):
            traveller.shift(timedelta(seconds=step))
            assert client.get("/espace/").status_code == 200
        assert len(open_sessions(space)) == 1
        traveller.shift(timedelta(seconds=lifetime % step + 60))
        assert _in_store(_key(client))  # not idle, yet past the absolute lifetime:
        assert open_sessions(space) == []


def test_the_retention_job_purges_records_past_the_absolute_lifetime(capsys):
    space = SubscriberFactory()
    with time_machine.travel(clock.now(), tick=False) as traveller:
        _browser(space)
        traveller.shift(timedelta(seconds=settings.SESSION_ABSOLUTE_SECONDS - 60))
        _browser(space, SAFARI_IPHONE)
        call_command("purge_expired")
        assert SubscriberSession.objects.count() == 2
        traveller.shift(timedelta(seconds=120))
        call_command("purge_expired")
        assert "1 trace(s) de session échue(s) supprimée(s)." in capsys.readouterr().out
        assert [r.user_agent for r in SubscriberSession.objects.all()] == [SAFARI_IPHONE]
        assert retention.purge_session_records() == 0


def test_the_list_is_capped_and_costs_two_queries(django_assert_num_queries):
    space = SubscriberFactory()
    for _ in range(sessions.LIMIT + 3):
        Client().force_login(space)
    space.refresh_from_db()
    with django_assert_num_queries(2):
        assert len(open_sessions(space)) == sessions.LIMIT


def test_with_redis_sessions_an_ended_session_leaves_redis(
    redis_sessions, django_capture_on_commit_callbacks
):
    _, redis_keys = redis_sessions
    space = SubscriberFactory()
    client = _browser(space)
    key = _key(client)
    assert client.get("/espace/").status_code == 200
    assert any(key in k.decode() for k in redis_keys())
    assert len(open_sessions(space)) == 1
    with django_capture_on_commit_callbacks(execute=True):
        space_access.end_access(space)
    assert open_sessions(space) == []
    assert not any(key in k.decode() for k in redis_keys())
    assert not _in_store(key)
    assert client.get("/espace/").status_code == 302


def test_browsers_are_described_briefly():
    edge = FIREFOX.replace("Firefox/128.0", "Chrome/126.0 Safari/537.36 Edg/126.0")
    android = "Mozilla/5.0 (Linux; Android 14) AppleWebKit/537.36 Chrome/126.0 Mobile Safari/537"
    assert describe_browser(edge) == "Edge sur Linux"
    assert describe_browser(android) == "Chrome sur Android"
    assert describe_browser("curl/8.5.0") == "curl/8.5.0"
    assert describe_browser("x" * 300) == "x" * 119 + "…"
    assert describe_browser("") == ""


def test_logging_in_again_in_the_same_session_keeps_one_row():
    """Django keeps the key when the same person logs in again in their session."""
    space = SubscriberFactory()
    client = Client()
    client.force_login(space)
    client.force_login(space)
    assert SubscriberSession.objects.filter(subscriber=space).count() == 1
    assert len(open_sessions(space)) == 1
