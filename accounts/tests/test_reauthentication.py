"""Proving who one is again in a session (docs/security.md §9, §9.1): the current password's
tries counted like failed logins, before the check, and the proof's window."""

from datetime import timedelta

import pytest
import time_machine
from django.conf import settings
from django.contrib.sessions.backends.db import SessionStore
from django.test import override_settings

from accounts.flows.reauthentication import (
    current_password_matches,
    reauthenticate,
    recently_authenticated,
)
from core.refusals import Refusal
from tests.factories import PASSWORD, SubscriberFactory
from tests.helpers import CURRENT_TIME, SQLITE_REFUSES_CONCURRENT_WRITERS, run_concurrently

WRONG = "pas le bon mot de passe"
THREE = {**settings.RATE_LIMITS, "login.pair": "3/15m"}


@pytest.mark.django_db
@override_settings(RATE_LIMITS=THREE)
def test_only_wrong_passwords_count_towards_the_lock():
    lila = SubscriberFactory()
    for _ in range(5):
        assert current_password_matches(lila, PASSWORD)
    for _ in range(3):
        assert not current_password_matches(lila, WRONG)
    with pytest.raises(Refusal) as refused:
        current_password_matches(lila, PASSWORD)
    assert refused.value.code == "login.locked"


@pytest.mark.django_db
def test_a_proof_holds_for_the_window_in_its_own_session_only():
    lila = SubscriberFactory()
    session, other = SessionStore(), SessionStore()
    with time_machine.travel(CURRENT_TIME, tick=False):
        assert not recently_authenticated(session)
        assert not reauthenticate(lila, session, password=WRONG)
        assert not recently_authenticated(session)
        assert reauthenticate(lila, session, password=PASSWORD)
        assert recently_authenticated(session) and not recently_authenticated(other)
    with time_machine.travel(
        CURRENT_TIME + settings.REAUTHENTICATION_WINDOW - timedelta(seconds=1)
    ):
        assert recently_authenticated(session)
    with time_machine.travel(CURRENT_TIME + settings.REAUTHENTICATION_WINDOW, tick=False):
        assert not recently_authenticated(session)
    # A clock set back (or a forged stamp in the future) proves nothing.
    with time_machine.travel(CURRENT_TIME - timedelta(minutes=1), tick=False):
        assert not recently_authenticated(session)


@pytest.mark.skipif(
    settings.DATABASES["default"]["ENGINE"].endswith("sqlite3"),
    reason=SQLITE_REFUSES_CONCURRENT_WRITERS,
)
@pytest.mark.django_db(transaction=True)
@override_settings(RATE_LIMITS=THREE)
def test_a_burst_of_guesses_gets_no_more_password_checks_than_the_limit():
    """A stolen session firing 12 guesses at once: 3 are checked, the others refused."""
    lila = SubscriberFactory()
    outcomes = run_concurrently(*[lambda: current_password_matches(lila, WRONG)] * 12)
    assert sum(outcome is False for outcome in outcomes) == 3
    assert all(
        outcome is False or getattr(outcome, "code", None) == "login.locked" for outcome in outcomes
    ), outcomes
