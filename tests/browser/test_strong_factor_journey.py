"""Issue 24's journey: a company requires a strong factor (docs/habilitations.md §14). Its AT
sets the date and confirms; once it applies, a holder who has only the e-mailed code opens the
dossier and reads why *Payer* is refused; with a strong factor (set here directly: enrolling one
is the second factors' own journey), Payer is back."""

import re
from datetime import timedelta

import pytest
from playwright.sync_api import expect

from core import clock
from habilitations.choices import Role
from habilitations.models import StrongFactorPolicy
from tests.factories import CompanyFactory, HabilitationFactory, SubscriberFactory
from tests.helpers import PASSWORD, pass_second_step

pytestmark = pytest.mark.django_db(transaction=True)


def _log_in(page, email):
    page.goto("/")
    page.get_by_label("Adresse électronique").fill(email)
    page.get_by_label("Mot de passe").fill(PASSWORD)
    page.get_by_role("button", name="Connexion").click()
    pass_second_step(page)
    expect(page.locator("#home-identity")).to_be_visible()


def test_a_company_requires_a_strong_factor_for_payer(page, new_page, tmp_path):
    company = CompanyFactory(name="SARL MARIANNE")
    marianne = SubscriberFactory(
        first_name="Marianne", last_name="Dupont", email="marianne@example.fr", strong_factor=True
    )
    paul = SubscriberFactory(first_name="Paul", last_name="Martin", email="paul@example.fr")
    HabilitationFactory(company=company, subscriber=marianne, code="payer")
    HabilitationFactory(company=company, subscriber=marianne, code="declarer_tva")
    for code in ("payer_tva", "declarer_tva"):
        HabilitationFactory(
            company=company, subscriber=paul, code=code, role=Role.ACTOR, by=marianne
        )
    dossier = f"/espace/dossiers/{company.identifier}/"

    # The AT chooses a date (too soon first: said next to the field), then confirms.
    _log_in(page, marianne.email)
    page.goto(dossier)
    page.get_by_role("link", name="Exiger une authentification forte").click()
    date_field = page.get_by_label("Date à partir de laquelle l'authentification forte est exigée")
    date_field.fill(clock.today().isoformat())
    page.get_by_role("button", name="Continuer").click()
    expect(page.locator(".fr-error-text")).to_contain_text("Choisissez une date à partir du")
    earliest = clock.today() + timedelta(days=14)
    date_field.fill(earliest.isoformat())
    page.get_by_role("button", name="Continuer").click()
    expect(page.locator("#confirm-summary")).to_contain_text("Personnes concernées : 2")
    expect(page.locator("#not-compliant")).to_contain_text("Paul")
    page.screenshot(path=tmp_path / "confirm.png", full_page=True)
    page.get_by_role("button", name="Confirmer").click()
    expect(page.locator("#current-policy")).to_contain_text(earliest.strftime("%d/%m/%Y"))

    # *Qui a accès* says who complies.
    page.goto(f"{dossier}acces/")
    expect(page.locator("#holders")).to_contain_text("Authentification forte")
    expect(page.locator("#holders")).to_contain_text("Non")
    page.screenshot(path=tmp_path / "holders.png", full_page=True)

    # The date has come (moved by the domain's row, as the clock would).
    StrongFactorPolicy.objects.filter(company=company).update(applies_from=clock.today())
    holder = new_page()
    _log_in(holder, paul.email)
    holder.goto(dossier)
    expect(holder.locator("#strong-factor-required")).to_contain_text(
        "exige une application d'authentification ou une clé d'accès pour le service Payer :"
    )
    payer_menu = holder.locator("section.dossier-menu", has_text="Payer").first
    expect(payer_menu).to_contain_text("activez-en une dans Sécurité de connexion")
    expect(payer_menu.get_by_role("link", name="TVA")).to_have_count(0)
    expect(holder.locator("section.dossier-menu", has_text="Déclarer").first).to_contain_text("TVA")
    holder.screenshot(path=tmp_path / "withheld.png", full_page=True)
    holder.goto(f"{dossier}services/payer_tva/")
    expect(holder.locator("#strong-factor-required")).to_be_visible()
    holder.get_by_role("link", name="Sécurité de connexion").first.click()
    expect(holder).to_have_url(re.compile(r"/espace/securite/$"))

    # With a strong factor, Payer is back.
    paul.strong_factor = True
    paul.save(update_fields=["strong_factor"])
    holder.goto(dossier)
    expect(holder.locator("#strong-factor-required")).to_have_count(0)
    holder.locator("section.dossier-menu", has_text="Payer").first.get_by_role(
        "link", name="TVA"
    ).click()
    expect(holder.locator("#service-title")).to_have_text("Payer TVA")
