"""The journeys of issue #3: a password near its expiry, an expired one, a forgotten one."""

import re
from datetime import timedelta

import pytest
from captcha.models import CaptchaStore
from django.utils import dateformat, timezone, translation
from playwright.sync_api import expect

from accounts.flows.password_expiry import expiry_status
from tests.factories import PASSWORD, SubscriberFactory
from tests.helpers import pass_second_step, pass_step_up

pytestmark = pytest.mark.django_db(transaction=True)

EMAIL = "lila.rosemonde@example.fr"
NEW = "Sept chouettes grises dansent sous le vieux chêne"


def _log_in(page, password):
    page.goto("/")
    page.get_by_label("Adresse électronique").fill(EMAIL)
    page.get_by_label("Mot de passe").fill(password)
    page.get_by_role("button", name="Connexion").click()
    pass_second_step(page)


def _type_new_password(page, field_label: str, confirmation_label: str):
    field = page.get_by_label(field_label)
    field.fill(NEW)
    field.press("End")
    expect(page.locator("#password-strength")).to_contain_text("Fort")
    page.get_by_label(confirmation_label).fill(NEW)


def _french(day, fmt: str) -> str:
    with translation.override("fr"):
        return dateformat.format(day, fmt)


def _latest_email(page) -> str:
    page.goto("/outbox/")
    return page.locator(".outbox-message").first.inner_text()


def test_a_password_near_its_expiry_warns_then_is_changed(page, tmp_path):
    subscriber = SubscriberFactory(email=EMAIL, expires_in=timedelta(days=30))
    status = expiry_status(subscriber)
    expiry_day = status.expiry_date

    _log_in(page, PASSWORD)
    notice = page.locator("#password-expiry-notice")
    expect(notice).to_contain_text(
        f"Votre mot de passe expire le {_french(expiry_day, 'd F Y')} (heure de Paris)."
    )
    expect(notice).to_contain_text("Pensez à le modifier depuis votre espace professionnel.")
    expect(notice).to_contain_text("À défaut, l'accès à votre espace sera désactivé.")
    page.screenshot(path=tmp_path / "notice.png", full_page=True)
    page.get_by_role("link", name="OK").click()

    banner = page.locator("#password-expiry-banner")
    expect(banner).to_contain_text(f"Expiration du mot de passe : {expiry_day:%d/%m/%Y}")
    expect(banner).to_contain_text(
        f"Attention, votre accès sera bloqué dans {status.days_left} jours"
    )
    page.screenshot(path=tmp_path / "home-banner.png", full_page=True)
    banner.get_by_role("link", name="Modifier le mot de passe").click()
    # Behind step-up (docs/security.md §14.4): the proof, then the form the link opens.
    assert pass_step_up(page, EMAIL)

    expect(page.get_by_role("heading", name="Modifiez vos identifiants.")).to_be_visible()
    # The link opened the form with the password's box ticked, the e-mail's not.
    expect(page.get_by_label("Saisir mon nouveau mot de passe")).to_be_checked()
    expect(page.get_by_label("Modifier mon adresse électronique")).not_to_be_checked()
    new_password = page.get_by_label("Saisissez votre nouveau mot de passe")
    new_password.press_sequentially("aaaaaaaaaaaaaaaaaaaaa")
    expect(page.locator("#password-strength")).to_contain_text("Faible")
    # The strength indicator sits right under the new password's input, before the confirmation.
    field_box = new_password.bounding_box()
    meter_box = page.locator("#password-strength").bounding_box()
    confirmation_box = page.get_by_label("Confirmez votre nouveau mot de passe").bounding_box()
    assert field_box["y"] + field_box["height"] <= meter_box["y"] < confirmation_box["y"]
    assert meter_box["y"] - (field_box["y"] + field_box["height"]) < 60  # px: directly under
    _type_new_password(
        page, "Saisissez votre nouveau mot de passe", "Confirmez votre nouveau mot de passe"
    )
    page.get_by_label("Votre mot de passe actuel").fill(PASSWORD)
    page.screenshot(path=tmp_path / "identifiers.png", full_page=True)
    page.get_by_role("button", name="Valider les modifications").click()

    expect(page.get_by_text("Votre mot de passe a été modifié.")).to_be_visible()
    expect(page.locator("#password-expiry-banner")).to_have_count(0)
    page.get_by_role("button", name="Quitter").click()

    _log_in(page, NEW)
    expect(page.locator("#home-identity")).to_contain_text("Mme Lila ROSEMONDE")
    expect(page.locator("#password-expiry-banner")).to_have_count(0)
    print(f"screenshots in {tmp_path}")
    assert page.csp_errors == []


def test_an_expired_password_is_renewed_through_the_three_steps(page, tmp_path):
    subscriber = SubscriberFactory(email=EMAIL, expires_in=timedelta(days=-3))

    _log_in(page, PASSWORD)
    expect(page.get_by_role("heading", name="Mot de passe expiré")).to_be_visible()
    expect(page.get_by_label("Saisissez votre adresse électronique de connexion")).to_have_value(
        EMAIL
    )
    # The space gives access to nothing meanwhile.
    page.goto("/espace/")
    expect(page.get_by_role("heading", name="Connexion à mon espace professionnel")).to_be_visible()
    page.goto("/mot-de-passe-expire/")

    image = page.locator("img.portal-captcha")
    first_image = image.get_attribute("src")
    page.get_by_role("button", name="Changer l'image").click()
    expect(image).not_to_have_attribute("src", first_image)
    page.wait_for_function(
        "() => { const img = document.querySelector('img.portal-captcha');"
        " return img.complete && img.naturalWidth > 0; }"
    )
    key = page.locator("input[name=captcha_0]").input_value()
    answer = CaptchaStore.objects.get(hashkey=key).response
    page.get_by_label("Recopiez les caractères de l'image").fill("wrong")
    page.get_by_role("button", name="Continuer").click()
    expect(page.get_by_text("Les caractères saisis ne correspondent pas")).to_be_visible()
    key = page.locator("input[name=captcha_0]").input_value()
    answer = CaptchaStore.objects.get(hashkey=key).response
    page.get_by_label("Recopiez les caractères de l'image").fill(answer)
    page.screenshot(path=tmp_path / "expired-step1.png", full_page=True)
    page.get_by_role("button", name="Continuer").click()

    expect(page.get_by_role("heading", name="Saisie du nouveau mot de passe")).to_be_visible()
    page.get_by_label("Saisissez votre ancien mot de passe").fill(PASSWORD)
    _type_new_password(
        page, "Saisissez votre nouveau mot de passe", "Confirmez votre nouveau mot de passe"
    )
    page.screenshot(path=tmp_path / "expired-step2.png", full_page=True)
    page.get_by_role("button", name="Valider").click()

    recap = page.locator("#password-recap")
    expect(recap).to_contain_text("Votre mot de passe a été réinitialisé avec succès.")
    subscriber.refresh_from_db()
    valid_until = timezone.localtime(subscriber.password_expires_at).date()
    expect(recap).to_contain_text(
        f"Ce mot de passe est valable jusqu'au {_french(valid_until, 'd F Y')}."
    )
    page.screenshot(path=tmp_path / "expired-step3.png", full_page=True)

    email = _latest_email(page)
    assert "Espace professionnel - Modification du mot de passe" in email
    assert (
        "Vous avez modifié votre mot de passe ; cette demande a bien été prise en compte." in email
    )
    page.go_back()
    page.get_by_role("link", name="Accédez à vos services en ligne").click()

    _log_in(page, NEW)
    expect(page.locator("#home-identity")).to_contain_text("Mme Lila ROSEMONDE")
    print(f"screenshots in {tmp_path}")
    assert page.csp_errors == []


def test_a_forgotten_password_is_reset_from_the_login_page(page, tmp_path):
    SubscriberFactory(email=EMAIL)

    page.goto("/")
    page.get_by_role("link", name="Mot de passe oublié").click()
    page.get_by_label("Saisissez votre adresse électronique de connexion").fill(EMAIL)
    page.get_by_role("button", name="Continuer").click()

    page.get_by_label("Votre question de confiance").select_option(
        label="Le nom de votre animal de compagnie ?"
    )
    page.get_by_label("Votre réponse").fill("lulu")
    page.get_by_role("button", name="Valider").click()
    expect(page.locator("#forgotten-error")).to_contain_text("ne correspond pas")
    page.get_by_label("Votre réponse").fill("LÏLI")
    page.screenshot(path=tmp_path / "forgotten-question.png", full_page=True)
    page.get_by_role("button", name="Valider").click()
    expect(page.locator("#forgotten-sent")).to_contain_text("Ce lien est valable 30 minutes")

    email = _latest_email(page)
    link = re.search(r"(https?://\S+/mot-de-passe-oublie/lien/\S+/)", email).group(1)
    page.goto(link)
    assert page.url.endswith("/mot-de-passe-oublie/nouveau-mot-de-passe/")
    _type_new_password(
        page, "Saisissez votre nouveau mot de passe", "Confirmez votre nouveau mot de passe"
    )
    page.screenshot(path=tmp_path / "forgotten-new.png", full_page=True)
    page.get_by_role("button", name="Valider").click()
    expect(page.locator("#password-recap")).to_contain_text("réinitialisé avec succès")
    page.get_by_role("link", name="Accédez à vos services en ligne").click()

    _log_in(page, NEW)
    expect(page.locator("#home-identity")).to_contain_text("Mme Lila ROSEMONDE")
    page.goto(link)
    expect(page.locator("#reset-invalid")).to_contain_text("n'est pas ou plus valable")
    print(f"screenshots in {tmp_path}")
    assert page.csp_errors == []
