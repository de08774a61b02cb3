"""E-mail through a real SMTP server (docs/correspondence.md §1.2), as production runs it: the
page records the e-mail and queues its delivery, the worker (`db_worker`) sends it, the
scheduler's `deliver_emails` retries. A server that is down or hangs loses nothing: the
e-mail waits, never given up for it, and is delivered once the server is back, exactly once;
a hanging server holds the worker no longer than EMAIL_TIMEOUT."""

import logging
import time
from datetime import timedelta
from io import StringIO

import pytest
import time_machine
from django.core.management import call_command
from django.tasks import TaskResultStatus
from django_tasks_db.models import DBTaskResult

from accounts.flows.registration import submit_registration
from correspondence.mail import send_email
from correspondence.models import Message
from correspondence.tests.smtp_servers import TIMEOUT, SilentServer
from tests.helpers import CODE_RE, CURRENT_TIME

# The worker runs in the test's thread and commits: transactional tests (on PostgreSQL the
# worker's connection handling breaks the usual test transaction).
pytestmark = pytest.mark.django_db(transaction=True)


# Any e-mail: this one needs only a date.
PURPOSE, CONTEXT = "trust_question_changed", {"changed_at": CURRENT_TIME}


def _run_worker() -> float:
    """The Procfile's `worker` once over the queue; the seconds it took."""
    started = time.perf_counter()
    call_command("db_worker", "--batch", "--no-startup-delay", stdout=StringIO())
    return time.perf_counter() - started


def _deliver_emails() -> str:
    """The scheduler's minutely job."""
    out = StringIO()
    call_command("deliver_emails", stdout=out, stderr=StringIO())
    return out.getvalue()


def test_an_email_reaches_the_mail_server_through_the_queue_and_the_worker(
    running_mail_server, registration
):
    submit_registration(registration)
    message = Message.objects.get(purpose="space_activation_code")
    assert running_mail_server.received == []  # queued: the page did not wait for the server

    _run_worker()

    (received,) = running_mail_server.received
    assert received.rcpt_tos == [registration.email]
    assert received.subject == "Code d'activation de votre espace abonné professionnel"
    assert CODE_RE.search(received.body)  # the code itself, masked only in the outbox
    assert "[masqué]" in message.body and "[masqué]" not in received.body
    message.refresh_from_db()
    assert message.delivered_at is not None and message.sealed_body == ""
    assert DBTaskResult.objects.get().status == TaskResultStatus.SUCCESSFUL


def test_a_mail_server_down_for_hours_loses_nothing_and_delivers_once_it_is_back(
    mail_server, registration, settings, caplog
):
    caplog.set_level(logging.WARNING, logger="correspondence.mail")
    with time_machine.travel(CURRENT_TIME, tick=False) as traveller:
        submit_registration(registration)
        # The worker finds nothing listening: the delivery fails, the e-mail waits.
        _run_worker()
        message = Message.objects.get()
        assert DBTaskResult.objects.get().status == TaskResultStatus.FAILED
        assert (message.attempts, message.refusals, message.delivered_at) == (1, 0, None)
        assert message.sealed_body and "ConnectionRefusedError" in message.last_error
        assert "the mail server is unavailable" in caplog.text
        assert str(message.pk) in caplog.text

        # Four hours of the scheduler's runs (every 5 minutes here, to keep the test short):
        # more tries than EMAIL_MAX_ATTEMPTS, and the e-mail is never given up for a server
        # that is down.
        for _run in range(4 * 12):
            traveller.shift(timedelta(minutes=5))
            _deliver_emails()
        message.refresh_from_db()
        assert message.attempts > settings.EMAIL_MAX_ATTEMPTS
        assert message.refusals == 0 and message.given_up_at is None
        assert message.sealed_body  # the code, sealed, still there to send

        # The server is back: the next run delivers it, code included, and only once.
        mail_server.start()
        traveller.shift(timedelta(minutes=1))
        assert _deliver_emails().startswith("1 courriel(s) remis, 0 en échec")
        for _minute in range(3):
            traveller.shift(timedelta(minutes=1))
            _deliver_emails()
        _run_worker()
    (received,) = mail_server.received
    assert received.rcpt_tos == [registration.email] and CODE_RE.search(received.body)
    message.refresh_from_db()
    assert message.delivered_at is not None and message.sealed_body == ""


@pytest.mark.parametrize("hangs", ["before its greeting", "after the message"])
def test_a_mail_server_that_hangs_frees_the_worker_after_the_timeout(
    hangs, mail_server, registration, settings
):
    """Two hanging servers: one accepts the connection and never greets; one greets, takes
    the recipient and the message, and never says whether it accepted it."""
    if hangs == "before its greeting":
        hanging = SilentServer(mail_server.port)
    else:
        mail_server.hang = True
        mail_server.start()
        hanging = mail_server
    try:
        submit_registration(registration)
        elapsed = _run_worker()
    finally:
        hanging.stop()
    # Freed after about EMAIL_TIMEOUT, not after the server's whims.
    assert TIMEOUT <= elapsed < TIMEOUT + 2
    message = Message.objects.get()
    assert DBTaskResult.objects.get().status == TaskResultStatus.FAILED
    assert (message.attempts, message.refusals) == (1, 0)
    assert message.delivered_at is None and message.given_up_at is None and message.sealed_body
    assert message.next_attempt_at is not None

    # Later, the server answers again: the e-mail left waiting is delivered.
    mail_server.hang = False
    mail_server.start()
    with time_machine.travel(message.next_attempt_at + timedelta(seconds=1)):
        assert _deliver_emails().startswith("1 courriel(s) remis")
    (received,) = mail_server.received
    assert received.rcpt_tos == [registration.email] and CODE_RE.search(received.body)


def test_a_hanging_mail_server_holds_the_scheduler_one_timeout_a_run_not_one_per_email(
    mail_server, settings
):
    """`deliver_emails` stops at the first e-mail the server did not take: the others would
    each wait as long, and the scheduler's other jobs behind them."""
    with time_machine.travel(CURRENT_TIME, tick=True):
        for number in range(3):
            send_email(PURPOSE, f"abonne{number}@example.fr", CONTEXT)
    DBTaskResult.objects.all().delete()  # as if the worker was down too
    hanging = SilentServer(mail_server.port)
    try:
        with time_machine.travel(CURRENT_TIME + timedelta(minutes=5), tick=True):
            started = time.perf_counter()
            out = _deliver_emails()
            elapsed = time.perf_counter() - started
    finally:
        hanging.stop()
    assert elapsed < 2 * TIMEOUT + 1
    assert "Serveur de messagerie indisponible" in out
    assert sorted(Message.objects.values_list("attempts", flat=True)) == [0, 0, 1]

    # Back: the next run delivers all three.
    mail_server.start()
    with time_machine.travel(CURRENT_TIME + timedelta(minutes=7), tick=True):
        assert _deliver_emails().startswith("3 courriel(s) remis, 0 en échec")
    assert sorted(r.rcpt_tos[0] for r in mail_server.received) == [
        f"abonne{number}@example.fr" for number in range(3)
    ]


def test_a_refused_recipient_counts_towards_giving_up_and_does_not_stop_the_others(
    running_mail_server, settings
):
    with time_machine.travel(CURRENT_TIME, tick=False) as traveller:
        refused = send_email(PURPOSE, "personne@refused.example", CONTEXT)
        traveller.shift(timedelta(seconds=1))
        send_email(PURPOSE, "lila@example.fr", CONTEXT)
        DBTaskResult.objects.all().delete()
        traveller.shift(timedelta(minutes=2))
        assert _deliver_emails().startswith("1 courriel(s) remis, 1 en échec")
        refused.refresh_from_db()
        assert (refused.attempts, refused.refusals) == (1, 1)
        assert "SMTPRecipientsRefused" in refused.last_error
        assert "No such user" in refused.last_error
        for _run in range(4 * 12):  # four hours of the scheduler's runs
            traveller.shift(timedelta(minutes=5))
            _deliver_emails()
    refused.refresh_from_db()
    assert refused.refusals == settings.EMAIL_MAX_ATTEMPTS and refused.given_up_at is not None
    assert [r.rcpt_tos for r in running_mail_server.received] == [["lila@example.fr"]]


def test_a_server_saying_it_is_unavailable_is_waited_for_not_counted_as_a_refusal(
    running_mail_server,
):
    """421: the server is closing the session (overloaded, shutting down), whatever the
    recipient."""
    running_mail_server.rcpt_reply = "421 4.3.2 Service not available, closing channel"
    with time_machine.travel(CURRENT_TIME, tick=False) as traveller:
        message = send_email(PURPOSE, "lila@example.fr", CONTEXT)
        DBTaskResult.objects.all().delete()
        traveller.shift(timedelta(minutes=2))
        assert "indisponible" in _deliver_emails()
        message.refresh_from_db()
        assert (message.attempts, message.refusals) == (1, 0)
        running_mail_server.rcpt_reply = None
        traveller.shift(timedelta(minutes=1))
        assert _deliver_emails().startswith("1 courriel(s) remis")


def test_production_s_settings_give_the_smtp_connection_a_10_second_timeout(settings):
    """config/settings.py hands EMAIL_TIMEOUT (10 s by default) to the SMTP connection:
    without it smtplib would wait for a hanging server for ever (the tests above set 1 s)."""
    from django.core.mail import mailers
    from django.core.mail.backends.smtp import EmailBackend

    from config import settings as production

    settings.MAILERS = production.MAILERS
    backend = mailers.default
    assert isinstance(backend, EmailBackend) and backend.timeout == 10
