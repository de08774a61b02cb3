"""The strength meter's background request racing *Valider* (issue 11): the meter's request
reads the session, the step's POST saves the identifiers into it, then the meter's request
ends. It must not save the session as it read it, which would undo the step."""

import re

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

import web.signup.views
from tests.factories import SubscriberFactory
from tests.helpers import SIGNUP_EMAIL, STRONG_PASSWORD

pytestmark = pytest.mark.django_db

WRITE = re.compile(r"^\s*(INSERT|UPDATE|DELETE|REPLACE)\b", re.IGNORECASE)
IDENTIFIERS = {
    "email": SIGNUP_EMAIL,
    "email_confirmation": SIGNUP_EMAIL,
    "password1": STRONG_PASSWORD,
    "password2": STRONG_PASSWORD,
}


def _race(client, monkeypatch):
    """The person has accepted the conditions and typed the identifiers; the meter's request
    (same browser, same session cookie) is in flight when *Valider* is clicked."""
    client.post("/creer-mon-espace/expert/", {"accept": "on"})
    assert client.get("/creer-mon-espace/expert/identifiants/").status_code == 200
    meter = Client()
    meter.cookies = client.cookies
    score = web.signup.views.score

    def score_while_valider_is_clicked(*args, **kwargs):
        # The meter's request has read the session (who is logged in); now *Valider*.
        response = client.post("/creer-mon-espace/expert/identifiants/", IDENTIFIERS)
        assert response.status_code == 302
        assert response["Location"] == "/creer-mon-espace/expert/formulaire/"
        return score(*args, **kwargs)

    # Chance made deterministic: the click lands inside the meter's request every time.
    monkeypatch.setattr(web.signup.views, "score", score_while_valider_is_clicked)
    response = meter.post(
        "/mot-de-passe/force/",
        {"email": SIGNUP_EMAIL, "password1": STRONG_PASSWORD},
        headers={"HX-Request": "true"},
    )
    assert response.status_code == 200
    assert "Force du mot de passe" in response.content.decode()


def test_the_strength_meter_never_undoes_the_step_it_races(client, monkeypatch):
    _race(client, monkeypatch)
    # The identifiers were kept: the next step opens, and going back shows the e-mail.
    assert client.get("/creer-mon-espace/expert/formulaire/").status_code == 200
    page = client.get("/creer-mon-espace/expert/identifiants/").content.decode()
    assert SIGNUP_EMAIL in page


def test_the_race_did_lose_the_step_when_every_request_saved_the_session(
    client, monkeypatch, settings
):
    """The same race with the former setting: the meter's request saved the session as it had
    read it, and the person was sent back to an empty identifiers page."""
    settings.SESSION_SAVE_EVERY_REQUEST = True
    _race(client, monkeypatch)
    response = client.get("/creer-mon-espace/expert/formulaire/")
    assert response.status_code == 302
    assert response["Location"] == "/creer-mon-espace/expert/identifiants/"


def test_the_strength_meter_of_a_logged_in_person_saves_nothing(client, settings):
    """On *Modifiez vos identifiants*: even when the idle timeout is due to be pushed back, the
    meter's request leaves that to the pages (docs/security.md §11.7)."""
    settings.SESSION_REFRESH_SECONDS = 0
    client.force_login(SubscriberFactory())
    with CaptureQueriesContext(connection) as queries:
        response = client.post("/mot-de-passe/force/", {"new_password1": STRONG_PASSWORD})
    assert response.status_code == 200
    # (Its rate-limit counter is its only write, without Redis: docs/security.md §6.)
    writes = [q["sql"] for q in queries.captured_queries if WRITE.match(q["sql"])]
    assert not [sql for sql in writes if "django_session" in sql], writes
