"""The main pages run their scripts without a single error in the browser's console (the DSFR
header once threw "Cannot read properties of null (reading 'innerHTML')" on every page)."""

import pytest
from playwright.sync_api import expect

from companies.models import Company
from demo.demo import DEMO_PASSWORD, load_demo
from tests.helpers import pass_second_step

pytestmark = pytest.mark.django_db(transaction=True)

ANONYMOUS = [
    "/",
    "/creer-mon-espace/",
    "/creer-mon-espace/expert/",
    "/conditions-generales/",
    "/mot-de-passe-oublie/",
    "/mot-de-passe-expire/",
]
SUBSCRIBER = [
    "/espace/",
    "/espace/dossiers/",
    "/espace/dossiers/{siren}/",
    "/espace/dossiers/{siren}/acces/",
    "/espace/adhesions/",
    "/espace/adhesions/entreprise/{siren}/",
    "/espace/substitutions/",
    "/espace/coordonnees/",
    "/espace/delegataires/",
]


def _errors_of(page) -> list[str]:
    errors: list[str] = []
    page.on("console", lambda msg: errors.append(msg.text) if msg.type == "error" else None)
    page.on("pageerror", lambda error: errors.append(str(error)))
    return errors


def _visit(page, errors, url):
    response = page.goto(url)
    assert response.status == 200, url
    page.wait_for_load_state("load")
    assert errors == [], f"{url}: {errors}"


def test_the_main_pages_log_no_error_in_the_console(page):
    load_demo()
    siren = Company.objects.get(name="SARL MARTIN DISTRIBUTION").identifier
    errors = _errors_of(page)
    for url in ANONYMOUS:
        _visit(page, errors, url)

    page.goto("/")
    page.get_by_label("Adresse électronique").fill("lila.rosemonde@example.fr")
    page.get_by_label("Mot de passe").fill(DEMO_PASSWORD)
    page.get_by_role("button", name="Connexion").click()
    pass_second_step(page)
    page.wait_for_url("**/espace/")
    for url in SUBSCRIBER:
        _visit(page, errors, url.format(siren=siren))
    # The identity band is a landmark of its own (axe's rule "region" checks every page).
    band = page.get_by_role("region", name="Abonné et dossier en cours")
    expect(band).to_contain_text("Mme Lila ROSEMONDE — Abonné : ")
    # A narrow screen: the header's menu (the tools links copied by DSFR) opens.
    page.set_viewport_size({"width": 375, "height": 800})
    _visit(page, errors, "/espace/")
    page.get_by_role("button", name="Menu").click()
    assert page.locator("#header-menu").get_by_role("link", name="Espace pro.").is_visible()
    assert errors == []
    assert page.csp_errors == []
