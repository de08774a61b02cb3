"""After a routine password change (*Modifiez vos identifiants*), the programs that keep access
to the space — live tokens and webhooks — are listed, and « Révoquer ces accès » ends them all
(docs/security.md §8.5, docs/api.md §3)."""

import pytest
import time_machine
from django.test import Client

from api import tokens, webhooks
from api.models import AccessToken
from api.tests.helpers import bearer, token_for
from audit.models import Action, AuditEvent
from tests.factories import PASSWORD, SubscriberFactory
from tests.helpers import CURRENT_TIME, login, prove_fresh_factor

pytestmark = pytest.mark.django_db

NEW = "Sept chouettes grises dansent sous le vieux chêne"
PAGE = "/espace/identifiants/"
ACCESS = "/espace/identifiants/acces-des-logiciels/"
URL = "https://localhost/evenements"


def _page(response) -> str:
    return response.content.decode().replace("&#x27;", "'")


def _proved(client):
    """The client's session as after *Vérification de sécurité* (the page is behind step-up)."""
    prove_fresh_factor(client)
    return client


@pytest.fixture
def lila(db):
    return SubscriberFactory(email="lila@example.fr")


@pytest.fixture
def browser(client, lila):
    assert login(client, lila.email, PASSWORD)["Location"] == "/espace/"
    return client


@pytest.fixture
def public_hosts(settings):
    # Registering a webhook resolves its host: no DNS here, so the address is localhost's,
    # which this setting lets through.
    settings.API_WEBHOOK_ALLOW_PRIVATE = True


def _change(client, new=NEW, **extra):
    return _proved(client).post(
        PAGE,
        {
            "change_password": "on",
            "new_password1": new,
            "new_password2": new,
            "current_password": PASSWORD,
            **extra,
        },
    )


@time_machine.travel(CURRENT_TIME, tick=False)
def test_a_password_change_lists_the_live_tokens_and_webhooks(browser, lila, public_hosts):
    token_for(lila, name="Logiciel comptable")
    token_for(lila, name="Ancien logiciel")
    tokens.revoke(lila, AccessToken.objects.get(name="Ancien logiciel").pk)
    webhooks.register(lila, URL)
    token_for(SubscriberFactory(), name="Logiciel d'un autre")
    assert _change(browser)["Location"] == ACCESS
    page = _page(browser.get(ACCESS))
    assert "Votre mot de passe a été modifié." in page
    assert "Logiciel comptable" in page and URL in page
    assert "Ancien logiciel" not in page and "Logiciel d'un autre" not in page
    assert "Révoquer ces accès" in page and "Conserver ces accès" in page


def test_revoquer_ces_acces_ends_every_token_and_webhook_of_the_space(browser, lila, public_hosts):
    raw = token_for(lila)
    webhook, _ = webhooks.register(lila, URL)
    other = token_for(SubscriberFactory())
    _change(browser)
    done = browser.post(ACCESS)
    assert done["Location"] == "/espace/"
    assert "Les accès de vos logiciels sont révoqués" in _page(browser.get("/espace/"))
    api = Client()
    assert api.get("/api/v1/me", **bearer(raw)).status_code == 401
    assert api.get("/api/v1/me", **bearer(other)).status_code == 200
    webhook.refresh_from_db()
    assert webhook.revoked_at is not None
    assert lila.api_tokens.get().revoked_reason == "owner"
    assert AuditEvent.objects.filter(action=Action.API_TOKEN_REVOKED, actor=lila).exists()
    assert AuditEvent.objects.filter(action=Action.API_WEBHOOK_REVOKED, actor=lila).exists()
    # Nothing left to offer: the page leads on.
    assert browser.get(ACCESS)["Location"] == "/espace/"


def test_conserver_ces_acces_keeps_them(browser, lila):
    raw = token_for(lila)
    _change(browser)
    assert 'href="/espace/">Conserver ces accès' in _page(browser.get(ACCESS))
    assert Client().get("/api/v1/me", **bearer(raw)).status_code == 200


def test_without_live_access_a_password_change_goes_home_as_before(browser, lila):
    token_for(lila)
    tokens.revoke(lila, AccessToken.objects.get().pk)
    assert _change(browser)["Location"] == "/espace/"


def test_with_a_new_login_email_too_the_page_leads_on_to_its_code(browser, lila):
    token_for(lila)
    new_email = "lila.pro@example.fr"
    changed = _change(
        browser, change_email="on", new_email=new_email, new_email_confirmation=new_email
    )
    assert changed["Location"] == ACCESS
    assert 'href="/espace/identifiants/confirmation/">Conserver ces accès' in _page(
        browser.get(ACCESS)
    )
    assert browser.post(ACCESS)["Location"] == "/espace/identifiants/confirmation/"


def test_revoking_needs_a_post_of_the_space_itself(client, lila):
    raw = token_for(lila)
    assert client.post(ACCESS)["Location"].startswith("/?next=")
    csrf_checked = Client(enforce_csrf_checks=True)
    login(csrf_checked, lila.email, PASSWORD)
    assert csrf_checked.post(ACCESS).status_code == 403
    assert Client().get("/api/v1/me", **bearer(raw)).status_code == 200
