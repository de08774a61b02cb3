"""Step-up before what moves money or rights (docs/security.md §14.4): each action of a stale
session — a remembered browser included — is sent to *Vérification de sécurité* with `next` and
the reason, nothing done; after the proof the form comes back with what was typed, and a fresh
session acts. Refusing, looking and reading are never asked."""

import pytest
from django.test import Client

from audit.models import Action, AuditEvent
from companies.models import BankAccount
from habilitations.choices import DelegationRequestState, Role
from habilitations.delegation_requests import actions as delegation_requests
from habilitations.models import DelegationRequest, Habilitation
from tests.factories import PASSWORD, HabilitationFactory, SubscriberFactory
from tests.helpers import BIC, IBAN, last_login_code, login, proof_location, prove_fresh_factor

pytestmark = pytest.mark.django_db

ACCOUNT = {"iban": IBAN, "bic": BIC, "holder": "SARL M", "label": "Compte courant"}


@pytest.fixture
def titular(company):
    person = SubscriberFactory(first_name="Marianne", last_name="Dupont")
    HabilitationFactory(company=company, subscriber=person, code="payer")
    HabilitationFactory(company=company, subscriber=person, code="declarer_tva")
    return person


@pytest.fixture
def stale(titular):
    """A session on a remembered browser: logged in without the second step, never proved."""
    client = Client()
    assert login(client, titular.email, PASSWORD, remember="on")["Location"] == "/espace/"
    client.post("/quitter/")
    assert client.post("/", {"username": titular.email, "password": PASSWORD})["Location"] == (
        "/espace/"
    )
    return client


def _dossier(company, rest: str) -> str:
    return f"/espace/dossiers/{company.identifier}/{rest}"


def test_adding_a_bank_account_asks_a_fresh_factor_then_keeps_what_was_typed(
    stale, company, titular
):
    url = _dossier(company, "comptes-bancaires/")
    assert stale.get(url).status_code == 200  # looking is free
    asked = stale.post(url, ACCOUNT)
    assert asked["Location"] == proof_location(url, "bank_account")
    assert not BankAccount.objects.exists()
    proof = stale.get(asked["Location"]).content.decode().replace("&#x27;", "'")
    assert "Pour ajouter ou modifier un compte bancaire, confirmez votre identité." in proof
    wrong = stale.post(asked["Location"], {"code": "000000"})
    assert wrong.status_code == 200
    assert AuditEvent.objects.filter(action=Action.FACTOR_STEP_UP_REFUSED, actor=titular).exists()
    back = stale.post(asked["Location"], {"code": last_login_code(titular.email)})
    assert back["Location"] == url
    form = stale.get(url).content.decode()
    assert f'value="{IBAN}"' in form and 'value="Compte courant"' in form
    assert stale.post(url, ACCOUNT)["Location"] == url
    assert BankAccount.objects.get().label == "Compte courant"


def test_making_an_account_inactive_asks_it_and_comes_back_to_the_list(stale, company, titular):
    client = Client()
    client.force_login(titular)
    prove_fresh_factor(client)
    client.post(_dossier(company, "comptes-bancaires/"), ACCOUNT)
    account = BankAccount.objects.get()
    url = _dossier(company, f"comptes-bancaires/{account.pk}/")
    asked = stale.post(url, {"active": "0"})
    assert asked["Location"] == proof_location(
        _dossier(company, "comptes-bancaires/"), "bank_account"
    )
    account.refresh_from_db()
    assert account.is_active
    prove_fresh_factor(stale)
    stale.post(url, {"active": "0"})
    account.refresh_from_db()
    assert not account.is_active


def test_the_proof_page_leads_back_to_the_page_the_form_was_on(stale, company):
    """A POST sent to the proof page comes back to the form's page (its Referer, same site)."""
    url = _dossier(company, "comptes-bancaires/")
    asked = stale.post(url, ACCOUNT, headers={"referer": f"http://testserver{url}?vue=1"})
    assert asked["Location"] == proof_location(f"{url}?vue=1", "bank_account")
    foreign = stale.post(url, ACCOUNT, headers={"referer": "https://ailleurs.example/x/"})
    assert foreign["Location"] == proof_location(url, "bank_account")


def test_designating_a_deputy_asks_it_when_confirming(stale, company, bob):
    url = _dossier(company, "suppleants/")
    data = {"service": "payer", "number": bob.subscriber_number}
    assert "Confirmer" in stale.post(url, data).content.decode()  # the name shown: free
    asked = stale.post(url, {**data, "confirm": "1"})
    assert asked["Location"] == proof_location(url, "deputy")
    assert not Habilitation.objects.filter(subscriber=bob).exists()
    prove_fresh_factor(stale)
    assert f'value="{bob.subscriber_number}"' in stale.get(url).content.decode()
    stale.post(url, {**data, "confirm": "1"})
    assert Habilitation.objects.get(subscriber=bob).role == Role.DEPUTY_ADMIN


def test_delegating_payer_asks_it_another_service_does_not(stale, company, bob):
    url = _dossier(company, f"delegations/delegataire/{bob.subscriber_number}/")
    assert stale.get(url).status_code == 200
    free = stale.post(url, {"level-declarer_tva": Role.ACTOR})
    assert free["Location"] == _dossier(company, "delegations/")
    asked = stale.post(url, {"level-payer_tva": Role.ACTOR})
    assert asked["Location"] == proof_location(url, "payer")
    assert not Habilitation.objects.filter(subscriber=bob, elementary_service="payer_tva").exists()
    prove_fresh_factor(stale)
    again = stale.get(url).content.decode()
    assert f'<option value="{Role.ACTOR}" selected>' in again
    stale.post(url, {"level-payer_tva": Role.ACTOR})
    assert Habilitation.objects.filter(subscriber=bob, elementary_service="payer_tva").exists()


def test_accepting_a_firms_request_asks_it_refusing_does_not(stale, company):
    wanted = delegation_requests.Wanted(levels={"declarer_tva": Role.ACTOR})
    accepted = delegation_requests.submit(SubscriberFactory(), company, wanted)
    refused = delegation_requests.submit(SubscriberFactory(), company, wanted)
    url = f"/espace/demandes-delegation/recues/{accepted.pk}/"
    asked = stale.post(url, {"accept": "1", "level_declarer_tva": "AC", "answer": "Bienvenue"})
    assert asked["Location"] == proof_location(url, "delegation_request")
    assert DelegationRequest.objects.get(pk=accepted.pk).is_pending
    other = f"/espace/demandes-delegation/recues/{refused.pk}/"
    stale.post(other, {"answer": "Non merci"})
    assert DelegationRequest.objects.get(pk=refused.pk).state == DelegationRequestState.REFUSED
    prove_fresh_factor(stale)
    assert "Bienvenue" in stale.get(url).content.decode()
    stale.post(url, {"accept": "1", "level_declarer_tva": "AC", "answer": "Bienvenue"})
    assert not DelegationRequest.objects.get(pk=accepted.pk).is_pending


def test_changing_the_identifiers_asks_it_before_the_form(stale):
    url = "/espace/identifiants/"
    asked = stale.get(url)
    assert asked["Location"] == proof_location(url, "identifiers")
    prove_fresh_factor(stale)
    assert 'name="current_password"' in stale.get(url).content.decode()  # still asked too
