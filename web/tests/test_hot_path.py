"""A page view by a logged-in person writes nothing to the database, and each main page runs a
fixed number of queries whatever the size of the portfolio (issue 11; docs/security.md §11.7,
docs/design.md "The hot path")."""

import re
from datetime import timedelta

import pytest
import time_machine
from django.db import connection
from django.test.utils import CaptureQueriesContext

from habilitations.choices import Role
from tests.factories import HabilitationFactory, SubscriberFactory, bulk_portfolio
from tests.helpers import CURRENT_TIME

pytestmark = pytest.mark.django_db

WRITE = re.compile(r"^\s*(INSERT|UPDATE|DELETE|REPLACE)\b", re.IGNORECASE)


def _writes(queries) -> list[str]:
    return [q["sql"] for q in queries.captured_queries if WRITE.match(q["sql"])]


def _firm(size: int, start: int = 100):
    """A firm's space with `size` dossiers (AT of each, named SOCIETE <start>…), and a collaborator
    it delegated to on the first one."""
    firm = SubscriberFactory(first_name="Paul", last_name="Martin")
    companies = bulk_portfolio(firm, size, start=start)
    collaborator = SubscriberFactory(first_name="Jeanne", last_name="Collaboratrice")
    HabilitationFactory(company=companies[0], subscriber=collaborator, role=Role.ACTOR, by=firm)
    return firm, companies[0].identifier, collaborator.subscriber_number


# Each main page, and the queries of a page view in the common case (logged in, the session
# saved less than a minute ago): with sessions in the database, the session row and the user
# row are the first two; every page adds what it shows, never one query per dossier. With
# Redis the session is read from it, and so is the number of dossiers of the whole portfolio
# (habilitations/portfolio/count.py) on the pages marked COUNTED.
PAGES = {
    "Accueil": ("/espace/", 4),  # + the number of dossiers, the dossiers with unread messages
    "Voir tous mes dossiers": ("/espace/dossiers/", 4),  # + the count and the page
    "Rechercher un dossier": ("/espace/dossiers/?q=SOCIETE", 4),
    "Un dossier": ("/espace/dossiers/{company}/", 3),  # + the company with the rights
    "Gérer vos délégations": ("/espace/dossiers/{company}/delegations/", 4),
    "Déléguer à un délégataire": (
        "/espace/dossiers/{company}/delegations/delegataire/{delegate}/",
        5,
    ),
    "Gérer vos administrateurs suppléants": ("/espace/dossiers/{company}/suppleants/", 4),
    "Vos délégataires": ("/espace/delegataires/", 3),
    "Consulter vos services": ("/espace/habilitations/", 5),
    "Conditions générales": ("/conditions-generales/", 2),
}
COUNTED = {"Accueil", "Voir tous mes dossiers", "Consulter vos services"}


@pytest.mark.parametrize("sessions", ["database", "redis"])
@pytest.mark.parametrize("name", PAGES)
def test_each_main_page_runs_a_fixed_number_of_queries_and_writes_nothing(
    client, request, name, sessions
):
    template, expected = PAGES[name]
    if sessions == "redis":
        request.getfixturevalue("redis_sessions")
        expected -= 1  # the session is read from Redis
        expected -= name in COUNTED  # and the portfolio's count too
    counts = []
    for size, start in ((5, 100), (60, 200)):
        firm, company, delegate = _firm(size, start)
        url = template.format(company=company, delegate=delegate)
        client.force_login(firm)
        assert client.get(url).status_code == 200  # the first view (e.g. a new current dossier)
        with CaptureQueriesContext(connection) as queries:
            assert client.get(url).status_code == 200
        assert _writes(queries) == [], name
        counts.append(len(queries))
    assert counts == [expected, expected], (name, counts)


def test_the_login_page_runs_no_query_for_a_visitor(client):
    with CaptureQueriesContext(connection) as queries:
        assert client.get("/").status_code == 200
    assert len(queries) == 0


def test_the_identity_and_dossier_band_cost_no_query_of_their_own(client):
    """The band under the header (who is logged in, the current dossier) is drawn from the
    session and the user row the request reads anyway."""
    firm, company, _ = _firm(5)
    client.force_login(firm)
    client.get(f"/espace/dossiers/{company}/")
    with CaptureQueriesContext(connection) as queries:
        page = client.get("/conditions-generales/").content.decode()
    assert len(queries) == 2  # the session and the user
    assert f"Paul MARTIN — Abonné : {firm.subscriber_number}" in page
    assert f"Dossier : SOCIETE 00100 ({company})" in page


def test_reading_pages_within_the_minute_writes_nothing_then_one_session_save(client):
    firm, company, _ = _firm(5)
    urls = [
        "/espace/",
        "/espace/dossiers/",
        f"/espace/dossiers/{company}/",
        "/conditions-generales/",
    ]
    with time_machine.travel(CURRENT_TIME, tick=False) as traveller:
        client.force_login(firm)
        client.get(f"/espace/dossiers/{company}/")  # becomes the current dossier: a change
        traveller.shift(timedelta(seconds=5))
        with CaptureQueriesContext(connection) as queries:
            for url in urls * 3:
                traveller.shift(timedelta(seconds=3))
                assert client.get(url).status_code == 200
        assert _writes(queries) == []
        # A minute after the last save, the next page view pushes the idle timeout back once.
        traveller.shift(timedelta(seconds=60))
        with CaptureQueriesContext(connection) as queries:
            for url in urls:
                assert client.get(url).status_code == 200
    writes = _writes(queries)
    assert len(writes) == 1 and "django_session" in writes[0], writes
