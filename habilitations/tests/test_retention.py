"""Retention of what requests by letter leave behind, and `manage.py purge_expired`
(docs/security.md §12)."""

from dataclasses import replace
from datetime import timedelta
from io import StringIO

import pytest
import time_machine
from django.contrib.sessions.models import Session
from django.core.management import call_command

from accounts.flows.registration import submit_registration
from accounts.models import PendingRegistration, SubscriberSession
from audit.models import Action, AuditEvent
from correspondence.models import Kind, Message
from habilitations.models import PostalRequest, RequestState, SimplifiedRegistration
from habilitations.postal.simplified import submit_simplified
from habilitations.retention import (
    purge_lapsed_simplified_registrations,
    purge_postal_bank_details,
)
from tests.factories import PostalRequestFactory, SubscriberFactory
from tests.helpers import CURRENT_TIME, IBAN, link_for

pytestmark = pytest.mark.django_db
LINK_VALIDITY = timedelta(hours=72)
WEEK, MONTH = timedelta(days=7), timedelta(days=30)
SECOND = timedelta(seconds=1)


def test_a_lapsed_simplified_creation_is_deleted_after_the_period_its_request_kept(
    simplified_data,
):
    with time_machine.travel(CURRENT_TIME, tick=False) as traveller:
        req = submit_simplified(simplified_data, link_for=link_for)
        traveller.shift(LINK_VALIDITY + WEEK - SECOND)
        assert purge_lapsed_simplified_registrations() == 0
        assert SimplifiedRegistration.objects.exists()
        traveller.shift(SECOND)
        assert purge_lapsed_simplified_registrations() == 1
        assert purge_lapsed_simplified_registrations() == 0
    assert not SimplifiedRegistration.objects.exists()
    assert PostalRequest.objects.get() == req
    discarded = AuditEvent.objects.get(action=Action.REGISTRATION_DISCARDED)
    assert discarded.target == simplified_data.registration.email
    assert discarded.details == {"reason": "retention", "request_id": req.pk}


@pytest.mark.parametrize("state", [RequestState.WITHDRAWN, RequestState.BLOCKED])
def test_a_simplified_creation_closed_early_counts_from_its_closing(simplified_data, state):
    with time_machine.travel(CURRENT_TIME, tick=False) as traveller:
        req = submit_simplified(simplified_data, link_for=link_for)
        PostalRequest.objects.filter(pk=req.pk).update(state=state, closed_at=CURRENT_TIME)
        traveller.shift(WEEK - SECOND)
        assert purge_lapsed_simplified_registrations() == 0
        traveller.shift(SECOND)
        assert purge_lapsed_simplified_registrations() == 1


def test_a_closed_requests_bank_details_are_blanked_after_the_period(simplified_data):
    with time_machine.travel(CURRENT_TIME, tick=False) as traveller:
        req = submit_simplified(simplified_data, link_for=link_for)
        assert req.bank_iban == IBAN
        traveller.shift(LINK_VALIDITY + MONTH - SECOND)
        assert purge_postal_bank_details() == 0
        traveller.shift(SECOND)
        assert purge_postal_bank_details() == 1
        assert purge_postal_bank_details() == 0
    req.refresh_from_db()
    assert (req.bank_iban, req.bank_bic, req.bank_holder) == ("", "", "")
    assert req.company_email  # only the bank details go


def test_an_activated_requests_bank_details_go_a_period_after_activation(simplified_data):
    with time_machine.travel(CURRENT_TIME, tick=False) as traveller:
        req = submit_simplified(simplified_data, link_for=link_for)
        PostalRequest.objects.filter(pk=req.pk).update(
            state=RequestState.ACTIVATED, closed_at=CURRENT_TIME + WEEK
        )
        traveller.shift(WEEK + MONTH - SECOND)
        assert purge_postal_bank_details() == 0
        traveller.shift(SECOND)
        assert purge_postal_bank_details() == 1


def test_an_open_request_keeps_its_bank_details(simplified_data):
    with time_machine.travel(CURRENT_TIME, tick=False):
        req = submit_simplified(simplified_data, link_for=link_for)
        PostalRequest.objects.filter(pk=req.pk).update(
            email_link_expires_at=CURRENT_TIME + timedelta(days=365)
        )
    with time_machine.travel(CURRENT_TIME + timedelta(days=300), tick=False):
        assert purge_postal_bank_details() == 0
        assert purge_lapsed_simplified_registrations() == 0


def _purge() -> list[str]:
    out = StringIO()
    call_command("purge_expired", stdout=out)
    return out.getvalue().splitlines()


def test_the_command_purges_every_kind_says_how_many_and_is_safe_to_run_twice(
    simplified_data, registration
):
    with time_machine.travel(CURRENT_TIME, tick=False) as traveller:
        submit_simplified(simplified_data, link_for=link_for)
        submit_registration(replace(registration, email="autre@example.fr"))
        PostalRequestFactory()  # open for 60 days, no bank details
        Session.objects.create(session_key="a" * 32, session_data="", expire_date=CURRENT_TIME)
        SubscriberSession.objects.create(
            subscriber=SubscriberFactory(), session_key="a" * 32, opened_at=CURRENT_TIME
        )
        email = Message.objects.filter(kind=Kind.EMAIL).first()
        Message.objects.filter(pk=email.pk).update(sealed_body="sealed", delivered_at=None)
        assert _purge() == [
            "0 session(s) expirée(s) supprimée(s).",
            "0 trace(s) de session échue(s) supprimée(s).",
            "0 compteur(s) de limite échu(s) supprimé(s).",
            "0 pré-inscription(s) échue(s) supprimée(s).",
            "0 création(s) d'espace en mode simplifié échue(s) supprimée(s).",
            "0 demande(s) par courrier close(s) : coordonnées bancaires effacées.",
            "0 courriel(s) non remis : copie chiffrée effacée.",
            "0 conversation(s) de la messagerie supprimée(s), pièces jointes comprises.",
            "0 événement(s) du journal d'audit supprimé(s).",
        ]
        events = AuditEvent.objects.count()
        traveller.shift(timedelta(days=400))
        assert _purge() == [
            "1 session(s) expirée(s) supprimée(s).",
            "1 trace(s) de session échue(s) supprimée(s).",
            "1 compteur(s) de limite échu(s) supprimé(s).",  # the simplified mode's address
            "1 pré-inscription(s) échue(s) supprimée(s).",
            "1 création(s) d'espace en mode simplifié échue(s) supprimée(s).",
            "1 demande(s) par courrier close(s) : coordonnées bancaires effacées.",
            "1 courriel(s) non remis : copie chiffrée effacée.",
            "0 conversation(s) de la messagerie supprimée(s), pièces jointes comprises.",
            f"{events} événement(s) du journal d'audit supprimé(s).",
        ]
        assert _purge() == [
            "0 session(s) expirée(s) supprimée(s).",
            "0 trace(s) de session échue(s) supprimée(s).",
            "0 compteur(s) de limite échu(s) supprimé(s).",
            "0 pré-inscription(s) échue(s) supprimée(s).",
            "0 création(s) d'espace en mode simplifié échue(s) supprimée(s).",
            "0 demande(s) par courrier close(s) : coordonnées bancaires effacées.",
            "0 courriel(s) non remis : copie chiffrée effacée.",
            "0 conversation(s) de la messagerie supprimée(s), pièces jointes comprises.",
            "0 événement(s) du journal d'audit supprimé(s).",
        ]
    assert not PendingRegistration.objects.exists()
    assert not SimplifiedRegistration.objects.exists()
    # What the run itself recorded (the discarded registrations, the purge) is recent: kept.
    assert sorted(AuditEvent.objects.values_list("action", flat=True)) == [
        Action.AUDIT_PURGED,
        Action.REGISTRATION_DISCARDED,
        Action.REGISTRATION_DISCARDED,
    ]
