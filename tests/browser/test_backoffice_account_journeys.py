"""The agents' own credentials and four eyes, as agents do them (docs/backoffice.md §1.8, §1.9,
§7.2.1): an agent changes their password and their authentication application from *Mon
compte*, then logs in with both; a supervisor who creates two accounts to ask and approve an
unfreeze alone is refused in the interface; a supervisor resets a lost second factor and the
agent enrols again with the code e-mailed to them."""

from base64 import b32decode

import pytest
from django_otp.oath import TOTP
from playwright.sync_api import expect

from backoffice.models import Agent, UnfreezeRequest
from backoffice.roles import AgentRole
from backoffice.tests.helpers import AGENT_PASSWORD, make_agent, totp_next, totp_now
from core import clock
from tests.factories import SubscriberFactory
from tests.helpers import last_code_sent_to

pytestmark = pytest.mark.django_db(transaction=True)
NEW_PASSWORD = "Le héron pêche au bord du canal sous la pluie"
PHANTOM_PASSWORD = "Deux visages pour une seule personne pressée"


def _log_in(page, agent, password=AGENT_PASSWORD, code=None):
    page.goto("/agents/connexion/")
    page.get_by_label("Adresse électronique").fill(agent.email)
    page.get_by_label("Mot de passe").fill(password)
    page.get_by_role("button", name="Continuer").click()
    page.get_by_label("Code à usage unique").fill(code or totp_now(agent))
    page.get_by_role("button", name="Se connecter").click()
    expect(page.locator("#agent-identity")).to_contain_text(agent.full_name)


def _code_of(secret: str, seconds_ahead: int = 0) -> str:
    """What a phone that read this key shows (`seconds_ahead`: the next step's code, accepted
    when this step's one already served)."""
    totp = TOTP(b32decode(secret), step=30, t0=0, digits=6, drift=0)
    totp.time = clock.now().timestamp() + seconds_ahead
    return f"{totp.token():06d}"


def _enrol(page) -> str:
    """Reads the QR page's key into the 'phone', confirms it; returns the key."""
    expect(page.locator("#enrolment-qr")).to_be_visible()
    secret = page.locator("#enrolment-secret").inner_text().strip()
    page.get_by_label("Code à usage unique").fill(_code_of(secret))
    page.get_by_role("button", name="Confirmer").click()
    expect(page.locator("#recovery-codes li")).to_have_count(10)
    return secret


def test_an_agent_changes_password_and_application_then_logs_in_with_them(page, new_page):
    agent = make_agent(AgentRole.GESTION)
    _log_in(page, agent)
    elsewhere = new_page()  # the same agent on another computer
    _log_in(elsewhere, agent, code=totp_next(agent.device))
    page.get_by_role("link", name="Mon compte").click()
    expect(page.get_by_role("heading", name="Mon compte", level=1)).to_be_visible()
    page.screenshot(path="var/backoffice-account.png", full_page=True)
    # The password: the current one first, the subscribers' rules, errors beside the fields.
    page.get_by_role("link", name="Modifier mon mot de passe").click()
    page.get_by_label("Votre mot de passe actuel").fill("ce n'est pas le bon")
    page.locator("#id_new_password1").fill("aaaaaaaaaaaaaaaaaaaaaaaaa")
    expect(page.locator("#password-strength")).to_contain_text("Faible")
    page.get_by_label("Confirmation du nouveau mot de passe").fill("aaaaaaaaaaaaaaaaaaaaaaaaa")
    page.get_by_role("button", name="Modifier mon mot de passe").click()
    expect(page.locator("#id_current_password-desc-error")).to_contain_text(
        "Votre mot de passe actuel est incorrect."
    )
    page.get_by_label("Votre mot de passe actuel").fill(AGENT_PASSWORD)
    page.locator("#id_new_password1").fill("aaaaaaaaaaaaaaaaaaaaaaaaa")
    page.get_by_label("Confirmation du nouveau mot de passe").fill("aaaaaaaaaaaaaaaaaaaaaaaaa")
    page.get_by_role("button", name="Modifier mon mot de passe").click()
    expect(page.locator("#id_new_password1-desc-error")).to_contain_text("trop faible")
    page.screenshot(path="var/backoffice-account-password.png", full_page=True)
    page.get_by_label("Votre mot de passe actuel").fill(AGENT_PASSWORD)
    page.locator("#id_new_password1").fill(NEW_PASSWORD)
    expect(page.locator("#password-strength")).to_contain_text("Fort")
    page.get_by_label("Confirmation du nouveau mot de passe").fill(NEW_PASSWORD)
    page.get_by_role("button", name="Modifier mon mot de passe").click()
    expect(page.get_by_text("Votre mot de passe est modifié.")).to_be_visible()
    # The other session is over.
    elsewhere.goto("/agents/")
    expect(elsewhere.get_by_role("heading", name="Connexion des agents")).to_be_visible()
    # A new application: the current password, then the new key, confirmed by its first code.
    page.get_by_role("link", name="Changer d'application d'authentification").click()
    page.get_by_label("Votre mot de passe actuel").fill(NEW_PASSWORD)
    page.get_by_role("button", name="Continuer").click()
    expect(page.get_by_text("Votre application actuelle reste valable")).to_be_visible()
    page.screenshot(path="var/backoffice-account-device.png", full_page=True)
    secret = _enrol(page)
    expect(page.get_by_text("l'ancienne ne sert plus")).to_be_visible()
    page.screenshot(path="var/backoffice-account-recovery.png", full_page=True)
    page.get_by_role("link", name="J'ai noté mes codes").click()
    expect(page.get_by_role("heading", name="Mon compte", level=1)).to_be_visible()
    # Logging in again takes the new password and the new application.
    page.get_by_role("button", name="Se déconnecter").click()
    page.get_by_label("Adresse électronique").fill(agent.email)
    page.get_by_label("Mot de passe").fill(AGENT_PASSWORD)
    page.get_by_role("button", name="Continuer").click()
    expect(page.get_by_text("Adresse électronique ou mot de passe incorrect.")).to_be_visible()
    _log_in(page, agent, password=NEW_PASSWORD, code=_code_of(secret, 30))
    expect(page.get_by_role("heading", name="Espace agents", level=1)).to_be_visible()
    assert page.csp_errors == []  # the strength indicator (htmx) runs under the CSP


def _create_agent(page, email, role_label):
    page.get_by_label("Adresse électronique professionnelle").fill(email)
    page.get_by_label("Prénom").fill("Compte")
    page.get_by_label("Nom", exact=True).fill("Fantome")
    page.get_by_label("Rôle").select_option(label=role_label)
    page.get_by_label("Motif").fill("Renfort du service")
    page.get_by_role("button", name="Créer").click()
    expect(page.locator("#agent-created")).to_contain_text("n'est affiché à personne")
    assert last_code_sent_to(email) not in page.content()


def _activate(page, email):
    """The activation as the creator would do it, had they read the new agent's mailbox."""
    page.goto("/agents/connexion/")
    page.get_by_role("link", name="Première connexion : activer mon compte").click()
    page.get_by_label("Adresse électronique").fill(email)
    page.get_by_label("Code d'activation").fill(last_code_sent_to(email))
    page.locator("#id_password1").fill(PHANTOM_PASSWORD)
    page.get_by_label("Confirmation du mot de passe").fill(PHANTOM_PASSWORD)
    page.get_by_role("button", name="Activer").click()
    _enrol(page)
    page.get_by_role("link", name="J'ai noté mes codes").click()


def test_one_supervisor_cannot_ask_and_approve_an_unfreeze_through_two_new_accounts(page, new_page):
    space = SubscriberFactory(last_name="Gelé", frozen_at=clock.now())
    supervisor = make_agent(AgentRole.SUPERVISION)
    _log_in(page, supervisor)
    page.get_by_role("link", name="Gérer les agents").click()
    _create_agent(page, "fantome.gestion@agents.example.fr", "Gestion")
    _create_agent(page, "fantome.supervision@agents.example.fr", "Supervision")
    expect(page.locator("#agents")).to_contain_text("Activation en attente")
    page.screenshot(path="var/backoffice-agents.png", full_page=True)
    # The bypass: the supervisor activates both accounts (the codes reached them somehow).
    asks, approves = new_page(), new_page()
    _activate(asks, "fantome.gestion@agents.example.fr")
    _activate(approves, "fantome.supervision@agents.example.fr")
    asks.goto(f"/agents/abonnes/{space.subscriber_number}/")
    asks.get_by_role("link", name="Demander le dégel de l'espace").click()
    asks.get_by_label("Motif").fill("Identité vérifiée au téléphone")
    asks.get_by_role("button", name="Demander le dégel de l'espace").click()
    expect(asks.locator("#unfreeze-pending")).to_be_visible()
    # The second account is told it may not approve, and is refused if it tries.
    approves.goto("/agents/")
    expect(approves.locator(".unfreeze-refusal")).to_contain_text(
        "Vous ne pouvez pas approuver ce dégel."
    )
    expect(approves.get_by_role("link", name="Examiner")).to_have_count(0)
    row = UnfreezeRequest.objects.get()
    approves.goto(f"/agents/actions/approve_unfreeze/{row.pk}/")
    approves.get_by_label("Motif").fill("J'approuve")
    approves.get_by_role("button", name="Approuver le dégel de l'espace").click()
    expect(approves.get_by_text("approuvé par un agent indépendant du demandeur")).to_be_visible()
    approves.screenshot(path="var/backoffice-four-eyes-refused.png", full_page=True)
    space.refresh_from_db()
    assert space.is_frozen
    # A supervisor independent of both approves.
    page.get_by_role("button", name="Se déconnecter").click()
    _log_in(page, make_agent(AgentRole.SUPERVISION))
    page.get_by_role("link", name="Examiner").click()
    page.get_by_label("Motif").fill("Vérifié avec le demandeur")
    page.get_by_role("button", name="Approuver le dégel de l'espace").click()
    expect(page.locator("#space-state")).to_contain_text("Actif")


def test_a_supervisor_resets_a_lost_second_factor_and_the_agent_enrols_again(page, new_page):
    agent = make_agent(AgentRole.ASSISTANCE)
    supervisor = make_agent(AgentRole.SUPERVISION)
    _log_in(page, supervisor)
    page.get_by_role("link", name="Gérer les agents").click()
    page.get_by_role("link", name=f"Réinitialiser le second facteur de {agent.full_name}").click()
    page.get_by_label("Motif").fill("Téléphone perdu, identité vérifiée en personne")
    page.get_by_role("button", name="Réinitialiser le second facteur").click()
    expect(page.get_by_text("un code lui est envoyé par courriel")).to_be_visible()
    assert last_code_sent_to(agent.email) not in page.content()
    person = new_page()
    person.goto("/agents/connexion/")
    person.get_by_label("Adresse électronique").fill(agent.email)
    person.get_by_label("Mot de passe").fill(AGENT_PASSWORD)
    person.get_by_role("button", name="Continuer").click()
    person.get_by_label("Code reçu par courriel").fill(last_code_sent_to(agent.email))
    person.screenshot(path="var/backoffice-reset-code.png", full_page=True)
    person.get_by_role("button", name="Continuer").click()
    _enrol(person)
    person.get_by_role("link", name="J'ai noté mes codes").click()
    expect(person.locator("#agent-identity")).to_contain_text(agent.full_name)
    assert Agent.objects.get(pk=agent.pk).device.confirmed
