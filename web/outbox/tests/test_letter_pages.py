"""The outbox page links each letter's PDF (docs/correspondence.md §1)."""

import pytest

from correspondence.letters import send_letter
from tests.factories import CompanyFactory
from tests.helpers import CURRENT_TIME

pytestmark = pytest.mark.django_db


CONTEXT = {
    "requester_name": "Mme Lila ROSEMONDE",
    "requester_number": "20101670101919",
    "services": ["Messagerie", "Payer"],
    "payer_labels": ["Payer TVA"],
    "code": "VspJiHEQjPAq",
    "days": 60,
    "expires_at": CURRENT_TIME,
}


@pytest.fixture(autouse=True)
def letters_dir(settings, tmp_path):
    settings.LETTERS_DIR = tmp_path / "letters"


@pytest.fixture
def elegance(db):
    """A company whose name and address need escaping and accents in a PDF."""
    return CompanyFactory(
        identifier="111111118",
        name="SARL ÉLÉGANCE & FILS",
        street_line="45 AVENUE JEAN JAURÈS",
        postal_code="33000",
        city="BORDEAUX",
    )


def test_the_outbox_page_links_the_pdf(client, elegance):
    message = send_letter("simplified_code", elegance, CONTEXT)
    page = client.get("/outbox/").content.decode()
    assert f"/outbox/courrier/{message.pk}.pdf" in page
    response = client.get(f"/outbox/courrier/{message.pk}.pdf")
    assert response["Content-Type"] == "application/pdf"
    response.close()
