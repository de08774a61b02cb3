"""The outbox page links each letter's PDF (docs/correspondence.md §1)."""

import pytest

from correspondence.letters import send_letter
from tests.helpers import LETTER_CONTEXT

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("letters_dir")]


def test_the_outbox_page_links_the_pdf(client, elegance):
    message = send_letter("simplified_code", elegance, LETTER_CONTEXT)
    page = client.get("/outbox/").content.decode()
    assert f"/outbox/courrier/{message.pk}.pdf" in page
    response = client.get(f"/outbox/courrier/{message.pk}.pdf")
    assert response["Content-Type"] == "application/pdf"
    response.close()
