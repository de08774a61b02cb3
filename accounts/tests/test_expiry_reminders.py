"""`manage.py send_expiry_reminders` (docs/accounts.md §8): 60, 15 and 1 days before, each once."""

from datetime import timedelta
from io import StringIO

import pytest
import time_machine
from django.core.management import call_command

from accounts.flows.password_expiry import due_reminder, send_expiry_reminders
from accounts.models import PasswordExpiryReminder
from audit.models import Action, AuditEvent
from correspondence.models import Message
from tests.factories import SubscriberFactory
from tests.helpers import CURRENT_TIME

pytestmark = pytest.mark.django_db


def _reminders(email: str) -> list[str]:
    messages = Message.objects.filter(to=email, purpose="password_expiry_reminder")
    return [m.body for m in messages.order_by("sent_at", "id")]


def _run() -> str:
    out = StringIO()
    call_command("send_expiry_reminders", stdout=out)
    return out.getvalue()


@pytest.mark.parametrize(
    ("days_left", "due"),
    [(61, None), (60, 60), (16, 60), (15, 15), (2, 15), (1, 1), (0, 1), (-1, None)],
)
def test_the_reminder_due_is_the_nearest_threshold_reached(days_left, due):
    assert due_reminder(days_left) == due


def test_a_daily_run_sends_each_reminder_once_at_60_15_and_1_days():
    with time_machine.travel(CURRENT_TIME, tick=False) as traveller:
        lila = SubscriberFactory(email="lila@example.fr", expires_in=timedelta(days=61))
        for _day in range(62):
            _run()
            _run()  # twice the same day changes nothing
            traveller.shift(timedelta(days=1))
    bodies = _reminders("lila@example.fr")
    assert len(bodies) == 3
    assert "votre accès sera bloqué dans 60 jours" in bodies[0]
    assert "votre accès sera bloqué dans 15 jours" in bodies[1]
    assert "votre accès sera bloqué dans 1 jour." in bodies[2]
    assert all("Votre mot de passe expire le 02 mai 2026 (heure de Paris)" in b for b in bodies)
    assert set(
        PasswordExpiryReminder.objects.filter(subscriber=lila).values_list("days_before", flat=True)
    ) == {60, 15, 1}
    assert AuditEvent.objects.filter(action=Action.PASSWORD_EXPIRY_REMINDER_SENT).count() == 3


def test_the_command_says_how_many_it_sent_and_is_safe_to_run_twice():
    with time_machine.travel(CURRENT_TIME, tick=False):
        SubscriberFactory(expires_in=timedelta(days=60))
        SubscriberFactory(expires_in=timedelta(days=15, hours=1))
        SubscriberFactory(expires_in=timedelta(days=30))  # the 60-day one was missed: caught up
        SubscriberFactory(expires_in=timedelta(days=90))
        SubscriberFactory(expired=True)
        first = _run()
        second = _run()
    assert first.strip() == "3 rappel(s) d'expiration envoyé(s)."
    assert second.strip() == "0 rappel(s) d'expiration envoyé(s)."
    assert Message.objects.filter(purpose="password_expiry_reminder").count() == 3


def test_a_missed_day_is_caught_up_without_sending_the_older_reminders():
    with time_machine.travel(CURRENT_TIME, tick=False):
        SubscriberFactory(email="late@example.fr", expires_in=timedelta(days=10))
        send_expiry_reminders()
        send_expiry_reminders()
    bodies = _reminders("late@example.fr")
    assert len(bodies) == 1
    assert "dans 10 jours" in bodies[0]


def test_a_new_password_gets_its_own_reminders_later():
    with time_machine.travel(CURRENT_TIME, tick=False) as traveller:
        lila = SubscriberFactory(email="lila@example.fr", expires_in=timedelta(days=60))
        assert send_expiry_reminders() == 1
        lila.password_changed_at = CURRENT_TIME
        lila.save()
        assert send_expiry_reminders() == 0
        traveller.move_to(lila.password_expires_at - timedelta(days=60))
        assert send_expiry_reminders() == 1
    assert len(_reminders("lila@example.fr")) == 2


def test_inactive_spaces_get_no_reminder():
    with time_machine.travel(CURRENT_TIME, tick=False):
        SubscriberFactory(expires_in=timedelta(days=15), is_active=False)
        assert send_expiry_reminders() == 0
