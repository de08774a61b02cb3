"""Issue 12 §6, the seeds point by point: the CAPTCHA heard, a letter's code typed on the login
page's activation, help under each menu entry, *Effacer*, the delegations' menu."""

import re
import shutil
from datetime import timedelta

import pytest
from captcha.models import CaptchaStore
from django.utils import timezone
from playwright.sync_api import expect

from core import clock
from habilitations.models import Habilitation
from tests.factories import PASSWORD, HabilitationFactory, PostalRequestFactory, SubscriberFactory
from tests.helpers import letter_code, pass_second_step

pytestmark = pytest.mark.django_db(transaction=True)

EMAIL = "lila.rosemonde@example.fr"
NEW = "Sept chouettes grises dansent sous le vieux chêne"
PLAYING = (
    "() => { const a = document.querySelector('audio[data-captcha-player]');"
    " return a && !a.paused && a.currentTime > 0; }"
)


def _log_in(page, email=EMAIL, password=PASSWORD):
    page.get_by_label("Adresse électronique").fill(email)
    page.get_by_label("Mot de passe").fill(password)
    page.get_by_role("button", name="Connexion").click()
    pass_second_step(page)


@pytest.mark.skipif(shutil.which("espeak-ng") is None, reason="espeak-ng missing")
def test_a_person_who_cannot_read_the_image_hears_it_and_renews_an_expired_password(page, tmp_path):
    SubscriberFactory(email=EMAIL, expires_in=timedelta(days=-3))
    page.goto("/")
    _log_in(page)
    expect(page.get_by_role("heading", name="Mot de passe expiré")).to_be_visible()

    listen = page.get_by_role("link", name="Ecouter l'extrait sonore")
    with page.expect_response(re.compile(r"/captcha/son/\w+\.wav$")) as sound:
        listen.click()
    assert sound.value.status == 200
    assert sound.value.headers["content-type"] == "audio/wav"
    assert len(sound.value.body()) > 100_000  # several seconds of speech
    # Played in place, under the CSP: the page stays, the player runs.
    expect(page.get_by_role("heading", name="Mot de passe expiré")).to_be_visible()
    page.wait_for_function(PLAYING)
    page.screenshot(path=tmp_path / "captcha-sound.png", full_page=True)

    # A new image brings its own sound.
    first = listen.get_attribute("href")
    page.get_by_role("button", name="Changer l'image").click()
    expect(listen).not_to_have_attribute("href", first)
    with page.expect_response(re.compile(r"/captcha/son/\w+\.wav$")) as sound:
        listen.click()
    key = page.locator("input[name=captcha_0]").input_value()
    assert sound.value.url.endswith(f"/captcha/son/{key}.wav")
    page.wait_for_function(PLAYING)

    # What is heard is what is typed (the store holds the spoken characters).
    page.get_by_label("Recopiez les caractères de l'image").fill(
        CaptchaStore.objects.get(hashkey=key).response
    )
    page.get_by_role("button", name="Continuer").click()
    page.get_by_label("Saisissez votre ancien mot de passe").fill(PASSWORD)
    page.get_by_label("Saisissez votre nouveau mot de passe").fill(NEW)
    expect(page.locator("#password-strength")).to_contain_text("Fort")
    page.get_by_label("Confirmez votre nouveau mot de passe").fill(NEW)
    page.get_by_role("button", name="Valider").click()
    expect(page.get_by_text("Ce mot de passe est valable jusqu'au")).to_be_visible()
    print(f"screenshots in {tmp_path}")
    assert page.csp_errors == []


def test_an_adhesion_code_typed_on_activer_mon_espace_leads_to_activer_mes_services(page, tmp_path):
    lila = SubscriberFactory(email=EMAIL)
    adhesion = PostalRequestFactory(requester=lila)
    code = letter_code(adhesion)

    page.goto("/")
    page.get_by_role("link", name="Activer mon espace / mes services").click()
    page.get_by_label("Adresse électronique").fill(EMAIL)
    page.get_by_label("Code d'activation").fill(code)
    page.get_by_role("button", name="Valider").click()
    expect(page.locator("#services-code")).to_contain_text(
        "Le code saisi est celui d'un courrier d'adhésion ou de substitution"
    )
    expect(page.get_by_text("incorrect")).to_have_count(0)
    page.screenshot(path=tmp_path / "services-code.png", full_page=True)

    page.get_by_role("link", name="Me connecter").click()
    _log_in(page)
    expect(page.get_by_role("heading", name="Activer mes services")).to_be_visible()
    page.locator(f"#activate-{adhesion.pk}").get_by_label("Code d'activation").fill(code)
    page.locator(f"#activate-{adhesion.pk}").get_by_role("button", name="Activer").click()
    expect(page.get_by_text("Déclarer TVA").first).to_be_visible()
    assert Habilitation.objects.filter(subscriber=lila, service="declarer_tva").exists()
    assert page.csp_errors == []


def test_help_under_each_entry_the_other_services_effacer_and_the_delegations_menu(page, tmp_path):
    # The choice of mode, as in seed 002: step links and « En savoir plus » in each card.
    page.goto("/creer-mon-espace/")
    for card in ("#mode-simplified", "#mode-expert"):
        links = page.locator(card).get_by_role("link")
        expect(links.nth(0)).to_have_text("1ère étape : Créez votre espace")
        expect(links.nth(1)).to_have_text("2ème étape : Activez votre espace")
        expect(links.nth(2)).to_have_text("En savoir plus")
    page.locator("#mode-expert").get_by_role("link", name="En savoir plus").click()
    expect(page.locator("#help-title")).to_have_text("Créer un espace professionnel en mode expert")
    expect(page.locator("#assistance")).to_contain_text("0809 400 210")

    lila = SubscriberFactory(email=EMAIL)
    held = HabilitationFactory(subscriber=lila, code="declarer_tva")
    company = held.company
    page.goto("/")
    _log_in(page)
    home = page.locator("#content")
    # « En savoir plus » under the entries of the space's menus, each to its page.
    page.locator("#home-postal-entries a[href='/aide/adherer/']").click()
    expect(page.locator("#help-title")).to_have_text("Adhérer aux services en ligne")
    page.screenshot(path=tmp_path / "help-adherer.png", full_page=True)
    page.get_by_role("link", name="Aide", exact=True).click()
    expect(page.get_by_role("heading", name="Aide", exact=True)).to_be_visible()
    page.go_back()
    page.go_back()

    # MES AUTRES SERVICES: the fiscal calendar, this month marked.
    other = home.locator("#other-services")
    other.get_by_role("link", name="Calendrier fiscal").click()
    this_month = timezone.localtime(clock.now()).month
    expect(page.locator(f"#mois-{this_month}")).to_have_attribute("aria-current", "date")
    page.screenshot(path=tmp_path / "calendar.png", full_page=True)
    page.go_back()
    other.get_by_role("link", name="Coordonnées du gestionnaire et prise de rendez-vous").click()
    expect(page.get_by_role("link", name="Choisir un dossier")).to_be_visible()

    # *Effacer* on the SIREN entry of an adhesion.
    page.goto("/espace/adhesions/")
    siren = page.get_by_label("Entrez le numéro S.I.R.E.N. (ou équivalent)")
    siren.fill("123")
    page.get_by_role("button", name="Effacer").click()
    expect(siren).to_have_value("")
    expect(page.get_by_text("invalide")).to_have_count(0)

    # The dossier's delegations: the seed's menu as links; « En savoir plus » under Gérer.
    page.goto(f"/espace/dossiers/{company.identifier}/")
    page.locator("#manage-entries a[href='/aide/delegations/']").wait_for()
    page.get_by_role("link", name="Gérer ou consulter vos délégations").click()
    menu = page.get_by_role("navigation", name="Vos Délégations")
    expect(menu).to_contain_text(
        "Vos Délégations : Créer/Modifier - Consulter - Mettre en veille - Réactiver - Supprimer"
    )
    menu.get_by_role("link", name="Consulter").click()
    assert page.url.endswith("#liste-delegataires")
    menu.get_by_role("link", name="Créer/Modifier").click()
    assert page.url.endswith("#creation-delegataire")
    page.screenshot(path=tmp_path / "delegations.png", full_page=True)
    print(f"screenshots in {tmp_path}")
    assert page.csp_errors == []
