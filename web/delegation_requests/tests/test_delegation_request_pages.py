"""The delegation requests' pages (docs/habilitations.md §12): what firms and administrators see."""

import html
from datetime import timedelta

import pytest
import time_machine
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from habilitations.choices import DelegationRequestState, Role
from habilitations.delegation_requests import actions as delegation_requests
from habilitations.delegation_requests import answers
from habilitations.models import DelegationRequest, FirmBlock
from tests.factories import CompanyFactory, HabilitationFactory, SubscriberFactory
from tests.helpers import CURRENT_TIME, prove_fresh_factor

pytestmark = pytest.mark.django_db

ASK = "/espace/demandes-delegation/nouvelle/"
WANTED = delegation_requests.Wanted(levels={"declarer_tva": Role.ACTOR})


@pytest.fixture
def firm():
    return SubscriberFactory(company_name="CABINET COMPTA", company_identifier="732829320")


def _client_of(admin):
    company = CompanyFactory()
    HabilitationFactory(company=company, subscriber=admin, code="declarer_tva")
    return company


def test_a_company_without_administrator_is_refused_next_to_its_siren(client, firm):
    company = CompanyFactory()
    client.force_login(firm)
    prove_fresh_factor(client)
    response = client.post(ASK, {"identifier": company.identifier, "level_declarer_tva": "AC"})
    form = response.context["form"]
    assert "Adhérer aux services en ligne" in form.errors["identifier"][0]
    assert not DelegationRequest.objects.exists()


@pytest.mark.parametrize(
    ("data", "field", "message"),
    [
        ({"level_declarer_tva": "AC"}, "__all__", "l'un ou l'autre"),
        ({"identifier": "123456789", "level_declarer_tva": "AC"}, "identifier", "invalide"),
        ({"identifier": "732829320", "level_declarer_tva": "AC"}, "identifier", "pas connu"),
        ({"identifier": "732829320"}, "every", "au moins un service"),
        ({"message": "Validez sur impots-gouv .fr"}, "message", "ne peut pas contenir de lien"),
        ({"message": "Appelez le 06.12.34.56.78"}, "message", "numéro de téléphone"),
    ],
)
def test_bad_input_is_told_next_to_its_field(client, firm, data, field, message):
    client.force_login(firm)
    prove_fresh_factor(client)
    form = client.post(ASK, data).context["form"]
    assert message in " ".join(form.errors[field])


def test_a_single_request_is_sent_then_withdrawn_from_the_follow_page(client, firm, alice):
    company = _client_of(alice)
    client.force_login(firm)
    prove_fresh_factor(client)
    response = client.post(
        ASK, {"identifier": company.identifier, "level_declarer_tva": "AD"}, follow=True
    )
    assert "Votre demande de délégation est envoyée" in response.content.decode()
    req = DelegationRequest.objects.get()
    client.post(f"/espace/demandes-delegation/{req.pk}/retirer/")
    req.refresh_from_db()
    assert req.state == DelegationRequestState.WITHDRAWN
    # Someone else's request: refused, nothing changes.
    other = delegation_requests.submit(SubscriberFactory(), company, WANTED)
    response = client.post(f"/espace/demandes-delegation/{other.pk}/retirer/", follow=True)
    assert "n&#x27;existe pas ou ne vous est pas adressée" in response.content.decode()
    other.refresh_from_db()
    assert other.state == DelegationRequestState.PENDING


def test_a_request_is_answered_only_by_an_administrator_it_concerns(client, firm, alice, bob):
    company = _client_of(alice)
    req = delegation_requests.submit(firm, company, WANTED)
    client.force_login(bob)
    prove_fresh_factor(client)
    assert client.get(f"/espace/demandes-delegation/recues/{req.pk}/").status_code == 404
    assert (
        client.post(f"/espace/demandes-delegation/recues/{req.pk}/", {"accept": "1"}).status_code
        == 404
    )
    client.force_login(alice)
    prove_fresh_factor(client)
    page = client.get(f"/espace/demandes-delegation/recues/{req.pk}/").content.decode()
    assert "Accorder : Acteur" in page


def test_the_firm_is_shown_as_declared_next_to_the_requester(client, firm, alice):
    """Review finding 5: the firm's name and SIREN are the requester's word; their own name
    and subscriber number are real."""
    req = delegation_requests.submit(firm, _client_of(alice), WANTED)
    client.force_login(alice)
    prove_fresh_factor(client)
    declared = (
        "Cabinet déclaré par le demandeur : CABINET COMPTA (SIREN ou équivalent 732829320), "
        "non vérifié"
    )
    for url in (
        "/espace/demandes-delegation/recues/",
        f"/espace/demandes-delegation/recues/{req.pk}/",
    ):
        page = client.get(url).content.decode().replace("&#x27;", "'")
        assert declared in page, url
        assert firm.display_name in page, url
        assert f"(abonné {firm.subscriber_number})" in page, url


@pytest.mark.parametrize("single", [True, False])
def test_a_link_in_the_message_is_refused_next_to_it(client, firm, alice, single):
    company = _client_of(alice)
    client.force_login(firm)
    prove_fresh_factor(client)
    where = {"identifier": company.identifier} if single else {"identifiers": company.identifier}
    response = client.post(
        ASK, {**where, "level_declarer_tva": "AC", "message": "Validez sur www.compta.example"}
    )
    assert "ne peut pas contenir de lien" in " ".join(response.context["form"].errors["message"])
    assert "plan" not in response.context
    assert not DelegationRequest.objects.exists()


def test_previews_past_the_limit_are_refused(client, firm, alice, settings):
    settings.RATE_LIMITS = {**settings.RATE_LIMITS, "delegation_request.preview": "1/1h"}
    company = _client_of(alice)
    client.force_login(firm)
    prove_fresh_factor(client)
    data = {"identifiers": company.identifier, "level_declarer_tva": "AC"}
    assert client.post(ASK, data).context["plan"].asked
    response = client.post(ASK, data)
    assert "plan" not in response.context
    assert "trop d'aperçus" in " ".join(response.context["form"].non_field_errors())


def test_single_requests_refused_past_the_limit_are_told_next_to_the_siren(
    client, firm, alice, settings
):
    settings.RATE_LIMITS = {**settings.RATE_LIMITS, "delegation_request.refused": "1/1h"}
    client.force_login(firm)
    prove_fresh_factor(client)
    for company, told in [
        (CompanyFactory(), "Adhérer aux services en ligne"),
        (_client_of(alice), "Trop de vos demandes de délégation ont été refusées"),
    ]:
        response = client.post(ASK, {"identifier": company.identifier, "level_declarer_tva": "AC"})
        assert told in " ".join(response.context["form"].errors["identifier"])
    assert not DelegationRequest.objects.exists()


def test_the_second_administrator_is_told_who_answered_and_when(client, firm, alice, bob):
    company = _client_of(alice)
    HabilitationFactory(company=company, subscriber=alice, code="payer")
    HabilitationFactory(company=company, subscriber=bob, code="payer", deputy_admin=True, by=alice)
    wanted = delegation_requests.Wanted(
        levels={"declarer_tva": Role.ACTOR, "payer_tva": Role.ACTOR}
    )
    req = delegation_requests.submit(firm, company, wanted)
    url = f"/espace/demandes-delegation/recues/{req.pk}/"

    def page() -> str:
        return html.unescape(client.get(url).content.decode())

    with time_machine.travel(CURRENT_TIME, tick=False) as traveller:
        # Before answering, Bob reads that his answer is final, and that what he cannot grant
        # will not be granted by it.
        client.force_login(bob)
        prove_fresh_factor(client)
        assert "Votre réponse sera celle de l'entreprise et elle est définitive" in page()
        assert "Les services que vos habilitations ne vous permettent pas de déléguer" in page()
        client.post(url, {"accept": "1", "level_payer_tva": "AC"})
        answered = page()
        assert (
            f"acceptée en partie par {bob.display_name} le 02/03/2026 à 10:30 (vous)." in answered
        )
        assert "Déléguer mes habilitations" not in answered

        # Alice, later, finds the answer given, by whom and when, and where to grant the rest.
        traveller.shift(timedelta(hours=2))
        client.force_login(alice)
        prove_fresh_factor(client)
        seen = page()
        assert (
            f"Cette demande a été acceptée en partie par {bob.display_name} le 02/03/2026 à "
            "10:30." in seen
        )
        assert "elle est définitive" in seen and 'name="accept"' not in seen
        delegate = f"/espace/dossiers/{company.identifier}/delegations/delegataire/"
        assert f'href="{delegate}{firm.subscriber_number}/">Déléguer mes habilitations</a>' in seen
        assert client.get(f"{delegate}{firm.subscriber_number}/").status_code == 200


def _count(client, url) -> int:
    with CaptureQueriesContext(connection) as captured:
        assert client.get(url).status_code == 200
    return len(captured.captured_queries)


def test_lists_take_the_same_number_of_queries_for_3_or_30_requests(client, firm, alice):
    counts = []
    for size in (3, 30):
        companies = [_client_of(alice) for _ in range(size)]
        delegation_requests.submit_many(firm, companies, WANTED)
        client.force_login(alice)
        prove_fresh_factor(client)
        received = _count(client, "/espace/demandes-delegation/recues/")
        client.force_login(firm)
        prove_fresh_factor(client)
        sent = _count(client, "/espace/demandes-delegation/")
        counts.append((received, sent))
        DelegationRequest.objects.all().delete()
    # The session and the user, then the count, the page of requests and their services.
    assert counts == [(5, 5), (5, 5)], counts


def test_each_row_links_to_its_own_request(client, firm, alice):
    """The lists reverse their rows' addresses once (core.links.UrlPattern): still each row's."""
    companies = [_client_of(alice) for _ in range(3)]
    requests = delegation_requests.submit_many(firm, companies, WANTED).requests
    client.force_login(alice)
    prove_fresh_factor(client)
    received = client.get("/espace/demandes-delegation/recues/").content.decode()
    client.force_login(firm)
    prove_fresh_factor(client)
    sent = client.get("/espace/demandes-delegation/").content.decode()
    for req in requests:
        assert f'<tr id="ask-{req.pk}" data-company="{req.company.identifier}">' in received
        row = received[received.index(f'<tr id="ask-{req.pk}"') :]
        row = row[: row.index("</tr>")]
        assert f'href="{reverse("delegation_requests:answer", args=[req.pk])}"' in row
        row = sent[sent.index(f'<tr id="ask-{req.pk}"') :]
        row = row[: row.index("</tr>")]
        assert f'action="{reverse("delegation_requests:withdraw", args=[req.pk])}"' in row
    # The blocked requesters of a company, each with its own « Débloquer ».
    company = companies[0]
    blocked = [SubscriberFactory() for _ in range(2)]
    for requester in blocked:
        answers.refuse(alice, delegation_requests.submit(requester, company, WANTED).pk, block=True)
    client.force_login(alice)
    prove_fresh_factor(client)
    page = client.get(f"/espace/dossiers/{company.identifier}/demandes-delegation/")
    for block in FirmBlock.objects.filter(company=company):
        assert (
            f'action="{reverse("delegation_requests:unblock", args=[block.pk])}"'
            in page.content.decode()
        )
