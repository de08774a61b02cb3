"""Issue #10's login protection as a person meets it (docs/security.md §6): after failures on
her e-mail from elsewhere, Lila is asked for a CAPTCHA, never locked out; an address that
keeps guessing gets the lock page."""

import re

import pytest
from captcha.models import CaptchaStore
from playwright.sync_api import expect

from tests.factories import PASSWORD, SubscriberFactory
from tests.helpers import pass_second_step

pytestmark = pytest.mark.django_db(transaction=True)

EMAIL = "lila.rosemonde@example.fr"


def _log_in(page, password):
    page.get_by_label("Adresse électronique").fill(EMAIL)
    page.get_by_label("Mot de passe").fill(password)
    page.get_by_role("button", name="Connexion").click()
    pass_second_step(page)


def test_a_captcha_after_failures_on_the_email_then_the_lock_for_the_guessing_address(
    page, settings, tmp_path
):
    settings.RATE_LIMITS = {**settings.RATE_LIMITS, "login.account": "3/15m", "login.pair": "5/15m"}
    settings.LOGIN_SLOWDOWN_AFTER = 100
    SubscriberFactory(email=EMAIL)
    page.goto("/")
    for _ in range(3):
        _log_in(page, "pas le bon mot de passe")
        expect(page.get_by_text("Adresse électronique ou mot de passe incorrect.")).to_be_visible()
    # The right password alone is not enough now: the page asks for the image's characters.
    _log_in(page, PASSWORD)
    expect(
        page.get_by_text("Plusieurs tentatives de connexion ont échoué pour cette adresse")
    ).to_be_visible()
    expect(page.locator("img.portal-captcha")).to_be_visible()
    page.screenshot(path="/tmp/login-captcha.png", full_page=True)
    key = page.locator("input[name=captcha_0]").input_value()
    page.get_by_label("Mot de passe").fill(PASSWORD)
    page.get_by_label("Recopiez les caractères de l'image").fill(
        CaptchaStore.objects.get(hashkey=key).response
    )
    page.get_by_role("button", name="Connexion").click()
    pass_second_step(page)
    expect(page.locator("#home-identity")).to_be_visible()
    # The header's button (the narrow screens' menu holds the same one).
    page.locator(".fr-header__tools-links").get_by_role("button", name="Quitter").click()

    # Someone guessing from this address: after 5 failures, the lock page.
    for _ in range(5):
        _log_in(page, "encore un mauvais mot de passe")
        if page.locator("input[name=captcha_0]").count():
            key = page.locator("input[name=captcha_0]").input_value()
            page.get_by_label("Mot de passe").fill("encore un mauvais mot de passe")
            page.get_by_label("Recopiez les caractères de l'image").fill(
                CaptchaStore.objects.get(hashkey=key).response
            )
            page.get_by_role("button", name="Connexion").click()
            pass_second_step(page)
    _log_in(page, PASSWORD)
    expect(page.get_by_role("heading", name="Connexion temporairement bloquée")).to_be_visible()
    expect(page.get_by_text(re.compile(r"pendant \d+ minutes?"))).to_be_visible()
    page.screenshot(path=tmp_path / "login-locked.png", full_page=True)
