"""Fixtures of the API's tests."""

import pytest

from api.tests import receiver


@pytest.fixture
def received(settings, tmp_path):
    """A real HTTPS receiver of webhooks on 127.0.0.1 (api/tests/receiver.py): what it received
    (url, body, headers), and `answers`, the statuses it gives in turn (204 when none is left).
    Deliveries reach it through the two documented settings a laptop would use: private
    addresses allowed, and its throw-away authority trusted."""
    running, stop = receiver.serve(tmp_path)
    settings.API_WEBHOOK_ALLOW_PRIVATE = True
    settings.API_WEBHOOK_CA_BUNDLE = running.ca_file
    yield running
    stop()
