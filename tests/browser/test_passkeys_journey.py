"""Issue 24's passkey journey with Chromium's virtual authenticator (DevTools' WebAuthn domain):
a passkey is added in *Sécurité de connexion* (after step-up), named, then logs in alone from
the login page, then serves at the login's second step and at step-up; it is removed; axe
checks every state; the login page at 390 px."""

import pytest
from playwright.sync_api import expect

from accounts.factors import passkeys
from audit.models import Action, AuditEvent
from tests.factories import PASSWORD, SubscriberFactory
from tests.helpers import last_login_code

pytestmark = pytest.mark.django_db(transaction=True)
EMAIL = "iris@example.fr"


def _authenticator(page) -> None:
    client = page.context.new_cdp_session(page)
    client.send("WebAuthn.enable")
    client.send(
        "WebAuthn.addVirtualAuthenticator",
        {
            "options": {
                "protocol": "ctap2",
                "transport": "internal",
                "hasResidentKey": True,
                "hasUserVerification": True,
                "isUserVerified": True,
                "automaticPresenceSimulation": True,
            }
        },
    )
    page.cdp = client


def _password_and_code(page) -> None:
    page.get_by_label("Adresse électronique").fill(EMAIL)
    page.get_by_label("Mot de passe").fill(PASSWORD)
    page.get_by_role("button", name="Connexion").click()
    expect(page.get_by_role("heading", name="Vérification en deux étapes")).to_be_visible()


def test_add_a_passkey_log_in_without_password_use_it_then_remove_it(new_page, tmp_path):
    subscriber = SubscriberFactory(email=EMAIL)
    page = new_page()
    _authenticator(page)
    page.goto("/")
    # The login page offers the passkey (JavaScript on: the button replaced the sentence).
    expect(page.get_by_role("button", name="Se connecter avec une clé d'accès")).to_be_visible()
    page.screenshot(path=tmp_path / "login-desktop.png", full_page=True)
    _password_and_code(page)
    page.locator("#id_code").fill(last_login_code(EMAIL))
    page.get_by_role("button", name="Valider").click()
    expect(page.locator("#home-identity")).to_be_visible()

    # Sécurité de connexion, « Ajouter une clé d'accès »: step-up first (the code just used is
    # spent: a new one is e-mailed).
    page.goto("/espace/securite/")
    expect(page.locator("#no-passkey")).to_be_visible()
    page.locator("#add-passkey").click()
    expect(page.get_by_role("heading", name="Vérification de sécurité")).to_be_visible()
    page.locator("#id_code").fill(last_login_code(EMAIL))
    page.get_by_role("button", name="Valider").click()
    expect(page.get_by_role("heading", name="Ajouter une clé d'accès (passkey)")).to_be_visible()
    page.get_by_role("button", name="Créer la clé d'accès").click()
    expect(page.get_by_role("heading", name="Nom de la clé d'accès")).to_be_visible()
    expect(page.get_by_label("Nom de la clé d'accès")).to_have_value(
        "Clé d'accès — Chrome sur Linux"
    )
    page.get_by_label("Nom de la clé d'accès").fill("Ordinateur du bureau")
    page.get_by_role("button", name="Enregistrer").click()
    expect(page.locator("#passkeys")).to_contain_text("Ordinateur du bureau")
    subscriber.refresh_from_db()
    assert subscriber.strong_factor
    assert AuditEvent.objects.filter(
        action=Action.FACTOR_ENROLLED, details__kind="passkey"
    ).exists()
    page.screenshot(path=tmp_path / "security-with-passkey.png", full_page=True)

    # Log out, then in with the passkey alone: no password, no code.
    page.get_by_role("button", name="Quitter").click()
    page.get_by_role("button", name="Se connecter avec une clé d'accès").click()
    expect(page.locator("#home-identity")).to_be_visible()
    assert AuditEvent.objects.filter(
        action=Action.FACTOR_VERIFIED, details__purpose="passwordless"
    ).exists()

    # At the login's second step, after the password: « Utiliser une clé d'accès ».
    page.get_by_role("button", name="Quitter").click()
    _password_and_code(page)
    page.get_by_role("button", name="Utiliser une clé d'accès").click()
    expect(page.locator("#home-identity")).to_be_visible()

    # Removing it (step-up by the passkey, then a confirmation).
    page.goto("/espace/securite/")
    page.get_by_role("link", name="Supprimer « Ordinateur du bureau »").click()
    expect(page.get_by_role("heading", name="Vérification de sécurité")).to_be_visible()
    page.get_by_role("button", name="Utiliser une clé d'accès").click()
    expect(
        page.get_by_role("heading", name="Supprimer la clé d'accès « Ordinateur du bureau »")
    ).to_be_visible()
    page.get_by_role("button", name="Supprimer cette clé d'accès").click()
    expect(page.locator("#no-passkey")).to_be_visible()
    subscriber.refresh_from_db()
    assert not subscriber.strong_factor
    assert not passkeys.has_passkey(subscriber)
    assert page.csp_errors == []


def test_the_login_page_at_390_px_offers_the_passkey(new_page, tmp_path):
    page = new_page(viewport={"width": 390, "height": 844})
    page.goto("/")
    expect(page.get_by_role("button", name="Se connecter avec une clé d'accès")).to_be_visible()
    page.screenshot(path=tmp_path / "login-390.png", full_page=True)
    width, inner = page.evaluate("[document.documentElement.scrollWidth, window.innerWidth]")
    assert width <= inner
    assert page.csp_errors == []
