"""« Réinitialiser les moyens de connexion » (docs/backoffice.md §7.4, docs/security.md §14.5):
gestion resets a person's lost factors with a reason; the person's sessions and remembered
browsers end, they are told, and the next login asks the e-mailed code. A space administering
more companies than FACTOR_RESET_FOUR_EYES_COMPANIES needs a second, independent agent."""

import html

import pytest
from django.test import Client

from accounts.factors import app
from accounts.factors.models import RememberedBrowser
from audit.models import Action, AuditEvent
from backoffice.models import FactorResetRequest
from backoffice.roles import AgentRole
from backoffice.tests.helpers import log_in, make_agent
from tests.factories import PASSWORD, CompanyFactory, HabilitationFactory, SubscriberFactory
from tests.helpers import LOGIN_STEP, last_email_to, last_login_code, login

pytestmark = pytest.mark.django_db
REASON = {"reason": "Téléphone perdu, identité vérifiée par rappel", "ticket": "T-77"}


def _agent_client(role):
    client = Client()
    agent = make_agent(role)
    log_in(client, agent)
    return client, agent


def _act(client, name, key, data=REASON):
    return client.post(f"/agents/actions/{name}/{key}/", data)


def _text(response) -> str:
    return html.unescape(response.content.decode())


@pytest.fixture
def lost(db):
    """A person with an app and a remembered browser, logged in there: the phone is lost."""
    space = SubscriberFactory()
    device = app.start_enrolment(space)
    app.confirm_enrolment(space, app.current_code(device))
    space.refresh_from_db()
    browser = Client()
    assert login(browser, space.email, PASSWORD, remember="on")["Location"] == "/espace/"
    return space, browser


def test_only_gestion_and_above_see_and_run_it(lost):
    space, _ = lost
    assistance, _ = _agent_client(AgentRole.ASSISTANCE)
    page = _text(assistance.get(f"/agents/abonnes/{space.subscriber_number}/"))
    assert "Réinitialiser les moyens de connexion" not in page
    assert _act(assistance, "reset_factors", space.subscriber_number).status_code == 403
    assert app.has_app(space)
    gestion, _ = _agent_client(AgentRole.GESTION)
    page = _text(gestion.get(f"/agents/abonnes/{space.subscriber_number}/"))
    assert 'id="reset-factors"' in page


def test_the_confirmation_page_says_what_happens_and_a_reason_is_required(lost):
    space, _ = lost
    gestion, _ = _agent_client(AgentRole.GESTION)
    url = f"/agents/actions/reset_factors/{space.subscriber_number}/"
    page = _text(gestion.get(url))
    for words in [
        "Tous sont supprimés sauf le code envoyé par courriel",
        "navigateurs mémorisés sont oubliés et ses sessions fermées",
        "elle en est informée par courriel",
        "invitée à enregistrer de nouveau une application",
    ]:
        assert words in page
    refused = _act(gestion, "reset_factors", space.subscriber_number, {"reason": "  "})
    assert "Saisissez le motif de cette action." in _text(refused)
    assert app.has_app(space)
    assert not AuditEvent.objects.filter(action=Action.FACTORS_RESET).exists()


def test_a_reset_ends_sessions_and_browsers_and_the_next_login_asks_the_emailed_code(lost):
    space, browser = lost
    gestion, agent = _agent_client(AgentRole.GESTION)
    done = _act(gestion, "reset_factors", space.subscriber_number)
    assert done["Location"] == f"/agents/abonnes/{space.subscriber_number}/"
    assert "sont réinitialisés" in _text(gestion.get(done["Location"]))
    space.refresh_from_db()
    assert not app.has_app(space) and space.login_factor == "email"
    assert browser.get("/espace/")["Location"].startswith("/?next=")  # its session is over
    assert not RememberedBrowser.objects.filter(subscriber=space, revoked_at=None).exists()
    assert "réinitialisé" in last_email_to(space.email, "factors_reset").body
    event = AuditEvent.objects.get(action=Action.FACTORS_RESET)
    assert event.details["reason"] == REASON["reason"]
    assert event.details["agent"]["id"] == str(agent.pk)
    # The same (once remembered) browser is asked the e-mailed code again.
    asked = browser.post("/", {"username": space.email, "password": PASSWORD})
    assert asked["Location"] == LOGIN_STEP
    assert "envoyé par courriel" in _text(browser.get(LOGIN_STEP))
    done = browser.post(LOGIN_STEP, {"code": last_login_code(space.email)})
    assert done["Location"] == "/espace/"


def _administering(space, companies: int) -> None:
    for _ in range(companies):
        HabilitationFactory(company=CompanyFactory(), subscriber=space, code="declarer_tva")


def test_above_the_threshold_a_second_independent_agent_approves(lost, settings):
    settings.FACTOR_RESET_FOUR_EYES_COMPANIES = 2
    space, browser = lost
    _administering(space, 3)
    gestion, requester = _agent_client(AgentRole.GESTION)
    asked = _act(gestion, "reset_factors", space.subscriber_number)
    assert "un second agent (supervision) doit l'approuver" in _text(gestion.get(asked["Location"]))
    assert app.has_app(space)  # nothing reset yet
    assert browser.get("/espace/").status_code == 200
    row = FactorResetRequest.objects.get()
    assert (row.requested_by, row.reason, row.approved_at) == (requester, REASON["reason"], None)
    assert AuditEvent.objects.filter(action=Action.FACTOR_RESET_REQUESTED).exists()
    again = _act(gestion, "reset_factors", space.subscriber_number)
    assert "attend déjà une approbation" in _text(again)
    # Gestion may not approve; a supervisor may, not the requester.
    assert _act(gestion, "approve_factor_reset", row.pk).status_code == 403
    supervisor, approver = _agent_client(AgentRole.SUPERVISION)
    page = _text(supervisor.get(f"/agents/abonnes/{space.subscriber_number}/"))
    assert 'id="factor-reset-pending"' in page and 'id="approve-factor-reset"' in page
    _act(supervisor, "approve_factor_reset", row.pk)
    row.refresh_from_db()
    assert row.approved_by == approver
    assert not app.has_app(space)
    assert browser.get("/espace/")["Location"].startswith("/?next=")
    approved = AuditEvent.objects.get(action=Action.FACTOR_RESET_APPROVED)
    assert approved.details["requested_by"]["id"] == str(requester.pk)
    assert AuditEvent.objects.filter(action=Action.FACTORS_RESET).count() == 1


def test_the_requester_cannot_approve_their_own_reset(lost, settings):
    settings.FACTOR_RESET_FOUR_EYES_COMPANIES = 0
    space, _ = lost
    _administering(space, 1)
    supervisor, _ = _agent_client(AgentRole.SUPERVISION)
    _act(supervisor, "reset_factors", space.subscriber_number)
    row = FactorResetRequest.objects.get()
    page = _text(supervisor.get(f"/agents/abonnes/{space.subscriber_number}/"))
    assert 'id="approve-factor-reset"' not in page and 'id="factor-reset-refusal"' in page
    refused = _act(supervisor, "approve_factor_reset", row.pk)
    assert "La réinitialisation doit être approuvée par un autre agent" in _text(refused)
    assert app.has_app(space)
    assert AuditEvent.objects.filter(action=Action.AGENT_ACTION_REFUSED).exists()


def test_at_the_threshold_one_agent_is_enough(lost, settings):
    settings.FACTOR_RESET_FOUR_EYES_COMPANIES = 2
    space, _ = lost
    _administering(space, 2)
    gestion, _ = _agent_client(AgentRole.GESTION)
    _act(gestion, "reset_factors", space.subscriber_number)
    assert not app.has_app(space) and not FactorResetRequest.objects.exists()
