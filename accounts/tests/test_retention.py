"""Retention of sessions and lapsed expert-mode registrations (docs/security.md §12)."""

from datetime import timedelta

import pytest
import time_machine
from django.contrib.sessions.models import Session

from accounts.flows.registration import submit_registration
from accounts.models import PendingRegistration
from accounts.retention import purge_expired_sessions, purge_lapsed_registrations
from audit.models import Action, AuditEvent
from backoffice.models import AgentSession
from tests.helpers import CURRENT_TIME

pytestmark = pytest.mark.django_db
CODE_VALIDITY = timedelta(hours=48)
WEEK = timedelta(days=7)


def test_expired_sessions_are_erased_the_live_ones_kept():
    Session.objects.create(session_key="a" * 32, session_data="", expire_date=CURRENT_TIME)
    Session.objects.create(
        session_key="b" * 32, session_data="", expire_date=CURRENT_TIME + timedelta(minutes=1)
    )
    with time_machine.travel(CURRENT_TIME + timedelta(seconds=1), tick=False):
        assert purge_expired_sessions() == 1
        assert purge_expired_sessions() == 0
    assert list(Session.objects.values_list("session_key", flat=True)) == ["b" * 32]


def test_a_lapsed_registration_is_deleted_with_its_hashes_after_the_period(registration):
    with time_machine.travel(CURRENT_TIME, tick=False) as traveller:
        submit_registration(registration)
        traveller.shift(CODE_VALIDITY + WEEK - timedelta(seconds=1))
        assert purge_lapsed_registrations() == 0
        assert PendingRegistration.objects.exists()
        traveller.shift(timedelta(seconds=1))
        assert purge_lapsed_registrations() == 1
        assert purge_lapsed_registrations() == 0
    assert not PendingRegistration.objects.exists()
    discarded = AuditEvent.objects.get(action=Action.REGISTRATION_DISCARDED)
    assert discarded.target == registration.email
    assert discarded.details == {"reason": "retention"}


def test_the_period_is_a_setting(registration, settings):
    settings.RETENTION_LAPSED_REGISTRATION = timedelta(0)
    with time_machine.travel(CURRENT_TIME, tick=False) as traveller:
        submit_registration(registration)
        traveller.shift(CODE_VALIDITY)
        assert purge_lapsed_registrations() == 1


def test_the_agents_ended_sessions_are_erased_too():
    AgentSession.objects.create(session_key="c" * 32, session_data="", expire_date=CURRENT_TIME)
    AgentSession.objects.create(
        session_key="d" * 32, session_data="", expire_date=CURRENT_TIME + timedelta(minutes=1)
    )
    with time_machine.travel(CURRENT_TIME + timedelta(seconds=1), tick=False):
        assert purge_expired_sessions() == 1
        assert purge_expired_sessions() == 0
    assert list(AgentSession.objects.values_list("session_key", flat=True)) == ["d" * 32]
