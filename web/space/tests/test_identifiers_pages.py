"""*Modifiez vos identifiants* (docs/accounts.md §11, docs/security.md §9): the current
password asked, a new password at once, a new login e-mail once its code is entered, other sessions
ended."""

from datetime import timedelta

import pytest
import time_machine
from django.conf import settings
from django.contrib.auth.hashers import check_password
from django.test import Client, override_settings

from accounts.flows.registration import EMAIL_TAKEN, submit_registration
from accounts.models import EmailChangeRequest, Subscriber
from accounts.passwords import SAME_AS_CURRENT
from audit.models import Action, AuditEvent
from correspondence.models import Message
from tests.factories import PASSWORD, SubscriberFactory
from tests.helpers import (
    CURRENT_TIME,
    last_code_sent_to,
    last_email_to,
    login,
    prove_fresh_factor,
)

pytestmark = pytest.mark.django_db

NEW = "Sept chouettes grises dansent sous le vieux chêne"
PAGE = "/espace/identifiants/"
CODE_PAGE = "/espace/identifiants/confirmation/"


def _page(response) -> str:
    return response.content.decode().replace("&#x27;", "'")


def _proved(client):
    """The client's session as after *Vérification de sécurité* (the page is behind step-up)."""
    prove_fresh_factor(client)
    return client


@pytest.fixture
def lila(db):
    return SubscriberFactory(email="lila@example.fr")


@pytest.fixture
def browser(client, lila):
    assert login(client, lila.email, PASSWORD)["Location"] == "/espace/"
    return client


def _change_password(client, new=NEW, current=PASSWORD, confirmation=None):
    return _proved(client).post(
        PAGE,
        {
            "change_password": "on",
            "new_password1": new,
            "new_password2": confirmation or new,
            "current_password": current,
        },
    )


def _change_email(client, new="lila.pro@example.fr", current=PASSWORD, confirmation=None):
    return _proved(client).post(
        PAGE,
        {
            "change_email": "on",
            "new_email": new,
            "new_email_confirmation": confirmation or new,
            "current_password": current,
        },
    )


def test_the_page_shows_the_wording_of_the_seed(browser):
    page = _page(_proved(browser).get(PAGE))
    for text in [
        "Modifiez vos identifiants.",
        "Cochez le(s) identifiant(s) que vous souhaitez modifier",
        "Modifier mon adresse électronique",
        "Adresse actuelle : lila@example.fr",
        "Confirmez votre nouvelle adresse électronique",
        "Saisir mon nouveau mot de passe",
        "(20 caractères minimum) Pensez à noter votre mot de passe.",
        "Niveau de sécurité de votre mot de passe",
        "Confirmez votre nouveau mot de passe",
        "Recommandations pour prévenir des usurpations",
        "1 mot de passe différent de ceux utilisés précédemment ;",
        "Annuler",
        "Valider les modifications",
        "Votre mot de passe actuel",
    ]:
        assert text in page
    assert 'hx-post="/mot-de-passe/force/"' in page


def test_it_needs_a_login(client):
    assert client.get(PAGE)["Location"].startswith("/?next=")


def test_the_current_password_is_required_and_checked(browser, lila):
    missing = _page(_change_password(browser, current=""))
    wrong = _page(_change_password(browser, current="not my password, no"))
    assert "Saisissez votre mot de passe actuel." in missing
    assert "Votre mot de passe actuel est incorrect." in wrong
    lila.refresh_from_db()
    assert check_password(PASSWORD, lila.password)
    assert AuditEvent.objects.filter(action=Action.REAUTHENTICATION_FAILED, actor=lila).exists()


@override_settings(RATE_LIMITS={**settings.RATE_LIMITS, "login.pair": "3/15m"})
def test_repeated_wrong_current_passwords_lock_and_end_the_session(browser, lila):
    for _ in range(3):
        assert _change_password(browser, current="guess").status_code == 200
    locked = _change_password(browser, current="guess")
    assert locked.status_code == 429
    assert browser.get("/espace/")["Location"].startswith("/?next=")
    # Even the right password is refused while locked.
    assert login(Client(), lila.email, PASSWORD).status_code == 429


def test_nothing_ticked_is_explained(browser):
    response = _proved(browser).post(PAGE, {"current_password": PASSWORD, "new_password1": NEW})
    assert "Cochez le ou les identifiants que vous souhaitez modifier." in _page(response)
    response = _proved(browser).post(PAGE, {"current_password": PASSWORD})
    assert "Vous n'avez demandé aucune modification." in _page(response)


def test_the_new_password_follows_the_rules_and_must_differ_from_the_current_one(browser, lila):
    same = _page(_change_password(browser, new=PASSWORD))
    weak = _page(_change_password(browser, new="aaaaaaaaaaaaaaaaaaaaaaaa"))
    differ = _page(_change_password(browser, confirmation=NEW + "?"))
    with_email = _page(_change_password(browser, new="lila@example.fr et ses pommes vertes"))
    assert SAME_AS_CURRENT in same
    assert "trop faible" in weak
    assert "Les deux mots de passe sont différents." in differ
    assert "ne doit pas contenir votre adresse électronique" in with_email
    lila.refresh_from_db()
    assert check_password(PASSWORD, lila.password)
    assert AuditEvent.objects.filter(action=Action.PASSWORD_CHANGE_FAILED, actor=lila).exists()


def test_changing_the_password_keeps_this_session_ends_the_others_and_emails_the_holder(lila):
    here, elsewhere = Client(), Client()
    with time_machine.travel(CURRENT_TIME, tick=False):
        login(here, lila.email, PASSWORD)
        login(elsewhere, lila.email, PASSWORD)
        assert elsewhere.get("/espace/").status_code == 200
        assert _change_password(here)["Location"] == "/espace/"
        assert here.get("/espace/").status_code == 200
        assert elsewhere.get("/espace/")["Location"].startswith("/?next=")
    lila.refresh_from_db()
    assert check_password(NEW, lila.password)
    assert lila.password_changed_at == CURRENT_TIME
    email = last_email_to(lila.email, "password_changed")
    assert "Modification effectuée le 02/03/2026 à 10:30 (heure de Paris)." in email.body
    assert AuditEvent.objects.filter(
        action=Action.PASSWORD_CHANGED, actor=lila, details__via="identifiers"
    ).exists()


def test_a_new_email_takes_effect_only_with_the_code_sent_to_it(browser, lila):
    with time_machine.travel(CURRENT_TIME, tick=False):
        response = _change_email(browser, new="Lila.Pro@Example.fr")
        assert response["Location"] == CODE_PAGE
        lila.refresh_from_db()
        assert lila.email == "lila@example.fr"
        page = _page(browser.get(CODE_PAGE))
        assert "Un code de confirmation a été envoyé à <strong>lila.pro@example.fr</strong>" in page
        code = last_code_sent_to("lila.pro@example.fr")
        confirmed = browser.post(CODE_PAGE, {"code": code})
        assert confirmed["Location"] == "/espace/coordonnees/"
        assert browser.get("/espace/").status_code == 200
    lila.refresh_from_db()
    assert lila.email == "lila.pro@example.fr"
    assert not EmailChangeRequest.objects.exists()
    for address in ["lila@example.fr", "lila.pro@example.fr"]:
        notice = last_email_to(address, "login_email_changed")
        assert "Nouvelle adresse : lila.pro@example.fr" in notice.body
        assert "Modification effectuée le 02/03/2026 à 10:30 (heure de Paris)." in notice.body
    assert login(Client(), "lila.pro@example.fr", PASSWORD)["Location"] == "/espace/"
    assert login(Client(), "lila@example.fr", PASSWORD).status_code == 200
    assert AuditEvent.objects.filter(action=Action.LOGIN_EMAIL_CHANGED, actor=lila).exists()


def test_changing_the_email_ends_the_other_sessions_and_keeps_this_one(lila):
    here, elsewhere = Client(), Client()
    login(here, lila.email, PASSWORD)
    login(elsewhere, lila.email, PASSWORD)
    _change_email(here)
    assert elsewhere.get("/espace/").status_code == 200  # nothing changed yet
    here.post(CODE_PAGE, {"code": last_code_sent_to("lila.pro@example.fr")})
    assert here.get("/espace/").status_code == 200
    assert elsewhere.get("/espace/")["Location"].startswith("/?next=")


def test_both_at_once_change_the_password_now_and_the_email_after_the_code(browser, lila):
    response = _proved(browser).post(
        PAGE,
        {
            "change_email": "on",
            "new_email": "lila.pro@example.fr",
            "new_email_confirmation": "lila.pro@example.fr",
            "change_password": "on",
            "new_password1": NEW,
            "new_password2": NEW,
            "current_password": PASSWORD,
        },
    )
    assert response["Location"] == CODE_PAGE
    lila.refresh_from_db()
    assert check_password(NEW, lila.password)
    assert lila.email == "lila@example.fr"
    assert browser.get(CODE_PAGE).status_code == 200


@pytest.mark.parametrize(
    ("new", "message"),
    [
        ("lila@example.fr", "Cette adresse électronique est déjà celle de votre espace."),
        ("taken@example.fr", EMAIL_TAKEN),
        ("pending@example.fr", EMAIL_TAKEN),
    ],
)
def test_the_new_email_must_be_unused_by_any_space_or_pending_registration(
    browser, registration, new, message
):
    SubscriberFactory(email="taken@example.fr")
    registration.email = "pending@example.fr"
    submit_registration(registration)
    response = _change_email(browser, new=new)
    assert message in _page(response)
    assert not EmailChangeRequest.objects.exists()


def test_a_taken_email_is_not_told_without_the_right_current_password(browser):
    SubscriberFactory(email="taken@example.fr")
    page = _page(_change_email(browser, new="taken@example.fr", current="wrong password"))
    assert EMAIL_TAKEN not in page


def test_the_confirmations_must_match(browser):
    response = _change_email(browser, confirmation="other@example.fr")
    assert "Les deux adresses électroniques sont différentes." in _page(response)


def test_the_code_expires_after_30_minutes(browser, lila):
    with time_machine.travel(CURRENT_TIME, tick=False) as traveller:
        _change_email(browser)
        code = last_code_sent_to("lila.pro@example.fr")
        # The session's idle timeout is 30 minutes too: keep it alive on the way.
        traveller.shift(timedelta(minutes=20))
        browser.get("/espace/")
        traveller.shift(timedelta(minutes=10))
        response = browser.post(CODE_PAGE, {"code": code})
    assert "Ce code n'est plus valable" in _page(response)
    lila.refresh_from_db()
    assert lila.email == "lila@example.fr"


def test_wrong_codes_are_capped_at_5(browser, lila):
    _change_email(browser)
    code = last_code_sent_to("lila.pro@example.fr")
    wrong = code[:-1] + ("A" if code[-1] != "A" else "B")
    for attempt in range(5):
        page = _page(browser.post(CODE_PAGE, {"code": wrong}))
        expected = "Ce code n'est plus valable" if attempt == 4 else "Le code de confirmation est"
        assert expected in page
    assert "Ce code n'est plus valable" in _page(browser.post(CODE_PAGE, {"code": code}))
    lila.refresh_from_db()
    assert lila.email == "lila@example.fr"


def test_the_code_is_single_use_and_bound_to_its_space(browser, lila):
    other = SubscriberFactory(email="other@example.fr")
    _change_email(browser)
    code = last_code_sent_to("lila.pro@example.fr")
    intruder = Client()
    login(intruder, other.email, PASSWORD)
    _change_email(intruder, new="other.pro@example.fr")
    assert "Le code de confirmation est incorrect." in _page(
        intruder.post(CODE_PAGE, {"code": code})
    )
    browser.post(CODE_PAGE, {"code": code})
    assert "Ce code n'est plus valable" in _page(browser.post(CODE_PAGE, {"code": code}))
    assert Subscriber.objects.get(pk=other.pk).email == "other@example.fr"


def test_a_newer_request_kills_the_previous_code(browser, lila):
    _change_email(browser, new="first@example.fr")
    first = last_code_sent_to("first@example.fr")
    _change_email(browser, new="second@example.fr")
    assert "Le code de confirmation est incorrect." in _page(
        browser.post(CODE_PAGE, {"code": first})
    )
    lila.refresh_from_db()
    assert lila.email == "lila@example.fr"


def test_an_email_taken_meanwhile_is_refused_at_confirmation(browser, lila):
    _change_email(browser)
    SubscriberFactory(email="lila.pro@example.fr")
    page = _page(browser.post(CODE_PAGE, {"code": last_code_sent_to("lila.pro@example.fr")}))
    assert EMAIL_TAKEN in page
    lila.refresh_from_db()
    assert lila.email == "lila@example.fr"


def test_the_change_can_be_cancelled(browser, lila):
    _change_email(browser)
    response = browser.post(CODE_PAGE, {"cancel": "1"})
    assert response["Location"] == PAGE
    assert not EmailChangeRequest.objects.exists()
    assert browser.get(CODE_PAGE)["Location"] == PAGE
    assert AuditEvent.objects.filter(action=Action.EMAIL_CHANGE_CANCELLED).exists()
    assert Message.objects.filter(purpose="login_email_changed").count() == 0


def test_the_strength_indicator_knows_the_logged_in_person(browser):
    password = "rosemondelilarosemondelila"
    anonymous = Client().post("/mot-de-passe/force/", {"new_password1": password})
    known = browser.post("/mot-de-passe/force/", {"new_password1": password})
    assert "<strong>Normal</strong>" in anonymous.content.decode()
    assert "<strong>Faible</strong>" in known.content.decode()


def test_the_current_email_shown_in_a_help_text_is_escaped(client):
    from tests.factories import SubscriberFactory

    odd = SubscriberFactory(email='"<b>hi</b>"@example.fr')
    client.force_login(odd)
    response = _proved(client).get(PAGE)
    page = response.content.decode()
    assert "<b>hi</b>" not in page
    assert "Adresse actuelle : &quot;&lt;b&gt;hi&lt;/b&gt;&quot;@example.fr" in page


def test_the_pending_address_in_its_alert_is_escaped(browser, lila):
    from accounts.flows.identifiers_change import request_email_change

    request_email_change(lila, '"<script>alert(1)</script>"@example.fr')
    page = _proved(browser).get(PAGE).content.decode()
    assert "<script>alert(1)</script>" not in page
    assert (
        "Un code de confirmation a été envoyé à "
        "&quot;&lt;script&gt;alert(1)&lt;/script&gt;&quot;@example.fr." in page
    )
    assert f'<a class="fr-link" href="{CODE_PAGE}">Saisir le code</a>' in page
