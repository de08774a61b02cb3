"""Retention of the outbox (docs/security.md §12): an undelivered e-mail's sealed copy."""

from datetime import timedelta

import pytest
import time_machine

from correspondence.models import Kind, Message
from correspondence.retention import GIVEN_UP_ERROR, purge_undeliverable_sealed_bodies
from tests.helpers import CURRENT_TIME

pytestmark = pytest.mark.django_db
WEEK = timedelta(days=7)


def _email(**fields) -> Message:
    return Message.objects.create(
        kind=Kind.EMAIL,
        purpose="space_activation_code",
        to="lila@example.fr",
        subject="Code",
        body="Votre code : [masqué]",
        sent_at=CURRENT_TIME,
        **{"sealed_body": "sealed", **fields},
    )


def test_an_undelivered_email_keeps_its_sealed_copy_for_the_period_then_is_given_up():
    message = _email()
    with time_machine.travel(CURRENT_TIME + WEEK - timedelta(seconds=1), tick=False):
        assert purge_undeliverable_sealed_bodies() == 0
    message.refresh_from_db()
    assert message.sealed_body == "sealed" and message.given_up_at is None
    with time_machine.travel(CURRENT_TIME + WEEK, tick=False):
        assert purge_undeliverable_sealed_bodies() == 1
        assert purge_undeliverable_sealed_bodies() == 0
    message.refresh_from_db()
    assert message.sealed_body == ""
    assert message.given_up_at == CURRENT_TIME + WEEK
    assert message.last_error == GIVEN_UP_ERROR and message.next_attempt_at is None
    assert message.body == "Votre code : [masqué]"


def test_a_given_up_email_loses_its_sealed_copy_at_once():
    message = _email(given_up_at=CURRENT_TIME, attempts=8, last_error="SMTPException: refused")
    with time_machine.travel(CURRENT_TIME + timedelta(minutes=1), tick=False):
        assert purge_undeliverable_sealed_bodies() == 1
        assert purge_undeliverable_sealed_bodies() == 0
    message.refresh_from_db()
    assert message.sealed_body == "" and message.last_error == "SMTPException: refused"
    assert message.given_up_at == CURRENT_TIME


def test_delivered_and_unsealed_emails_are_left_alone():
    delivered = _email(delivered_at=CURRENT_TIME, sealed_body="")
    plain = _email(sealed_body="")
    with time_machine.travel(CURRENT_TIME + WEEK * 10, tick=False):
        assert purge_undeliverable_sealed_bodies() == 0
    plain.refresh_from_db()
    delivered.refresh_from_db()
    assert plain.given_up_at is None and delivered.given_up_at is None


def test_the_period_is_a_setting(settings):
    settings.RETENTION_UNDELIVERABLE_EMAIL = timedelta(days=1)
    _email()
    with time_machine.travel(CURRENT_TIME + timedelta(days=1), tick=False):
        assert purge_undeliverable_sealed_bodies() == 1
