"""*Mot de passe expiré* (docs/accounts.md §9): e-mail + CAPTCHA, old and new password, recap,
e-mail."""

from datetime import timedelta

import pytest
import time_machine
from django.conf import settings
from django.contrib.auth.hashers import check_password
from django.test import override_settings

from accounts.passwords import SAME_AS_CURRENT
from audit.models import Action, AuditEvent
from tests.factories import PASSWORD, SubscriberFactory
from tests.helpers import CURRENT_TIME, captcha_answer, comparable, last_email_to, login

pytestmark = pytest.mark.django_db

NEW = "Sept chouettes grises dansent sous le vieux chêne"
STEP1, STEP2, STEP3 = (
    "/mot-de-passe-expire/",
    "/mot-de-passe-expire/nouveau-mot-de-passe/",
    "/mot-de-passe-expire/recapitulatif/",
)


def _page(response) -> str:
    return response.content.decode().replace("&#x27;", "'")


def _step1(client, email="lila@example.fr", **overrides):
    answer = captcha_answer(client.get(STEP1).content.decode())
    return client.post(STEP1, {"email": email, **answer, **overrides})


def _step2(client, old=PASSWORD, new=NEW, confirmation=None):
    data = {"old_password": old, "new_password1": new, "new_password2": confirmation or new}
    return client.post(STEP2, data)


@pytest.fixture
def expired(db):
    with time_machine.travel(CURRENT_TIME, tick=False):
        return SubscriberFactory(email="lila@example.fr", expires_in=timedelta(days=-3))


def test_step_1_shows_the_wording_of_the_seed_and_a_captcha_image(client):
    page = _page(client.get(STEP1))
    for text in [
        "Mot de passe expiré",
        "Adresse électronique de connexion",
        "Saisissez votre adresse électronique de connexion",
        "Recopiez les caractères de l'image",
        "Changer l'image",
        "Continuer",
        "Étape suivante\u00a0:</span> nouveau mot de passe",  # DSFR: no-break space
    ]:
        assert text in page
    key = captcha_answer(page)["captcha_0"]
    image = client.get(f"/captcha/image/{key}/")
    assert image.status_code == 200
    assert image["Content-Type"] == "image/png"


def test_the_captcha_is_required(client):
    response = client.post(STEP1, {"email": "lila@example.fr"})
    assert "Recopiez les caractères de l'image." in _page(response)
    assert client.get(STEP2)["Location"] == STEP1


def test_a_wrong_captcha_is_refused_and_replaced_by_a_new_image(client, expired):
    page = client.get(STEP1).content.decode()
    answer = captcha_answer(page)
    response = client.post(
        STEP1, {"email": "lila@example.fr", "captcha_0": answer["captcha_0"], "captcha_1": "zzzzzz"}
    )
    page = _page(response)
    assert "Les caractères saisis ne correspondent pas à l'image" in page
    assert captcha_answer(page)["captcha_0"] != answer["captcha_0"]
    assert client.get(STEP2)["Location"] == STEP1
    assert AuditEvent.objects.filter(action=Action.CAPTCHA_FAILED).exists()
    # The wrong try used up that image: its right answer no longer works either.
    retry = client.post(STEP1, {"email": "lila@example.fr", **answer})
    assert "Les caractères saisis ne correspondent pas" in _page(retry)


def test_the_right_captcha_case_insensitive_leads_to_step_2(client, expired):
    answer = captcha_answer(client.get(STEP1).content.decode())
    answer["captcha_1"] = answer["captcha_1"].upper()
    response = client.post(STEP1, {"email": " LILA@example.fr ", **answer})
    assert response["Location"] == STEP2
    page = _page(client.get(STEP2))
    for text in [
        "Saisie du nouveau mot de passe",
        "Saisissez votre ancien mot de passe",
        "Saisissez votre nouveau mot de passe",
        "(20 caractères minimum)",
        "Niveau de sécurité de votre mot de passe",
        "Confirmez votre nouveau mot de passe",
        "Étape précédente",
        "Valider",
        "Recommandations pour prévenir des usurpations",
    ]:
        assert text in page


def test_changer_l_image_gives_a_new_captcha_without_javascript_and_with_htmx(client):
    first = captcha_answer(client.get(STEP1).content.decode())["captcha_0"]
    plain = client.post(STEP1, {"email": "lila@example.fr", "change_image": "1"})
    assert plain.status_code == 200
    page = _page(plain)
    assert 'value="lila@example.fr"' in page
    assert "Les caractères saisis" not in page and "Recopiez les caractères de l'image." not in page
    second = captcha_answer(page)["captcha_0"]
    fragment = client.get("/mot-de-passe-expire/image/", headers={"HX-Request": "true"})
    third = captcha_answer(fragment.content.decode())["captcha_0"]
    assert len({first, second, third}) == 3
    assert 'id="captcha-group"' in fragment.content.decode()


def test_the_old_password_is_required(client, expired):
    with time_machine.travel(CURRENT_TIME, tick=False):
        _step1(client)
        response = client.post(STEP2, {"new_password1": NEW, "new_password2": NEW})
    assert "Saisissez votre ancien mot de passe." in _page(response)
    expired.refresh_from_db()
    assert check_password(PASSWORD, expired.password)


def test_a_wrong_old_password_or_an_unknown_email_get_the_same_refusal(client, expired):
    with time_machine.travel(CURRENT_TIME, tick=False):
        _step1(client)
        wrong = _page(_step2(client, old="not the old password, not at all"))
        _step1(client, email="nobody@example.fr")
        unknown = _page(_step2(client))
    message = "L'adresse électronique ou l'ancien mot de passe est incorrect."
    assert message in wrong and message in unknown
    assert comparable(wrong) == comparable(unknown)
    expired.refresh_from_db()
    assert check_password(PASSWORD, expired.password)
    assert AuditEvent.objects.filter(
        action=Action.PASSWORD_CHANGE_FAILED, target="nobody@example.fr"
    ).exists()


@override_settings(RATE_LIMITS={**settings.RATE_LIMITS, "login.pair": "3/15m"})
def test_wrong_old_passwords_count_towards_the_login_lock(client, expired):
    with time_machine.travel(CURRENT_TIME, tick=False):
        _step1(client)
        for _ in range(3):
            _step2(client, old="guessing the old password again")
        locked = _step2(client)
    assert locked.status_code == 429
    expired.refresh_from_db()
    assert check_password(PASSWORD, expired.password)


def test_the_same_password_as_the_previous_one_is_refused(client, expired):
    with time_machine.travel(CURRENT_TIME, tick=False):
        _step1(client)
        response = _step2(client, new=PASSWORD)
    assert SAME_AS_CURRENT in _page(response)
    expired.refresh_from_db()
    assert expired.password_changed_at < CURRENT_TIME


def test_the_new_password_follows_the_rules_and_its_confirmation_must_match(client, expired):
    with time_machine.travel(CURRENT_TIME, tick=False):
        _step1(client)
        short = _page(_step2(client, new="trop court"))
        weak = _page(_step2(client, new="aaaaaaaaaaaaaaaaaaaaaaaaa"))
        named = _page(_step2(client, new="Rosemonde aime les pommes vertes du jardin"))
        differ = _page(_step2(client, confirmation=NEW + "!"))
    assert "au moins 20 caractères" in short
    assert "trop faible" in weak
    assert "ne doit pas contenir votre nom ni votre prénom" in named
    assert "Les deux mots de passe sont différents." in differ


def test_the_whole_flow_renews_the_password_for_3_years_and_sends_the_seed_email(client, expired):
    with time_machine.travel(CURRENT_TIME, tick=False):
        assert _step1(client)["Location"] == STEP2
        assert _step2(client)["Location"] == STEP3
        recap = _page(client.get(STEP3))
        assert client.get(STEP2)["Location"] == STEP1  # the flow is over
        logged_in = login(client, "lila@example.fr", NEW)
    expired.refresh_from_db()
    assert check_password(NEW, expired.password)
    assert expired.password_changed_at == CURRENT_TIME
    assert "Votre mot de passe a été réinitialisé avec succès." in recap
    assert "Ce mot de passe est valable jusqu'au <strong>01 mars 2029</strong>." in recap
    assert "Vous allez recevoir un courriel de confirmation." in recap
    assert 'href="/">Accédez à vos services en ligne</a>' in recap
    assert "Étape 3 sur 3" in recap
    email = last_email_to("lila@example.fr", "password_changed")
    assert email.subject == "Espace professionnel - Modification du mot de passe"
    for text in [
        "Bonjour,",
        "Vous avez modifié votre mot de passe ; cette demande a bien été prise en compte.",
        "Celui-ci est valable jusqu'au 01 mars 2029.",
        "Modification effectuée le 02/03/2026 à 10:30 (heure de Paris).",
        '("Gérer vos coordonnées")',
        "L'Administration Fiscale vous remercie de l'intérêt que vous portez à ses services.",
    ]:
        assert text in email.body
    assert logged_in["Location"] == "/espace/"
    assert AuditEvent.objects.filter(
        action=Action.PASSWORD_CHANGED, actor=expired, details__via="expired"
    ).exists()


def test_etape_precedente_goes_back_to_step_1_with_the_email_kept(client, expired):
    with time_machine.travel(CURRENT_TIME, tick=False):
        _step1(client)
        back = client.post(STEP2, {"previous": "1"})
        assert back["Location"] == STEP1
        page = client.get(STEP1).content.decode()
    assert 'value="lila@example.fr"' in page
