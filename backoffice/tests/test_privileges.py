"""Least privilege (docs/backoffice.md §2): each role is refused, with an audited 403, every
action above its level; every agent page needs an agent with both factors."""

import pytest
from django.urls import URLPattern, get_resolver

from audit.models import Action, AuditEvent
from backoffice.roles import AgentRole
from backoffice.tests.helpers import log_in, make_agent
from backoffice.views.actions import ACTIONS
from tests.factories import CompanyFactory, SubscriberFactory

pytestmark = pytest.mark.django_db

RANK = [AgentRole.ASSISTANCE, AgentRole.GESTION, AgentRole.SUPERVISION]
# The least role each action needs.
NEEDS = {
    "unlock": AgentRole.ASSISTANCE,
    "end_access": AgentRole.ASSISTANCE,
    "resend_activation": AgentRole.ASSISTANCE,
    "cancel_registration": AgentRole.ASSISTANCE,
    "freeze_space": AgentRole.GESTION,
    "request_unfreeze": AgentRole.GESTION,
    "withdraw_code": AgentRole.GESTION,
    "reissue_letter": AgentRole.GESTION,
    "freeze_company": AgentRole.GESTION,
    "unfreeze_company": AgentRole.GESTION,
    "approve_unfreeze": AgentRole.SUPERVISION,
    "reset_factors": AgentRole.GESTION,
    "approve_factor_reset": AgentRole.SUPERVISION,
    "reset_second_factor": AgentRole.SUPERVISION,
    "resend_agent_activation": AgentRole.SUPERVISION,
}
PAGES = {
    "/agents/idsp/": AgentRole.GESTION,
    "/agents/entreprises/{company}/corriger/": AgentRole.GESTION,
    "/agents/entreprises/P12345678/siren/": AgentRole.GESTION,
    "/agents/agents/": AgentRole.SUPERVISION,
    "/agents/journal/": AgentRole.SUPERVISION,
    "/agents/journal/export.csv?start=2026-01-01&end=2026-01-02": AgentRole.SUPERVISION,
    # The messaging (docs/backoffice.md §10): not the assistance line.
    "/agents/messagerie/": AgentRole.GESTION,
    "/agents/messagerie/1/": AgentRole.GESTION,
    "/agents/messagerie/1/prendre/": AgentRole.GESTION,
    "/agents/messagerie/1/repondre/": AgentRole.GESTION,
    "/agents/messagerie/1/note/": AgentRole.GESTION,
    "/agents/messagerie/1/reaffecter/": AgentRole.GESTION,
    "/agents/messagerie/1/clore/": AgentRole.GESTION,
    "/agents/messagerie/1/pieces/1/": AgentRole.GESTION,
    "/agents/messagerie/supervision/": AgentRole.SUPERVISION,
    "/agents/messagerie/reponses-types/": AgentRole.SUPERVISION,
    "/agents/messagerie/reponses-types/nouvelle/": AgentRole.SUPERVISION,
    "/agents/messagerie/reponses-types/1/": AgentRole.SUPERVISION,
}


def test_every_action_is_ranked():
    assert set(NEEDS) == set(ACTIONS)


def _below(role):
    return RANK[: RANK.index(role)]


CASES = [(name, role) for name, needed in NEEDS.items() for role in _below(needed)]


@pytest.mark.parametrize(("name", "role"), CASES)
def test_each_role_is_refused_each_action_above_it(client, name, role):
    # The object need not exist: the role is checked first, and nothing is read.
    log_in(client, make_agent(role))
    for method in (client.get, client.post):
        response = method(f"/agents/actions/{name}/1/", {"reason": "essai"})
        assert response.status_code == 403
    refused = AuditEvent.objects.filter(action=Action.AGENT_ACCESS_REFUSED)
    assert refused.count() == 2
    assert refused.first().details["agent"]["role"] == role


PAGE_CASES = [(url, role) for url, needed in PAGES.items() for role in _below(needed)]


@pytest.mark.parametrize(("url", "role"), PAGE_CASES)
def test_each_role_is_refused_the_pages_above_it(client, url, role):
    company = CompanyFactory(identifier="P12345678", name="ENTITE SANS SIREN")
    log_in(client, make_agent(role))
    response = client.get(url.format(company=company.identifier))
    assert response.status_code == 403
    assert AuditEvent.objects.filter(action=Action.AGENT_ACCESS_REFUSED).count() == 1


def _agent_urls():
    resolver = get_resolver()
    for entry in resolver.url_patterns:
        if getattr(entry, "namespace", None) == "backoffice":
            for pattern in entry.url_patterns:
                assert isinstance(pattern, URLPattern)
                yield pattern


def test_every_agent_page_is_guarded():
    for pattern in _agent_urls():
        view = pattern.callback
        guarded = hasattr(view, "agent_predicate") or getattr(view, "agent_guarded", False)
        assert guarded or getattr(view, "agent_public", False), pattern.name
        assert view.login_required is False


AGENT_ONLY = [
    "/agents/",
    "/agents/compte/",
    "/agents/compte/mot-de-passe/",
    "/agents/compte/mot-de-passe/force/",
    "/agents/compte/application/",
    "/agents/compte/application/nouvelle/",
    "/agents/abonnes/?q=a",
    "/agents/abonnes/20260000000000/",
    "/agents/entreprises/?q=a",
    "/agents/entreprises/987654324/",
    "/agents/entreprises/987654324/corriger/",
    "/agents/entreprises/P12345678/siren/",
    "/agents/idsp/",
    "/agents/actions/unlock/20260000000000/",
    "/agents/agents/",
    "/agents/agents/1/desactiver/",
    "/agents/journal/",
    "/agents/journal/export.csv",
    "/agents/messagerie/",
    "/agents/messagerie/1/",
    "/agents/messagerie/1/prendre/",
    "/agents/messagerie/1/repondre/",
    "/agents/messagerie/1/note/",
    "/agents/messagerie/1/reaffecter/",
    "/agents/messagerie/1/clore/",
    "/agents/messagerie/1/pieces/1/",
    "/agents/messagerie/supervision/",
    "/agents/messagerie/reponses-types/",
    "/agents/messagerie/reponses-types/nouvelle/",
    "/agents/messagerie/reponses-types/1/",
]


@pytest.mark.parametrize("url", AGENT_ONLY)
def test_a_subscriber_session_is_refused_on_every_agent_page(client, url):
    client.force_login(SubscriberFactory())
    for method in (client.get, client.post):
        response = method(url)
        assert response.status_code == 302
        assert response["Location"] == "/agents/connexion/"


def test_the_list_of_agent_pages_is_complete():
    public = {"login", "second_factor", "activation", "enrolment", "logout"}
    names = {p.name for p in _agent_urls()} - public
    assert len(names) == len(AGENT_ONLY)
