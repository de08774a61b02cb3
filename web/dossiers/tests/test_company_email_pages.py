"""The company e-mail (docs/habilitations.md §2, docs/durations.md §1): changed by the AT/AS of
Messagerie; the new address replaces the old one only once its 72-hour link is followed."""

import html
import re
from datetime import timedelta

import pytest
import time_machine
from django.test import Client

from audit.models import Action, AuditEvent
from companies.models import CompanyEmail
from correspondence.models import Message
from habilitations.choices import Origin, Role
from habilitations.company_data import email as company_email
from tests.factories import HabilitationFactory, SubscriberFactory
from tests.helpers import CURRENT_TIME

pytestmark = pytest.mark.django_db

LINK_RE = re.compile(r"/entreprise/adresse-electronique/([A-Za-z0-9_-]{22})/([A-Za-z0-9]{12})/")


@pytest.fixture(autouse=True)
def old_address(company):
    """The company's confirmed address before each test changes it."""
    company_email.set_address(company, "ancienne@marianne.example", general_information=True)


@pytest.fixture
def titular(company):
    subscriber = SubscriberFactory(first_name="Marianne", last_name="Dupont")
    HabilitationFactory(company=company, subscriber=subscriber, code="messagerie")
    return subscriber


def _url(company) -> str:
    return f"/espace/dossiers/{company.identifier}/adresse-electronique/"


def _link(email: str) -> str:
    body = Message.objects.filter(to=email).latest("sent_at", "id").body
    match = LINK_RE.search(body)
    assert match, body
    return match.group(0)


def _change(client, company, email):
    return client.post(_url(company), {"company_email": email, "company_email_confirmation": email})


def _text(response) -> str:
    return html.unescape(response.content.decode())


def test_the_new_address_replaces_the_old_once_its_link_is_followed(client, company, titular):
    client.force_login(titular)
    assert "ancienne@marianne.example" in _text(client.get(_url(company)))
    with time_machine.travel(CURRENT_TIME, tick=False):
        response = _change(client, company, "Nouvelle@Marianne.example")
        assert response["Location"] == _url(company)
        page = _text(client.get(_url(company)))
        pending = page.split('id="pending-company-email"')[1].split("</dd>")[0]
        assert "nouvelle@marianne.example" in pending
        assert "(lien à suivre avant le 05/03/2026 à 10:30)" in pending
        # Not yet: the old address is still the company's.
        assert CompanyEmail.objects.get(company=company).email == "ancienne@marianne.example"
        link = _link("nouvelle@marianne.example")
        client.logout()  # no login needed to follow it
        assert "Confirmez-vous que nouvelle@marianne.example" in _text(client.get(link))
        assert CompanyEmail.objects.get(company=company).email == "ancienne@marianne.example"
        done = _text(client.post(link))
        second = client.post(link)  # single use
    assert second.status_code == 400
    assert "est désormais nouvelle@marianne.example" in done
    address = CompanyEmail.objects.get(company=company)
    assert (address.email, address.changed_by, address.general_information) == (
        "nouvelle@marianne.example",
        titular,
        True,
    )
    notice = Message.objects.get(to="ancienne@marianne.example", purpose="company_email_changed")
    assert "nouvelle@marianne.example" in notice.body
    assert AuditEvent.objects.filter(action=Action.COMPANY_EMAIL_CHANGED).count() == 2


def test_the_link_is_dead_after_72_hours(client, company, titular):
    client.force_login(titular)
    with time_machine.travel(CURRENT_TIME, tick=False) as traveller:
        _change(client, company, "nouvelle@marianne.example")
        link = _link("nouvelle@marianne.example")
        traveller.shift(timedelta(hours=72))
        response = client.post(link)
    assert response.status_code == 400 and "72 heures" in _text(response)
    assert CompanyEmail.objects.get(company=company).email == "ancienne@marianne.example"


def test_the_link_works_just_before_72_hours(client, company, titular):
    client.force_login(titular)
    with time_machine.travel(CURRENT_TIME, tick=False) as traveller:
        _change(client, company, "nouvelle@marianne.example")
        link = _link("nouvelle@marianne.example")
        traveller.shift(timedelta(hours=72) - timedelta(seconds=1))
        assert client.post(link).status_code == 200
    assert CompanyEmail.objects.get(company=company).email == "nouvelle@marianne.example"


def test_a_newer_request_kills_the_previous_link(client, company, titular):
    client.force_login(titular)
    _change(client, company, "premiere@marianne.example")
    first = _link("premiere@marianne.example")
    _change(client, company, "seconde@marianne.example")
    assert client.post(first).status_code == 400
    client.post(_link("seconde@marianne.example"))
    assert CompanyEmail.objects.get(company=company).email == "seconde@marianne.example"


def test_wrong_tokens_cannot_kill_the_link(client, company, titular):
    client.force_login(titular)
    _change(client, company, "nouvelle@marianne.example")
    link = _link("nouvelle@marianne.example")
    forged = link[:-13] + "A" * 12 + "/"
    for _ in range(6):
        assert Client().post(forged).status_code == 400
    assert CompanyEmail.objects.get(company=company).email == "ancienne@marianne.example"
    # Counting wrong tokens would let anyone who learns a link's id kill it.
    client.post(link)
    assert CompanyEmail.objects.get(company=company).email == "nouvelle@marianne.example"


def test_a_change_asked_by_someone_who_lost_the_right_is_not_applied(client, company, titular):
    from habilitations.choices import Origin
    from habilitations.rights.actions import replace_titular
    from tests.factories import SubscriberFactory

    client.force_login(titular)
    _change(client, company, "attacker@evil.example")
    link = _link("attacker@evil.example")
    replace_titular(company, "messagerie", SubscriberFactory(), Origin.SUBSTITUTION)
    assert Client().post(link).status_code == 400
    assert CompanyEmail.objects.get(company=company).email == "ancienne@marianne.example"


def test_the_two_addresses_must_match(client, company, titular):
    client.force_login(titular)
    response = client.post(
        _url(company),
        {"company_email": "a@marianne.example", "company_email_confirmation": "b@m.example"},
    )
    assert response.context["form"].errors["company_email_confirmation"] == [
        "Les deux adresses électroniques sont différentes."
    ]
    assert not Message.objects.filter(to="a@marianne.example").exists()


def test_the_deputy_of_messagerie_may_change_it(client, company, titular):
    deputy = SubscriberFactory()
    HabilitationFactory(
        deputy_admin=True, company=company, subscriber=deputy, code="messagerie", by=titular
    )
    client.force_login(deputy)
    assert _change(client, company, "x@marianne.example").status_code == 302


@pytest.mark.parametrize("role", [Role.DELEGATING_ACTOR, Role.ACTOR])
def test_delegates_are_refused_and_the_refusal_is_audited(client, company, titular, role):
    delegate = SubscriberFactory()
    HabilitationFactory(
        role=role,
        origin=Origin.DELEGATION,
        company=company,
        subscriber=delegate,
        code="messagerie",
        by=titular,
    )
    client.force_login(delegate)
    assert client.get(_url(company)).status_code == 403
    assert _change(client, company, "pirate@example.fr").status_code == 403
    assert not Message.objects.filter(to="pirate@example.fr").exists()
    refusals = AuditEvent.objects.filter(action=Action.ACCESS_REFUSED, actor=delegate)
    assert refusals.count() == 2


def test_the_titular_of_payer_alone_is_refused(client, company):
    payer = SubscriberFactory()
    HabilitationFactory(company=company, subscriber=payer, code="payer")
    client.force_login(payer)
    assert client.get(_url(company)).status_code == 403


def test_the_dossier_links_to_the_company_email_page(client, company, titular):
    client.force_login(titular)
    manage = dict(client.get(f"/espace/dossiers/{company.identifier}/").context["manage"])
    assert manage["Modifier l'adresse électronique de l'entreprise"] == _url(company)
