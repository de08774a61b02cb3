"""The whole journey of issue #2: from the login page to the space's home page."""

import re

import pytest
from playwright.sync_api import expect

from companies.models import Company
from tests.helpers import pass_second_step

pytestmark = pytest.mark.django_db(transaction=True)

EMAIL = "lila.rosemonde@example.fr"
PASSWORD = "Trois pommes vertes sur la table du jardin"


def test_create_activate_and_log_in(page, tmp_path):
    Company.objects.create(identifier="987654324", name="SARLALERIS", city="PARIS")

    page.goto("/")
    expect(page.get_by_role("heading", name="Connexion à mon espace professionnel")).to_be_visible()
    page.get_by_role("link", name="Créer mon espace professionnel").first.click()

    # The choice of mode: the simplified mode is presented, the expert mode starts here.
    expect(page.get_by_text("optez pour le mode simplifié")).to_be_visible()
    page.locator("#mode-expert").get_by_role("link", name="1ère étape : Créez votre espace").click()

    # Step 1: nothing is possible before accepting the conditions.
    page.get_by_role("button", name="Valider").click()
    expect(page.get_by_text("Vous devez accepter les conditions générales")).to_be_visible()
    page.get_by_text("Je reconnais avoir pris connaissance des conditions générales").click()
    page.get_by_role("button", name="Valider").click()

    # Step 2: identifiers, with the strength indicator updating while typing.
    page.locator("#id_email").fill(EMAIL)
    page.get_by_label("Confirmer votre adresse électronique").fill(EMAIL)
    page.locator("#id_password1").press_sequentially("aaaaaaaaaaaaaaaaaaaaa", delay=5)
    expect(page.locator("#password-strength")).to_contain_text("Faible")
    page.locator("#id_password1").fill(PASSWORD)
    page.locator("#id_password1").press("End")
    expect(page.locator("#password-strength")).to_contain_text("Fort")
    page.get_by_label("Confirmer votre mot de passe").fill(PASSWORD)
    page.get_by_role("button", name="Valider").click()

    # Step 3: the registration form; a wrong SIREN is refused next to the field.
    expect(
        page.get_by_role("heading", name=re.compile("remplissez votre formulaire"))
    ).to_be_visible()
    page.get_by_label("Civilité").select_option("MME")
    page.get_by_label("Nom", exact=True).fill("Rosemonde")
    page.get_by_label("Prénom").fill("Lila")
    page.get_by_label("S.I.R.E.N ou équivalent").fill("987 654 321")
    page.get_by_label("Numéro de téléphone").fill("01 24 57 88 77")
    page.get_by_label("Ville").fill("PARIS")
    page.get_by_label("Question", exact=True).select_option(
        label="Le nom de votre animal de compagnie ?"
    )
    page.get_by_label("Réponse").fill("Lili")
    page.get_by_role("button", name="Valider").click()
    # The error next to its field, summed up at the top with a link to the field, and told
    # first by the page's title.
    expect(page.locator("#id_company_identifier-desc-error")).to_have_text("Numéro SIREN invalide")
    expect(page).to_have_title(re.compile(r"^Erreur : Formulaire d'inscription"))
    summary = page.locator("#error-summary")
    expect(summary).to_contain_text("Le formulaire contient 1 erreur")
    expect(summary.get_by_role("link", name="Numéro SIREN invalide")).to_have_attribute(
        "href", "#id_company_identifier"
    )
    # The summary has the keyboard focus, so that a screen reader reads it first; its link
    # puts the focus in the field.
    expect(summary).to_be_focused()
    summary.get_by_role("link", name="Numéro SIREN invalide").click()
    expect(page.get_by_label("S.I.R.E.N ou équivalent")).to_be_focused()
    expect(page.get_by_label("Prénom")).to_have_value("Lila")  # nothing lost
    page.get_by_label("S.I.R.E.N ou équivalent").fill("987 654 324")
    page.get_by_role("button", name="Valider").click()

    # Step 4: the recap, with the company name looked up; back and forth keeps everything.
    expect(page.get_by_role("heading", name="Votre inscription", exact=True)).to_be_visible()
    expect(page.locator("#recap-company-name")).to_have_text("SARLALERIS")
    page.get_by_role("button", name="Étape précédente").click()
    expect(page.get_by_label("Réponse")).to_have_value("Lili")
    page.get_by_role("button", name="Valider").click()
    page.screenshot(path=tmp_path / "recap.png", full_page=True)
    page.get_by_role("button", name="Confirmer").click()

    expect(page.get_by_role("heading", name="Activation de votre espace abonné")).to_be_visible()
    page.screenshot(path=tmp_path / "sent.png", full_page=True)

    # Read the code in the outbox, as a developer would.
    page.goto("/outbox/")
    body = page.locator(".outbox-message").first.inner_text()
    code = re.search(r"^([A-Za-z0-9]{12})$", body, re.MULTILINE).group(1)
    page.go_back()

    page.get_by_role("link", name="Activez votre espace abonné").click()
    expect(page.get_by_label("Adresse électronique")).to_have_value(EMAIL)
    page.get_by_label("Code d'activation").fill(code)
    page.get_by_role("button", name="Valider").click()

    expect(page.locator("#registration-confirmation")).to_contain_text(
        "Votre inscription a été réalisée le"
    )
    number = page.locator("#subscriber-number").inner_text()
    assert re.fullmatch(r"20\d{12}", number)
    pdf_link = page.get_by_role("link", name="Sauvegardez ou imprimez votre formulaire")
    pdf = page.request.get(pdf_link.get_attribute("href"))
    assert pdf.headers["content-type"] == "application/pdf"
    assert pdf.body().startswith(b"%PDF")
    page.screenshot(path=tmp_path / "activated.png", full_page=True)
    page.get_by_role("link", name="Accédez à votre espace abonné").click()

    page.get_by_label("Adresse électronique").fill(EMAIL)
    page.get_by_label("Mot de passe").fill(PASSWORD)
    page.get_by_role("button", name="Connexion").click()
    pass_second_step(page)
    expect(page.locator("#home-identity")).to_contain_text("Mme Lila ROSEMONDE")
    expect(page.locator("#home-identity")).to_contain_text(f"Abonné : {number}")
    for menu in ["Mes dossiers", "Mon espace", "Mes services"]:
        expect(page.get_by_role("heading", name=menu)).to_be_visible()
    page.screenshot(path=tmp_path / "home.png", full_page=True)
    print(f"screenshots in {tmp_path}")

    page.get_by_role("button", name="Quitter").click()
    expect(page.get_by_role("heading", name="Connexion à mon espace professionnel")).to_be_visible()
    assert page.csp_errors == []
