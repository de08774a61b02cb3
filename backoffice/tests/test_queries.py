"""The subscriber's and the company's pages cost a fixed number of queries, whatever the data
(docs/backoffice.md §3.3)."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from backoffice.roles import AgentRole
from backoffice.tests.helpers import log_in, make_agent
from tests.factories import CompanyFactory, HabilitationFactory, SubscriberFactory, siren

pytestmark = pytest.mark.django_db
SERVICES = ["declarer_tva", "declarer_is", "consulter_compte_fiscal", "messagerie"]


def _queries(client, url) -> int:
    with CaptureQueriesContext(connection) as queries:
        assert client.get(url).status_code == 200
    return len(queries)


def test_pages_cost_the_same_for_few_and_many_rights(client):
    log_in(client, make_agent(AgentRole.SUPERVISION))
    space = SubscriberFactory()
    first = CompanyFactory(identifier=siren(1234))
    HabilitationFactory(company=first, subscriber=space, code="declarer_tva")
    type(client)().force_login(space)  # one open session
    subscriber_url = f"/agents/abonnes/{space.subscriber_number}/"
    company_url = f"/agents/entreprises/{first.identifier}/"
    few = _queries(client, subscriber_url), _queries(client, company_url)
    for n in range(8):
        company = CompanyFactory(identifier=siren(2000 + n))
        for code in SERVICES:
            HabilitationFactory(company=company, subscriber=space, code=code)
    for code in SERVICES[1:]:
        HabilitationFactory(company=first, code=code)  # other holders of the first company
    for _ in range(6):
        type(client)().force_login(space)  # more open sessions
    many = _queries(client, subscriber_url), _queries(client, company_url)
    assert few == many
    print("queries (subscriber page, company page):", many)
