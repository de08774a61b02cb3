"""*Accès pour vos logiciels* (docs/api.md §3, §7; docs/security.md §9.1, §14.4): creating a
token or a webhook from the pages asks a fresh second factor (*Vérification de sécurité*) unless
the session proved one recently, whatever the remembered browser; what was typed comes back
after the proof; the owner is e-mailed, and *Mot de passe oublié* ends both."""

import re
from datetime import timedelta

import pytest
import time_machine
from django.test import Client

from api import webhooks
from api.models import AccessToken, Webhook
from api.tests.helpers import bearer, token_for
from audit.models import Action, AuditEvent
from correspondence.models import Message
from tests.helpers import CURRENT_TIME, PASSWORD, last_email_to, last_login_code, login
from tests.helpers import proof_location as _proof

pytestmark = pytest.mark.django_db

TOKENS = "/espace/logiciels/"
WEBHOOKS = "/espace/logiciels/webhooks/"
TOKEN = {"name": "Logiciel comptable", "scopes": ["dossiers:read"], "expires_on": "30/06/2026"}


def _page(response) -> str:
    return response.content.decode().replace("&#x27;", "'")


def _token(client, **fields):
    return client.post(TOKENS, {**TOKEN, **fields})


def _webhook(client, url="https://localhost/evenements"):
    return client.post(WEBHOOKS, {"url": url})


def _prove(client, location: str, email: str):
    """Pass *Vérification de sécurité* with the e-mailed code, as the person does."""
    assert "Vérification de sécurité" in _page(client.get(location))
    return client.post(location, {"code": last_login_code(email)})


@pytest.fixture
def browser(client, alice):
    """Alice logged in through the login page (and its second step), her browser remembered:
    neither counts as a recent proof."""
    with time_machine.travel(CURRENT_TIME, tick=False):
        assert login(client, alice.email, PASSWORD, remember="on")["Location"] == "/espace/"
    return client


@time_machine.travel(CURRENT_TIME, tick=False)
def test_creating_a_token_asks_a_fresh_factor_even_just_after_logging_in(browser, alice):
    page = _page(browser.get(TOKENS))
    assert 'name="current_password"' not in page and 'name="name"' in page
    asked = _token(browser, name="Logiciel de paie")
    assert asked["Location"] == _proof(TOKENS, "api_token")
    assert not AccessToken.objects.exists()
    assert not Message.objects.filter(purpose="api_token_created").exists()
    proof = _page(browser.get(asked["Location"]))
    assert "Pour créer un jeton d'accès pour un logiciel, confirmez votre identité." in proof
    wrong = browser.post(asked["Location"], {"code": "000000"})
    assert wrong.status_code == 200 and not AccessToken.objects.exists()
    assert AuditEvent.objects.filter(action=Action.FACTOR_STEP_UP_REFUSED, actor=alice).exists()

    back = browser.post(asked["Location"], {"code": last_login_code(alice.email)})
    assert back["Location"] == TOKENS
    again = _page(browser.get(TOKENS))
    assert 'value="Logiciel de paie"' in again  # what was typed comes back
    created = _token(browser)
    assert created.status_code == 201
    raw = re.search(r'id="new-token-value">(epro_pat_[\w-]+)<', _page(created)).group(1)
    assert AccessToken.objects.get().name == "Logiciel comptable"
    message = last_email_to(alice.email, "api_token_created")
    assert "Logiciel comptable" in message.body and raw not in message.body


@time_machine.travel(CURRENT_TIME, tick=False)
def test_registering_a_webhook_asks_a_fresh_factor(browser, alice, received):
    asked = _webhook(browser, url=received.url())
    assert asked["Location"] == _proof(WEBHOOKS, "webhook")
    assert not Webhook.objects.exists()
    assert not Message.objects.filter(purpose="api_webhook_created").exists()
    assert _prove(browser, asked["Location"], alice.email)["Location"] == WEBHOOKS
    assert f'value="{received.url()}"' in _page(browser.get(WEBHOOKS))
    page = _page(_webhook(browser, url=received.url()))
    assert 'id="new-webhook-secret"' in page
    assert Webhook.objects.get().url == received.url()
    assert received.url() in last_email_to(alice.email, "api_webhook_created").body


def test_once_proved_the_session_is_not_asked_again_for_ten_minutes(browser, alice, received):
    with time_machine.travel(CURRENT_TIME, tick=False):
        _prove(browser, _token(browser)["Location"], alice.email)
        assert _token(browser).status_code == 201
    with time_machine.travel(CURRENT_TIME + timedelta(minutes=9, seconds=59), tick=False):
        registered = _webhook(browser, url=received.url())
        assert 'id="new-webhook-secret"' in _page(registered)
    with time_machine.travel(CURRENT_TIME + timedelta(minutes=10), tick=False):
        refused = _token(browser, name="Logiciel de paie")
    assert refused["Location"] == _proof(TOKENS, "api_token")
    assert [t.name for t in AccessToken.objects.all()] == ["Logiciel comptable"]
    assert Webhook.objects.count() == 1


def test_another_session_of_the_same_person_is_not_proved(browser, alice):
    with time_machine.travel(CURRENT_TIME, tick=False):
        _prove(browser, _token(browser)["Location"], alice.email)
        assert _token(browser).status_code == 201
        elsewhere = Client()
        login(elsewhere, alice.email, PASSWORD)  # the remembered browser is the other one
        assert _token(elsewhere)["Location"] == _proof(TOKENS, "api_token")
    assert AccessToken.objects.count() == 1


def test_a_token_gives_no_way_round_it_the_api_asks_no_factor(client, alice):
    """API tokens are not sessions: their calls are never asked a second factor."""
    raw = token_for(alice, scopes=["dossiers:read"])
    assert client.get("/api/v1/me", **bearer(raw)).status_code == 200


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
