"""Creating a space in simplified mode (docs/accounts.md §13, docs/habilitations.md §9):
identifiers, form and SIREN; the company e-mail's 72-hour link; the letter's 60-day code, which
creates the space and makes its holder the AT of every service of the company still free."""

from dataclasses import replace
from datetime import timedelta

import pytest
import time_machine
from django.contrib.auth.hashers import check_password

from accounts.flows.registration import (
    EMAIL_TAKEN,
    email_problem,
    registration_email_problem,
    submit_registration,
)
from accounts.models import PendingRegistration, Subscriber
from companies.bank import BankDetails, add_account
from companies.models import BankAccount, CompanyEmail
from core.refusals import Refusal
from correspondence.models import Kind, Message
from habilitations.catalogue import SERVICES
from habilitations.models import (
    Habilitation,
    Origin,
    PortfolioEntry,
    RequestKind,
    RequestState,
    Role,
    SimplifiedRegistration,
)
from habilitations.postal.simplified import activate_pending_space as activate_space
from habilitations.postal.simplified import check_company, needs_bank, submit_simplified
from tests.factories import HabilitationFactory, SubscriberFactory
from tests.helpers import (
    CURRENT_TIME,
    IBAN,
    SIMPLIFIED_COMPANY_EMAIL,
    STRONG_PASSWORD,
    last_code_sent_to,
    link_for,
    simplified_letter,
    wrong,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def data(simplified_data):
    return simplified_data


def test_the_company_must_be_known(db):
    with pytest.raises(Refusal, match="Numéro SIREN invalide"):
        check_company("123 456 789")
    with pytest.raises(Refusal, match="Ce SIREN n'est pas connu"):
        check_company("732 829 320")


def test_a_service_managed_by_someone_else_is_left_to_them_and_not_asked_for(data, company):
    someone = SubscriberFactory()
    HabilitationFactory(company=company, subscriber=someone, code="declarer_tva")
    HabilitationFactory(company=company, subscriber=someone, code="payer")
    assert check_company(company.identifier) == company
    # Payer has its AT: no bank account is asked.
    assert not needs_bank(company)
    req, code = simplified_letter(replace(data, bank=None))
    assert "declarer_tva" not in req.services and "payer" not in req.services
    assert len(req.services) == 18
    assert "Déclarer TVA" not in Message.objects.get(kind=Kind.LETTER).body
    subscriber = activate_space(data.registration.email, code, password=STRONG_PASSWORD)
    req.refresh_from_db()
    assert len(req.granted) == 18 and req.not_granted == []
    held = set(Habilitation.objects.filter(subscriber=subscriber).values_list("service", flat=True))
    assert "declarer_tva" not in held and "messagerie" in held
    assert Habilitation.objects.get(service="declarer_tva").subscriber == someone
    assert not BankAccount.objects.exists()


def test_refused_only_when_every_service_is_managed_saying_what_to_do(company):
    someone = SubscriberFactory()
    for service in SERVICES:
        HabilitationFactory(company=company, subscriber=someone, code=service.code)
    with pytest.raises(Refusal) as refused:
        check_company(company.identifier)
    message = refused.value.message
    assert message.startswith("Tous les services en ligne de cette entreprise sont déjà gérés")
    assert "mode expert" in message and "substitution" in message and "déléguer" in message


def test_the_link_goes_to_the_company_email_and_no_space_exists_yet(data, company):
    with time_machine.travel(CURRENT_TIME, tick=False):
        req = submit_simplified(data, link_for=link_for)
    assert req.kind == RequestKind.SIMPLIFIED and req.state == RequestState.AWAITING_EMAIL
    assert req.requester is None
    assert req.services == [s.code for s in SERVICES]
    email = Message.objects.get(kind=Kind.EMAIL)
    assert email.to == SIMPLIFIED_COMPANY_EMAIL
    assert "création d'un espace professionnel en mode simplifié" in email.body
    assert "avant le 05/03/2026 à 10:30" in email.body
    assert not Subscriber.objects.exists()
    registration = SimplifiedRegistration.objects.get()
    assert registration.email == data.registration.email
    assert check_password(STRONG_PASSWORD, registration.password_hash)


def test_one_email_one_space_also_while_a_simplified_creation_is_pending(data, registration):
    with time_machine.travel(CURRENT_TIME, tick=False) as traveller:
        submit_simplified(data, link_for=link_for)
        pending = "Une création d'espace en mode simplifié est déjà en cours"
        assert registration_email_problem(registration.email).startswith(pending)
        assert email_problem(registration.email) == EMAIL_TAKEN
        with pytest.raises(Refusal, match=pending):
            submit_registration(registration)
        with pytest.raises(Refusal, match=pending):
            submit_simplified(data, link_for=link_for)
        traveller.shift(timedelta(hours=72))
        assert email_problem(registration.email) is None
        # Starting over replaces the lapsed creation.
        submit_simplified(data, link_for=link_for)
    assert SimplifiedRegistration.objects.count() == 1


def test_the_code_creates_the_space_with_every_service(data, company):
    with time_machine.travel(CURRENT_TIME, tick=False):
        req, code = simplified_letter(data)
        letter = Message.objects.get(kind=Kind.LETTER)
        assert letter.purpose == "simplified_code" and letter.siren == company.identifier
        assert "Activer mon espace / mes services" in letter.body
        # The letter says all that the activation asks, the chosen password included.
        assert "ce code et le mot de passe qu'elle a choisi lors de sa demande" in letter.body
        subscriber = activate_space(
            data.registration.email, code, password=data.registration.password
        )
    assert subscriber.registered_at == CURRENT_TIME
    assert subscriber.check_password(STRONG_PASSWORD)
    rows = Habilitation.objects.filter(subscriber=subscriber, company=company)
    assert {h.service for h in rows} == {s.code for s in SERVICES}
    assert {(h.role, h.origin) for h in rows} == {(Role.TITULAR_ADMIN, Origin.SIMPLIFIED)}
    assert PortfolioEntry.objects.get(subscriber=subscriber).titular_count == 20
    req.refresh_from_db()
    assert req.requester == subscriber and req.state == RequestState.ACTIVATED
    assert CompanyEmail.objects.get(company=company).email == SIMPLIFIED_COMPANY_EMAIL
    assert BankAccount.objects.get(company=company).iban == IBAN
    assert not SimplifiedRegistration.objects.exists()


def test_a_service_taken_meanwhile_is_not_granted(data, company):
    req, code = simplified_letter(data)
    someone = SubscriberFactory()
    HabilitationFactory(company=company, subscriber=someone, code="messagerie")
    subscriber = activate_space(data.registration.email, code, password=STRONG_PASSWORD)
    req.refresh_from_db()
    assert req.not_granted == ["messagerie"] and len(req.granted) == 19
    assert not Habilitation.objects.filter(subscriber=subscriber, service="messagerie").exists()
    # The company e-mail goes with Messagerie: not recorded.
    assert not CompanyEmail.objects.exists()


def test_the_code_is_single_use(data):
    _, code = simplified_letter(data)
    activate_space(data.registration.email, code, password=STRONG_PASSWORD)
    with pytest.raises(Refusal):
        activate_space(data.registration.email, code, password=STRONG_PASSWORD)
    assert Subscriber.objects.count() == 1


def test_five_wrong_codes_kill_the_creation(data):
    _, code = simplified_letter(data)
    for _ in range(4):
        with pytest.raises(Refusal, match="incorrect"):
            activate_space(
                data.registration.email, wrong(code), password=data.registration.password
            )
    with pytest.raises(Refusal, match="trop de fois"):
        activate_space(data.registration.email, wrong(code), password=STRONG_PASSWORD)
    with pytest.raises(Refusal, match="trop de fois"):
        activate_space(data.registration.email, code, password=STRONG_PASSWORD)
    assert not Subscriber.objects.exists()


def test_the_code_is_dead_after_60_days(data):
    with time_machine.travel(CURRENT_TIME, tick=False) as traveller:
        req, code = simplified_letter(data)
        traveller.shift(timedelta(days=60))
        with pytest.raises(Refusal, match="60 jours"):
            activate_space(data.registration.email, code, password=STRONG_PASSWORD)
    assert not Subscriber.objects.exists()
    req.refresh_from_db()
    assert req.state == RequestState.EXPIRED


def test_no_code_before_the_company_email_is_confirmed(data):
    submit_simplified(data, link_for=link_for)
    with pytest.raises(Refusal, match="pas encore été envoyé"):
        activate_space(data.registration.email, "AAAAAAAAAAAA", password=STRONG_PASSWORD)


def test_an_expert_registration_with_the_same_email_comes_first(data, registration):
    with time_machine.travel(CURRENT_TIME, tick=False) as traveller:
        submit_simplified(data, link_for=link_for)
        traveller.shift(timedelta(hours=73))
        submit_registration(registration)
        subscriber = activate_space(registration.email, last_code_sent_to(registration.email))
    assert not Habilitation.objects.filter(subscriber=subscriber).exists()
    assert not PendingRegistration.objects.exists()


def test_a_bank_account_is_asked_only_without_an_active_one(data, company):
    with pytest.raises(Refusal, match="compte bancaire") as refused:
        submit_simplified(replace(data, bank=None), link_for=link_for)
    assert refused.value.field == "iban"
    add_account(company, BankDetails.parse("DE89370400440532013000", "COBADEFFXXX", "X"))
    req = submit_simplified(replace(data, bank=None), link_for=link_for)
    assert req.bank_iban == ""


def test_the_password_rules_hold(data, registration):
    weak = replace(data, registration=replace(registration, password="a" * 25))
    with pytest.raises(Refusal) as refused:
        submit_simplified(weak, link_for=link_for)
    assert refused.value.field == "password1"


def test_a_lapsed_expert_registration_does_not_capture_the_letters_code(data, registration):
    """An expired expert-mode registration with the same e-mail gives way to the simplified one."""
    import time_machine

    from accounts.flows.registration import submit_registration
    from tests.helpers import CURRENT_TIME

    with time_machine.travel(CURRENT_TIME, tick=False) as traveller:
        submit_registration(registration)  # same e-mail as `data`, then never activated
        traveller.shift(timedelta(hours=49))
        _, code = simplified_letter(data)
        subscriber = activate_space(
            data.registration.email, code, password=data.registration.password
        )
    assert subscriber.email == data.registration.email
