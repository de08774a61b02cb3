"""Issue 14's journeys in the agents' back office (docs/backoffice.md), as agents and people do
them: an assistance agent unlocks a locked person, who then logs in; a gestion agent withdraws a
forged substitution letter, whose code is then refused; an IDSP issued and used for an adhesion;
a freeze and a four-eyes unfreeze; a supervisor on a phone reads the agents, a company and the
journal in words (labels and names, not codes), no page wider than the screen."""

import pytest
from playwright.sync_api import expect

from accounts import throttle
from backoffice.roles import AgentRole
from backoffice.tests.helpers import AGENT_PASSWORD, make_agent, totp_now
from companies.models import Company
from core import context
from core.refusals import Refusal
from habilitations.models import Habilitation
from habilitations.postal.activation import activate_services
from habilitations.postal.substitution import submit_substitution
from tests.factories import CompanyFactory, HabilitationFactory, SubscriberFactory
from tests.helpers import PASSWORD, letter_code, pass_second_step

pytestmark = pytest.mark.django_db(transaction=True)
REASON = "Appel de la personne, identité vérifiée"
PHONE = {"width": 390, "height": 844}


@pytest.fixture
def person(page, new_page):
    """A second browser: the person helped, beside the agent's."""
    return new_page()


def _agent_logs_in(page, agent):
    page.goto("/agents/connexion/")
    page.get_by_label("Adresse électronique").fill(agent.email)
    page.get_by_label("Mot de passe").fill(AGENT_PASSWORD)
    page.get_by_role("button", name="Continuer").click()
    # The password alone opens nothing: the home page sends back to the login.
    page.get_by_label("Code à usage unique").fill(totp_now(agent))
    page.get_by_role("button", name="Se connecter").click()
    expect(page.locator("#agent-identity")).to_contain_text(agent.full_name)


def _act(page, link_name, reason=REASON):
    page.get_by_role("link", name=link_name).first.click()
    page.get_by_label("Motif").fill(reason)
    page.get_by_label("Numéro de ticket (facultatif)").fill("T-1414")
    page.locator("main form button[type=submit]").first.click()


def _person_logs_in(page, email, password=PASSWORD):
    page.goto("/")
    page.get_by_label("Adresse électronique").fill(email)
    page.get_by_label("Mot de passe").fill(password)
    page.get_by_role("button", name="Connexion").click()
    pass_second_step(page)


def _find_subscriber(page, query):
    page.goto("/agents/")
    page.get_by_label("Abonné : adresse électronique, numéro d'abonné ou nom").fill(query)
    page.get_by_role("button", name="Rechercher un abonné").click()
    page.locator("#subscriber-results a").first.click()


def test_an_assistance_agent_unlocks_a_locked_person_who_then_logs_in(page, person):
    space = SubscriberFactory(last_name="Verrou")
    with context.acting(ip_address="127.0.0.1"):
        for _ in range(5):
            throttle.count_failure(space.email)
    _person_logs_in(person, space.email)
    expect(person.get_by_role("heading", name="Connexion temporairement bloquée")).to_be_visible()
    _agent_logs_in(page, make_agent(AgentRole.ASSISTANCE))
    _find_subscriber(page, "verrou")
    expect(page.locator("#space-name")).to_contain_text("VERROU")
    _act(page, "Lever le verrouillage de connexion")
    expect(page.locator("#agent-events")).to_contain_text(REASON)
    page.screenshot(path="var/backoffice-subscriber.png", full_page=True)
    # An assistance agent has no freeze button, and the URL answers 403.
    expect(page.get_by_role("link", name="Geler l'espace")).to_have_count(0)
    response = page.goto(f"/agents/actions/freeze_space/{space.subscriber_number}/")
    assert response.status == 403
    _person_logs_in(person, space.email)
    expect(person.locator("#home-identity")).to_be_visible()


def test_a_forged_substitution_letter_is_withdrawn_and_its_code_refused(page, person):
    company = CompanyFactory(with_fiscal_address=True, name="SARL VICTIME")
    titular, forger = SubscriberFactory(), SubscriberFactory(last_name="Faussaire")
    HabilitationFactory(company=company, subscriber=titular, code="declarer_tva")
    req = submit_substitution(forger, company, ["declarer_tva"])
    code = letter_code(req)
    _agent_logs_in(page, make_agent(AgentRole.GESTION))
    page.goto("/agents/")
    page.get_by_label("Entreprise : SIREN, IDSP ou dénomination").fill("victime")
    page.get_by_role("button", name="Rechercher une entreprise").click()
    page.get_by_role("link", name="SARL VICTIME").click()
    _act(page, "Retirer le code", "L'entreprise signale un courrier non demandé")
    expect(page.locator("#company-history")).to_contain_text("Code du courrier retiré")
    page.screenshot(path="var/backoffice-company.png", full_page=True)
    # The forger's request is no longer offered on *Activer mes services*, and its code does
    # nothing.
    _person_logs_in(person, forger.email)
    person.get_by_role("link", name="Activer mes services").click()
    expect(person.locator(".activation-request", has_text="SARL VICTIME")).to_have_count(0)
    with pytest.raises(Refusal) as refused:
        activate_services(forger, req.pk, code)
    assert refused.value.code == "postal.code_withdrawn"
    assert Habilitation.objects.get(company=company, service="declarer_tva").subscriber == titular


def test_an_idsp_is_issued_then_used_for_an_adhesion(page, person):
    _agent_logs_in(page, make_agent(AgentRole.GESTION))
    page.get_by_role("link", name="Attribuer un IDSP").click()
    page.get_by_label("Dénomination").fill("Atelier Lumière GmbH")
    page.get_by_label("Adresse").fill("Hauptstrasse 5")
    page.get_by_label("Code postal").fill("10115")
    page.get_by_label("Commune").fill("Berlin")
    page.get_by_label("Pays").fill("Allemagne")
    page.get_by_label("Motif").fill("Entreprise étrangère sans SIREN")
    page.get_by_role("button", name="Valider").click()
    expect(page.locator("#company-name")).to_contain_text("ATELIER LUMIÈRE GMBH (P")
    idsp = Company.objects.get(name="ATELIER LUMIÈRE GMBH").identifier
    space = SubscriberFactory()
    _person_logs_in(person, space.email)
    person.get_by_role("link", name="Adhérer aux services en ligne").first.click()
    person.get_by_label("Entrez le numéro S.I.R.E.N. (ou équivalent)").fill(idsp)
    person.get_by_role("button", name="Valider").click()
    expect(person.locator("#request-recap")).to_contain_text("ATELIER LUMIÈRE GMBH")
    person.locator("label[for=service-declarer_tva]").click()
    person.locator("label", has_text="Je reconnais avoir pris connaissance").click()
    person.get_by_role("button", name="Confirmer et valider la demande d'adhésion").click()
    expect(person.locator("#next-step")).to_be_visible()
    page.reload()
    expect(page.locator("#company-requests")).to_contain_text("Déclarer TVA")


def test_a_freeze_and_a_four_eyes_unfreeze(page, person):
    space = SubscriberFactory(last_name="Gel")
    _person_logs_in(person, space.email)
    expect(person.locator("#home-identity")).to_be_visible()
    _agent_logs_in(page, make_agent(AgentRole.GESTION))
    _find_subscriber(page, space.email)
    # The person's open session is listed (docs/backoffice.md §3.2); the freeze ends it.
    expect(page.locator("#sessions tbody tr")).to_have_count(1)
    expect(page.locator("#sessions")).to_contain_text("Chrome sur Linux")
    expect(page.locator("#sessions")).to_contain_text("127.0.0.1")
    page.locator("#sessions").screenshot(path="var/backoffice-sessions.png")
    _act(page, "Geler l'espace", "Prise de contrôle signalée")
    expect(page.locator("#space-state")).to_contain_text("Gelé")
    expect(page.locator("#sessions")).to_have_text("Aucune session ouverte.")
    person.goto("/espace/")
    expect(person.get_by_label("Adresse électronique")).to_be_visible()
    _person_logs_in(person, space.email)
    expect(person.get_by_text("0809 400 210")).to_be_visible()
    _act(page, "Demander le dégel de l'espace", "Mot de passe changé avec la personne")
    expect(page.locator("#unfreeze-pending")).to_be_visible()
    page.get_by_role("button", name="Se déconnecter").click()
    supervisor = page
    _agent_logs_in(supervisor, make_agent(AgentRole.SUPERVISION))
    supervisor.get_by_role("link", name="Examiner").click()
    supervisor.get_by_label("Motif").fill("Vérifié avec le demandeur")
    supervisor.get_by_role("button", name="Approuver le dégel de l'espace").click()
    expect(supervisor.locator("#space-state")).to_contain_text("Actif")
    supervisor.screenshot(path="var/backoffice-unfrozen.png", full_page=True)
    _person_logs_in(person, space.email)
    expect(person.locator("#home-identity")).to_be_visible()


def _fits(page) -> None:
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= PHONE["width"], f"{page.url} is {width} px wide on a {PHONE['width']} px phone"


def test_on_a_phone_a_supervisor_reads_agents_company_and_journal_in_words(page):
    company = CompanyFactory(name="ALERIS", legal_category="5499", with_fiscal_address=True)
    lila = SubscriberFactory(first_name="Lila", last_name="Rosemonde")
    paul = SubscriberFactory(civility="M", first_name="Paul", last_name="Martin")
    HabilitationFactory(company=company, subscriber=lila, code="payer")
    HabilitationFactory(company=company, subscriber=paul, code="payer_autres", actor=True, by=lila)
    supervisor = make_agent(AgentRole.SUPERVISION)
    for role in (AgentRole.ASSISTANCE, AgentRole.GESTION):
        make_agent(role, by=supervisor)  # created by this supervisor: links to act on them
    page.set_viewport_size(PHONE)
    _agent_logs_in(page, supervisor)
    _fits(page)
    page.get_by_role("link", name="Gérer les agents").click()
    agents = page.get_by_role("region", name="Liste des agents")
    expect(agents.locator("tbody tr")).to_have_count(3)
    _fits(page)
    # The table scrolls in its own region, which a keyboard reaches and scrolls.
    agents.focus()
    page.keyboard.press("End")
    expect(agents).to_be_focused()
    assert agents.evaluate("e => e.scrollWidth > e.clientWidth")
    page.screenshot(path="var/backoffice-agents-390.png", full_page=True)
    page.goto(f"/agents/entreprises/{company.identifier}/")
    expect(page.locator("#company-legal-category")).to_have_text(
        "SARL — Société à responsabilité limitée (sans autre indication)"
    )
    holders = page.get_by_role("region", name="Qui a accès")
    expect(holders.locator("tbody").first).to_contain_text("M. Paul MARTIN")
    expect(holders.locator("tbody").first).to_contain_text("Payer autres impôts et taxes")
    expect(holders).not_to_contain_text("payer_autres")
    _fits(page)
    page.screenshot(path="var/backoffice-company-390.png", full_page=True)
    page.get_by_role("link", name="Espace agents").click()
    page.get_by_role("link", name="Journal d'audit").click()
    trail = page.get_by_role("region", name="Événements")
    expect(trail).to_contain_text(f"Mme Lila ROSEMONDE ({lila.subscriber_number})")
    expect(trail).to_contain_text("Service : Payer autres impôts et taxes")
    expect(trail).not_to_contain_text("payer_autres")
    _fits(page)
    page.screenshot(path="var/backoffice-journal-390.png", full_page=True)
