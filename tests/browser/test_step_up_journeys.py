"""Issue 24's journeys for step-up and resets (docs/security.md §14.4, §14.5): adding a bank
account from a remembered browser asks a fresh factor, and what was typed is still there after
it; an agent (gestion) resets a person's lost app, and the person logs in with the e-mailed
code."""

import pytest
from playwright.sync_api import expect

from accounts.factors import app
from backoffice.roles import AgentRole
from backoffice.tests.helpers import AGENT_PASSWORD, make_agent, totp_now
from companies.models import BankAccount
from tests.factories import PASSWORD, CompanyFactory, HabilitationFactory, SubscriberFactory
from tests.helpers import BIC, IBAN, LOGIN_STEP, last_login_code, pass_second_step

pytestmark = pytest.mark.django_db(transaction=True)


def _password(page, email):
    page.goto("/")
    page.get_by_label("Adresse électronique").fill(email)
    page.get_by_label("Mot de passe").fill(PASSWORD)
    page.get_by_role("button", name="Connexion").click()


def test_adding_a_bank_account_asks_a_fresh_factor(page, tmp_path):
    company = CompanyFactory(name="SARL MARIANNE")
    marianne = SubscriberFactory(email="marianne@example.fr")
    HabilitationFactory(company=company, subscriber=marianne, code="payer")
    _password(page, marianne.email)
    assert pass_second_step(page, remember=True)
    expect(page.locator("#home-identity")).to_be_visible()
    # A remembered browser: the next login skips the second step, and proves nothing.
    page.get_by_role("button", name="Quitter").click()
    _password(page, marianne.email)
    expect(page.locator("#home-identity")).to_be_visible()

    page.goto(f"/espace/dossiers/{company.identifier}/comptes-bancaires/")
    page.get_by_label("IBAN").fill(IBAN)
    page.get_by_label("BIC").fill(BIC)
    page.get_by_label("Titulaire du compte").fill("SARL MARIANNE")
    page.get_by_label("Libellé du compte").fill("Compte courant")
    page.get_by_role("button", name="Ajouter le compte").click()

    expect(page.get_by_role("heading", name="Vérification de sécurité")).to_be_visible()
    expect(page.locator("#step-up-reason")).to_have_text(
        "Pour ajouter ou modifier un compte bancaire, confirmez votre identité."
    )
    page.screenshot(path=tmp_path / "step-up.png", full_page=True)
    assert not BankAccount.objects.exists()
    page.locator("#id_code").fill(last_login_code(marianne.email))
    page.get_by_role("button", name="Valider").click()

    # Back on the form, what was typed still there: checked, then sent again.
    expect(page.get_by_label("IBAN")).to_have_value(IBAN)
    expect(page.get_by_label("Libellé du compte")).to_have_value("Compte courant")
    page.get_by_role("button", name="Ajouter le compte").click()
    expect(page.locator("#bank-accounts")).to_contain_text("Compte courant")
    assert BankAccount.objects.get().label == "Compte courant"


def _agent_logs_in(page, agent):
    page.goto("/agents/connexion/")
    page.get_by_label("Adresse électronique").fill(agent.email)
    page.get_by_label("Mot de passe").fill(AGENT_PASSWORD)
    page.get_by_role("button", name="Continuer").click()
    page.get_by_label("Code à usage unique").fill(totp_now(agent))
    page.get_by_role("button", name="Se connecter").click()
    expect(page.locator("#agent-identity")).to_contain_text(agent.full_name)


def test_an_agent_resets_a_lost_app_and_the_person_logs_in_with_the_emailed_code(
    new_page, tmp_path
):
    lila = SubscriberFactory(email="lila@example.fr")
    device = app.start_enrolment(lila)
    app.confirm_enrolment(lila, app.current_code(device))  # the phone, since lost
    agent = make_agent(AgentRole.GESTION)
    desk = new_page()
    _agent_logs_in(desk, agent)
    desk.goto(f"/agents/abonnes/{lila.subscriber_number}/")
    desk.get_by_role("link", name="Réinitialiser les moyens de connexion").click()
    expect(desk.get_by_text("Tous sont supprimés sauf le code envoyé par courriel")).to_be_visible()
    desk.screenshot(path=tmp_path / "reset-confirm.png", full_page=True)
    desk.get_by_label("Motif").fill("Téléphone perdu, identité vérifiée par rappel")
    desk.get_by_role("button", name="Réinitialiser les moyens de connexion").click()
    expect(desk.get_by_text("sont réinitialisés")).to_be_visible()
    assert not app.has_app(lila)

    person = new_page()
    _password(person, lila.email)
    expect(person.get_by_role("heading", name="Vérification en deux étapes")).to_be_visible()
    assert LOGIN_STEP in person.url
    expect(person.locator("#code-sent")).to_contain_text(lila.email)
    person.locator("#id_code").fill(last_login_code(lila.email))
    person.get_by_role("button", name="Valider").click()
    expect(person.locator("#home-identity")).to_be_visible()
