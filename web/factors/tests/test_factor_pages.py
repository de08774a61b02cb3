"""The login's second step, the remembered browser across browsers and processes, step-up
(docs/security.md §14)."""

import pytest
from django.test import Client

from accounts.factors.models import RememberedBrowser
from audit.models import Action, AuditEvent
from tests.factories import PASSWORD, SubscriberFactory
from tests.helpers import LOGIN_STEP, last_login_code, login

pytestmark = pytest.mark.django_db


def test_a_right_password_alone_does_not_log_in():
    lila = SubscriberFactory()
    client = Client()
    response = client.post("/", {"username": lila.email, "password": PASSWORD})
    assert response["Location"] == LOGIN_STEP
    assert client.get("/espace/").status_code == 302  # not logged in yet
    page = client.get(LOGIN_STEP).content.decode()
    assert "Vérification en deux étapes" in page and lila.email in page
    wrong = client.post(LOGIN_STEP, {"code": "abcdef"})
    assert "Le code est incorrect." in wrong.content.decode()
    assert not AuditEvent.objects.filter(action=Action.LOGIN_SUCCEEDED).exists()
    done = client.post(LOGIN_STEP, {"code": last_login_code(lila.email)})
    assert done["Location"] == "/espace/"
    assert client.get("/espace/").status_code == 200


def test_the_second_step_without_a_pending_login_goes_back_to_the_password():
    assert Client().get(LOGIN_STEP)["Location"] == "/"


def test_remembered_browser_skips_the_step_another_is_asked_and_a_revocation_is_seen():
    lila = SubscriberFactory()
    first = Client()
    assert login(first, lila.email, PASSWORD, remember="on")["Location"] == "/espace/"
    first.post("/quitter/")
    again = first.post("/", {"username": lila.email, "password": PASSWORD})
    assert again["Location"] == "/espace/"  # remembered: no second step
    other = Client()
    asked = other.post("/", {"username": lila.email, "password": PASSWORD})
    assert asked["Location"] == LOGIN_STEP
    # Forgotten elsewhere (another process: a plain database write), refused here at once.
    RememberedBrowser.objects.filter(subscriber=lila).update(revoked_at="2026-01-01T00:00Z")
    first.post("/quitter/")
    assert first.post("/", {"username": lila.email, "password": PASSWORD})["Location"] == (
        LOGIN_STEP
    )


def test_step_up_asks_a_fresh_factor_then_returns():
    lila = SubscriberFactory()
    client = Client()
    client.force_login(lila)
    page = client.get("/espace/securite/application/")
    assert page["Location"].startswith("/espace/securite/verification/?next=")
    proof = client.get(page["Location"])
    assert "Vérification de sécurité" in proof.content.decode()
    done = client.post(page["Location"], {"code": last_login_code(lila.email)})
    assert done["Location"] == "/espace/securite/application/"
    enrol = client.get("/espace/securite/application/").content.decode()
    assert 'id="totp-secret"' in enrol


def test_the_security_page_lists_sessions_and_ends_another():
    lila = SubscriberFactory()
    mine, other = Client(), Client()
    login(mine, lila.email, PASSWORD)
    login(other, lila.email, PASSWORD)
    page = mine.get("/espace/securite/").content.decode()
    assert "(cette session)" in page and "Mettre fin à cette session" in page
    from accounts.models import SubscriberSession

    row = SubscriberSession.objects.exclude(session_key=mine.session.session_key).get()
    mine.post(f"/espace/securite/sessions/{row.pk}/fermer/")
    assert other.get("/espace/").status_code == 302
    assert mine.get("/espace/").status_code == 200
