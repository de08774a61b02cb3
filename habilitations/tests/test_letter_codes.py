"""The letter's code (docs/habilitations.md §7, docs/durations.md §1, docs/security.md §1): 60 days,
single use, bound to its request, 5 wrong tries kill the request, a withdrawn request's code does
nothing; expired when used."""

from datetime import timedelta

import pytest
import time_machine

from audit.models import Action, AuditEvent
from core.refusals import Refusal
from habilitations.models import Habilitation, RequestState
from habilitations.postal.actions import (
    CODE_DEAD,
    CODE_USED,
    CODE_WITHDRAWN,
    confirm_link,
    withdraw,
)
from habilitations.postal.activation import UNKNOWN_REQUEST, activate_services
from tests.factories import CompanyFactory, PostalRequestFactory
from tests.helpers import CURRENT_TIME, last_link, letter_code, wrong

pytestmark = pytest.mark.django_db


@pytest.fixture
def martin(db):
    return CompanyFactory(with_fiscal_address=True, name="SARL MARTIN DISTRIBUTION")


def _request(subscriber, company, services=("declarer_tva",), **kwargs):
    return PostalRequestFactory(requester=subscriber, company=company, services=services, **kwargs)


def test_the_code_is_valid_60_days_then_the_request_is_expired(alice, martin):
    with time_machine.travel(CURRENT_TIME, tick=False) as traveller:
        req = _request(alice, martin)
        code = letter_code(req)
        traveller.shift(timedelta(days=60))
        later = CURRENT_TIME + timedelta(days=60)
        assert req.status(later) == RequestState.EXPIRED
        assert req.status_text(later) == "Expirée le 01/05/2026 à 11:30"
        with pytest.raises(Refusal, match="délai de 60 jours"):
            activate_services(alice, req.pk, code)
    req.refresh_from_db()
    assert req.state == RequestState.EXPIRED  # written down when used, without a cleanup job
    assert not Habilitation.objects.exists()
    assert AuditEvent.objects.filter(action=Action.POSTAL_REQUEST_EXPIRED).count() == 1


def test_the_code_still_works_just_before_60_days(alice, martin):
    with time_machine.travel(CURRENT_TIME, tick=False) as traveller:
        req = _request(alice, martin)
        traveller.shift(timedelta(days=60) - timedelta(seconds=1))
        assert activate_services(alice, req.pk, letter_code(req)).granted == ["declarer_tva"]


def test_the_code_is_single_use(alice, martin):
    req = _request(alice, martin)
    code = letter_code(req)
    activate_services(alice, req.pk, code)
    with pytest.raises(Refusal, match=CODE_USED):
        activate_services(alice, req.pk, code)
    assert Habilitation.objects.count() == 1


def test_the_code_is_bound_to_its_request(alice, martin):
    first = _request(alice, martin, ["declarer_tva"])
    second = _request(alice, martin, ["declarer_is"])
    with pytest.raises(Refusal, match="incorrect"):
        activate_services(alice, second.pk, letter_code(first))
    assert not Habilitation.objects.exists()


def test_the_code_works_only_for_its_requester(alice, bob, martin):
    req = _request(alice, martin)
    with pytest.raises(Refusal, match=UNKNOWN_REQUEST):
        activate_services(bob, req.pk, letter_code(req))
    req.refresh_from_db()
    assert req.state == RequestState.LETTER_SENT and req.failed_attempts == 0
    assert not Habilitation.objects.exists()


def test_five_wrong_codes_kill_the_request(alice, martin):
    req = _request(alice, martin)
    code = letter_code(req)
    for left in (4, 3, 2):
        with pytest.raises(Refusal, match=f"Il vous reste {left} essais"):
            activate_services(alice, req.pk, wrong(code))
    with pytest.raises(Refusal, match="Il vous reste 1 essai\\."):
        activate_services(alice, req.pk, wrong(code))
    with pytest.raises(Refusal, match=CODE_DEAD):
        activate_services(alice, req.pk, wrong(code))
    # The right code no longer works either.
    with pytest.raises(Refusal, match=CODE_DEAD):
        activate_services(alice, req.pk, code)
    req.refresh_from_db()
    assert req.state == RequestState.BLOCKED
    assert not Habilitation.objects.exists()
    assert AuditEvent.objects.filter(action=Action.POSTAL_CODE_FAILED).count() == 6


def test_a_withdrawn_requests_code_does_nothing(alice, martin):
    req = _request(alice, martin)
    code = letter_code(req)
    withdraw(req.pk, alice)
    with pytest.raises(Refusal, match=CODE_WITHDRAWN):
        activate_services(alice, req.pk, code)
    assert not Habilitation.objects.exists()
    req.refresh_from_db()
    assert req.state == RequestState.WITHDRAWN
    assert AuditEvent.objects.filter(action=Action.POSTAL_REQUEST_WITHDRAWN, actor=alice).exists()


def test_a_withdrawn_requests_link_does_nothing(alice, martin):
    req = _request(alice, martin, ["messagerie"], company_email="contact@martin.example")
    link_id, token = last_link("contact@martin.example")
    withdraw(req.pk, alice)
    with pytest.raises(Refusal, match="supprimée"):
        confirm_link(link_id, token)


def test_only_an_open_request_of_ones_own_can_be_withdrawn(alice, bob, martin):
    req = _request(alice, martin)
    with pytest.raises(Refusal, match="ne peut plus être supprimée"):
        withdraw(req.pk, bob)
    activate_services(alice, req.pk, letter_code(req))
    with pytest.raises(Refusal, match="ne peut plus être supprimée"):
        withdraw(req.pk, alice)


def test_an_expired_request_cannot_be_withdrawn_and_is_recorded_as_expired(alice, martin):
    with time_machine.travel(CURRENT_TIME, tick=False) as traveller:
        req = _request(alice, martin)
        traveller.shift(timedelta(days=61))
        with pytest.raises(Refusal, match="ne peut plus être supprimée"):
            withdraw(req.pk, alice)
    req.refresh_from_db()
    assert req.state == RequestState.EXPIRED


def test_no_code_before_the_company_email_is_confirmed(alice, martin):
    req = _request(alice, martin, ["messagerie"], company_email="contact@martin.example")
    with pytest.raises(Refusal, match="pas encore été envoyé"):
        activate_services(alice, req.pk, "AAAAAAAAAAAA")
    req.refresh_from_db()
    assert req.failed_attempts == 0


def test_status_texts_follow_the_request(alice, martin):
    with time_machine.travel(CURRENT_TIME, tick=False):
        req = _request(alice, martin, ["messagerie"], company_email="contact@martin.example")
        assert req.status_text(CURRENT_TIME) == (
            "En attente de la confirmation de l'adresse électronique de l'entreprise (lien à "
            "suivre avant le 05/03/2026 à 10:30)"
        )
        confirm_link(*last_link("contact@martin.example"))
        req.refresh_from_db()
        assert req.status_text(CURRENT_TIME) == (
            "Courrier envoyé le 02/03/2026 — à activer avant le 01/05/2026 à 11:30"
        )
        activate_services(alice, req.pk, letter_code(req))
        req.refresh_from_db()
        assert req.status_text(CURRENT_TIME) == "Activée le 02/03/2026 à 10:30"
