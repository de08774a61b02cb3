"""The back office speaks as the caller does (docs/backoffice.md §3.4): « Déclarer TVA », « SARL »
and a person's name where the rows hold `declarer_tva`, 5499 and a subscriber number; a
company's holders grouped by person and service as *Qui a accès* lists them; the journal names
people and companies in a number of queries that does not grow with its rows."""

import re
from datetime import timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from accounts import space_access
from api.tokens import create_token
from backoffice import unfreeze
from backoffice.guards import acting_agent
from backoffice.models import UnfreezeRequest
from backoffice.readable import role_text
from backoffice.roles import AgentRole
from backoffice.tests.helpers import log_in, make_agent, visible_text, visible_texts
from core import clock
from habilitations.choices import Role
from tests.factories import (
    CompanyFactory,
    HabilitationFactory,
    PostalRequestFactory,
    SubscriberFactory,
    siren,
)

pytestmark = pytest.mark.django_db
CODES = ("declarer_tva", "declarer_is", "payer_tva", "payer_autres", "payer", "AT", "AC", "5499")


def _page(client, url) -> str:
    response = client.get(url)
    assert response.status_code == 200
    return response.content.decode()


def _assert_no_code(text: str, codes=CODES) -> None:
    # A code standing alone, not a piece of a date or a time ("20" in "20:49" or "07/12/2026").
    for code in codes:
        shown = re.search(rf"(?<![\w:/.-]){code}(?![\w:/.-])", text)
        assert not shown, f"{code!r} shown: {text}"


@pytest.fixture
def aleris():
    """A SARL with two people: Lila, titular administrator of Déclarer TVA and of Payer; Paul,
    actor on two of Payer's elementary services."""
    company = CompanyFactory(identifier=siren(1234), name="ALERIS", legal_category="5499")
    lila = SubscriberFactory(first_name="Lila", last_name="Rosemonde")
    paul = SubscriberFactory(civility="M", first_name="Paul", last_name="Martin")
    HabilitationFactory(company=company, subscriber=lila, code="declarer_tva")
    HabilitationFactory(company=company, subscriber=lila, code="payer")
    HabilitationFactory(company=company, subscriber=paul, code="payer_autres", actor=True, by=lila)
    HabilitationFactory(company=company, subscriber=paul, code="payer_tva", actor=True, by=lila)
    return company, lila, paul


def test_a_company_page_shows_labels_and_holders_by_person_and_service(client, aleris):
    company, lila, paul = aleris
    log_in(client, make_agent(AgentRole.ASSISTANCE))
    page = _page(client, f"/agents/entreprises/{company.identifier}/")
    assert visible_text(page, "company-legal-category") == (
        "SARL — Société à responsabilité limitée (sans autre indication)"
    )
    # One group a person (sorted by name, as *Qui a accès*), their services in words.
    groups = visible_texts(page, "tbody", "company-holders")
    assert groups == [
        f"{paul.display_name} {paul.subscriber_number} "
        "Payer autres impôts et taxes Acteur Active Payer TVA Acteur Active",
        f"{lila.display_name} {lila.subscriber_number} "
        "Déclarer TVA Administrateur titulaire Active Payer Administrateur titulaire Active",
    ]
    history = visible_text(page, "company-history")
    assert f"Abonné concerné : {paul.display_name} ({paul.subscriber_number})" in history
    assert "Service : Payer autres impôts et taxes Rôle : Acteur" in history
    assert lila.display_name in history  # who granted Paul's rights
    _assert_no_code(visible_text(page, "content"))


def test_an_unknown_legal_category_is_named_as_one_not_shown_bare(client):
    company = CompanyFactory(legal_category="1234")
    log_in(client, make_agent(AgentRole.ASSISTANCE))
    page = _page(client, f"/agents/entreprises/{company.identifier}/")
    assert visible_text(page, "company-legal-category") == "Catégorie juridique 1234"


def test_company_search_results_give_the_legal_form_people_use(client):
    CompanyFactory(name="ATELIER SIMONET", legal_category="5710", city="LYON")
    CompanyFactory(name="SIMONET JEAN", legal_category="1000")
    log_in(client, make_agent(AgentRole.ASSISTANCE))
    results = visible_texts(
        _page(client, "/agents/entreprises/?q=simonet"), "li", "company-results"
    )
    assert [re.sub(r" \(\d{9}\)", "", row) for row in results] == [
        "ATELIER SIMONET — SAS — LYON",
        "SIMONET JEAN — EI",
    ]


def test_a_subscriber_page_shows_services_and_token_scopes_in_words(client, aleris):
    _, lila, _ = aleris
    create_token(lila, "Logiciel comptable", ["dossiers:read"], clock.now() + timedelta(days=30))
    space_access.end_access(lila)  # the token dies « par un agent »
    log_in(client, make_agent(AgentRole.ASSISTANCE))
    page = _page(client, f"/agents/abonnes/{lila.subscriber_number}/")
    tokens = visible_text(page, "tokens")
    assert "Consulter vos dossiers et leurs habilitations" in tokens
    assert "(par un agent)" in tokens
    text = visible_text(page, "content")
    assert "Déclarer TVA" in text
    _assert_no_code(text, (*CODES, "dossiers:read"))


def _trail(client, day=None) -> str:
    day = day or timezone.localdate(clock.now())
    return _page(client, f"/agents/journal/?start={day.isoformat()}&end={day.isoformat()}")


def test_the_journal_names_people_and_companies_beside_their_numbers(client, aleris):
    company, lila, paul = aleris
    log_in(client, make_agent(AgentRole.SUPERVISION))
    trail = visible_text(_trail(client), "trail")
    # Lila granted Paul's rights on ALERIS: who, on what company, for whom, which service.
    assert f"{lila.display_name} ({lila.subscriber_number})" in trail
    assert f"ALERIS ({company.identifier})" in trail
    assert f"Abonné concerné : {paul.display_name} ({paul.subscriber_number})" in trail
    assert "Service : Payer TVA Rôle : Acteur" in trail
    _assert_no_code(trail)


def test_the_journal_costs_the_same_for_few_and_many_people(client):
    log_in(client, make_agent(AgentRole.SUPERVISION))

    def queries() -> int:
        with CaptureQueriesContext(connection) as captured:
            _trail(client)
        return len(captured)

    granter = SubscriberFactory()
    HabilitationFactory(company=CompanyFactory(), subscriber=granter)
    few = queries()
    for _ in range(15):  # 30 more events, each naming another person and company
        company = CompanyFactory()
        HabilitationFactory(company=company, subscriber=SubscriberFactory(), by=granter)
        HabilitationFactory(
            company=company, subscriber=SubscriberFactory(), code="payer_tva", actor=True
        )
    many = queries()
    assert few == many, (few, many)


def test_the_pages_of_an_agent_action_describe_its_object_in_words(client):
    request = PostalRequestFactory(
        company=CompanyFactory(name="VICTIME", with_fiscal_address=True), services=["declarer_is"]
    )
    space = SubscriberFactory(frozen_at=clock.now(), first_name="Gel", last_name="Glace")
    asks = make_agent(AgentRole.GESTION)
    with acting_agent(asks, "Mot de passe changé avec la personne"):
        row = unfreeze.request_unfreeze(space, asks)
    log_in(client, make_agent(AgentRole.SUPERVISION))
    letter = visible_text(
        _page(client, f"/agents/actions/withdraw_code/{request.pk}/"), "action-target"
    )
    assert letter.startswith(f"Adhésion de {request.requester.display_name} (")
    assert f"VICTIME ({request.company.identifier}) — Déclarer l'impôt sur les sociétés" in letter
    assert "Courrier envoyé le" in letter
    _assert_no_code(letter, (*CODES, "letter_sent", str(request.company.pk)))
    page = _page(client, f"/agents/actions/approve_unfreeze/{row.pk}/")
    assert visible_text(page, "action-target") == (
        f"Dégel de l'espace de {space.display_name} ({space.subscriber_number}), demandé par "
        f"{asks.full_name} le {timezone.localtime(row.requested_at):%d/%m/%Y %H:%M} : "
        "Mot de passe changé avec la personne"
    )
    assert UnfreezeRequest.objects.count() == 1


def test_roles_are_labels_in_the_journal_too():
    # The journal's facts read role codes of both kinds (habilitations' and agents').
    assert role_text(Role.TITULAR_ADMIN) == "Administrateur titulaire"
    assert role_text("supervision") == "Supervision"
