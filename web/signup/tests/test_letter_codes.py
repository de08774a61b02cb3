"""A letter's code typed on *Activer mon espace / mes services* (docs/accounts.md §5.4): its holder
is sent where it belongs, not told « code incorrect »; anybody else learns nothing."""

import html
from datetime import timedelta

import pytest
import time_machine

from accounts.flows.registration import submit_registration
from accounts.models import PendingRegistration
from audit.models import Action, AuditEvent
from habilitations.choices import RequestKind, RequestState
from habilitations.models import Habilitation
from habilitations.postal.activation import recognise_letter_code
from tests.factories import PostalRequestFactory
from tests.helpers import (
    CURRENT_TIME,
    PASSWORD,
    last_code_sent_to,
    letter_code,
    login,
    simplified_letter,
    wrong,
)

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


LOCKED = "Le code d'activation a été saisi trop de fois de manière erronée avec cette adresse"


def test_wrong_codes_for_an_e_mail_are_capped_from_every_address_and_kill_no_letter(
    client, alice, adhesion, settings
):
    """Each wrong code typed here is also tried as the e-mail's letters' codes: per login
    e-mail, whatever the address, it gets the tries a letter's code has on its own page; the
    letter itself stays alive (docs/security.md §5.3)."""
    code = letter_code(adhesion)
    tries = settings.MAX_CODE_ATTEMPTS
    with time_machine.travel(CURRENT_TIME, tick=False) as traveller:
        # A right code costs no try: recognised, it gives its try back.
        assert "courrier d'adhésion" in _text(
            client.post("/activer/", {"email": alice.email, "code": code})
        )
        for n in range(tries):
            page = _text(
                client.post(
                    "/activer/",
                    {"email": alice.email, "code": wrong(code)},
                    REMOTE_ADDR=f"10.0.0.{n}",
                )
            )
            assert WRONG_CODE in page and LOCKED not in page
        # The next try, from yet another address, is refused, even with the right code.
        for typed in (wrong(code), code):
            page = _text(
                client.post(
                    "/activer/",
                    {"email": alice.email.upper(), "code": typed},
                    REMOTE_ADDR="10.9.9.9",
                )
            )
            assert LOCKED in page
            assert "réessayez après le 03/03/2026 à 01:00" in page  # the day's window, Paris time
            assert "courrier d'adhésion" not in page
        assert (
            AuditEvent.objects.filter(
                action=Action.RATE_LIMITED, details__limit="activation.letter_email"
            ).count()
            == 1
        )
        # Another e-mail is not concerned.
        assert WRONG_CODE in _text(client.post("/activer/", {"email": "x@y.fr", "code": code}))

        adhesion.refresh_from_db()
        assert adhesion.failed_attempts == 0 and adhesion.state == RequestState.LETTER_SENT
        # The next day the page recognises the code again; on its own page it works all along.
        traveller.shift(timedelta(days=1))
        assert "courrier d'adhésion" in _text(
            client.post("/activer/", {"email": alice.email, "code": code})
        )
    assert recognise_letter_code(alice.email, code) == RequestKind.ADHESION
    login(client, alice.email, PASSWORD)
    client.post(
        "/espace/activer-mes-services/", {"request": adhesion.pk, f"r{adhesion.pk}-code": code}
    )
    assert Habilitation.objects.filter(subscriber=alice, service="declarer_tva").exists()


def test_a_pending_registrations_right_code_still_activates_once_the_tries_are_spent(
    client, registration, settings
):
    """The cap holds only the recognition of letters: nobody can keep someone from activating
    their space by typing wrong codes for their e-mail from elsewhere."""
    submit_registration(registration)
    PendingRegistration.objects.update(registered_from="192.0.2.1")
    code = last_code_sent_to(registration.email)
    for _ in range(settings.MAX_CODE_ATTEMPTS + 1):
        page = client.post(
            "/activer/", {"email": registration.email, "code": wrong(code)}, REMOTE_ADDR="10.1.1.1"
        )
    assert LOCKED in _text(page)
    response = client.post(
        "/activer/", {"email": registration.email, "code": code}, REMOTE_ADDR="192.0.2.1"
    )
    assert response.status_code == 302 and response["Location"] == "/activer/inscription/"
