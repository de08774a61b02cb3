"""Issue #4's journey: a firm's portfolio, a search, a dossier, a service; a refusal."""

import re

import pytest
from playwright.sync_api import expect

from companies.models import Company
from demo.demo import DEMO_PASSWORD, load_demo
from habilitations.models import PortfolioEntry
from tests.helpers import pass_second_step

pytestmark = pytest.mark.django_db(transaction=True)


def _log_in(page, email):
    page.goto("/")
    page.get_by_label("Adresse électronique").fill(email)
    page.get_by_label("Mot de passe").fill(DEMO_PASSWORD)
    page.get_by_role("button", name="Connexion").click()
    pass_second_step(page)


def test_a_firm_finds_a_dossier_and_opens_a_service(page, tmp_path):
    load_demo()
    _log_in(page, "lila.rosemonde@example.fr")
    expect(page.locator("#home-dossier-count")).to_have_text("Vous avez 3 dossiers.")
    page.get_by_role("link", name="Voir tous mes dossiers").click()
    for name in ["SARL MARIANNE", "SARL MARTIN DISTRIBUTION", "SARL SIMONET"]:
        expect(page.locator("label", has_text=name)).to_be_visible()
    page.screenshot(path=tmp_path / "portfolio.png", full_page=True)

    page.get_by_label("Rechercher un dossier").fill("sarl sim")
    page.get_by_role("button", name="Rechercher").click()
    expect(page.locator("#portfolio-count")).to_have_text("1 dossier correspond à « sarl sim ».")
    # Valider without a choice: the server says so in French next to the list, search kept.
    page.get_by_role("button", name="Valider").click()
    expect(page).to_have_title(re.compile(r"^Erreur : Voir tous mes dossiers"))
    choice = page.get_by_role("group", name=re.compile("Sélectionnez un dossier"))
    expect(choice).to_have_class(re.compile("fr-fieldset--error"))
    expect(choice.locator(".fr-message--error")).to_have_text(
        "Sélectionnez un dossier dans la liste, puis validez."
    )
    expect(choice).to_have_accessible_name(re.compile("Sélectionnez un dossier dans la liste"))
    expect(page.locator("#portfolio-count")).to_have_text("1 dossier correspond à « sarl sim ».")
    page.screenshot(path=tmp_path / "portfolio-no-choice.png", full_page=True)
    page.locator("label", has_text="SARL SIMONET").click()
    page.get_by_role("button", name="Valider").click()

    expect(page.locator("#dossier-title")).to_have_text("SARL SIMONET")
    expect(page.locator("#header-dossier")).to_contain_text("SARL SIMONET (442306510)")
    declarer = page.locator(".dossier-menu", has=page.get_by_role("heading", name="Déclarer"))
    expect(declarer.get_by_role("link")).to_have_text(["Impôt sur les sociétés", "Résultat"])
    payer = page.locator(".dossier-menu", has=page.get_by_role("heading", name="Payer"))
    expect(payer.get_by_role("link")).to_have_count(0)
    page.screenshot(path=tmp_path / "dossier.png", full_page=True)
    declarer.get_by_role("link", name="Résultat").click()
    expect(page.locator("#service-title")).to_have_text("Déclarer le résultat")
    expect(page.get_by_text("Vous y êtes habilité(e) en tant que")).to_be_visible()

    # A delegated dossier shows only what was delegated.
    page.goto("/espace/dossiers/")
    page.locator("label", has_text="SARL MARIANNE").click()
    page.get_by_role("button", name="Valider").click()
    payer = page.locator(".dossier-menu", has=page.get_by_role("heading", name="Payer"))
    expect(payer.get_by_role("link").first).to_have_text("TVA")
    expect(page.locator("#manage-entries")).to_contain_text("Gérer ou consulter vos délégations")
    assert page.csp_errors == []


def test_searching_any_word_from_all_my_dossiers_and_choose_a_dossier(page):
    """Issue 12 §1: a word of the name, in any order, without the legal form or accents."""
    load_demo()
    _log_in(page, "lila.rosemonde@example.fr")
    page.get_by_role("link", name="Voir tous mes dossiers").click()
    search = page.get_by_label("Rechercher un dossier")
    search.fill("SIMONET")
    search.press("Enter")
    expect(page.locator("#portfolio-count")).to_have_text("1 dossier correspond à « SIMONET ».")
    expect(page.locator("tbody tr")).to_have_count(1)
    expect(page.locator("label", has_text="SARL SIMONET")).to_be_visible()
    search = page.get_by_label("Rechercher un dossier")
    search.fill("distribution MARTÍN")
    page.get_by_role("button", name="Rechercher").click()
    expect(page.locator("#portfolio-count")).to_have_text(
        "1 dossier correspond à « distribution MARTÍN »."
    )
    expect(page.locator("label", has_text="SARL MARTIN DISTRIBUTION")).to_be_visible()
    page.get_by_label("Rechercher un dossier").fill("boulangerie")
    page.get_by_role("button", name="Rechercher").click()
    expect(page.locator("#portfolio-count")).to_have_text(
        "Aucun dossier ne correspond à « boulangerie »."
    )
    expect(page.locator("tbody tr")).to_have_count(0)

    page.goto("/espace/")
    page.get_by_role("link", name="Choisir un dossier").click()
    page.get_by_label("SIREN ou dénomination").fill("simo")
    page.get_by_role("button", name="Rechercher").click()
    expect(page.locator("#portfolio-count")).to_have_text("1 dossier correspond à « simo ».")
    page.locator("label", has_text="SARL SIMONET").click()
    page.get_by_role("button", name="Valider").click()
    expect(page.locator("#dossier-title")).to_have_text("SARL SIMONET")
    assert page.csp_errors == []


def test_a_firm_finds_a_dossier_among_hundreds_by_two_words(page):
    load_demo()
    paul = PortfolioEntry.objects.filter(subscriber__email="paul.martin@example.fr")
    target = paul.order_by("-company_id").first()
    first, second = target.search_name.split()[:2]
    query = f"{second[:4].lower()} {first[:3].lower()}"  # other order, words cut short
    _log_in(page, "paul.martin@example.fr")
    page.get_by_role("link", name="Choisir un dossier").click()
    page.get_by_label("SIREN ou dénomination").fill(query)
    page.get_by_role("button", name="Rechercher").click()
    expect(page.locator("#portfolio-count")).to_contain_text(f"à « {query} ».")
    expect(page.locator("label", has_text=target.name).first).to_be_visible()
    for label in page.locator("#dossier-list tbody a").all_inner_texts():
        name_words = label.split()[1:]  # without the legal form
        assert any(w.startswith(second[:4]) for w in name_words), label
        assert any(w.startswith(first[:3]) for w in name_words), label


def test_a_firm_with_hundreds_of_dossiers_pages_through_them(page):
    load_demo()
    _log_in(page, "paul.martin@example.fr")
    page.get_by_role("link", name="Voir tous mes dossiers").click()
    expect(page.locator("#portfolio-count")).to_have_text("Vous avez 300 dossiers.")
    first = page.locator("tbody tr").first.inner_text()
    page.get_by_role("link", name="Page suivante").click()
    expect(page.locator("tbody tr")).to_have_count(50)
    assert page.locator("tbody tr").first.inner_text() != first
    page.get_by_role("link", name="Page précédente").click()
    expect(page.locator("tbody tr").first).to_have_text(first)


def test_someone_without_rights_is_refused(page):
    load_demo()
    simonet = Company.objects.get(name="SARL SIMONET")
    _log_in(page, "marianne.dupont@example.fr")
    page.goto(f"/espace/dossiers/{simonet.identifier}/")
    expect(page.get_by_role("heading", name="Accès refusé")).to_be_visible()
    response = page.request.get(f"/espace/dossiers/{simonet.identifier}/services/declarer_is/")
    assert response.status == 403
    assert re.search("Cette tentative a été enregistrée", response.text())
