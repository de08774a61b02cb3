from dataclasses import replace
from datetime import timedelta

import pytest
import time_machine

from accounts.flows.registration import (
    EMAIL_TAKEN,
    email_problem,
    registration_email_problem,
    submit_registration,
)
from accounts.models import PendingRegistration, Subscriber
from audit.models import Action, AuditEvent
from core.refusals import Refusal
from correspondence.models import Message
from tests.helpers import CURRENT_TIME, last_code_sent_to

pytestmark = pytest.mark.django_db


def test_submitting_emails_a_12_character_code_and_keeps_only_its_hash(registration):
    pending = submit_registration(registration)
    code = last_code_sent_to("lila.rosemonde@example.fr")
    assert len(code) == 12
    assert code not in pending.code_hash
    assert pending.password_hash != registration.password
    assert "Lili" not in pending.trust_answer_hash
    message = Message.objects.get(to="lila.rosemonde@example.fr")
    assert "Votre espace abonné sera actif lorsque vous aurez saisi le code suivant" in message.body
    assert "Vous disposez d'un délai de 48h" in message.body


def test_the_space_does_not_exist_before_activation(registration, client):
    submit_registration(registration)
    assert not Subscriber.objects.exists()
    response = client.post("/", {"username": registration.email, "password": registration.password})
    assert "Adresse électronique ou mot de passe incorrect." in response.content.decode()
    assert "_auth_user_id" not in client.session


def test_an_email_is_refused_while_a_registration_is_pending(registration):
    with time_machine.travel(CURRENT_TIME, tick=False):
        submit_registration(registration)
        # Told as pending, until when and what to do (not « déjà associée à un espace »).
        pending = registration_email_problem("LILA.Rosemonde@example.fr")
        assert email_problem("LILA.Rosemonde@example.fr") == EMAIL_TAKEN
        assert "Une création d'espace est déjà en cours" in pending
        assert "avant le 04/03/2026 à 10:30" in pending
        with pytest.raises(Refusal) as refusal:
            submit_registration(replace(registration, email="Lila.Rosemonde@Example.fr"))
    assert refusal.value.message == pending
    assert PendingRegistration.objects.count() == 1
    assert Message.objects.count() == 1  # no new code during the 48 hours


def test_an_email_of_an_existing_space_is_refused(registration):
    submit_registration(registration)
    from accounts.flows.space_activation import activate_space

    activate_space(registration.email, last_code_sent_to(registration.email))
    assert email_problem(registration.email) == EMAIL_TAKEN


def test_after_48_hours_the_registration_is_discarded_and_one_can_start_over(registration):
    with time_machine.travel(CURRENT_TIME, tick=False) as traveller:
        submit_registration(registration)
        traveller.shift(timedelta(hours=47, minutes=59))
        assert "déjà en cours" in registration_email_problem(registration.email)
        traveller.shift(timedelta(minutes=1))
        assert email_problem(registration.email) is None
        submit_registration(registration)
    assert PendingRegistration.objects.count() == 1
    assert Message.objects.filter(to=registration.email).count() == 2
    assert AuditEvent.objects.filter(action=Action.REGISTRATION_DISCARDED).count() == 1


def test_the_password_rules_are_checked_again_at_submission(registration):
    with pytest.raises(Refusal) as refusal:
        submit_registration(replace(registration, password="Lila aime beaucoup les pommes vertes"))
    assert refusal.value.field == "password1"
    assert not PendingRegistration.objects.exists()
    assert not Message.objects.exists()


def test_submission_is_audited(registration):
    submit_registration(registration)
    event = AuditEvent.objects.get(action=Action.REGISTRATION_SUBMITTED)
    assert event.target == registration.email
