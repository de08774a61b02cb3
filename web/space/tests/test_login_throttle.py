"""Login protection (docs/security.md §6): per (e-mail, address), per e-mail across addresses,
per address across e-mails; the real client address behind trusted proxies."""

import html
import threading

import pytest
import time_machine
from django.conf import settings
from django.test import Client

from audit.models import Action, AuditEvent
from tests.factories import PASSWORD, SubscriberFactory
from tests.helpers import (
    CURRENT_TIME,
    SQLITE_REFUSES_CONCURRENT_WRITERS,
    captcha_answer,
    run_concurrently,
)

pytestmark = pytest.mark.django_db
WRONG = "mauvais mot de passe, encore"


def _login(client, email, password, ip="10.0.0.1", captcha=None, **meta):
    data = {"username": email, "password": password, **(captcha or {})}
    return client.post("/", data, REMOTE_ADDR=ip, **meta)


@pytest.fixture
def no_slowdown(settings):
    settings.LOGIN_SLOWDOWN_AFTER = 100


def test_five_failures_lock_the_email_from_that_address_only_for_a_while(client, no_slowdown):
    SubscriberFactory(email="lila@example.fr")
    with time_machine.travel(CURRENT_TIME, tick=False) as traveller:
        for _ in range(5):
            assert _login(client, "lila@example.fr", WRONG).status_code == 200
        locked = _login(client, "lila@example.fr", PASSWORD)
        assert locked.status_code == 429
        assert "Connexion temporairement bloquée" in locked.content.decode()
        assert AuditEvent.objects.filter(action=Action.LOGIN_LOCKED).exists()
        # From her own address, Lila is not locked out: she is asked for a CAPTCHA.
        elsewhere = _login(Client(), "lila@example.fr", PASSWORD, ip="192.0.2.7")
        assert elsewhere.status_code == 200
        assert "recopiez les caractères de l'image" in html.unescape(elsewhere.content.decode())
        traveller.shift(15 * 60)
        assert _login(client, "lila@example.fr", PASSWORD).status_code == 302


def test_failures_from_many_addresses_ask_a_captcha_never_lock_the_account(client, no_slowdown):
    SubscriberFactory(email="lila@example.fr")
    for n in range(8):  # an attacker rotating addresses
        _login(Client(), "lila@example.fr", WRONG, ip=f"198.51.100.{n}")
    page = _login(client, "lila@example.fr", PASSWORD, ip="192.0.2.7")
    assert page.status_code == 200, "the right password alone no longer suffices"
    text = page.content.decode()
    assert 'name="captcha_1"' in text
    # Wrong characters: the password is not even tried.
    answer = captcha_answer(text)
    wrong = _login(
        client, "lila@example.fr", PASSWORD, ip="192.0.2.7", captcha={**answer, "captcha_1": "xx"}
    )
    assert "ne correspondent pas à l'image" in html.unescape(wrong.content.decode())
    answer = captcha_answer(wrong.content.decode())
    ok = _login(client, "lila@example.fr", PASSWORD, ip="192.0.2.7", captcha=answer)
    assert ok.status_code == 302
    # Once in, the account starts afresh: no CAPTCHA next time.
    Client().post("/quitter/")
    assert 'name="captcha_1"' not in _login(Client(), "lila@example.fr", WRONG).content.decode()


def test_one_address_cannot_try_every_account(client, settings, no_slowdown):
    settings.RATE_LIMITS = {**settings.RATE_LIMITS, "login.address": "6/15m"}
    SubscriberFactory(email="victim@example.fr")
    for n in range(6):
        assert _login(client, f"user{n}@example.fr", WRONG).status_code == 200
    assert _login(client, "victim@example.fr", PASSWORD).status_code == 429
    # Another address is not concerned.
    assert _login(Client(), "victim@example.fr", PASSWORD, ip="192.0.2.7").status_code == 302


def test_successful_logins_do_not_use_up_an_offices_address(client, settings, no_slowdown):
    settings.RATE_LIMITS = {**settings.RATE_LIMITS, "login.address": "3/15m"}
    people = [SubscriberFactory(email=f"colleague{n}@example.fr") for n in range(6)]
    for person in people:
        assert _login(Client(), person.email, PASSWORD).status_code == 302


def test_the_slowdown_holds_whatever_the_user_agent(client):
    SubscriberFactory(email="lila@example.fr")
    with time_machine.travel(CURRENT_TIME, tick=False):
        for n in range(3):
            _login(client, "lila@example.fr", WRONG, HTTP_USER_AGENT=f"agent {n}")
        page = client.post(
            "/",
            {"username": "lila@example.fr", "password": PASSWORD},
            REMOTE_ADDR="10.0.0.1",
            HTTP_USER_AGENT="yet another agent",
        )
        assert "patientez 2 secondes" in page.content.decode()


def test_the_client_address_behind_a_trusted_proxy(client, settings, no_slowdown):
    settings.TRUSTED_PROXY_COUNT = 1
    SubscriberFactory(email="lila@example.fr")
    # The client forges the left part of the header; the proxy appends what it saw.
    for n in range(5):
        _login(
            client,
            "lila@example.fr",
            WRONG,
            ip="127.0.0.1",
            HTTP_X_FORWARDED_FOR=f"203.0.113.{n}, 198.51.100.9",
        )
    event = AuditEvent.objects.filter(action=Action.LOGIN_FAILED).first()
    assert event.ip_address == "198.51.100.9"
    # The lock is the attacker's, not every client's behind the proxy.
    locked = _login(
        client, "lila@example.fr", PASSWORD, ip="127.0.0.1", HTTP_X_FORWARDED_FOR="198.51.100.9"
    )
    assert locked.status_code == 429
    other = _login(
        Client(), "lila@example.fr", PASSWORD, ip="127.0.0.1", HTTP_X_FORWARDED_FOR="192.0.2.44"
    )
    assert other.status_code == 200  # a CAPTCHA, not a lock
    assert 'name="captcha_1"' in other.content.decode()


def test_without_trusted_proxies_the_header_is_ignored(client, no_slowdown):
    _login(client, "nobody@example.fr", WRONG, ip="10.9.8.7", HTTP_X_FORWARDED_FOR="1.2.3.4")
    assert AuditEvent.objects.get(action=Action.LOGIN_FAILED).ip_address == "10.9.8.7"


@pytest.mark.skipif(
    settings.DATABASES["default"]["ENGINE"].endswith("sqlite3"),
    reason=SQLITE_REFUSES_CONCURRENT_WRITERS,
)
@pytest.mark.django_db(transaction=True)
def test_a_burst_of_guesses_gets_no_more_password_checks_than_the_limit(monkeypatch, settings):
    """12 simultaneous wrong passwords from one address: exactly 5 are checked, the rest are
    refused with the lock page, none answers 500 (docs/security.md §6.3)."""
    settings.LOGIN_SLOWDOWN_AFTER = 100
    SubscriberFactory(email="lila@example.fr")
    from accounts.backends import SpaceBackend  # the backend of AUTHENTICATION_BACKENDS

    checks = []
    lock = threading.Lock()
    original = SpaceBackend.authenticate

    def counting(self, request, username=None, password=None, **kwargs):
        with lock:
            checks.append(username)
        return original(self, request, username=username, password=password, **kwargs)

    # A spy, not a fake: the real backend checks each password; the test counts the checks.
    monkeypatch.setattr(SpaceBackend, "authenticate", counting)
    responses = run_concurrently(*[lambda: _login(Client(), "lila@example.fr", WRONG)] * 12)
    assert len(checks) == 5
    assert all(getattr(r, "status_code", r) in (200, 429) for r in responses), responses
    failed = [r for r in responses if "mot de passe incorrect" in r.content.decode()]
    assert len(failed) == 5
