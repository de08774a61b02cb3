"""The pages of password expiry (docs/accounts.md §8): the warning notice, the
login of an expired space, every page refused once expired."""

import re
from datetime import timedelta

import pytest
import time_machine

from audit.models import Action, AuditEvent
from tests.factories import PASSWORD, SubscriberFactory
from tests.helpers import (
    CURRENT_TIME,
    last_login_code,
    login,
    proof_location,
    prove_fresh_factor,
)

pytestmark = pytest.mark.django_db


NOTICE = (
    "Votre mot de passe expire le {date} (heure de Paris).",
    "Pensez à le modifier depuis votre espace professionnel.",
    "l'accès à votre espace sera désactivé.",
)


def _page(response) -> str:
    return response.content.decode().replace("&#x27;", "'")


def test_logging_in_60_days_before_shows_the_notice_then_the_home_page_shows_the_banner(client):
    with time_machine.travel(CURRENT_TIME, tick=False):
        subscriber = SubscriberFactory(email="lila@example.fr", expires_in=timedelta(days=15))
        response = login(client, "lila@example.fr", PASSWORD)
        assert response["Location"] == "/espace/avis-expiration/"
        notice = _page(client.get(response["Location"]))
        for sentence in NOTICE:
            assert sentence.format(date="17 mars 2026") in notice
        assert 'href="/espace/">OK</a>' in notice
        home = _page(client.get("/espace/"))
    assert subscriber.password_expires_at.date().isoformat() == "2026-03-17"
    assert "Expiration du mot de passe : 17/03/2026" in home
    assert "Attention, votre accès sera bloqué dans 15 jours" in home
    link = "/espace/identifiants/?modifier=mot-de-passe"
    assert f'href="{link}">Modifier le mot de passe</a>' in home
    with time_machine.travel(CURRENT_TIME, tick=False):
        asked = client.get(link)  # behind step-up: the proof page, then back to the link
        assert asked["Location"] == proof_location(link, "identifiers")
        client.get(asked["Location"])  # sends the code
        done = client.post(asked["Location"], {"code": last_login_code("lila@example.fr")})
        assert done["Location"] == link
        form = _page(client.get(link))
    # The form opens with « Saisir mon nouveau mot de passe » ticked, the e-mail's box not.
    assert re.search(r'<input type="checkbox" name="change_password"[^>]* checked', form)
    assert not re.search(r'<input type="checkbox" name="change_email"[^>]* checked', form)


def test_logging_in_61_days_before_goes_straight_home_without_banner(client):
    with time_machine.travel(CURRENT_TIME, tick=False):
        SubscriberFactory(email="lila@example.fr", expires_in=timedelta(days=61))
        response = login(client, "lila@example.fr", PASSWORD)
        assert response["Location"] == "/espace/"
        home = _page(client.get("/espace/"))
        notice = client.get("/espace/avis-expiration/")
    assert "Expiration du mot de passe" not in home
    assert "Modifier le mot de passe" not in home
    assert notice["Location"] == "/espace/"


def test_logging_in_with_an_expired_password_opens_no_session_and_leads_to_the_expired_flow(
    client,
):
    with time_machine.travel(CURRENT_TIME, tick=False):
        subscriber = SubscriberFactory(email="lila@example.fr", expires_in=timedelta(0))
        response = login(client, "lila@example.fr", PASSWORD)
        assert response["Location"] == "/mot-de-passe-expire/"
        assert "_auth_user_id" not in client.session
        assert client.get("/espace/")["Location"].startswith("/?next=")
        step1 = client.get("/mot-de-passe-expire/").content.decode()
    assert 'value="lila@example.fr"' in step1
    assert AuditEvent.objects.filter(
        action=Action.LOGIN_PASSWORD_EXPIRED, actor=subscriber
    ).exists()
    assert not AuditEvent.objects.filter(action=Action.LOGIN_SUCCEEDED).exists()


def test_a_wrong_password_on_an_expired_space_is_just_a_failed_login(client):
    with time_machine.travel(CURRENT_TIME, tick=False):
        SubscriberFactory(email="lila@example.fr", expired=True)
        response = login(client, "lila@example.fr", "not the password at all, sorry")
    assert response.status_code == 200
    assert "Adresse électronique ou mot de passe incorrect." in response.content.decode()


@pytest.mark.parametrize(
    "path",
    [
        "/espace/",
        "/espace/identifiants/",
        "/espace/coordonnees/",
        "/espace/coordonnees/formulaire.pdf",
        "/espace/avis-expiration/",
        "/",
    ],
)
def test_a_session_whose_password_expires_meanwhile_ends_and_leads_to_the_expired_flow(
    client, path
):
    with time_machine.travel(CURRENT_TIME, tick=False) as traveller:
        subscriber = SubscriberFactory(expires_in=timedelta(minutes=1))
        client.force_login(subscriber)
        assert client.get("/espace/").status_code == 200
        traveller.shift(61)
        response = client.get(path)
        assert response.status_code == 302
        assert response["Location"] == "/mot-de-passe-expire/"
        assert client.get("/espace/")["Location"].startswith("/?next=")
    assert AuditEvent.objects.filter(
        action=Action.SESSION_ENDED_PASSWORD_EXPIRED, actor=subscriber
    ).exists()


def test_htmx_requests_of_an_expired_session_are_redirected_by_htmx(client):
    with time_machine.travel(CURRENT_TIME, tick=False) as traveller:
        subscriber = SubscriberFactory(expires_in=timedelta(minutes=1))
        client.force_login(subscriber)
        traveller.shift(120)
        response = client.post(
            "/mot-de-passe/force/", {"password1": "x"}, headers={"HX-Request": "true"}
        )
    assert response["HX-Redirect"] == "/mot-de-passe-expire/"


def test_changing_the_password_restarts_its_validity_and_removes_the_banner(client):
    from tests.helpers import STRONG_PASSWORD

    new = "Sept chouettes grises dansent sous le vieux chêne"
    assert new != STRONG_PASSWORD
    with time_machine.travel(CURRENT_TIME, tick=False):
        subscriber = SubscriberFactory(email="lila@example.fr", expires_in=timedelta(days=10))
        client.force_login(subscriber)
        prove_fresh_factor(client)
        response = client.post(
            "/espace/identifiants/",
            {
                "change_password": "on",
                "new_password1": new,
                "new_password2": new,
                "current_password": PASSWORD,
            },
        )
        assert response.status_code == 302
        subscriber.refresh_from_db()
        home = _page(client.get("/espace/"))
    assert subscriber.password_changed_at == CURRENT_TIME
    assert subscriber.password_expires_at == CURRENT_TIME + timedelta(days=3 * 365)
    assert "Expiration du mot de passe" not in home
    assert "Votre mot de passe a été modifié. Il est valable jusqu'au 01/03/2029." in home
