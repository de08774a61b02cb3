"""Delivery of recorded e-mails when the mail server refuses them (docs/correspondence.md
§1.2): retried with a growing delay, given up after EMAIL_MAX_ATTEMPTS tries, and a refused
address never holds up newer e-mails."""

import smtplib
from datetime import timedelta
from io import StringIO

import pytest
import time_machine
from django.core import mail
from django.core.mail.backends.locmem import EmailBackend
from django.core.management import call_command

from correspondence.mail import send_email
from correspondence.models import Message
from tests.helpers import ACTIVATION_EXPIRES_AT, CURRENT_TIME

pytestmark = pytest.mark.django_db

CODE = "VspJiHEQjPAq"


class RefusingBackend(EmailBackend):
    """The test outbox, except that the mail server refuses addresses at refused.example."""

    def send_messages(self, messages):
        for message in messages:
            if any(to.endswith("@refused.example") for to in message.to):
                raise smtplib.SMTPRecipientsRefused({message.to[0]: (550, b"No such user")})
        return super().send_messages(messages)


@pytest.fixture(autouse=True)
def refusing_mail_server(settings):
    settings.MAILERS = {"default": {"BACKEND": f"{__name__}.RefusingBackend"}}
    settings.OUTBOX_ENABLED = False
    settings.EMAIL_RETRY_FIRST_DELAY = timedelta(minutes=1)
    settings.EMAIL_MAX_ATTEMPTS = 4


def _send(to: str) -> Message:
    # Outside a captured commit the delivery task does not run: as when the worker is late.
    return send_email(
        "space_activation_code",
        to,
        {"code": CODE, "hours": 48, "expires_at": ACTIVATION_EXPIRES_AT},
    )


def _deliver(*args) -> str:
    out, err = StringIO(), StringIO()
    call_command("deliver_emails", *args, stdout=out, stderr=err)
    return out.getvalue()


def test_a_refused_email_is_retried_later_and_later_then_given_up():
    with time_machine.travel(CURRENT_TIME, tick=False) as traveller:
        message = _send("nobody@refused.example")
        traveller.shift(timedelta(minutes=1))
        tries = []
        # Every minute for three hours, as from cron: tries after 1, then 1, 2, 4 minutes more.
        for _ in range(180):
            traveller.shift(timedelta(minutes=1))
            if "1 en échec" in _deliver():
                tries.append(Message.objects.get().attempts)
            message.refresh_from_db()
        assert tries == [1, 2, 3, 4]
    assert message.attempts == 4
    assert message.delivered_at is None and message.next_attempt_at is None
    assert message.given_up_at == CURRENT_TIME + timedelta(minutes=2 + 1 + 2 + 4)
    assert "SMTPRecipientsRefused" in message.last_error and "No such user" in message.last_error
    # Nothing left that could be sent: the sealed copy with the code is erased.
    assert message.sealed_body == "" and CODE not in message.body
    assert mail.outbox == []


def test_the_delivery_task_records_its_failure_and_the_command_waits_for_the_next_try():
    with time_machine.travel(CURRENT_TIME, tick=False) as traveller:
        message = _send("nobody@refused.example")
        with pytest.raises(smtplib.SMTPRecipientsRefused):
            from correspondence.mail import deliver_email

            deliver_email.call(message.pk)
        message.refresh_from_db()
        assert (message.attempts, message.next_attempt_at) == (
            1,
            CURRENT_TIME + timedelta(minutes=1),
        )
        assert message.sealed_body  # kept, encrypted, for the next try
        traveller.shift(timedelta(seconds=59))
        assert "0 en échec" in _deliver("--older-than", "0")
        traveller.shift(timedelta(seconds=1))
        assert "1 en échec" in _deliver("--older-than", "0")


def test_refused_addresses_do_not_starve_newer_emails():
    with time_machine.travel(CURRENT_TIME, tick=False) as traveller:
        for number in range(3):
            _send(f"nobody{number}@refused.example")
            traveller.shift(timedelta(seconds=1))
        _send("lila@example.fr")
        traveller.shift(timedelta(minutes=2))
        # Two at a time: the two oldest fail and wait; the next run reaches the newer ones.
        assert "0 courriel(s) remis, 2 en échec" in _deliver("--limit", "2")
        assert "1 courriel(s) remis, 1 en échec" in _deliver("--limit", "2")
    assert [m.to for m in mail.outbox] == [["lila@example.fr"]]
    assert CODE in mail.outbox[0].body


def test_a_given_up_email_is_never_tried_again():
    with time_machine.travel(CURRENT_TIME, tick=False) as traveller:
        message = _send("nobody@refused.example")
        for _ in range(4):
            traveller.shift(timedelta(hours=1))
            _deliver()
        message.refresh_from_db()
        assert message.given_up_at is not None
        traveller.shift(timedelta(days=1))
        assert "0 courriel(s) remis, 0 en échec" in _deliver()
        assert Message.objects.get().attempts == 4


def test_an_email_is_never_sent_twice_by_two_deliveries_at_once(settings):
    """The queue's worker and `deliver_emails` may reach the same e-mail at the same time
    (a worker late by more than a minute): the second finds it taken and sends nothing."""
    from correspondence import mail as mail_module

    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
    with time_machine.travel(CURRENT_TIME, tick=False):
        message = send_email(
            "space_activation_code",
            "lila@example.fr",
            {"code": CODE, "hours": 48, "expires_at": ACTIVATION_EXPIRES_AT},
        )
    real_send = mail_module.send_mail
    second = []

    def send_while_another_delivers(*args, **kwargs):
        # While this delivery talks to the mail server, the other one starts.
        second.append(mail_module.deliver_email.call(message.pk))
        return real_send(*args, **kwargs)

    with time_machine.travel(CURRENT_TIME + timedelta(minutes=5), tick=False):
        mail_module.send_mail = send_while_another_delivers
        try:
            mail_module.deliver_email.call(message.pk)
        finally:
            mail_module.send_mail = real_send
    assert second == [False]
    assert [m.to for m in mail.outbox] == [["lila@example.fr"]]
    message.refresh_from_db()
    assert message.delivered_at is not None and message.next_attempt_at is None
