"""Fixtures of the tests of e-mail delivery: a real SMTP server (correspondence/tests/
smtp_servers.py) and production's delivery pointed at it."""

import pytest

from correspondence.tests.smtp_servers import MailServer, free_port, point_delivery_at


@pytest.fixture
def mail_server(settings):
    """A mail server that is down (not started: `mail_server.start()` brings it up), with
    production's delivery pointed at it."""
    server = MailServer(free_port())
    point_delivery_at(settings, server.port)
    yield server
    server.stop()


@pytest.fixture
def running_mail_server(mail_server):
    mail_server.start()
    return mail_server
