"""Help (docs/help.md): « En savoir plus » under each menu entry, the help pages, *Aide*, the
assistance's number from the settings, *Calendrier fiscal*, the manager's contacts."""

import html
import re
from datetime import datetime

import pytest
import time_machine
from django.utils import timezone

from tests.factories import CompanyFactory, HabilitationFactory
from web.help.fiscal_calendar import BY_MONTH
from web.help.topics import TOPICS

pytestmark = pytest.mark.django_db


def _text(response) -> str:
    return html.unescape(response.content.decode())


def _learn_more_links(page: str) -> list[str]:
    return re.findall(
        r'href="(/aide/[\w-]+/)" aria-describedby="learn-more-[\w-]+">En savoir plus', page
    )


def test_every_help_page_is_public_titled_and_gives_the_assistance_from_the_settings(
    client, settings
):
    settings.ASSISTANCE_PHONE = "01 23 45 67 89"
    settings.ASSISTANCE_HOURS = "de 9h00 à 17h00 du lundi au vendredi"
    index = _text(client.get("/aide/"))
    for topic in TOPICS:
        assert f'href="/aide/{topic.slug}/"' in index
        page = _text(client.get(f"/aide/{topic.slug}/"))
        assert f'<h1 id="help-title">{topic.title}</h1>' in page
        assert "01 23 45 67 89" in page and "de 9h00 à 17h00 du lundi au vendredi" in page
    assert client.get("/aide/inconnu/").status_code == 404


def test_the_home_page_has_en_savoir_plus_under_its_entries_and_mes_autres_services(client, alice):
    HabilitationFactory(subscriber=alice, code="declarer_tva")
    client.force_login(alice)
    page = _text(client.get("/espace/"))
    links = _learn_more_links(page)
    assert {
        "/aide/adherer/",
        "/aide/substitution/",
        "/aide/activer/",
        "/aide/coordonnees/",
        "/aide/identifiants/",
        "/aide/dossiers/",
        "/aide/habilitations/",
    } <= set(links)
    for link in links:
        assert client.get(link).status_code == 200
    other = page.split('id="menu-autres-services"')[1]
    assert "Calendrier fiscal" in other
    assert "Coordonnées du gestionnaire et prise de rendez-vous" in other


def test_the_dossiers_gerer_menu_has_en_savoir_plus_under_each_entry(client, alice):
    habilitation = HabilitationFactory(subscriber=alice, code="payer")
    client.force_login(alice)
    page = _text(client.get(f"/espace/dossiers/{habilitation.company.identifier}/"))
    manage = page.split('id="manage-entries"')[1].split("</ul>")[0]
    assert _learn_more_links(manage) == [
        "/aide/comptes-bancaires/",
        "/aide/suppleants/",
        "/aide/delegations/",
    ]


def test_the_fiscal_calendar_lists_each_month_and_marks_this_one(client):
    with time_machine.travel(datetime(2026, 6, 10, 12, tzinfo=timezone.get_current_timezone())):
        page = _text(client.get("/aide/calendrier-fiscal/"))
    months = re.findall(r'<h2 class="fr-h4" id="month-(\d+)">', page)
    assert months == [str(n) for n in range(1, 13)]
    assert 'id="mois-6" aria-labelledby="month-6" aria-current="date"' in page
    assert page.count('aria-current="date"') == 1
    assert "Impôt sur les sociétés</strong>, le 15 : Deuxième acompte." in page
    assert "Chaque mois" in page and "entre le 15 et le 24" in page
    # The data module holds every month, the corporate tax's four instalments among them.
    assert sorted(BY_MONTH) == list(range(1, 13))
    instalments = [
        month
        for month, deadlines in BY_MONTH.items()
        for deadline in deadlines
        if deadline.tax == "Impôt sur les sociétés" and deadline.what.endswith("acompte.")
    ]
    assert instalments == [3, 6, 9, 12]


def test_the_managers_contacts_are_the_current_dossiers_else_how_to_find_them(client, alice):
    company = CompanyFactory(with_fiscal_address=True)
    HabilitationFactory(subscriber=alice, company=company, code="declarer_tva")
    client.force_login(alice)
    page = _text(client.get("/espace/coordonnees-du-gestionnaire/"))
    assert "Choisissez d'abord le dossier" in page
    session = client.session
    session["current_dossier"] = {"identifier": company.identifier, "name": company.name}
    session.save()
    response = client.get("/espace/coordonnees-du-gestionnaire/")
    assert response["Location"] == (
        f"/espace/dossiers/{company.identifier}/services/coordonnees_gestionnaire/"
    )
    service = _text(client.get(response["Location"]))
    assert "Service gestionnaire de l'entreprise" in service
    assert company.fiscal_address.splitlines()[0] in service
