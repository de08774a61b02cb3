"""The scheduler process (Procfile `scheduler`): runs the periodic management commands at
their cadence, with the `schedule` library (a table of jobs, no state of its own).

Run exactly one. A second one started by mistake (two deployments overlapping, a scaled
process) stands by instead of running the jobs twice: the running one holds a lock (a
PostgreSQL advisory lock on its own connection; a file lock under VAR_DIR on SQLite, whose
database is on one machine anyway) and the other takes over when it is released, e.g. when
the first stops. Every job is also safe to run twice (each says so in its help)."""

import fcntl
import logging
import time
import zlib
from abc import ABC, abstractmethod
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from io import StringIO

import schedule
from django.conf import settings
from django.core.management import call_command
from django.db import close_old_connections, connections

logger = logging.getLogger("ops.scheduler")


@dataclass(frozen=True)
class Job:
    command: str
    every_minutes: int | None = None  # every N minutes, or
    daily_at: str | None = None  # every day at HH:MM, Paris time (the process's TIME_ZONE)

    def plan(self, scheduler: schedule.Scheduler) -> schedule.Job:
        if self.every_minutes:
            return scheduler.every(self.every_minutes).minutes
        return scheduler.every().day.at(self.daily_at)


# The periodic jobs and their cadence (README "Production", docs/operations.md).
JOBS = [
    # Retry the e-mails the mail server refused (the worker sends the others at once).
    Job("deliver_emails", every_minutes=1),
    # Retry the webhook deliveries that failed (the worker delivers new events at once).
    Job("deliver_webhooks", every_minutes=1),
    # Hand the new letters to the print-and-post step.
    Job("post_letters", every_minutes=5),
    # Erase what is kept no longer than needed, expired sessions included (clearsessions).
    Job("purge_expired", daily_at="03:30"),
    # The API's expired service bearers and idempotent answers.
    Job("purge_api", daily_at="03:40"),
    # Password expiry reminders, in the morning.
    Job("send_expiry_reminders", daily_at="08:00"),
    # Delegation requests past their 21 days: written down, each firm told (habilitations §12.4).
    Job("expire_delegation_requests", daily_at="07:30"),
]


def run_command(command: str) -> None:
    """Run one job, logging its start, its output and its end; a failure is logged and the
    scheduler goes on (the next run is at the job's next time)."""
    out, err = StringIO(), StringIO()
    started = time.perf_counter()
    logger.info("job %s started", command, extra={"job": command})
    try:
        call_command(command, stdout=out, stderr=err)
    except Exception:
        logger.exception("job %s failed", command, extra={"job": command})
    else:
        logger.info(
            "job %s finished: %s",
            command,
            " ".join(out.getvalue().split()),
            extra={
                "job": command,
                "duration": round((time.perf_counter() - started) * 1000, 2),
                "errors": err.getvalue().strip() or None,
            },
        )
    finally:
        # A long-lived process: drop a connection that failed or outlived CONN_MAX_AGE.
        close_old_connections()


def build(run: Callable[[str], None] | None = None, jobs: list[Job] = JOBS) -> schedule.Scheduler:
    """A scheduler whose clock starts now (the process's clock, which tests move with
    time-machine). "Every N minutes" counts from the job's previous run; a job found late
    runs once, then at its next time."""
    run = run or run_command
    scheduler = schedule.Scheduler()
    for job in jobs:
        job.plan(scheduler).do(run, job.command)
    return scheduler


LOCK_NAME = "espace-professionnel:scheduler"


class Lock(ABC):
    """Held by the one scheduler that runs the jobs."""

    @abstractmethod
    def acquire(self) -> bool: ...

    def still_held(self) -> bool:
        return True

    @abstractmethod
    def release(self) -> None: ...


class PostgresLock(Lock):
    """A session-level advisory lock on a connection of its own: released by PostgreSQL if
    the process dies or the connection drops."""

    key = zlib.crc32(LOCK_NAME.encode())

    def __init__(self):
        self.connection = connections.create_connection("default")

    def acquire(self) -> bool:
        with self.connection.cursor() as cursor:
            cursor.execute("SELECT pg_try_advisory_lock(%s)", [self.key])
            return bool(cursor.fetchone()[0])

    def still_held(self) -> bool:
        try:
            with self.connection.cursor() as cursor:
                cursor.execute(
                    "SELECT count(*) FROM pg_locks WHERE locktype = 'advisory' "
                    "AND objid = %s AND pid = pg_backend_pid() AND granted",
                    [self.key],
                )
                return cursor.fetchone()[0] > 0
        except Exception:
            return False

    def release(self) -> None:
        try:
            with self.connection.cursor() as cursor:
                cursor.execute("SELECT pg_advisory_unlock_all()")
        except Exception:  # the connection is gone, and the lock with it
            logger.debug("scheduler lock: connection already closed", exc_info=True)
        finally:
            self.connection.close()


class FileLock(Lock):
    """An exclusive `flock` on a file under VAR_DIR (SQLite: one machine)."""

    def __init__(self, path=None):
        self.path = path or settings.VAR_DIR / "scheduler.lock"
        self.file = None

    def acquire(self) -> bool:
        self.path.parent.mkdir(parents=True, exist_ok=True)
        handle = open(self.path, "a")  # noqa: SIM115 (kept open while the lock is held)
        try:
            fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            handle.close()
            return False
        self.file = handle
        return True

    def release(self) -> None:
        if self.file is not None:
            self.file.close()
            self.file = None


def make_lock() -> Lock:
    if connections["default"].vendor == "postgresql":
        return PostgresLock()
    return FileLock()


@contextmanager
def leadership(
    lock: Lock, stopping: Callable[[], bool], wait: Callable[[float], None]
) -> Iterator[bool]:
    """Wait until this process holds the lock (or is told to stop); yields whether it does."""
    said = False
    while not stopping():
        if lock.acquire():
            break
        if not said:
            logger.warning("another scheduler is running: standing by until it stops")
            said = True
        wait(settings.SCHEDULER_STANDBY_SECONDS)
    try:
        yield not stopping()
    finally:
        lock.release()


def serve(
    stopping: Callable[[], bool], wait: Callable[[float], None], lock: Lock | None = None
) -> None:
    """The scheduler's life: become the one running scheduler, then run the jobs when due until
    told to stop (SIGTERM) or the lock is lost (then exit: the process manager restarts it)."""
    lock = lock or make_lock()
    with leadership(lock, stopping, wait) as leading:
        if not leading:
            return
        scheduler = build()
        logger.info(
            "scheduler running: %s",
            ", ".join(f"{job.command} ({job.every_minutes or job.daily_at})" for job in JOBS),
        )
        while not stopping():
            scheduler.run_pending()
            if not lock.still_held():
                raise RuntimeError("the scheduler lock was lost: stopping")
            wait(max(0.0, min(settings.SCHEDULER_POLL_SECONDS, scheduler.idle_seconds or 0)))
