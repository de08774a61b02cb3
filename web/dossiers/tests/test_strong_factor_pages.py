"""*Exiger une authentification forte* and what the company's requirement shows on the dossier's
pages (docs/habilitations.md §14): the Gérer entry and its guard, the date next to its field,
the confirmation listing who does not comply, lifting; the Payer menu and service page of a
holder without a strong factor; the *Qui a accès* column, without a query per holder."""

import html
import re
from datetime import timedelta

import pytest
import time_machine
from django.db import connection
from django.test.utils import CaptureQueriesContext

from correspondence.models import Message
from habilitations.choices import Role
from habilitations.models import StrongFactorPolicy
from tests.factories import HabilitationFactory, SubscriberFactory
from tests.helpers import CURRENT_TIME

pytestmark = pytest.mark.django_db
DAY = timedelta(days=1)


@pytest.fixture(autouse=True)
def _clock():
    with time_machine.travel(CURRENT_TIME, tick=False) as traveller:
        yield traveller


@pytest.fixture
def admin(company):
    person = SubscriberFactory(first_name="Marianne", last_name="Dupont", strong_factor=True)
    HabilitationFactory(company=company, subscriber=person, code="payer")
    HabilitationFactory(company=company, subscriber=person, code="declarer_tva")
    return person


@pytest.fixture
def payer_actor(company, admin):
    person = SubscriberFactory(first_name="Paul", last_name="Martin")
    for code in ("payer_tva", "declarer_tva"):
        HabilitationFactory(
            company=company, subscriber=person, code=code, role=Role.ACTOR, by=admin
        )
    return person


def _text(response) -> str:
    return html.unescape(response.content.decode())


def _url(company) -> str:
    return f"/espace/dossiers/{company.identifier}/authentification-forte/"


def test_the_admin_sets_it_after_a_confirmation(client, company, admin, payer_actor):
    client.force_login(admin)
    home = _text(client.get(f"/espace/dossiers/{company.identifier}/"))
    assert "Exiger une authentification forte" in home
    too_soon = _text(client.post(_url(company), {"step": "check", "applies_from": "2026-03-10"}))
    assert "Choisissez une date à partir du 16/03/2026" in too_soon
    assert 'aria-describedby="applies_from-desc-error' in too_soon or "fr-error-text" in too_soon
    assert not StrongFactorPolicy.objects.exists()
    confirm = _text(client.post(_url(company), {"step": "check", "applies_from": "2026-03-20"}))
    assert "Personnes concernées : <strong>2</strong>" in confirm
    assert "Paul MARTIN" in confirm or "Paul Martin" in confirm
    assert not StrongFactorPolicy.objects.exists()  # nothing before the confirmation
    done = client.post(_url(company), {"step": "confirm", "applies_from": "2026-03-20"})
    assert done.status_code == 302
    assert StrongFactorPolicy.objects.get(company=company).applies_from.isoformat() == "2026-03-20"
    assert Message.objects.filter(to=payer_actor.email, subject__contains="exige").exists()
    page = _text(client.get(_url(company)))
    assert "Exigence en place" in page and "à partir du 20/03/2026" in page
    ask = _text(client.post(_url(company), {"step": "lift_ask"}))
    assert "Lever l'exigence" in ask and StrongFactorPolicy.objects.exists()
    client.post(_url(company), {"step": "lift"})
    assert not StrongFactorPolicy.objects.exists()


def test_a_french_date_is_read_and_a_wrong_one_is_said(client, company, admin):
    client.force_login(admin)
    confirm = _text(client.post(_url(company), {"step": "check", "applies_from": "20/03/2026"}))
    assert "Confirmer l'exigence" in confirm
    wrong = _text(client.post(_url(company), {"step": "check", "applies_from": "32/03/2026"}))
    assert "Saisissez une date valide, au format JJ/MM/AAAA." in wrong


def test_only_administrators_reach_the_page(client, company, payer_actor):
    client.force_login(payer_actor)
    assert client.get(_url(company)).status_code == 403
    home = _text(client.get(f"/espace/dossiers/{company.identifier}/"))
    assert "Exiger une authentification forte" not in home


def test_a_holder_without_factor_sees_why_payer_is_refused(
    client, company, admin, payer_actor, _clock
):
    StrongFactorPolicy.objects.create(
        company=company, applies_from=CURRENT_TIME.date(), set_by=admin, set_at=CURRENT_TIME
    )
    client.force_login(payer_actor)
    home = _text(client.get(f"/espace/dossiers/{company.identifier}/"))
    assert "pour le service Payer : activez-en une dans" in home
    assert 'href="/espace/securite/">Sécurité de connexion</a>' in home
    assert "TVA</a>" in home  # Déclarer TVA stays
    assert "/services/payer_tva/" not in home
    service = client.get(f"/espace/dossiers/{company.identifier}/services/payer_tva/")
    assert service.status_code == 403
    assert "exige une application d'authentification ou une clé d'accès" in _text(service)
    payer_actor.strong_factor = True
    payer_actor.save(update_fields=["strong_factor"])
    assert (
        client.get(f"/espace/dossiers/{company.identifier}/services/payer_tva/").status_code == 200
    )


def _factor_cells(page: str) -> list[str]:
    holders = page.split('id="holders"')[1].split('id="history"')[0]
    return re.findall(r"<td>(Oui|Non|—)</td>", holders)


def _queries(client, url) -> int:
    with CaptureQueriesContext(connection) as queries:
        assert client.get(url).status_code == 200
    return len(queries)


def test_who_has_access_shows_who_complies_without_a_query_per_holder(
    client, company, admin, payer_actor
):
    client.force_login(admin)
    url = f"/espace/dossiers/{company.identifier}/acces/"
    assert "Authentification forte" not in _text(client.get(url))
    StrongFactorPolicy.objects.create(
        company=company,
        applies_from=CURRENT_TIME.date() + 20 * DAY,
        set_by=admin,
        set_at=CURRENT_TIME,
    )
    page = _text(client.get(url))
    assert "Authentification forte" in page and "à partir du 22/03/2026" in page
    cells = _factor_cells(page)
    # Marianne's Payer and TVA (AT: Oui, Oui), Paul's Payer TVA (Non) and TVA as an actor (—).
    assert sorted(cells) == sorted(["Oui", "Oui", "Non", "—"])
    few = _queries(client, url)
    for n in range(5):
        other = SubscriberFactory(strong_factor=n % 2 == 0)
        HabilitationFactory(
            company=company, subscriber=other, code="payer_is", role=Role.ACTOR, by=admin
        )
    assert _queries(client, url) == few
    assert len(_factor_cells(_text(client.get(url)))) == 9
