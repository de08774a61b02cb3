"""Issue 12 §2 and §3 as people meet them: Lila on a phone (390 px) finds the menu, her
dossier's bar and *Quitter*, and no page scrolls sideways; Paul, with 300 dossiers, pages
through them, opens one by its name, works from its bar, and the band follows him; Lila
filters her habilitations and delegates one level on every service."""

import re

import pytest
from playwright.sync_api import expect

from companies.models import Company
from demo.demo import DEMO_PASSWORD, load_demo
from habilitations.models import PortfolioEntry
from tests.helpers import pass_second_step

pytestmark = pytest.mark.django_db(transaction=True)

PHONE = {"width": 390, "height": 844}
LILA = "lila.rosemonde@example.fr"
PAUL = "paul.martin@example.fr"


@pytest.fixture
def phone(new_page):
    return new_page(viewport=PHONE)


def _log_in(page, email):
    page.goto("/")
    page.get_by_label("Adresse électronique").fill(email)
    page.get_by_label("Mot de passe").fill(DEMO_PASSWORD)
    page.get_by_role("button", name="Connexion").click()
    pass_second_step(page)
    expect(page.locator("#home-identity")).to_be_visible()


def _fits(page) -> None:
    width, inner = page.evaluate("[document.documentElement.scrollWidth, window.innerWidth]")
    assert width <= inner, f"{page.url} is {width} px wide in a {inner} px window"


def test_on_a_phone_no_page_scrolls_sideways_and_the_menu_holds_the_bar_and_quitter(
    phone, tmp_path
):
    load_demo()
    simonet = Company.objects.get(name="SARL SIMONET").identifier
    phone.goto("/")
    _fits(phone)
    _log_in(phone, LILA)
    for path in (
        "/espace/",
        "/espace/dossiers/",
        "/espace/dossiers/?q=sarl",
        "/espace/dossiers/choisir/?q=sarl",
        f"/espace/dossiers/{simonet}/",
        f"/espace/dossiers/{simonet}/delegations/",
        f"/espace/dossiers/{simonet}/suppleants/",
        f"/espace/dossiers/{simonet}/acces/",
        f"/espace/dossiers/{simonet}/services/declarer_is/",
        "/espace/habilitations/",
        "/espace/delegataires/",
        "/espace/delegataires/deleguer/",
        "/espace/adhesions/",
        "/espace/adhesions/suivi/",
        "/espace/substitutions/",
        "/espace/activer-mes-services/",
        "/espace/coordonnees/",
        "/espace/identifiants/",
        "/conditions-generales/",
    ):
        phone.goto(path)
        _fits(phone)
    phone.goto("/espace/dossiers/")
    phone.screenshot(path=tmp_path / "portfolio-390.png", full_page=True)

    # The dossier's bar is in the Menu button's modal, with the header's links.
    phone.goto(f"/espace/dossiers/{simonet}/")
    expect(phone.locator("#dossier-nav")).to_be_hidden()
    phone.get_by_role("button", name="Menu").click()
    menu = phone.locator("#header-menu")
    expect(menu.get_by_role("link", name="Espace pro.")).to_be_visible()
    expect(menu.get_by_role("button", name="Quitter")).to_be_visible()
    menu.get_by_role("button", name="DÉCLARER").click()
    phone.screenshot(path=tmp_path / "menu-390.png")
    menu.get_by_role("link", name="Résultat").click()
    expect(phone.locator("#service-title")).to_have_text("Déclarer le résultat")
    _fits(phone)

    # Logging out from a phone.
    phone.get_by_role("button", name="Menu").click()
    phone.locator("#header-menu").get_by_role("button", name="Quitter").click()
    expect(phone.get_by_role("button", name="Connexion")).to_be_visible()
    phone.goto("/espace/")
    expect(phone.get_by_role("button", name="Connexion")).to_be_visible()  # logged out


def test_a_firm_pages_through_300_dossiers_opens_one_by_its_name_and_works_from_its_bar(
    page, tmp_path
):
    load_demo()
    page.set_viewport_size({"width": 1280, "height": 800})
    _log_in(page, PAUL)
    page.get_by_role("link", name="Voir tous mes dossiers").click()
    # Valider is on screen without scrolling through the 50 rows, and stays so.
    expect(page.get_by_role("button", name="Valider")).to_be_in_viewport()
    page.mouse.wheel(0, 1500)
    expect(page.get_by_role("button", name="Valider")).to_be_in_viewport()
    position = page.locator("#pager-position")
    expect(position).to_have_text("Page 1 sur 6")
    page.get_by_role("link", name="Dernière page").click()
    expect(position).to_have_text("Page 6 sur 6")
    last = PortfolioEntry.objects.filter(subscriber__email=PAUL).order_by("-search_name").first()
    expect(page.locator("#dossier-list tbody tr").last).to_contain_text(last.name)
    page.get_by_role("link", name="Page précédente").click()
    expect(position).to_have_text("Page 5 sur 6")
    page.get_by_role("link", name="Première page").click()
    expect(position).to_have_text("Page 1 sur 6")
    page.screenshot(path=tmp_path / "portfolio-1280.png")

    # The name opens the dossier; the band and the bar follow.
    first = page.locator("#dossier-list tbody a").first
    name = first.inner_text()
    first.click()
    expect(page.locator("#dossier-title")).to_have_text(name)
    expect(page.locator("#header-dossier")).to_contain_text(name)
    nav = page.locator("#dossier-nav")
    expect(nav.get_by_role("button")).to_have_text(
        ["DOSSIER", "GÉRER", "CONSULTER", "DÉCLARER", "PAYER", "DÉMARCHES", "MESSAGERIE"]
    )
    nav.get_by_role("button", name="GÉRER").click()
    page.screenshot(path=tmp_path / "bar-1280.png")
    nav.get_by_role("link", name="Gérer ou consulter vos délégations").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Gérer vos Délégations")
    expect(page.locator("#header-dossier")).to_contain_text(name)

    # The home page shows that dossier's menus.
    page.locator(".fr-header__tools-links").get_by_role("link", name="Espace pro.").click()
    expect(page.locator("#current-dossier-title")).to_contain_text(f"Dossier en cours : {name}")
    expect(page.locator("#current-dossier-menus .dossier-menu")).to_have_count(6)

    # An adhesion for a company that is not his: the band names it, the dossier stays current.
    other = Company.objects.exclude(habilitations__subscriber__email=PAUL).first()
    page.goto("/espace/adhesions/")
    page.get_by_label("S.I.R.E.N").fill(other.identifier)
    page.get_by_role("button", name="Valider").click()
    expect(page.locator("#header-dossier")).to_have_text(
        f"Entreprise : {other.name} ({other.identifier})"
    )
    page.goto("/espace/")
    expect(page.locator("#header-dossier")).to_contain_text(name)


def test_filtering_habilitations_and_one_level_for_every_service(page):
    load_demo()
    _log_in(page, LILA)
    page.get_by_role("link", name="Consulter vos services (habilitations)").click()
    expect(page.locator(".company-habilitations")).to_have_count(3)
    page.get_by_label("Service").select_option(label="Payer")
    page.get_by_label("Rôle").select_option(label="Acteur")
    page.get_by_role("button", name="Rechercher").click()
    expect(page.locator("#habilitations-count")).to_have_text(
        "1 entreprise correspond à votre recherche."
    )
    expect(page.locator(".company-habilitations h2")).to_contain_text("SARL MARIANNE")
    expect(page.locator(".company-habilitations tbody tr")).to_have_text([re.compile("Payer TVA")])
    page.get_by_role("link", name="Tout afficher").click()
    expect(page.locator(".company-habilitations")).to_have_count(3)

    simonet = Company.objects.get(name="SARL SIMONET").identifier
    paul = PortfolioEntry.objects.filter(subscriber__email=PAUL).first().subscriber
    page.goto(f"/espace/dossiers/{simonet}/delegations/delegataire/{paul.subscriber_number}/")
    page.get_by_label("Niveau délégué pour tous les services").select_option(label="Acteur")
    page.get_by_role("button", name="Déléguer ce niveau pour tous les services").click()
    expect(page.get_by_text("Niveau « Acteur » sur 2 services.")).to_be_visible()


def test_on_a_phone_a_wide_table_is_reached_and_scrolled_from_the_keyboard(phone):
    load_demo()
    simonet = Company.objects.get(name="SARL SIMONET").identifier
    _log_in(phone, LILA)
    phone.goto(f"/espace/dossiers/{simonet}/acces/")
    table = phone.get_by_role("region", name="Détenteurs d'un droit")
    since = table.get_by_role("columnheader", name="Depuis le")
    expect(since).not_to_be_in_viewport()  # the last column is off screen, to the right

    for _ in range(60):  # Tab through the page's links up to the table
        phone.keyboard.press("Tab")
        if table.evaluate("node => node === document.activeElement"):
            break
    expect(table).to_be_focused()
    for _ in range(30):
        phone.keyboard.press("ArrowRight")
    expect(since).to_be_in_viewport()
