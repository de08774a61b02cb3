"""*Accès pour vos logiciels* (docs/api.md §3, §7; docs/security.md §9): creating a token or a
webhook from the pages asks the current password unless the session proved it recently, wrong
answers count like failed logins, the owner is e-mailed, and *Mot de passe oublié* ends both."""

import re
from datetime import timedelta

import pytest
import time_machine
from django.conf import settings
from django.test import Client, override_settings

from api import webhooks
from api.models import AccessToken, Webhook
from api.tests.helpers import bearer, token_for
from audit.models import Action, AuditEvent
from correspondence.models import Message
from tests.helpers import CURRENT_TIME, PASSWORD, last_email_to, login

pytestmark = pytest.mark.django_db

TOKENS = "/espace/logiciels/"
WEBHOOKS = "/espace/logiciels/webhooks/"
ASKED = 'name="current_password"'


def _page(response) -> str:
    return response.content.decode().replace("&#x27;", "'")


def _token(client, password=PASSWORD, **fields):
    data = {
        "name": "Logiciel comptable",
        "scopes": ["dossiers:read"],
        "expires_on": "30/06/2026",
        **fields,
    }
    if password is not None:
        data["current_password"] = password
    return client.post(TOKENS, data)


def _webhook(client, password=PASSWORD, url="https://localhost/evenements"):
    data = {"url": url} if password is None else {"url": url, "current_password": password}
    return client.post(WEBHOOKS, data)


@pytest.fixture
def browser(client, alice):
    """Alice logged in through the login page: typing the password there is not a recent proof."""
    with time_machine.travel(CURRENT_TIME, tick=False):
        assert login(client, alice.email, PASSWORD)["Location"] == "/espace/"
    return client


@time_machine.travel(CURRENT_TIME, tick=False)
def test_creating_a_token_asks_the_current_password_even_just_after_logging_in(browser, alice):
    assert "Mot de passe actuel" in _page(browser.get(TOKENS))
    missing = _page(_token(browser, password=None))
    wrong = _page(_token(browser, password="pas mon mot de passe"))
    assert "Saisissez votre mot de passe actuel." in missing
    assert "Votre mot de passe actuel est incorrect." in wrong
    assert not AccessToken.objects.exists()
    assert not Message.objects.filter(purpose="api_token_created").exists()
    assert AuditEvent.objects.filter(action=Action.REAUTHENTICATION_FAILED, actor=alice).exists()

    created = _token(browser)
    assert created.status_code == 201
    raw = re.search(r'id="new-token-value">(epro_pat_[\w-]+)<', _page(created)).group(1)
    assert AccessToken.objects.get().name == "Logiciel comptable"
    message = last_email_to(alice.email, "api_token_created")
    assert "Logiciel comptable" in message.body and raw not in message.body


@time_machine.travel(CURRENT_TIME, tick=False)
def test_registering_a_webhook_asks_the_current_password(browser, alice, received):
    assert "Mot de passe actuel" in _page(browser.get(WEBHOOKS))
    wrong = _page(_webhook(browser, password="pas mon mot de passe"))
    assert "Votre mot de passe actuel est incorrect." in wrong
    assert "Saisissez votre mot de passe actuel." in _page(_webhook(browser, password=None))
    assert not Webhook.objects.exists()
    assert not Message.objects.filter(purpose="api_webhook_created").exists()

    page = _page(_webhook(browser, url=received.url()))
    assert 'id="new-webhook-secret"' in page
    assert Webhook.objects.get().url == received.url()
    assert received.url() in last_email_to(alice.email, "api_webhook_created").body


def test_once_proved_the_session_is_not_asked_again_for_ten_minutes(browser, alice, received):
    with time_machine.travel(CURRENT_TIME, tick=False):
        assert _token(browser).status_code == 201
    with time_machine.travel(CURRENT_TIME + timedelta(minutes=9, seconds=59), tick=False):
        assert ASKED not in _page(browser.get(WEBHOOKS))
        registered = _webhook(browser, password=None, url=received.url())
        assert 'id="new-webhook-secret"' in _page(registered)
    with time_machine.travel(CURRENT_TIME + timedelta(minutes=10), tick=False):
        assert ASKED in _page(browser.get(TOKENS))
        refused = _page(_token(browser, password=None, name="Logiciel de paie"))
    assert "Saisissez votre mot de passe actuel." in refused
    assert [t.name for t in AccessToken.objects.all()] == ["Logiciel comptable"]
    assert Webhook.objects.count() == 1


def test_another_session_of_the_same_person_is_not_proved(browser, alice):
    with time_machine.travel(CURRENT_TIME, tick=False):
        assert _token(browser).status_code == 201
        elsewhere = Client()
        login(elsewhere, alice.email, PASSWORD)
        assert ASKED in _page(elsewhere.get(TOKENS))


@time_machine.travel(CURRENT_TIME, tick=False)
def test_a_right_password_is_not_asked_again_while_fixing_another_field(browser):
    assert ASKED in _page(browser.get(TOKENS))
    page = _page(_token(browser, scopes=[]))
    assert "Cochez au moins une portée." in page and ASKED not in page
    assert not AccessToken.objects.exists()
    assert _token(browser, password=None).status_code == 201


@override_settings(RATE_LIMITS={**settings.RATE_LIMITS, "login.pair": "3/15m"})
@time_machine.travel(CURRENT_TIME, tick=False)
def test_guessing_the_password_there_locks_like_failed_logins_and_ends_the_session(
    browser, alice, received
):
    assert _token(browser, password="essai 1").status_code == 200
    assert _webhook(browser, password="essai 2").status_code == 200
    assert _token(browser, password="essai 3").status_code == 200
    locked = _webhook(browser, password="essai 4")
    assert locked.status_code == 429
    assert browser.get(TOKENS)["Location"].startswith("/?next=")
    assert not AccessToken.objects.exists() and not Webhook.objects.exists()
    # The right password is refused too while locked, here as on the login page.
    assert login(Client(), alice.email, PASSWORD).status_code == 429


def test_a_password_reset_through_mot_de_passe_oublie_ends_tokens_and_webhooks(
    client, alice, bob, received
):
    raw = token_for(alice)
    webhooks.register(alice, received.url())
    kept = token_for(bob)
    client.post("/mot-de-passe-oublie/", {"email": alice.email})
    client.post(
        "/mot-de-passe-oublie/question-de-confiance/",
        {"trust_question": "animal", "trust_answer": "Lili"},
    )
    body = last_email_to(alice.email, "password_reset_link").body
    client.get(re.search(r"(/mot-de-passe-oublie/lien/\S+/)$", body, re.M).group(1))
    new = "Sept chouettes grises dansent sous le vieux chêne"
    done = client.post(
        "/mot-de-passe-oublie/nouveau-mot-de-passe/",
        {"new_password1": new, "new_password2": new},
    )
    assert done["Location"] == "/mot-de-passe-oublie/termine/"
    assert client.get("/api/v1/me", **bearer(raw)).status_code == 401
    assert set(alice.api_tokens.values_list("revoked_reason", flat=True)) == {"password_reset"}
    assert alice.api_webhooks.get().revoked_at is not None
    assert client.get("/api/v1/me", **bearer(kept)).status_code == 200
