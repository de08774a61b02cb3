"""The agents' lists of search results (docs/backoffice.md §3): each row links to its own page,
the addresses reversed once per list (core.links.UrlPattern), in a number of queries that does
not grow with the rows."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from accounts.flows.registration import submit_registration
from backoffice.roles import AgentRole
from backoffice.tests.helpers import log_in, make_agent
from tests.factories import CompanyFactory, SubscriberFactory, siren

pytestmark = pytest.mark.django_db


def _get(client, url) -> tuple[str, int]:
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    assert response.status_code == 200
    return response.content.decode(), len(queries)


def test_subscribers_found_each_link_to_their_page(client, registration):
    log_in(client, make_agent(AgentRole.ASSISTANCE))
    pending = submit_registration(registration)  # a Rosemonde waiting for her code
    counts = []
    for more in (1, 19):
        SubscriberFactory.create_batch(more, last_name="Rosemonde")
        page, queries = _get(client, "/agents/abonnes/?q=rosemonde")
        counts.append(queries)
    spaces = SubscriberFactory._meta.model.objects.filter(last_name="Rosemonde")
    assert spaces.count() == 20
    for space in spaces:
        url = reverse("backoffice:subscriber", args=[space.subscriber_number])
        assert f'<a href="{url}">{space.display_name} — {space.email}' in page
    for action in ("resend_activation", "cancel_registration"):
        assert f'href="{reverse("backoffice:action", args=[action, pending.pk])}"' in page
    assert counts[0] == counts[1], counts


def test_companies_found_each_link_to_their_page(client):
    log_in(client, make_agent(AgentRole.ASSISTANCE))
    counts = []
    for numbers in (range(1), range(1, 20)):
        for n in numbers:
            CompanyFactory(identifier=siren(5000 + n), name=f"BOULANGERIE NUMERO {n}")
        page, queries = _get(client, "/agents/entreprises/?q=boulangerie")
        counts.append(queries)
    for n in range(20):
        url = reverse("backoffice:company", args=[siren(5000 + n)])
        assert f'<a href="{url}">BOULANGERIE NUMERO {n} ({siren(5000 + n)})</a>' in page
    assert counts[0] == counts[1], counts
