"""The development outbox page (docs/correspondence.md): what was sent, newest first; absent
when disabled."""

import pytest
from django.test import override_settings

from tests.helpers import send_two_emails

pytestmark = pytest.mark.django_db


def test_the_outbox_page_lists_newest_first(client):
    send_two_emails()
    page = client.get("/outbox/").content.decode()
    assert page.index("second@example.fr") < page.index("first@example.fr")
    assert "BBBBBBBBBBBB" in page


@override_settings(OUTBOX_ENABLED=False)
def test_the_outbox_page_does_not_exist_when_disabled(client):
    send_two_emails()
    assert client.get("/outbox/").status_code == 404
    assert "Boîte d'envoi" not in client.get("/").content.decode()
