"""Password expiry (docs/accounts.md §8): the instant, the 60-day warnings, the day
counter, and the server refusing every page once expired."""

from datetime import UTC, datetime, timedelta

import pytest
import time_machine
from django.conf import settings

from accounts.flows.password_expiry import expiry_status, is_expired
from tests.factories import SubscriberFactory
from tests.helpers import CURRENT_TIME

pytestmark = pytest.mark.django_db


def test_it_expires_three_years_after_being_set():
    subscriber = SubscriberFactory.build(
        password_changed_at=datetime(2023, 8, 8, 10, 10, tzinfo=UTC)
    )
    assert subscriber.password_expires_at == datetime(2023, 8, 8, 10, 10, tzinfo=UTC) + timedelta(
        days=3 * 365
    )
    assert timedelta(days=3 * 365) == settings.PASSWORD_VALIDITY


def test_it_is_expired_from_the_instant_of_expiry_not_a_second_before():
    with time_machine.travel(CURRENT_TIME, tick=False) as traveller:
        subscriber = SubscriberFactory(expires_in=timedelta(seconds=1))
        assert not is_expired(subscriber)
        assert not expiry_status(subscriber).expired
        traveller.shift(1)
        assert is_expired(subscriber)
        assert expiry_status(subscriber).expired


@pytest.mark.parametrize(("days", "warned"), [(61, False), (60, True), (59, True), (1, True)])
def test_warnings_start_60_days_before_expiry(days, warned):
    with time_machine.travel(CURRENT_TIME, tick=False):
        subscriber = SubscriberFactory(expires_in=timedelta(days=days))
        status = expiry_status(subscriber)
    assert status.days_left == days
    assert status.warn is warned


@pytest.mark.parametrize(
    ("now", "expires_in", "days_left", "text"),
    [
        # 23:30 in Paris, expiry two hours later: tomorrow for a person, so 1 jour.
        (datetime(2026, 3, 2, 22, 30, tzinfo=UTC), timedelta(hours=2), 1, "dans 1 jour"),
        # Later the same day in Paris.
        (datetime(2026, 3, 2, 8, 0, tzinfo=UTC), timedelta(hours=10), 0, "aujourd'hui"),
        # 24 hours across the change to summer time, from 23:30 to 00:30 two days later.
        (datetime(2026, 3, 28, 22, 30, tzinfo=UTC), timedelta(hours=24), 2, "dans 2 jours"),
        (CURRENT_TIME, timedelta(days=15), 15, "dans 15 jours"),
    ],
)
def test_days_are_counted_as_a_person_counts_them_in_paris(now, expires_in, days_left, text):
    with time_machine.travel(now, tick=False):
        subscriber = SubscriberFactory(expires_in=expires_in)
        status = expiry_status(subscriber)
    assert status.days_left == days_left
    assert status.blocked_in == text
