"""*Comptes bancaires* of a dossier (docs/companies.md §1, docs/habilitations.md §2): who may
list, add and deactivate the company's bank accounts; the refusals, next to the fields."""

import html

import pytest

from audit.models import Action, AuditEvent
from companies.bank import (
    BankDetails,
    add_account,
)
from companies.models import BankAccount
from correspondence.models import Message
from habilitations.choices import Origin, Role
from tests.factories import CompanyFactory, HabilitationFactory, SubscriberFactory
from tests.helpers import prove_fresh_factor

pytestmark = pytest.mark.django_db


IBAN = "FR7630006000011234567890189"


@pytest.fixture
def titular(company):
    subscriber = SubscriberFactory(first_name="Marianne", last_name="Dupont")
    HabilitationFactory(company=company, subscriber=subscriber, code="payer")
    return subscriber


def _text(response) -> str:
    return html.unescape(response.content.decode())


def _url(company) -> str:
    return f"/espace/dossiers/{company.identifier}/comptes-bancaires/"


def test_the_titular_of_payer_lists_adds_and_deactivates(client, company, titular):
    client.force_login(titular)
    prove_fresh_factor(client)
    page = _text(client.get(_url(company)))
    assert "les comptes bancaires de l'espace professionnel ne sont destinés qu'au paiement" in page
    assert "Aucun compte bancaire" in page
    response = client.post(
        _url(company),
        {
            "iban": "FR76 3000 6000 0112 3456 7890 189",
            "bic": "BNPAFRPP",
            "holder": "SARL M",
            "label": "Compte courant",
        },
    )
    assert response["Location"] == _url(company)
    account = BankAccount.objects.get()
    assert (account.label, account.added_by, account.is_active) == ("Compte courant", titular, True)
    page = _text(client.get(_url(company)))
    assert "FR76 3000 6000 0112 3456 7890 189" in page and "Compte courant" in page
    client.post(f"{_url(company)}{account.pk}/", {"active": "0"})
    account.refresh_from_db()
    assert not account.is_active
    client.post(f"{_url(company)}{account.pk}/", {"active": "1"})
    account.refresh_from_db()
    assert account.is_active
    added = AuditEvent.objects.get(action=Action.BANK_ACCOUNT_ADDED)
    assert added.actor == titular and added.target == company.identifier


def test_mistakes_are_shown_next_to_each_field(client, company, titular):
    client.force_login(titular)
    prove_fresh_factor(client)
    response = client.post(_url(company), {"iban": "FR76 1234", "bic": "XX", "holder": ""})
    errors = response.context["form"].errors
    assert errors["iban"][0].startswith("IBAN invalide")
    assert errors["bic"][0].startswith("BIC invalide")
    assert errors["holder"] == ["Saisissez le nom du titulaire du compte."]
    assert not BankAccount.objects.exists()


def test_the_deputy_of_payer_may_manage_the_accounts(client, company, titular):
    deputy = SubscriberFactory()
    HabilitationFactory(
        deputy_admin=True, company=company, subscriber=deputy, code="payer", by=titular
    )
    client.force_login(deputy)
    prove_fresh_factor(client)
    assert client.get(_url(company)).status_code == 200


def test_the_titular_is_told_of_the_deputys_additions_and_activations(client, company, titular):
    """docs/companies.md §4.6: the pages go through the rule that tells the AT of Payer."""
    deputy = SubscriberFactory()
    HabilitationFactory(
        deputy_admin=True, company=company, subscriber=deputy, code="payer", by=titular
    )
    client.force_login(deputy)
    prove_fresh_factor(client)
    client.post(_url(company), {"iban": IBAN, "bic": "BNPAFRPP", "holder": "SARL M"})
    account = BankAccount.objects.get()
    client.post(f"{_url(company)}{account.pk}/", {"active": "0"})
    client.post(f"{_url(company)}{account.pk}/", {"active": "1"})
    notices = Message.objects.filter(to=titular.email, purpose="bank_account_changed")
    assert [("ajouté" in n.subject, "0189" in n.body) for n in notices.order_by("id")] == [
        (True, True),
        (False, True),
    ]


@pytest.mark.parametrize("role", [Role.DELEGATING_ACTOR, Role.ACTOR])
def test_delegates_are_refused_and_the_refusal_is_audited(client, company, titular, role):
    account = add_account(company, BankDetails.parse(IBAN, "BNPAFRPP", "A"))
    delegate = SubscriberFactory()
    for code in ("payer_tva", "payer_is"):
        HabilitationFactory(
            role=role,
            origin=Origin.DELEGATION,
            company=company,
            subscriber=delegate,
            code=code,
            by=titular,
        )
    client.force_login(delegate)
    prove_fresh_factor(client)
    assert client.get(_url(company)).status_code == 403
    forged = {"iban": "DE89370400440532013000", "bic": "COBADEFFXXX", "holder": "X"}
    assert client.post(_url(company), forged).status_code == 403
    assert client.post(f"{_url(company)}{account.pk}/", {"active": "0"}).status_code == 403
    account.refresh_from_db()
    assert account.is_active and BankAccount.objects.count() == 1
    refusals = AuditEvent.objects.filter(action=Action.ACCESS_REFUSED, actor=delegate)
    assert refusals.count() == 3
    assert all(r.target == company.identifier for r in refusals)


def test_the_titular_of_another_service_is_refused(client, company, titular):
    other = SubscriberFactory()
    HabilitationFactory(company=company, subscriber=other, code="messagerie")
    client.force_login(other)
    prove_fresh_factor(client)
    assert client.get(_url(company)).status_code == 403


def test_an_account_of_another_company_cannot_be_touched(client, company, titular):
    elsewhere = CompanyFactory(name="AUTRE")
    account = add_account(elsewhere, BankDetails.parse(IBAN, "BNPAFRPP", "A"))
    client.force_login(titular)
    prove_fresh_factor(client)
    assert client.post(f"{_url(company)}{account.pk}/", {"active": "0"}).status_code == 403
    account.refresh_from_db()
    assert account.is_active


def test_the_dossier_links_to_the_accounts_page(client, company, titular):
    client.force_login(titular)
    prove_fresh_factor(client)
    manage = dict(client.get(f"/espace/dossiers/{company.identifier}/").context["manage"])
    assert manage["Gérer les comptes bancaires de l'entreprise"] == _url(company)
