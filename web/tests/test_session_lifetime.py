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
