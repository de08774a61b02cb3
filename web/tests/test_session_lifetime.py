"""A session ends 12 hours after login however active (docs/security.md §8.1), besides the
30-minute idle timeout; its cookie dies with the browser."""

from datetime import timedelta

import pytest
import time_machine

from tests.factories import SubscriberFactory
from tests.helpers import CURRENT_TIME, PASSWORD, login

pytestmark = pytest.mark.django_db


def test_an_active_session_ends_twelve_hours_after_login(client):
    subscriber = SubscriberFactory()
    with time_machine.travel(CURRENT_TIME, tick=False) as traveller:
        assert login(client, subscriber.email, PASSWORD).status_code == 302
        # Active every 20 minutes (never idle 30) for 11 h 40: still logged in.
        for _ in range(35):
            traveller.shift(timedelta(minutes=20))
            assert client.get("/espace/").status_code == 200
        traveller.shift(timedelta(minutes=20))  # 12 h after login
        response = client.get("/espace/", follow=True)
    assert response.redirect_chain[0] == ("/", 302)
    page = response.content.decode()
    assert "Votre session a atteint sa durée maximale et a été fermée" in page
    assert "_auth_user_id" not in client.session


def test_the_limit_is_a_setting(client, settings):
    settings.SESSION_ABSOLUTE_SECONDS = 3600
    subscriber = SubscriberFactory()
    with time_machine.travel(CURRENT_TIME, tick=False) as traveller:
        client.force_login(subscriber)
        traveller.shift(timedelta(minutes=25))
        assert client.get("/espace/").status_code == 200
        traveller.shift(timedelta(minutes=25))
        assert client.get("/espace/").status_code == 200
        traveller.shift(timedelta(minutes=10))
        assert client.get("/espace/").status_code == 302


def test_a_new_login_starts_a_new_lifetime(client, settings):
    settings.SESSION_ABSOLUTE_SECONDS = 3600
    subscriber = SubscriberFactory()
    with time_machine.travel(CURRENT_TIME, tick=False) as traveller:
        client.force_login(subscriber)
        traveller.shift(timedelta(hours=2))
        client.force_login(subscriber)
        assert client.get("/espace/").status_code == 200


def test_the_session_cookie_dies_with_the_browser(client):
    subscriber = SubscriberFactory()
    response = login(client, subscriber.email, PASSWORD)
    cookie = next(c for name, c in response.cookies.items() if name.endswith("sessionid"))
    assert cookie["max-age"] == "" and cookie["expires"] == ""


def test_a_session_idle_for_thirty_minutes_ends(client):
    subscriber = SubscriberFactory()
    with time_machine.travel(CURRENT_TIME, tick=False) as traveller:
        assert login(client, subscriber.email, PASSWORD).status_code == 302
        traveller.shift(timedelta(minutes=29))
        assert client.get("/espace/").status_code == 200
        traveller.shift(timedelta(minutes=30))
        assert client.get("/espace/").status_code == 302


def test_a_session_active_every_five_minutes_stays_open(client):
    """Its idle timeout is pushed back at most once a minute (not on every page view), which is
    enough for a person clicking every few minutes: two hours without being logged out."""
    subscriber = SubscriberFactory()
    with time_machine.travel(CURRENT_TIME, tick=False) as traveller:
        assert login(client, subscriber.email, PASSWORD).status_code == 302
        for _ in range(24):
            traveller.shift(timedelta(minutes=5))
            assert client.get("/espace/").status_code == 200
            assert client.get("/espace/dossiers/").status_code == 200


def test_idle_time_counts_from_the_last_save_at_most_a_minute_before_the_last_click(
    client, settings
):
    """Between two saves, clicks are not written down: a session ends between
    SESSION_IDLE_SECONDS - SESSION_REFRESH_SECONDS and SESSION_IDLE_SECONDS after the last
    click, never later."""
    assert settings.SESSION_REFRESH_SECONDS == 60
    subscriber = SubscriberFactory()
    with time_machine.travel(CURRENT_TIME, tick=False) as traveller:
        assert login(client, subscriber.email, PASSWORD).status_code == 302
        traveller.shift(timedelta(seconds=50))
        assert client.get("/espace/").status_code == 200  # not saved: 50 s since the login
        traveller.shift(timedelta(minutes=29, seconds=10))
        # 29 min 10 s after the last click, 30 min after the last save: ended.
        assert client.get("/espace/").status_code == 302


def test_the_refresh_interval_is_a_setting(client, settings):
    settings.SESSION_REFRESH_SECONDS = 0  # every page view saves, as before
    subscriber = SubscriberFactory()
    with time_machine.travel(CURRENT_TIME, tick=False) as traveller:
        assert login(client, subscriber.email, PASSWORD).status_code == 302
        traveller.shift(timedelta(seconds=50))
        assert client.get("/espace/").status_code == 200
        traveller.shift(timedelta(minutes=29, seconds=10))
        assert client.get("/espace/").status_code == 200
