import io

import pytest
from pypdf import PdfReader

from accounts.flows.registration import submit_registration
from accounts.flows.space_activation import activate_space
from tests.factories import SubscriberFactory
from tests.helpers import last_code_sent_to

pytestmark = pytest.mark.django_db


def _text(content: bytes) -> str:
    reader = PdfReader(io.BytesIO(content))
    return "\n".join(page.extract_text() for page in reader.pages)


def test_the_recap_after_activation_has_the_number_and_no_secret(client, registration):
    submit_registration(registration)
    response = client.post(
        "/activer/",
        {"email": registration.email, "code": last_code_sent_to(registration.email)},
    )
    assert response["Location"] == "/activer/inscription/"
    pdf = client.get("/activer/inscription/formulaire.pdf")
    assert pdf["Content-Type"] == "application/pdf"
    text = _text(pdf.content)
    subscriber_number = client.get("/activer/inscription/").context["subscriber"].subscriber_number
    assert subscriber_number in text
    assert "lila.rosemonde@example.fr" in text
    assert "SARLALERIS" in text
    assert "Le nom de votre animal de compagnie ?" in text
    assert registration.password not in text
    assert "pommes" not in text
    assert "Lili" not in text


def test_the_recap_stays_downloadable_from_the_space(client):
    subscriber = SubscriberFactory(last_name="Élodie-Ærø", first_name="Zoë")
    client.force_login(subscriber)
    text = _text(client.get("/espace/coordonnees/formulaire.pdf").content)
    assert subscriber.subscriber_number in text
    assert "ÉLODIE-ÆRØ" in text


def test_another_browser_cannot_download_a_fresh_recap(client, registration):
    submit_registration(registration)
    activate_space(registration.email, last_code_sent_to(registration.email))
    # Activated elsewhere: this session has nothing to show.
    assert client.get("/activer/inscription/formulaire.pdf").status_code == 302
    assert client.get("/espace/coordonnees/formulaire.pdf").status_code == 302


def test_the_fresh_recap_is_reachable_only_for_a_short_while(client, registration):
    import time_machine

    from tests.helpers import CURRENT_TIME

    with time_machine.travel(CURRENT_TIME, tick=False) as traveller:
        submit_registration(registration)
        client.post(
            "/activer/",
            {"email": registration.email, "code": last_code_sent_to(registration.email)},
        )
        traveller.shift(14 * 60)
        assert client.get("/activer/inscription/formulaire.pdf").status_code == 200
        traveller.shift(2 * 60)
        assert client.get("/activer/inscription/formulaire.pdf").status_code == 302
        assert client.get("/activer/inscription/").status_code == 302
