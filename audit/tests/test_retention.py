"""Retention of the audit trail (docs/security.md §12): the one purge path, and only it."""

from datetime import timedelta

import pytest
import time_machine

from audit.models import Action, AuditEvent
from audit.retention import purge_old_events
from audit.trail import record
from tests.helpers import CURRENT_TIME

pytestmark = pytest.mark.django_db
YEAR = timedelta(days=365)


def test_events_older_than_the_period_are_purged_and_the_purge_is_recorded():
    with time_machine.travel(CURRENT_TIME, tick=False) as traveller:
        record(Action.LOGIN_FAILED, target="old@example.fr")
        traveller.shift(timedelta(days=1))
        record(Action.LOGIN_FAILED, target="newer@example.fr")
        traveller.move_to(CURRENT_TIME + YEAR)
        assert purge_old_events() == 0  # exactly a year old: kept
        traveller.shift(timedelta(seconds=1))
        assert purge_old_events() == 1
    assert list(AuditEvent.objects.values_list("target", flat=True)) == ["", "newer@example.fr"]
    purged = AuditEvent.objects.get(action=Action.AUDIT_PURGED)
    before = CURRENT_TIME + timedelta(seconds=1)
    assert purged.details == {"purged": 1, "before": before.isoformat()}


def test_the_period_is_a_setting(settings):
    settings.RETENTION_AUDIT = timedelta(days=30)
    with time_machine.travel(CURRENT_TIME, tick=False) as traveller:
        record(Action.LOGIN_FAILED, target="old@example.fr")
        traveller.shift(timedelta(days=30, seconds=1))
        assert purge_old_events() == 1


def test_a_second_run_purges_and_records_nothing():
    with time_machine.travel(CURRENT_TIME, tick=False) as traveller:
        record(Action.LOGIN_FAILED, target="old@example.fr")
        traveller.shift(YEAR + timedelta(days=1))
        assert purge_old_events() == 1
        assert purge_old_events() == 0
    assert AuditEvent.objects.count() == 1  # the purge's own event


def test_the_ordinary_ways_of_deleting_still_refuse():
    with time_machine.travel(CURRENT_TIME, tick=False) as traveller:
        event = record(Action.LOGIN_FAILED, target="old@example.fr")
        traveller.shift(YEAR * 2)
        with pytest.raises(PermissionError):
            AuditEvent.objects.filter(pk=event.pk).delete()
        with pytest.raises(PermissionError):
            event.delete()
        with pytest.raises(PermissionError):
            AuditEvent.objects.update(target="forged")
    assert AuditEvent.objects.get().target == "old@example.fr"


def test_only_the_retention_purge_bypasses_the_append_only_guard():
    """No other code erases audit events: `_raw_delete` on the trail lives in one function."""
    from pathlib import Path

    root = Path(__file__).resolve().parents[2]
    users = sorted(
        str(path.relative_to(root))
        for source in (
            "accounts",
            "audit",
            "companies",
            "core",
            "correspondence",
            "habilitations",
            "web",
            "demo",
        )
        for path in (root / source).rglob("*.py")
        if "tests" not in path.parts and "_raw_delete" in path.read_text()
    )
    assert users == ["audit/retention.py"]


def test_the_audit_retention_cannot_be_set_below_180_days():
    import os
    import subprocess
    import sys

    environment = {**os.environ, "DJANGO_SETTINGS_MODULE": "config.settings", "DEBUG": "1"}
    probe = "import django; django.setup()"
    short = subprocess.run(
        [sys.executable, "-c", probe],
        env={**environment, "RETENTION_AUDIT_DAYS": "30"},
        capture_output=True,
        text=True,
        check=False,
    )
    assert short.returncode != 0 and "RETENTION_AUDIT_DAYS must be at least 180" in short.stderr
    fine = subprocess.run(
        [sys.executable, "-c", probe],
        env={**environment, "RETENTION_AUDIT_DAYS": "180"},
        capture_output=True,
        text=True,
        check=False,
    )
    assert fine.returncode == 0, fine.stderr
