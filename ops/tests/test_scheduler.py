"""The scheduler process runs each periodic command at its time (Paris), and a second
scheduler stands by instead of running them twice."""

from datetime import datetime
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.core.management import get_commands

from ops import scheduler
from ops.scheduler import JOBS, FileLock, build, leadership, make_lock, serve

PARIS = ZoneInfo("Europe/Paris")


def at(hour, minute, second=0, day=2):
    return datetime(2026, 3, day, hour, minute, second, tzinfo=PARIS)


def test_every_job_is_a_management_command():
    commands = get_commands()
    assert {job.command for job in JOBS} <= set(commands)


def test_jobs_run_at_their_cadence_as_the_clock_moves():
    calls = []
    with time_machine.travel(at(7, 58, 30), tick=False) as clock:
        jobs = build(run=calls.append)
        clock.move_to(at(7, 59, 30))
        jobs.run_pending()
        assert calls == ["deliver_emails", "deliver_webhooks"]  # a minute later: the minutely jobs

        calls.clear()
        clock.move_to(at(8, 0, 35))
        jobs.run_pending()
        assert sorted(calls) == ["deliver_emails", "deliver_webhooks", "send_expiry_reminders"]

        calls.clear()
        clock.move_to(at(8, 3, 35))
        jobs.run_pending()
        # Late by three minutes (a long job): each due job runs once, not once per missed slot.
        assert sorted(calls) == ["deliver_emails", "deliver_webhooks", "post_letters"]

        calls.clear()
        clock.move_to(at(3, 30, 1, day=3))
        jobs.run_pending()
        assert sorted(calls) == [
            "deliver_emails",
            "deliver_webhooks",
            "post_letters",
            "purge_expired",
        ]

        calls.clear()
        clock.move_to(at(8, 0, 1, day=3))
        jobs.run_pending()
        assert sorted(calls) == [
            "deliver_emails",
            "deliver_webhooks",
            "expire_delegation_requests",
            "post_letters",
            "purge_api",
            "send_expiry_reminders",
        ]


# The job closes a failed connection (close_old_connections), as a long-lived process must.
@pytest.mark.django_db(transaction=True)
def test_a_failing_job_is_logged_and_the_others_go_on(settings, caplog):
    settings.LETTERS_OUTBOX_DIR = ""  # post_letters refuses to run without its drop folder
    with caplog.at_level("INFO", logger="ops.scheduler"):
        scheduler.run_command("post_letters")
        scheduler.run_command("deliver_emails")
    messages = [record.getMessage() for record in caplog.records]
    assert messages[0] == "job post_letters started"
    assert messages[1] == "job post_letters failed"
    assert messages[-1].startswith("job deliver_emails finished: 0 courriel(s) remis")


def test_a_second_file_lock_is_refused_until_the_first_is_released(tmp_path):
    first, second = FileLock(tmp_path / "s.lock"), FileLock(tmp_path / "s.lock")
    assert first.acquire()
    assert not second.acquire()
    first.release()
    assert second.acquire()
    second.release()


@pytest.mark.django_db(transaction=True)
def test_the_lock_on_postgresql_is_an_advisory_lock_held_by_one_process():
    from django.db import connection

    if connection.vendor != "postgresql":
        pytest.skip("PostgreSQL only (run the suite with DATABASE_URL)")
    first, second = make_lock(), make_lock()
    try:
        assert first.acquire() and first.still_held()
        assert not second.acquire()
        first.release()
        assert second.acquire()
    finally:
        first.release()
        second.release()


def test_a_second_scheduler_stands_by_and_runs_nothing(tmp_path, settings, caplog):
    settings.VAR_DIR = tmp_path
    running = FileLock()
    assert running.acquire()
    waits = []

    def wait(seconds):
        waits.append(seconds)

    with caplog.at_level("WARNING", logger="ops.scheduler"):
        serve(stopping=lambda: len(waits) >= 3, wait=wait, lock=FileLock())
    assert waits == [settings.SCHEDULER_STANDBY_SECONDS] * 3
    assert "standing by" in caplog.text
    running.release()
    with leadership(FileLock(), stopping=lambda: False, wait=wait) as leading:
        assert leading  # takes over once the first one is gone


def test_the_running_scheduler_runs_due_jobs_until_told_to_stop(tmp_path, settings, monkeypatch):
    settings.VAR_DIR = tmp_path
    calls, waits = [], []
    # Which command runs when is what is tested, not the commands (each has its own tests).
    monkeypatch.setattr(scheduler, "run_command", calls.append)
    with time_machine.travel(at(10, 0, 0), tick=False) as clock:

        def wait(seconds):
            waits.append(seconds)
            clock.shift(seconds)

        serve(stopping=lambda: sum(waits) > 120, wait=wait, lock=FileLock())
    # Waits of SCHEDULER_POLL_SECONDS (10 s) at most; in two minutes, two runs of each minutely job.
    assert max(waits) == settings.SCHEDULER_POLL_SECONDS
    assert sorted(calls) == ["deliver_emails"] * 2 + ["deliver_webhooks"] * 2
