"""The current dossier (issue 12 §3): set by every page of a dossier, named in the band, its
menus on the home page and in the persistent bar of every page of a dossier."""

import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from habilitations.choices import Role
from habilitations.models import Habilitation
from habilitations.rights.actions import remove
from tests.factories import CompanyFactory, HabilitationFactory

pytestmark = pytest.mark.django_db

BAR = ["DOSSIER", "GÉRER", "CONSULTER", "DÉCLARER", "PAYER", "DÉMARCHES", "MESSAGERIE"]


def _band(page: str) -> str:
    match = re.search(r'id="header-dossier"[^>]*>([^<]*)<', page)
    return match.group(1) if match else ""


def _bar(page: str) -> list[str]:
    return re.findall(r'class="fr-nav__btn"[^>]*>([^<]*)<', page)


@pytest.fixture
def two_dossiers(alice):
    simonet = CompanyFactory(name="SARL SIMONET")
    atlantique = CompanyFactory(name="EURL ATLANTIQUE LOIRE")
    for company in (simonet, atlantique):
        HabilitationFactory(company=company, subscriber=alice, code="declarer_tva")
    return simonet, atlantique


def test_every_page_of_a_dossier_makes_it_the_current_one(client, alice, two_dossiers):
    simonet, atlantique = two_dossiers
    client.force_login(alice)
    client.get(f"/espace/dossiers/{simonet.identifier}/")
    for path in ("delegations/", "acces/", "suppleants/", "services/declarer_tva/"):
        client.get(f"/espace/dossiers/{simonet.identifier}/")
        page = client.get(f"/espace/dossiers/{atlantique.identifier}/{path}").content.decode()
        assert _band(page) == f"Dossier : EURL ATLANTIQUE LOIRE ({atlantique.identifier})", path
        assert _bar(page) == BAR, path
        assert "EURL ATLANTIQUE LOIRE" in _band(
            client.get("/conditions-generales/").content.decode()
        )


def test_a_refused_dossier_does_not_become_the_current_one(client, alice, bob, two_dossiers):
    simonet, _ = two_dossiers
    elsewhere = CompanyFactory(name="SAS AILLEURS")
    HabilitationFactory(company=elsewhere, subscriber=bob, code="declarer_tva")
    client.force_login(alice)
    client.get(f"/espace/dossiers/{simonet.identifier}/")
    assert client.get(f"/espace/dossiers/{elsewhere.identifier}/").status_code == 403
    assert "SARL SIMONET" in _band(client.get("/espace/").content.decode())


def test_an_adhesion_for_a_new_company_names_it_in_the_band_without_changing_the_dossier(
    client, alice, two_dossiers
):
    simonet, atlantique = two_dossiers
    newcomer = CompanyFactory(name="SARL NOUVELLE")
    client.force_login(alice)
    client.get(f"/espace/dossiers/{simonet.identifier}/")
    page = client.get(f"/espace/adhesions/entreprise/{newcomer.identifier}/").content.decode()
    assert _band(page) == f"Entreprise : SARL NOUVELLE ({newcomer.identifier})"
    assert f'href="/espace/dossiers/{newcomer.identifier}/"' not in page  # not a dossier of hers
    assert _bar(page) == []
    assert "SARL SIMONET" in _band(client.get("/espace/").content.decode())
    # An adhesion for more services of one of her dossiers: that dossier becomes the current one.
    page = client.get(f"/espace/adhesions/entreprise/{atlantique.identifier}/").content.decode()
    assert _band(page) == f"Dossier : EURL ATLANTIQUE LOIRE ({atlantique.identifier})"
    assert "EURL ATLANTIQUE LOIRE" in _band(client.get("/espace/").content.decode())


def test_the_home_page_shows_the_current_dossiers_menus(client, alice, two_dossiers):
    simonet, _ = two_dossiers
    client.force_login(alice)
    page = client.get("/espace/").content.decode()
    assert "Dossier en cours" not in page and _bar(page) == []
    client.get(f"/espace/dossiers/{simonet.identifier}/")
    response = client.get("/espace/")
    page = response.content.decode()
    assert "Dossier en cours : SARL SIMONET" in page
    assert [
        entry.label for entry in {m.label: m.entries for m in response.context["menus"]}["Déclarer"]
    ] == ["TVA"]
    assert f'href="/espace/dossiers/{simonet.identifier}/services/declarer_tva/"' in page
    assert _bar(page) == BAR


def test_a_current_dossier_whose_rights_are_gone_is_forgotten(client, alice, two_dossiers):
    simonet, _ = two_dossiers
    client.force_login(alice)
    client.get(f"/espace/dossiers/{simonet.identifier}/")
    remove(Habilitation.objects.get(company=simonet, subscriber=alice))
    page = client.get("/espace/").content.decode()
    assert "Dossier en cours" not in page and _band(page) == ""
    assert "current_dossier" not in client.session


def test_the_bar_offers_exactly_what_the_dossier_page_offers(client, alice, bob, company):
    HabilitationFactory(company=company, subscriber=alice, code="payer")
    HabilitationFactory(
        company=company, subscriber=bob, code="payer_tva", role=Role.ACTOR, by=alice
    )
    client.force_login(bob)
    page = client.get(f"/espace/dossiers/{company.identifier}/").content.decode()
    bar = page[
        page.index('id="dossier-nav"') : page.index("</nav>", page.index('id="dossier-nav"'))
    ]
    assert f"/espace/dossiers/{company.identifier}/services/payer_tva/" in bar
    assert "/services/declarer_tva/" not in bar
    assert "Votre rôle ne vous permet pas de gérer les accès à ce dossier." in bar
    assert "/delegations/" not in bar
    client.force_login(alice)
    page = client.get(f"/espace/dossiers/{company.identifier}/").content.decode()
    bar = page[
        page.index('id="dossier-nav"') : page.index("</nav>", page.index('id="dossier-nav"'))
    ]
    assert f"/espace/dossiers/{company.identifier}/comptes-bancaires/" in bar


def test_the_home_with_a_current_dossier_reads_its_rights_in_one_query(client, alice, two_dossiers):
    """The one query the home page adds when a dossier is current: the rights on it, for its
    menus (4 without a current dossier — the messaging's unread dossiers among them —, docs/
    design.md "The hot path")."""
    simonet, _ = two_dossiers
    client.force_login(alice)
    client.get(f"/espace/dossiers/{simonet.identifier}/")
    client.get("/espace/")
    with CaptureQueriesContext(connection) as queries:
        client.get("/espace/")
    assert len(queries) == 5
