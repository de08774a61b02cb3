"""Links in e-mails are built from SITE_URL, never from the request's Host header, which the
client writes (docs/security.md §11): a forged Host cannot send a reset link to another site."""

import pytest

from companies.models import Company
from correspondence.models import Message
from habilitations.company_data import email as company_email
from tests.factories import CompanyFactory, HabilitationFactory, SubscriberFactory

pytestmark = pytest.mark.django_db

SITE = "https://portail.example.fr"
FORGED = {"HTTP_HOST": "evil.example", "HTTP_X_FORWARDED_HOST": "evil.example"}


@pytest.fixture(autouse=True)
def site(settings):
    settings.SITE_URL = SITE
    # A permissive ALLOWED_HOSTS (a misconfiguration, or a proxy passing any Host on): the
    # forged Host reaches the view.
    settings.ALLOWED_HOSTS = ["*"]


def _links(to: str) -> list[str]:
    body = Message.objects.filter(to=to).latest("sent_at", "id").body
    links = [word for word in body.split() if "://" in word]
    assert links, body
    return links


def test_the_password_reset_link(client):
    SubscriberFactory(email="lila@example.fr")
    client.post("/mot-de-passe-oublie/", {"email": "lila@example.fr"}, **FORGED)
    client.post(
        "/mot-de-passe-oublie/question-de-confiance/",
        {"trust_question": "animal", "trust_answer": "Lili"},
        **FORGED,
    )
    (link,) = _links("lila@example.fr")
    assert link.startswith(f"{SITE}/mot-de-passe-oublie/lien/")


def test_the_company_email_change_link(client, company: Company):
    company_email.set_address(company, "ancienne@marianne.example", general_information=True)
    titular = SubscriberFactory()
    HabilitationFactory(company=company, subscriber=titular, code="messagerie")
    client.force_login(titular)
    new = "nouvelle@marianne.example"
    client.post(
        f"/espace/dossiers/{company.identifier}/adresse-electronique/",
        {"company_email": new, "company_email_confirmation": new},
        **FORGED,
    )
    (link,) = _links(new)
    assert link.startswith(f"{SITE}/entreprise/adresse-electronique/")


def test_the_link_of_an_adhesion_request_sent_to_the_company_email(client, alice):
    martin = CompanyFactory(with_fiscal_address=True, name="SARL MARTIN DISTRIBUTION")
    client.force_login(alice)
    client.post(
        f"/espace/adhesions/entreprise/{martin.identifier}/",
        {
            "general_information": "non",
            "accept": "on",
            "services": ["messagerie"],
            "company_email": "contact@martin.example",
            "company_email_confirmation": "contact@martin.example",
        },
        **FORGED,
    )
    links = _links("contact@martin.example")
    assert links and all(link.startswith(f"{SITE}/") for link in links)
