"""Passkeys (docs/security.md §14.6) through their endpoints, with a software authenticator
whose signatures py_webauthn checks: enrolment after step-up, naming, removal, the strong
factor, the login without password (frozen space refused, throttled), the second step,
step-up, single-use and expiring challenges."""

import json
from datetime import timedelta

import pytest
import time_machine
from django.conf import settings
from django.test import Client

from accounts.factors import passkeys, verification
from accounts.flows.reauthentication import PROVED_AT
from audit.models import Action, AuditEvent
from core import clock
from tests.factories import PASSWORD, SubscriberFactory
from tests.helpers import LOGIN_STEP, login
from web.factors.tests.soft_authenticator import SoftAuthenticator

pytestmark = pytest.mark.django_db

REGISTER = "/espace/securite/cles-d-acces/"
LOGIN = "/connexion/cle-d-acces/"
SECOND_STEP = "/connexion/verification/cle-d-acces/"
PROOF = "/espace/securite/verification/cle-d-acces/"


def _post(client, url: str, data: dict | None = None):
    return client.post(url, json.dumps(data or {}), content_type="application/json")


def _fresh(client) -> None:
    session = client.session
    session[PROVED_AT] = clock.now().timestamp()
    session.save()


def _logged_in(subscriber=None) -> Client:
    subscriber = subscriber or SubscriberFactory()
    client = Client()
    assert login(client, subscriber.email, PASSWORD)["Location"] == "/espace/"
    client.subscriber = subscriber
    return client


def _enrol(client, authenticator=None) -> SoftAuthenticator:
    authenticator = authenticator or SoftAuthenticator(settings.SITE_URL)
    _fresh(client)
    options = _post(client, REGISTER + "debut/").json()
    done = _post(client, REGISTER + "fin/", authenticator.create(options))
    assert done.status_code == 200, done.content
    return authenticator


def _ceremony(client, prefix: str, authenticator, **query):
    options = _post(client, prefix + "debut/").json()
    url = prefix + "fin/" + (f"?next={query['next']}" if query else "")
    return _post(client, url, authenticator.get(options))


def test_enrolment_asks_a_fresh_factor_then_keeps_a_named_strong_factor():
    client = _logged_in()
    lila = client.subscriber
    assert client.get(REGISTER + "ajouter/")["Location"].startswith("/espace/securite/verif")
    assert _post(client, REGISTER + "debut/").status_code == 403  # no recent proof
    authenticator = SoftAuthenticator(settings.SITE_URL)
    _fresh(client)
    assert "Créer la clé d'accès" in client.get(REGISTER + "ajouter/").content.decode()
    options = _post(client, REGISTER + "debut/").json()
    assert options["rp"]["id"] == "espace-pro.example.fr"
    assert options["authenticatorSelection"]["userVerification"] == "required"
    answer = authenticator.create(options)
    done = _post(client, REGISTER + "fin/", answer)
    [passkey] = passkeys.passkeys_of(lila)
    assert done.json()["redirect_url"] == f"/espace/securite/cles-d-acces/{passkey.pk}/nom/"
    assert passkey.name.startswith("Clé d'accès — ")
    lila.refresh_from_db()
    assert lila.strong_factor and verification.PASSKEY.held(lila)
    event = AuditEvent.objects.get(action=Action.FACTOR_ENROLLED)
    assert event.details["kind"] == "passkey"
    # The challenge served once: the same answer again is refused.
    assert _post(client, REGISTER + "fin/", answer).status_code == 400
    renamed = client.post(f"{REGISTER}{passkey.pk}/nom/", {"name": "  Téléphone  "})
    assert renamed["Location"] == "/espace/securite/"
    passkey.refresh_from_db()
    assert passkey.name == "Téléphone"
    page = client.get("/espace/securite/").content.decode()
    assert "Téléphone" in page and "Ajouter une clé d'accès (passkey)" in page


def test_an_answer_for_another_site_or_without_user_verification_is_refused():
    client = _logged_in()
    for authenticator in (
        SoftAuthenticator("https://espace-pro.example.fr.evil.test"),
        SoftAuthenticator(settings.SITE_URL, user_verified=False),
    ):
        _fresh(client)
        options = _post(client, REGISTER + "debut/").json()
        refused = _post(client, REGISTER + "fin/", authenticator.create(options))
        assert refused.status_code == 400
        assert "n'a pas pu être vérifiée" in refused.json()["detail"]
    assert passkeys.passkeys_of(client.subscriber) == []
    assert AuditEvent.objects.filter(action=Action.FACTOR_CODE_FAILED).count() == 2


def test_a_challenge_expires():
    client = _logged_in()
    _fresh(client)
    options = _post(client, REGISTER + "debut/").json()
    with time_machine.travel(clock.now() + settings.PASSKEY_CEREMONY_WINDOW + timedelta(seconds=1)):
        _fresh(client)
        refused = _post(
            client, REGISTER + "fin/", SoftAuthenticator(settings.SITE_URL).create(options)
        )
    assert refused.json()["code"] == "factor.passkey_expired"


def test_the_passkey_alone_logs_in_and_the_login_is_audited():
    client = _logged_in()
    authenticator = _enrol(client)
    client.post("/quitter/")
    anonymous = Client()
    options = _post(anonymous, LOGIN + "debut/").json()
    assert options["userVerification"] == "required" and not options.get("allowCredentials")
    done = _post(anonymous, LOGIN + "fin/", authenticator.get(options))
    assert done.json()["redirect_url"] == "/espace/"
    assert anonymous.get("/espace/").status_code == 200
    assert AuditEvent.objects.filter(
        action=Action.FACTOR_VERIFIED, details__purpose="passwordless"
    ).exists()
    [passkey] = passkeys.passkeys_of(client.subscriber)
    assert passkey.last_used_at is not None


def test_a_frozen_space_is_refused_and_an_unknown_passkey_too():
    client = _logged_in()
    authenticator = _enrol(client)
    lila = client.subscriber
    lila.frozen_at = clock.now()
    lila.save(update_fields=["frozen_at"])
    anonymous = Client()
    refused = _ceremony(anonymous, LOGIN, authenticator)
    assert refused.status_code == 403 and refused.json()["code"] == "space.frozen"
    assert anonymous.get("/espace/").status_code == 302
    stranger = _ceremony(anonymous, LOGIN, SoftAuthenticator(settings.SITE_URL))
    assert stranger.json()["code"] == "factor.passkey_unknown"


def test_wrong_passkey_answers_are_throttled_like_passwords():
    client = _logged_in()
    authenticator = _enrol(client)
    anonymous = Client()
    codes = []
    for _ in range(8):
        options = _post(anonymous, LOGIN + "debut/").json()
        answer = authenticator.get(options)
        answer["response"]["signature"] = answer["response"]["signature"][::-1]
        codes.append(_post(anonymous, LOGIN + "fin/", answer).status_code)
    assert codes[:5] == [400] * 5 and codes[-1] == 429
    locked = _ceremony(anonymous, LOGIN, authenticator)  # even the right answer, now
    assert locked.status_code == 429 and locked.json()["code"] == "login.locked"


def test_the_passkey_at_the_second_step_and_at_step_up():
    client = _logged_in()
    authenticator = _enrol(client)
    lila = client.subscriber
    other = Client()
    assert other.post("/", {"username": lila.email, "password": PASSWORD})["Location"] == LOGIN_STEP
    assert "Utiliser une clé d'accès" in other.get(LOGIN_STEP).content.decode()
    assert _ceremony(other, SECOND_STEP, authenticator).json()["redirect_url"] == "/espace/"
    assert other.get("/espace/").status_code == 200
    # Step-up: back to `next` (a local path only), the session freshly proved.
    proof = _ceremony(other, PROOF, authenticator, next="/espace/securite/cles-d-acces/ajouter/")
    assert proof.json()["redirect_url"] == "/espace/securite/cles-d-acces/ajouter/"
    assert other.get(REGISTER + "ajouter/").status_code == 200
    # Someone else's passkey proves nothing for Lila.
    stranger = _logged_in()
    _enrol(stranger, theirs := SoftAuthenticator(settings.SITE_URL))
    refused = _ceremony(other, PROOF, theirs)
    assert refused.status_code == 400
    assert AuditEvent.objects.filter(
        action=Action.FACTOR_STEP_UP_REFUSED, details__kind="passkey"
    ).exists()


def test_removal_asks_a_fresh_factor_and_a_confirmation():
    client = _logged_in()
    _enrol(client)
    lila = client.subscriber
    [passkey] = passkeys.passkeys_of(lila)
    url = f"{REGISTER}{passkey.pk}/supprimer/"
    session = client.session
    del session[PROVED_AT]
    session.save()
    assert client.post(url)["Location"].startswith("/espace/securite/verification/")
    _fresh(client)
    assert "Supprimer cette clé d'accès" in client.get(url).content.decode()
    stranger = _logged_in()
    _fresh(stranger)
    assert stranger.post(url).status_code == 404  # not theirs
    assert client.post(url)["Location"] == "/espace/securite/"
    lila.refresh_from_db()
    assert not lila.strong_factor and passkeys.passkeys_of(lila) == []
    assert AuditEvent.objects.get(action=Action.FACTOR_REMOVED).details["kind"] == "passkey"


def test_a_reset_of_the_factors_removes_the_passkeys():
    client = _logged_in()
    _enrol(client)
    lila = client.subscriber
    verification.reset_factors(lila, by_agent="agent-1", reason="perte du téléphone")
    lila.refresh_from_db()
    assert passkeys.passkeys_of(lila) == [] and not lila.strong_factor
    assert AuditEvent.objects.get(action=Action.FACTORS_RESET).details["passkeys_removed"] == 1


def test_without_javascript_the_login_page_says_a_passkey_needs_it():
    """The button is in a <template> the script puts in place; the page itself carries the
    sentence, and the configuration as a JSON block (no inline script: the CSP)."""
    page = Client().get("/").content.decode()
    placeholder = page.index('id="passkey-verification-placeholder"')
    assert "activez-le" in page[placeholder : placeholder + 200]
    assert page.index("<template") > placeholder
    assert '<script id="otp_webauthn_config" type="application/json">' in page
    assert "/connexion/cle-d-acces/debut/" in page


def test_off_https_and_localhost_no_passkey_button_is_shown(settings):
    settings.SITE_URL = "http://127.0.0.1:8000"
    assert "otp_webauthn_config" not in Client().get("/").content.decode()
