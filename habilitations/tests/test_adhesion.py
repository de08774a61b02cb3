"""Adhesion (docs/habilitations.md §7): the request, the company e-mail's 72-hour link, the letter,
the code."""

from datetime import timedelta
from io import BytesIO

import pytest
import time_machine
from pypdf import PdfReader

from audit.models import Action, AuditEvent
from companies.bank import BankDetails, add_account
from companies.models import BankAccount, CompanyEmail
from core.refusals import Refusal
from correspondence.models import Kind, Message
from habilitations.models import Habilitation, Origin, PortfolioEntry, RequestState, Role
from habilitations.postal.actions import confirm_link
from habilitations.postal.activation import activate_services
from habilitations.postal.adhesion import submit_adhesion
from tests.factories import CompanyFactory, HabilitationFactory
from tests.helpers import BIC, CURRENT_TIME, IBAN, last_link, letter_code, link_for

pytestmark = pytest.mark.django_db

BANK = BankDetails.parse(IBAN, BIC, "SARL MARTIN DISTRIBUTION")


@pytest.fixture
def martin(db):
    return CompanyFactory(with_fiscal_address=True, name="SARL MARTIN DISTRIBUTION")


def _adhere(subscriber, company, services, **kwargs):
    return submit_adhesion(subscriber, company, services, link_for=link_for, **kwargs)


def test_without_messagerie_the_letter_goes_out_at_once(alice, martin):
    with time_machine.travel(CURRENT_TIME, tick=False):
        req = _adhere(alice, martin, ["declarer_tva", "declarer_is"])
    assert req.state == RequestState.LETTER_SENT
    letter = Message.objects.get(kind=Kind.LETTER)
    assert letter.to == "SARL MARTIN DISTRIBUTION"
    assert letter.siren == martin.identifier
    assert letter.address == "45 AVENUE JEAN JAURES\n33000 BORDEAUX"
    assert "Alice TITULAIRE" in letter.body and alice.subscriber_number in letter.body
    assert "- Déclarer TVA\n- Déclarer l'impôt sur les sociétés" in letter.body
    assert "valable 60 jours, jusqu'au 01/05/2026 à 11:30" in letter.body
    assert "Activer mes services" in letter.body
    code = letter_code(req)
    pdf = letter.pdf_bytes()
    assert pdf.startswith(b"%PDF")
    text = PdfReader(BytesIO(pdf)).pages[0].extract_text()
    for expected in [
        code,
        "SARL MARTIN DISTRIBUTION",
        "33000 BORDEAUX",
        "Déclarer TVA",
        "01/05/2026",
    ]:
        assert expected in text
    assert not Message.objects.filter(kind=Kind.EMAIL).exists()


def test_messagerie_needs_the_company_email(alice, martin):
    with pytest.raises(Refusal, match="adresse électronique de l'entreprise") as refused:
        _adhere(alice, martin, ["messagerie"])
    assert refused.value.field == "company_email"
    assert not Message.objects.exists()


def test_messagerie_sends_a_link_to_the_company_and_the_link_sends_the_letter(alice, martin):
    with time_machine.travel(CURRENT_TIME, tick=False):
        req = _adhere(alice, martin, ["messagerie"], company_email="contact@martin.example")
        assert req.state == RequestState.AWAITING_EMAIL
        assert not Message.objects.filter(kind=Kind.LETTER).exists()
        email = Message.objects.get(to="contact@martin.example")
        assert "dans les 72 heures, soit avant le 05/03/2026 à 10:30" in email.body
        pk, token = last_link("contact@martin.example")
        assert pk == req.email_link_id
        confirmed, already = confirm_link(pk, token)
        assert not already and confirmed.state == RequestState.LETTER_SENT
        assert Message.objects.filter(kind=Kind.LETTER, siren=martin.identifier).count() == 1
        # Following the link again sends nothing more.
        _, already = confirm_link(pk, token)
        assert already
        assert Message.objects.filter(kind=Kind.LETTER).count() == 1
        # The address is the company's only once the code is entered (the company's consent).
        assert not CompanyEmail.objects.exists()
        activate_services(alice, req.pk, letter_code(req))
    assert CompanyEmail.objects.get(company=martin).email == "contact@martin.example"


def test_the_link_is_dead_after_72_hours_and_the_request_expired(alice, martin):
    with time_machine.travel(CURRENT_TIME, tick=False) as traveller:
        req = _adhere(alice, martin, ["messagerie"], company_email="contact@martin.example")
        pk, token = last_link("contact@martin.example")
        traveller.shift(timedelta(hours=72))
        with pytest.raises(Refusal, match="72 heures"):
            confirm_link(pk, token)
    req.refresh_from_db()
    assert req.state == RequestState.EXPIRED
    assert req.closed_at == CURRENT_TIME + timedelta(hours=72)
    assert not Message.objects.filter(kind=Kind.LETTER).exists()


def test_the_link_still_works_just_before_72_hours(alice, martin):
    with time_machine.travel(CURRENT_TIME, tick=False) as traveller:
        _adhere(alice, martin, ["messagerie"], company_email="contact@martin.example")
        pk, token = last_link("contact@martin.example")
        traveller.shift(timedelta(hours=72) - timedelta(seconds=1))
        req, _ = confirm_link(pk, token)
    assert req.state == RequestState.LETTER_SENT


def test_a_wrong_link_token_is_refused_and_does_not_kill_the_link(alice, martin):
    _adhere(alice, martin, ["messagerie"], company_email="contact@martin.example")
    pk, token = last_link("contact@martin.example")
    for _ in range(6):
        with pytest.raises(Refusal, match="pas valable"):
            confirm_link(pk, token[::-1])
    req, _ = confirm_link(pk, token)
    assert req.state == RequestState.LETTER_SENT
    assert AuditEvent.objects.filter(action=Action.POSTAL_REQUEST_LINK_FAILED).count() == 6


def test_adhesion_only_on_services_without_titular(alice, bob, martin):
    HabilitationFactory(company=martin, subscriber=bob, code="declarer_tva")
    with pytest.raises(Refusal, match="« Déclarer TVA » est déjà géré") as refused:
        _adhere(alice, martin, ["declarer_is", "declarer_tva"])
    assert "substitution" in refused.value.message
    with pytest.raises(Refusal, match="Vous êtes déjà administrateur titulaire"):
        _adhere(bob, martin, ["declarer_tva"])
    assert not Message.objects.exists()


def test_payer_needs_a_bank_account_when_none_is_active(alice, martin):
    with pytest.raises(Refusal, match="compte bancaire") as refused:
        _adhere(alice, martin, ["payer"])
    assert refused.value.field == "iban"
    req = _adhere(alice, martin, ["payer"], bank=BANK)
    assert (req.bank_iban, req.bank_bic, req.bank_holder) == (IBAN, BIC, BANK.holder)
    # The account joins the company once Payer is granted.
    assert not BankAccount.objects.exists()
    activate_services(alice, req.pk, letter_code(req))
    account = BankAccount.objects.get(company=martin)
    assert account.iban == IBAN and account.is_active


def test_an_active_account_is_associated_and_none_is_asked(alice, martin):
    add_account(martin, BANK)
    req = _adhere(alice, martin, ["payer"])
    assert req.bank_iban == ""
    # Given anyway, it is not kept: the known active account is used.
    other = BankDetails.parse("DE89370400440532013000", "COBADEFFXXX", "X")
    assert _adhere(alice, martin, ["payer"], bank=other).bank_iban == ""


def test_an_inactive_account_does_not_count(alice, martin):
    account = add_account(martin, BANK)
    BankAccount.objects.filter(pk=account.pk).update(is_active=False)
    with pytest.raises(Refusal, match="compte bancaire"):
        _adhere(alice, martin, ["payer"])
    # Given again with an adhesion, it is made active once Payer is granted.
    req = _adhere(alice, martin, ["payer"], bank=BANK)
    activate_services(alice, req.pk, letter_code(req))
    assert BankAccount.objects.get().is_active


def test_the_code_makes_the_requester_titular_and_the_company_a_dossier(alice, martin):
    req = _adhere(alice, martin, ["declarer_tva", "payer"], bank=BANK)
    done = activate_services(alice, req.pk, letter_code(req))
    assert done.state == RequestState.ACTIVATED
    assert done.granted == ["declarer_tva", "payer"] and done.not_granted == []
    rows = Habilitation.objects.filter(subscriber=alice, company=martin)
    assert {(h.service, h.role, h.origin) for h in rows} == {
        ("declarer_tva", Role.TITULAR_ADMIN, Origin.ADHESION),
        ("payer", Role.TITULAR_ADMIN, Origin.ADHESION),
    }
    assert PortfolioEntry.objects.get(subscriber=alice, company=martin).is_dossier
    assert AuditEvent.objects.filter(action=Action.POSTAL_REQUEST_ACTIVATED, actor=alice).exists()


def test_a_newer_request_for_the_same_service_withdraws_the_older_whoever_asked(alice, bob, martin):
    """One live code per service of a company (docs/habilitations.md §7.9): Bob's request
    kills Alice's code; Alice is told by e-mail."""
    first = _adhere(alice, martin, ["declarer_tva"])
    second = _adhere(bob, martin, ["declarer_tva"])
    assert Message.objects.filter(kind=Kind.LETTER).count() == 2
    first.refresh_from_db()
    assert first.state == RequestState.WITHDRAWN
    told = Message.objects.get(purpose="postal_request_replaced")
    assert told.to == alice.email and "SARL MARTIN DISTRIBUTION" in told.subject
    with pytest.raises(Refusal, match="supprimée"):
        activate_services(alice, first.pk, letter_code(first))
    assert activate_services(bob, second.pk, letter_code(second)).granted == ["declarer_tva"]
    titular = Habilitation.objects.get(company=martin, role=Role.TITULAR_ADMIN)
    assert titular.subscriber == bob


def test_the_code_activates_only_what_is_still_free(alice, bob, martin):
    req = _adhere(alice, martin, ["declarer_tva", "declarer_is"])
    HabilitationFactory(company=martin, subscriber=bob, code="declarer_is")
    done = activate_services(alice, req.pk, letter_code(req))
    assert done.granted == ["declarer_tva"]
    assert done.not_granted == ["declarer_is"]
    assert Habilitation.objects.get(company=martin, service="declarer_is").subscriber == bob


def test_a_delegates_own_role_is_replaced_by_the_titular_role(alice, martin):
    HabilitationFactory(actor=True, company=martin, subscriber=alice, code="payer_tva")
    req = _adhere(alice, martin, ["payer"], bank=BANK)
    activate_services(alice, req.pk, letter_code(req))
    (row,) = Habilitation.objects.filter(subscriber=alice, company=martin)
    assert (row.elementary_service, row.role) == ("payer", Role.TITULAR_ADMIN)


def test_a_newer_request_for_the_same_service_replaces_the_older_one(alice, martin):
    from habilitations.models import PostalRequest, RequestState

    first = submit_adhesion(alice, martin, ["declarer_is"], link_for=link_for)
    other = submit_adhesion(alice, martin, ["declarer_resultat"], link_for=link_for)
    newer = submit_adhesion(alice, martin, ["declarer_is", "declarer_cvae"], link_for=link_for)
    states = dict(PostalRequest.objects.values_list("pk", "state"))
    assert states[first.pk] == RequestState.WITHDRAWN  # its code does nothing any more
    assert states[other.pk] == RequestState.LETTER_SENT
    assert states[newer.pk] == RequestState.LETTER_SENT


def test_letters_a_requester_may_cause_are_capped_per_day(alice, martin, settings):

    settings.RATE_LIMITS = {**settings.RATE_LIMITS, "postal.requester": "2/1d"}
    submit_adhesion(alice, martin, ["declarer_is"], link_for=link_for)
    submit_adhesion(alice, martin, ["declarer_resultat"], link_for=link_for)
    with pytest.raises(Refusal, match="réessayez demain"):
        submit_adhesion(alice, martin, ["declarer_cvae"], link_for=link_for)


def test_every_problem_of_an_adhesion_is_listed_at_once(alice, bob, martin):
    """Issue 12 §5: a form shows them all in one go, not one a submit."""
    from habilitations.postal.adhesion import adhesion_problems

    HabilitationFactory(company=martin, subscriber=bob, code="declarer_tva")
    HabilitationFactory(company=martin, subscriber=alice, code="declarer_is")
    problems = adhesion_problems(
        alice, martin, ["declarer_tva", "declarer_is", "messagerie", "payer"]
    )
    assert [(p.code, p.field) for p in problems] == [
        ("adhesion.already_managed", "services"),
        ("postal.already_yours", "services"),
        ("adhesion.email_needed", "company_email"),
        ("adhesion.bank_needed", "iban"),
    ]
    with pytest.raises(Refusal) as refused:  # recording refuses with the first
        _adhere(alice, martin, ["declarer_tva", "messagerie", "payer"])
    assert refused.value.code == "adhesion.already_managed"
    assert adhesion_problems(alice, martin, ["messagerie"], company_email="a@b.fr") == []
