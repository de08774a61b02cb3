"""Issue 24's journeys: the first login asks the e-mailed code; « se souvenir » skips it next
time; another browser is asked; an authenticator app is enrolled by reading its key on the page;
the login steps on a 390 px phone."""

import base64
import hmac
import struct
import time

import pytest
from playwright.sync_api import expect

from tests.factories import PASSWORD, SubscriberFactory
from tests.helpers import last_login_code

pytestmark = pytest.mark.django_db(transaction=True)
EMAIL = "lila@example.fr"


def _totp(base32_key: str, at: float) -> str:
    digest = hmac.new(
        base64.b32decode(base32_key), struct.pack(">Q", int(at // 30)), "sha1"
    ).digest()
    offset = digest[-1] & 0x0F
    value = struct.unpack(">I", digest[offset : offset + 4])[0] & 0x7FFFFFFF
    return f"{value % 1_000_000:06d}"


def _password(page):
    page.goto("/")
    page.get_by_label("Adresse électronique").fill(EMAIL)
    page.get_by_label("Mot de passe").fill(PASSWORD)
    page.get_by_role("button", name="Connexion").click()


def test_code_then_remembered_browser_then_another_browser_then_an_app(new_page, tmp_path):
    SubscriberFactory(email=EMAIL)
    page = new_page(viewport={"width": 390, "height": 844})
    _password(page)
    expect(page.get_by_role("heading", name="Vérification en deux étapes")).to_be_visible()
    expect(page.locator("#code-sent")).to_contain_text(EMAIL)
    page.screenshot(path=tmp_path / "second-step-390.png", full_page=True)
    width, inner = page.evaluate("[document.documentElement.scrollWidth, window.innerWidth]")
    assert width <= inner
    page.locator("#id_code").fill("000000" if last_login_code(EMAIL) != "000000" else "111111")
    page.get_by_role("button", name="Valider").click()
    expect(page.get_by_text("Le code est incorrect.")).to_be_visible()
    page.locator("#id_code").fill(last_login_code(EMAIL))
    page.locator("label[for=id_remember]").click()
    page.get_by_role("button", name="Valider").click()
    expect(page.locator("#home-identity")).to_be_visible()

    # The same browser later: the password alone, the browser is remembered.
    page.set_viewport_size({"width": 1280, "height": 900})
    page.get_by_role("button", name="Quitter").click()
    _password(page)
    expect(page.locator("#home-identity")).to_be_visible()

    # Another browser is asked.
    other = new_page()
    _password(other)
    expect(other.get_by_role("heading", name="Vérification en deux étapes")).to_be_visible()

    # Enrolling an app: a fresh factor first, then the key read on the page.
    page.goto("/espace/securite/")
    expect(page.locator("#remembered-browsers")).to_contain_text("(ce navigateur)")
    page.locator("#enrol-app").click()
    expect(page.get_by_role("heading", name="Vérification de sécurité")).to_be_visible()
    page.locator("#id_code").fill(last_login_code(EMAIL))
    page.get_by_role("button", name="Valider").click()
    key = page.locator("#totp-secret").inner_text()
    page.screenshot(path=tmp_path / "enrol-app.png", full_page=True)
    page.locator("#id_code").fill(_totp(key, time.time()))
    page.locator("#confirm-app").click()
    expect(page.locator("#login-factor")).to_contain_text("Application d'authentification")
    page.screenshot(path=tmp_path / "security.png", full_page=True)

    # The other browser, still pending on the e-mailed code, must now use the app? It was asked
    # the e-mailed code before the change: it logs in with the app's next code instead.
    other.goto("/")
    _password(other)
    expect(other.get_by_label("Code de l'application")).to_be_visible()
    other.locator("#id_code").fill(_totp(key, time.time() + 30))
    other.get_by_role("button", name="Valider").click()
    expect(other.locator("#home-identity")).to_be_visible()
    print(f"screenshots in {tmp_path}")
