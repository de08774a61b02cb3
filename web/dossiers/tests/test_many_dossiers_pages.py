"""Working through hundreds of dossiers (issue 12 §3): the portfolio's links and pager, the
filters of *Consulter vos services*, « même niveau pour tous les services »; and the header's
menu for narrow screens (§2)."""

import re

import pytest

from audit.models import Action as AuditAction
from audit.models import AuditEvent
from habilitations.choices import Role
from habilitations.models import Habilitation
from tests.factories import HabilitationFactory, SubscriberFactory, bulk_portfolio
from tests.helpers import prove_fresh_factor

pytestmark = pytest.mark.django_db


def _pager(page: str) -> str:
    match = re.search(r'id="pager-position"[^>]*>([^<]*)<', page)
    return match.group(1) if match else ""


def test_each_name_opens_its_dossier_and_valider_is_kept(client):
    firm = SubscriberFactory()
    companies = bulk_portfolio(firm, 3)
    client.force_login(firm)
    prove_fresh_factor(client)
    page = client.get("/espace/dossiers/").content.decode()
    for company in companies:
        assert (
            f'<a class="fr-link" href="/espace/dossiers/{company.identifier}/">{company.name}</a>'
            in page
        )
        assert f'value="{company.identifier}"' in page  # its radio button
    assert page.count(">Valider</button>") == 1
    assert 'id="pager"' not in page  # one page: no pager


def test_the_pager_says_which_page_of_how_many_and_reaches_the_last(client):
    firm = SubscriberFactory()
    bulk_portfolio(firm, 120)
    client.force_login(firm)
    prove_fresh_factor(client)
    page = client.get("/espace/dossiers/?tri=nom").content.decode()
    assert _pager(page) == "Page 1 sur 3"
    assert 'href="?tri=nom&amp;fin=1">Dernière page' in page
    last = client.get("/espace/dossiers/?tri=nom&fin=1")
    assert _pager(last.content.decode()) == "Page 3 sur 3"
    assert [e.name for e in last.context["page"].entries][-1] == "SOCIETE 00219"
    assert len(last.context["page"].entries) == 20
    previous = re.search(r'href="\?([^"]*)">Page précédente', last.content.decode()).group(1)
    back = client.get(f"/espace/dossiers/?{previous.replace('&amp;', '&')}").content.decode()
    assert _pager(back) == "Page 2 sur 3"


def test_consulter_vos_services_filters_by_company_service_and_role(client, company, alice, bob):
    HabilitationFactory(company=company, subscriber=alice, code="payer")
    HabilitationFactory(company=company, subscriber=alice, code="declarer_tva")
    HabilitationFactory(
        company=company, subscriber=bob, code="payer_tva", role=Role.ACTOR, by=alice
    )
    others = bulk_portfolio(bob, 3)  # AT of Déclarer TVA
    client.force_login(bob)
    prove_fresh_factor(client)
    response = client.get("/espace/habilitations/", {"service": "payer", "role": "AC"})
    assert [entry.identifier for entry, _ in response.context["groups"]] == [company.identifier]
    assert [h.elementary_service for h in response.context["groups"][0][1]] == ["payer_tva"]
    assert "1 entreprise correspond à votre recherche." in response.content.decode()
    response = client.get("/espace/habilitations/", {"role": "AT", "q": others[1].identifier})
    assert [entry.name for entry, _ in response.context["groups"]] == [others[1].name]
    page = client.get("/espace/habilitations/", {"q": "boulangerie"}).content.decode()
    assert "Aucune entreprise ne correspond à votre recherche." in page


def test_an_unknown_service_in_the_filter_is_told_next_to_the_field(client, alice, company):
    HabilitationFactory(company=company, subscriber=alice, code="declarer_tva")
    client.force_login(alice)
    prove_fresh_factor(client)
    response = client.get("/espace/habilitations/", {"service": "nimporte"})
    assert "Choisissez un service de la liste." in response.content.decode()
    assert len(response.context["groups"]) == 1  # nothing filtered


@pytest.fixture
def titular(company, alice):
    HabilitationFactory(company=company, subscriber=alice, code="declarer_tva")
    HabilitationFactory(company=company, subscriber=alice, code="payer")
    return alice


def test_the_same_level_for_every_service_at_once(client, company, titular, bob):
    url = f"/espace/dossiers/{company.identifier}/delegations/delegataire/{bob.subscriber_number}/"
    client.force_login(titular)
    prove_fresh_factor(client)
    page = client.get(url).content.decode()
    assert "Même niveau pour tous les services" in page
    response = client.post(url, {"all-level": "AC"}, follow=True)
    assert Habilitation.objects.filter(subscriber=bob, role=Role.ACTOR).count() == 10
    assert "Niveau « Acteur » sur 10 services." in response.content.decode()


def test_a_forged_level_for_every_service_is_refused_and_audited(
    client, company, alice, bob, carol
):
    HabilitationFactory(company=company, subscriber=alice, code="declarer_tva")
    HabilitationFactory(
        company=company, subscriber=bob, code="declarer_tva", role=Role.DELEGATING_ACTOR, by=alice
    )
    client.force_login(bob)
    prove_fresh_factor(client)
    url = (
        f"/espace/dossiers/{company.identifier}/delegations/delegataire/{carol.subscriber_number}/"
    )
    assert client.post(url, {"all-level": "AD"}).status_code == 403
    assert not Habilitation.objects.filter(subscriber=carol).exists()
    assert AuditEvent.objects.filter(action=AuditAction.ACCESS_REFUSED, actor=bob).exists()
    client.post(url, {"all-level": "AC"})
    assert Habilitation.objects.get(subscriber=carol).role == Role.ACTOR


@pytest.mark.parametrize("logged_in", [False, True])
def test_the_menu_of_narrow_screens_holds_every_link_of_the_header(client, alice, logged_in):
    """Issue 12 §2: the Menu button's modal has the tools area's links, whatever they are."""
    if logged_in:
        client.force_login(alice)
        prove_fresh_factor(client)
    page = client.get("/conditions-generales/").content.decode()
    tools = re.search(r'fr-header__tools-links">(.*?)</ul>', page, re.S).group(1)
    menu = re.search(r'fr-header__menu-links">(.*?)</ul>', page, re.S).group(1)
    assert re.sub(r'value="[^"]+"', "", tools) == re.sub(r'value="[^"]+"', "", menu)
    assert ("Quitter" in menu) is logged_in and ("Espace pro." in menu) is logged_in
    assert 'aria-controls="header-menu"' in page and 'id="header-menu"' in page
