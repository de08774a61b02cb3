"""A mail server that accepts connections but never answers must not hold a page: outside
development the e-mail is recorded and queued, the page answers at once, and the worker gives
up after EMAIL_TIMEOUT without losing the e-mail (docs/correspondence.md §1.2)."""

import socket
import threading
import time
from datetime import timedelta
from io import StringIO

import pytest
import time_machine
from django.core import mail
from django.core.management import call_command
from django.tasks import TaskResultStatus
from django_tasks_db.models import DBTaskResult

from correspondence.models import Message
from tests.helpers import SIGNUP_EMAIL, SIGNUP_PROFILE, STRONG_PASSWORD

EMAIL, PROFILE = SIGNUP_EMAIL, SIGNUP_PROFILE
TIMEOUT = 2  # seconds: the page must answer well before the mail server would time out


@pytest.fixture
def silent_mail_server():
    """A TCP server on 127.0.0.1 that accepts connections and never says a word (no SMTP
    greeting). It lets each connection go after 5 s, so that a missing timeout fails the test
    instead of hanging it."""
    server = socket.create_server(("127.0.0.1", 0))
    server.settimeout(0.1)
    stop = threading.Event()
    held = []

    def serve():
        while not stop.is_set():
            try:
                connection, _ = server.accept()
                held.append((time.monotonic(), connection))
            except TimeoutError:
                pass
            for since, old in list(held):
                if time.monotonic() - since > 5:
                    old.close()
                    held.remove((since, old))

    thread = threading.Thread(target=serve, daemon=True)
    thread.start()
    yield server.getsockname()[1]
    stop.set()
    thread.join()
    for _, connection in held:
        connection.close()
    server.close()


@pytest.fixture
def production_delivery(settings, silent_mail_server):
    """What production has (config/settings.py with DEBUG off), pointed at the silent server
    with a short timeout."""
    settings.OUTBOX_ENABLED = False
    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
    settings.MAILERS = {
        "default": {
            "BACKEND": "django.core.mail.backends.smtp.EmailBackend",
            "OPTIONS": {"host": "127.0.0.1", "port": silent_mail_server, "timeout": TIMEOUT},
        }
    }


def _register(client) -> float:
    """Go through the registration pages; the seconds the confirming POST took."""
    client.post("/creer-mon-espace/expert/", {"accept": "on"})
    client.post(
        "/creer-mon-espace/expert/identifiants/",
        {
            "email": EMAIL,
            "email_confirmation": EMAIL,
            "password1": STRONG_PASSWORD,
            "password2": STRONG_PASSWORD,
        },
    )
    client.post("/creer-mon-espace/expert/formulaire/", PROFILE)
    started = time.perf_counter()
    response = client.post("/creer-mon-espace/expert/recapitulatif/", {})
    elapsed = time.perf_counter() - started
    assert response.status_code == 302 and response.url == "/creer-mon-espace/expert/code-envoye/"
    return elapsed


# The worker runs in the test's thread and commits: a transactional test (on PostgreSQL the
# worker's connection handling breaks the usual test transaction).
@pytest.mark.django_db(transaction=True)
def test_registration_answers_at_once_and_the_email_waits_for_a_mail_server_that_answers(
    client, company, production_delivery, settings
):
    assert _register(client) < TIMEOUT  # it did not wait for the silent server
    message = Message.objects.get(to=EMAIL)
    assert message.delivered_at is None and message.sealed_body
    (queued,) = DBTaskResult.objects.all()
    assert queued.status == TaskResultStatus.READY and queued.args_kwargs["args"] == [message.pk]

    # The worker tries: the mail server never answers, the worker gives up after the timeout.
    started = time.perf_counter()
    call_command("db_worker", "--batch", "--no-startup-delay", stdout=StringIO())
    assert TIMEOUT <= time.perf_counter() - started < TIMEOUT + 2
    queued.refresh_from_db()
    assert queued.status == TaskResultStatus.FAILED
    message.refresh_from_db()
    assert message.delivered_at is None and message.given_up_at is None
    assert message.attempts == 1 and "timed out" in message.last_error
    # Nothing is lost: the sealed body (with the code) waits for the next try.
    assert message.sealed_body and message.next_attempt_at

    # The mail server is back: the next `deliver_emails` delivers it, code included.
    settings.MAILERS = {"default": {"BACKEND": "django.core.mail.backends.locmem.EmailBackend"}}
    with time_machine.travel(message.next_attempt_at + timedelta(seconds=1)):
        call_command("deliver_emails", stdout=StringIO())
    (sent,) = mail.outbox
    assert sent.to == [EMAIL] and "[masqué]" not in sent.body
    message.refresh_from_db()
    assert message.delivered_at is not None and message.sealed_body == ""
