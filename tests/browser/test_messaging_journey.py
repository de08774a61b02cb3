"""Issue 23's journeys (docs/messaging.md): an accountant holding Messagerie by delegation
writes with a PDF attached; the agent of the company's office finds it in the back office's
queue, takes it, adds an internal note and answers with a PDF; the accountant sees the unread
counts, reads and downloads, and never sees the note; the company's administrator suspends the
delegation and the next request to the conversation or the file is refused. A phone journey at
390 px."""

import pytest
from playwright.sync_api import expect

from backoffice.roles import AgentRole
from core.pdf import FONT, new_document
from habilitations.models import Role
from messaging.tests.helpers import agent, png
from tests.browser.test_backoffice_account_journeys import _log_in as agent_log_in
from tests.factories import CompanyFactory, HabilitationFactory, SubscriberFactory
from tests.helpers import PASSWORD, pass_second_step

pytestmark = pytest.mark.django_db(transaction=True)
PHONE = {"width": 390, "height": 844}


def _pdf(text: str) -> bytes:
    document = new_document()
    document.add_page()
    document.set_font(FONT, "", 12)
    document.multi_cell(0, 8, text)
    return bytes(document.output())


def _log_in(page, email):
    page.goto("/")
    page.get_by_label("Adresse électronique").fill(email)
    page.get_by_label("Mot de passe").fill(PASSWORD)
    page.get_by_role("button", name="Connexion").click()
    pass_second_step(page)
    expect(page.locator("#home-identity")).to_be_visible()


def _bordeaux_company_with_accountant():
    company = CompanyFactory(name="SARL MARTIN DISTRIBUTION", postal_code="33000", city="BORDEAUX")
    admin = SubscriberFactory(first_name="Martine", last_name="Martin")
    HabilitationFactory(company=company, subscriber=admin, code="messagerie")
    accountant = SubscriberFactory(first_name="Lila", last_name="Rosemonde")
    HabilitationFactory(
        company=company, subscriber=accountant, code="messagerie", role=Role.ACTOR, by=admin
    )
    return company, admin, accountant


def test_an_accountant_writes_reads_the_answer_downloads_and_is_cut_by_a_suspension(
    page, new_page, tmp_path
):
    company, admin, accountant = _bordeaux_company_with_accountant()
    _log_in(page, accountant.email)
    page.goto(f"/espace/dossiers/{company.identifier}/")
    page.get_by_role("button", name="MESSAGERIE").click()
    page.locator("#dossier-nav-messagerie").get_by_role("link", name="Messagerie").click()
    expect(page.get_by_role("heading", name="Messagerie sécurisée")).to_be_visible()
    page.get_by_role("link", name="Écrire un message").click()

    # A file whose content is not what its name says is refused; the text stays.
    page.get_by_label("Motif").select_option(label="Question sur une déclaration")
    page.get_by_label("Objet").fill("TVA de mars")
    page.get_by_label("Votre message").fill("Bonjour,\nle relevé est joint.\n<b>Merci</b>")
    spoofed = tmp_path / "releve.pdf"
    spoofed.write_bytes(png())
    page.get_by_label("Pièces jointes").set_input_files(spoofed)
    page.get_by_role("button", name="Envoyer le message").click()
    expect(page.locator("#id_files-desc-error")).to_contain_text(
        "ne correspond pas à son extension"
    )
    expect(page.get_by_label("Votre message")).to_have_value(
        "Bonjour,\nle relevé est joint.\n<b>Merci</b>"
    )
    expect(page.locator("#files-dropped")).to_be_visible()
    page.screenshot(path=tmp_path / "write-refused.png", full_page=True)

    statement = tmp_path / "relevé de mars.pdf"
    statement.write_bytes(_pdf("Relevé de TVA de mars"))
    page.get_by_label("Pièces jointes").set_input_files(statement)
    page.get_by_role("button", name="Envoyer le message").click()
    expect(page.get_by_text("Votre message a été envoyé.")).to_be_visible()
    expect(page.locator("#thread-messages")).to_contain_text("<b>Merci</b>")
    expect(page.get_by_role("link", name="Télécharger relevé de mars.pdf")).to_be_visible()
    page.screenshot(path=tmp_path / "thread-sent.png", full_page=True)
    page.get_by_role("link", name="Toutes les conversations").click()
    expect(page.locator("#threads-table")).to_contain_text("TVA de mars")
    expect(page.locator("#threads-table")).to_contain_text("Nouveau")

    # The agent of that office finds it among the new ones, takes it, notes, answers with a PDF.
    answer_pdf = _pdf("Réponse du service des impôts des entreprises de Bordeaux")
    clerk = agent("SIE-BORDEAUX", AgentRole.GESTION)
    desk = new_page()
    agent_log_in(desk, clerk)
    desk.get_by_role("link", name="Messagerie").click()
    expect(desk.locator("#queue-title")).to_contain_text("Nouveaux (1)")
    desk.get_by_role("link", name="TVA de mars").click()
    with desk.expect_download() as sent:
        desk.get_by_role("link", name="relevé de mars.pdf").click()
    assert sent.value.path().read_bytes() == statement.read_bytes()
    desk.get_by_role("button", name="Prendre en charge").click()
    desk.locator("#id_note-body").fill("Dossier vérifié, rien en retard.")
    desk.get_by_role("button", name="Ajouter la note").click()
    expect(desk.locator("#thread-notes")).to_contain_text("Dossier vérifié")
    desk.get_by_label("Votre réponse").fill("Bonjour,\nvoici la marche à suivre.")
    answer_file = tmp_path / "marche.pdf"
    answer_file.write_bytes(answer_pdf)
    desk.get_by_label("Pièces jointes").set_input_files(str(answer_file))
    desk.get_by_role("button", name="Envoyer la réponse").click()
    expect(desk.locator("#thread-state")).to_contain_text("Répondu")

    page.goto("/espace/")
    expect(page.locator("#home-unread")).to_contain_text("Messages non lus : 1 dossier")
    page.screenshot(path=tmp_path / "home-unread.png", full_page=True)
    page.get_by_role("link", name="Voir les dossiers").click()
    page.locator("#unread-dossiers").get_by_role("link", name="SARL MARTIN DISTRIBUTION").click()
    expect(page.locator("#dossier-nav-unread")).to_contain_text("1 conversation non lue")
    expect(page.locator("#threads-table")).to_contain_text("Non lu")
    page.screenshot(path=tmp_path / "threads-unread.png", full_page=True)
    page.get_by_role("link", name="TVA de mars").click()
    expect(page.locator("#thread-messages")).to_contain_text(
        "Administration (Service des impôts des entreprises de Bordeaux)"
    )
    expect(page.locator("#thread-state")).to_have_text("Répondu")
    expect(page.locator("#dossier-nav-unread")).to_have_count(0)  # read now
    with page.expect_download() as download:
        page.get_by_role("link", name="Télécharger marche.pdf").click()
    assert download.value.suggested_filename == "marche.pdf"
    assert download.value.path().read_bytes() == answer_pdf
    expect(page.locator("main")).not_to_contain_text("Dossier vérifié")  # the note stays inside
    page.screenshot(path=tmp_path / "thread-answered.png", full_page=True)
    thread_url = page.url
    file_url = page.get_by_role("link", name="Télécharger marche.pdf").get_attribute("href")

    # The company's administrator suspends the accountant's Messagerie.
    admin_page = new_page()
    _log_in(admin_page, admin.email)
    admin_page.goto(f"/espace/dossiers/{company.identifier}/delegations/")
    admin_page.get_by_role(
        "button", name="Mettre en veille la délégation de Mme Lila ROSEMONDE sur Messagerie"
    ).click()
    expect(admin_page.get_by_text("En veille", exact=True)).to_be_visible()

    assert page.goto(thread_url).status == 403
    assert page.request.get(file_url).status == 403


def test_on_a_phone_the_messaging_reads_and_writes(new_page, tmp_path):
    company, _, accountant = _bordeaux_company_with_accountant()
    page = new_page(viewport=PHONE)
    _log_in(page, accountant.email)
    page.goto(f"/espace/dossiers/{company.identifier}/")
    page.get_by_role("button", name="Menu").click()
    page.get_by_role("button", name="MESSAGERIE").click()
    page.locator("#dossier-nav-messagerie").get_by_role("link", name="Messagerie").click()
    page.get_by_role("link", name="Écrire un message").click()
    page.get_by_label("Motif").select_option(label="Demande de délais de paiement")
    page.get_by_label("Objet").fill("Échéance d'avril")
    page.get_by_label("Votre message").fill("Pouvons-nous payer en deux fois ?")
    page.screenshot(path=tmp_path / "phone-write.png", full_page=True)
    page.get_by_role("button", name="Envoyer le message").click()
    expect(page.get_by_text("Votre message a été envoyé.")).to_be_visible()
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= PHONE["width"], width
    page.screenshot(path=tmp_path / "phone-thread.png", full_page=True)
    page.get_by_role("link", name="Clore la conversation").click()
    page.get_by_role("button", name="Confirmer : clore la conversation").click()
    expect(page.get_by_text("La conversation est close.")).to_be_visible()
    page.get_by_role("link", name="Toutes les conversations").click()
    expect(page.locator("#threads-table")).to_contain_text("Clos")
    page.screenshot(path=tmp_path / "phone-threads.png", full_page=True)
