"""Fixtures of the API's tests."""

import pytest

from api import webhooks


@pytest.fixture
def received(monkeypatch, settings):
    """What webhooks' servers received (url, body, headers), nothing sent over the network;
    `answers` are the statuses they give, in turn (204 when none is left). Every host is public
    but `intranet.example`."""
    settings.API_WEBHOOK_ALLOW_PRIVATE = False
    monkeypatch.setattr(webhooks, "_public", lambda host: host != "intranet.example")

    class Calls(list):
        answers: list[int]

    calls = Calls()
    calls.answers = []

    def post(url, body, headers):
        calls.append((url, body, headers))
        return calls.answers.pop(0) if calls.answers else 204

    monkeypatch.setattr(webhooks, "post", post)
    return calls
