"""The development outbox page (docs/correspondence.md): what was sent, newest first; absent
when disabled."""

from datetime import timedelta

import pytest
import time_machine
from django.test import override_settings

from correspondence.mail import send_email
from tests.helpers import CURRENT_TIME

pytestmark = pytest.mark.django_db


# What registration passes the activation e-mail besides the code.
EXPIRES_AT = CURRENT_TIME + timedelta(hours=48)


def _send_two():
    with time_machine.travel(CURRENT_TIME, tick=False) as traveller:
        send_email(
            "space_activation_code",
            "first@example.fr",
            {"code": "AAAAAAAAAAAA", "hours": 48, "expires_at": EXPIRES_AT},
        )
        traveller.shift(timedelta(minutes=5))
        send_email(
            "space_activation_code",
            "second@example.fr",
            {"code": "BBBBBBBBBBBB", "hours": 48, "expires_at": EXPIRES_AT},
        )


def test_the_outbox_page_lists_newest_first(client):
    _send_two()
    page = client.get("/outbox/").content.decode()
    assert page.index("second@example.fr") < page.index("first@example.fr")
    assert "BBBBBBBBBBBB" in page


@override_settings(OUTBOX_ENABLED=False)
def test_the_outbox_page_does_not_exist_when_disabled(client):
    _send_two()
    assert client.get("/outbox/").status_code == 404
    assert "Boîte d'envoi" not in client.get("/").content.decode()
