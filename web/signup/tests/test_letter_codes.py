"""A letter's code typed on *Activer mon espace / mes services* (docs/accounts.md §5.4): its holder
is sent where it belongs, not told « code incorrect »; anybody else learns nothing."""

import html

import pytest

from habilitations.flows.services_activation import recognise_letter_code
from habilitations.models import Habilitation, RequestKind, RequestState
from tests.factories import PostalRequestFactory
from tests.helpers import PASSWORD, letter_code, login, simplified_letter, wrong

pytestmark = pytest.mark.django_db
WRONG_CODE = "L'adresse électronique ou le code d'activation est incorrect."


def _text(response) -> str:
    return html.unescape(response.content.decode())


@pytest.fixture
def adhesion(alice):
    return PostalRequestFactory(requester=alice)


def test_an_adhesion_code_sends_its_holder_to_log_in_then_to_activer_mes_services(
    client, alice, adhesion
):
    code = letter_code(adhesion)
    page = client.post("/activer/", {"email": alice.email.upper(), "code": code})

    text = _text(page)
    assert page.status_code == 200
    assert "Le code saisi est celui d'un courrier d'adhésion ou de substitution" in text
    assert WRONG_CODE not in text
    adhesion.refresh_from_db()
    assert adhesion.failed_attempts == 0  # recognising counts nothing

    # Logging in leads straight to *Activer mes services*, where the code is entered.
    response = login(client, alice.email, PASSWORD)
    assert response["Location"] == "/espace/activer-mes-services/"
    done = client.post(
        "/espace/activer-mes-services/", {"request": adhesion.pk, f"r{adhesion.pk}-code": code}
    )
    assert done.status_code == 302
    assert Habilitation.objects.filter(subscriber=alice, service="declarer_tva").exists()
    # Only once: the next login goes home.
    client.post("/quitter/")
    assert login(client, alice.email, PASSWORD)["Location"] == "/espace/"


def test_a_wrong_code_or_someone_elses_code_is_just_incorrect(client, alice, bob, adhesion):
    code = letter_code(adhesion)
    for email, typed in [(alice.email, wrong(code)), (bob.email, code), ("x@y.fr", code)]:
        page = _text(client.post("/activer/", {"email": email, "code": typed}))
        assert WRONG_CODE in page
        assert "courrier d'adhésion" not in page
    assert recognise_letter_code(bob.email, code) is None


def test_a_used_or_withdrawn_letter_is_not_recognised(alice, adhesion):
    code = letter_code(adhesion)
    assert recognise_letter_code(alice.email, code) == RequestKind.ADHESION
    adhesion.state = RequestState.WITHDRAWN
    adhesion.save()
    assert recognise_letter_code(alice.email, code) is None


def test_a_simplified_mode_code_on_the_expert_page_leads_to_the_letter_page(
    client, simplified_data
):
    req, code = simplified_letter(simplified_data)
    email = simplified_data.registration.email
    response = client.post("/activer/", {"email": email, "code": code})
    assert response["Location"] == "/activer/courrier/"
    page = _text(client.get(response["Location"]))
    assert "Ce code est celui du courrier de création de votre espace en mode simplifié" in page
    assert f'value="{email}"' in page
    req.refresh_from_db()
    assert req.failed_attempts == 0
