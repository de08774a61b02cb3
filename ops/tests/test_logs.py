"""Logs outside development: one JSON object a line, each carrying the request id that the
response returns in X-Request-ID and that the tasks the request enqueued log under."""

import io
import json
import logging
import logging.config

import pytest
from django.conf import settings
from django.core.management import call_command
from django.http import HttpResponse
from django.test import RequestFactory

from core.tracing import request_id_bound
from ops.middleware import RequestObservationMiddleware


@pytest.fixture
def log_lines():
    """What the production handler (settings.LOGGING's json formatter and filter) writes."""
    stream = io.StringIO()
    config = settings.LOGGING
    formatter = logging.config.DictConfigurator(config).configure_custom(
        dict(config["formatters"]["json"])
    )
    handler = logging.StreamHandler(stream)
    handler.setFormatter(formatter)
    handler.addFilter(
        logging.config.DictConfigurator(config).configure_custom(
            dict(config["filters"]["request_id"])
        )
    )
    loggers = [logging.getLogger(name) for name in ("ops.access", "django.tasks", "correspondence")]
    for logger in loggers:
        logger.addHandler(handler)
    yield lambda: [json.loads(line) for line in stream.getvalue().splitlines()]
    for logger in loggers:
        logger.removeHandler(handler)


def test_json_is_the_default_outside_development():
    assert settings.DEBUG is False
    assert settings.LOG_FORMAT == "json"
    assert settings.LOGGING["handlers"]["console"]["formatter"] == "json"


def test_each_request_is_one_json_line_with_its_request_id(client, db, log_lines):
    response = client.get("/", HTTP_X_REQUEST_ID="proxy-id-42")
    assert response.status_code == 200
    assert response["X-Request-ID"] == "proxy-id-42"
    [line] = [entry for entry in log_lines() if entry["logger"] == "ops.access"]
    assert line["request_id"] == "proxy-id-42"
    assert line["level"] == "INFO"
    assert line["method"] == "GET"
    assert line["path"] == "/"
    assert line["status"] == 200
    assert line["duration"] >= 0
    assert line["message"] == "GET / 200"
    assert line["time"].startswith("20")


def test_a_request_without_a_valid_id_gets_a_new_one(client, db, log_lines):
    first = client.get("/")["X-Request-ID"]
    second = client.get("/", HTTP_X_REQUEST_ID='evil"\n{"level":"CRITICAL"}')["X-Request-ID"]
    assert len(first) == 32 and len(second) == 32 and first != second
    assert [entry["request_id"] for entry in log_lines()] == [first, second]


def test_the_token_of_an_e_mailed_link_is_masked_in_the_log(client, db, log_lines):
    client.get("/mot-de-passe-oublie/lien/abcdef/SECRETTOKEN123/")
    [line] = log_lines()
    assert "SECRETTOKEN123" not in json.dumps(line)
    assert line["path"] == "/mot-de-passe-oublie/lien/abcdef/[masqué]/"


@pytest.mark.django_db(transaction=True)
def test_a_task_enqueued_during_a_request_is_logged_by_the_worker_under_its_id(settings, log_lines):
    settings.TASKS = {"default": {"BACKEND": "ops.tasks.TracedDatabaseBackend"}}
    from core import clock
    from correspondence.mail import deliver_email
    from correspondence.models import Kind, Message

    message = Message.objects.create(
        kind=Kind.EMAIL,
        purpose="test",
        to="a@example.fr",
        subject="s",
        body="b",
        sent_at=clock.now(),
    )

    def view(request):
        deliver_email.enqueue(message.pk)
        return HttpResponse("ok")

    request = RequestFactory().get("/", HTTP_X_REQUEST_ID="req-for-task")
    RequestObservationMiddleware(view)(request)

    call_command("db_worker", "--batch", "--no-startup-delay", stdout=io.StringIO())
    task_lines = [entry for entry in log_lines() if entry["logger"] == "django.tasks"]
    assert task_lines, "the worker logged nothing"
    assert {entry["request_id"] for entry in task_lines} == {"req-for-task"}
    message.refresh_from_db()
    assert message.delivered_at is not None
    # The next task, enqueued outside any request, carries none.
    with request_id_bound(None):
        deliver_email.enqueue(message.pk)
    call_command("db_worker", "--batch", "--no-startup-delay", stdout=io.StringIO())
    assert log_lines()[-1]["request_id"] is None
