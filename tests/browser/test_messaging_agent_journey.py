"""The administration's side of the secure messaging, as an agent does it (docs/backoffice.md
§10): a company writes with a PDF; the agent of its office logs in, finds it in « Nouveaux »,
takes it, adds an internal note, answers with a canned answer and a file; the thread moves to
« En attente de l'entreprise ». Every state checked by axe-core."""

import pytest
from playwright.sync_api import expect

from backoffice.roles import AgentRole
from messaging import actions, agent_actions
from messaging.models import Message
from messaging.motifs import Motif
from messaging.tests.helpers import PDF, agent, bordeaux_company, holder, upload
from tests.browser.test_backoffice_account_journeys import _log_in

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def attachments_dir(tmp_path, settings):
    from config.letters_storage import letters_storage

    settings.STORAGES = {
        **settings.STORAGES,
        "messaging": letters_storage("local", tmp_path / "messaging"),
    }
    return tmp_path


def test_an_agent_takes_notes_and_answers_with_a_canned_answer_and_a_file(
    page, attachments_dir, tmp_path
):
    company = bordeaux_company(name="SARL MARTIN DISTRIBUTION")
    accountant = holder(company)
    actions.start_thread(
        accountant,
        company,
        Motif.PAYMENT_DELAY,
        "Demande d'échéancier",
        "Bonjour,\nnous souhaitons étaler le paiement de la TVA de mars.",
        [upload("bilan.pdf", PDF)],
    )
    boss = agent("", AgentRole.SUPERVISION)
    agent_actions.save_canned_answer(
        boss,
        Motif.PAYMENT_DELAY,
        "Échéancier accordé",
        "Un échéancier de paiement vous est accordé ; vous le trouverez ci-joint.",
    )
    clerk = agent("SIE-BORDEAUX", AgentRole.GESTION)
    _log_in(page, clerk)
    page.get_by_role("link", name="Messagerie").click()
    expect(page.locator("#queue-title")).to_contain_text("Nouveaux (1)")
    page.screenshot(path="var/messaging-agent-queue.png", full_page=True)
    page.get_by_role("link", name="Demande d'échéancier").click()
    expect(page.locator("#thread-facts")).to_contain_text("SARL MARTIN DISTRIBUTION")
    expect(page.locator("#thread-messages")).to_contain_text("étaler le paiement")
    with page.expect_download() as download:
        page.get_by_role("link", name="bilan.pdf").click()
    assert download.value.suggested_filename == "bilan.pdf"
    page.get_by_role("button", name="Prendre en charge").click()
    expect(page.locator("#thread-state")).to_contain_text("pris en charge par")
    page.locator("#id_note-body").fill("Entreprise à jour de ses paiements.")
    page.get_by_role("button", name="Ajouter la note").click()
    expect(page.locator("#thread-notes")).to_contain_text("Entreprise à jour")
    expect(page.locator("#thread-notes")).to_contain_text(
        "Note interne — jamais visible par l'entreprise"
    )
    page.get_by_label("Réponse type").select_option(label="Échéancier accordé")
    page.get_by_role("button", name="Insérer").click()
    expect(page.get_by_label("Votre réponse")).to_have_value(
        "Un échéancier de paiement vous est accordé ; vous le trouverez ci-joint."
    )
    plan = tmp_path / "echeancier.pdf"
    plan.write_bytes(PDF)
    page.get_by_label("Pièces jointes").set_input_files(str(plan))
    page.screenshot(path="var/messaging-agent-thread.png", full_page=True)
    page.get_by_role("button", name="Envoyer la réponse").click()
    expect(page.locator("#thread-state")).to_contain_text("Répondu")
    expect(page.locator("#thread-messages")).to_contain_text("echeancier.pdf")
    answer = Message.objects.get(side="administration")
    assert answer.author_agent == clerk and answer.attachments.get().name == "echeancier.pdf"
    assert "Entreprise à jour" not in answer.body
    page.get_by_role("link", name="Files de la messagerie").click()
    page.get_by_role("link", name="En attente de l'entreprise").click()
    expect(page.locator("#queue")).to_contain_text("Demande d'échéancier")
    page.get_by_role("link", name="Nouveaux").click()
    expect(page.locator("#queue-empty")).to_be_visible()
    assert not page.csp_errors
