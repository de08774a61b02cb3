"""What `/readyz` checks: the database answers, the cache answers, and every migration the
code knows is applied. Each check says "ok" or what is wrong, without the error's details
(the probe is anonymous): those go to the log."""

import logging
import secrets

from django.core.cache import cache
from django.db import DEFAULT_DB_ALIAS, connections
from django.db.migrations.executor import MigrationExecutor

logger = logging.getLogger("ops.health")

# Once a process has seen every migration applied it stops looking: new migrations come with
# new code, hence a new process. Loading the migration graph costs tens of milliseconds.
_migrations_seen_applied = False


def forget_migrations_check() -> None:
    global _migrations_seen_applied
    _migrations_seen_applied = False


def check_database() -> str:
    try:
        with connections[DEFAULT_DB_ALIAS].cursor() as cursor:
            cursor.execute("SELECT 1")
            cursor.fetchone()
    except Exception:
        logger.warning("readiness: the database does not answer", exc_info=True)
        return "unreachable"
    return "ok"


def check_cache() -> str:
    key, value = "ops:readyz", secrets.token_hex(8)
    try:
        cache.set(key, value, timeout=10)
        if cache.get(key) != value:
            return "not storing"
    except Exception:
        logger.warning("readiness: the cache does not answer", exc_info=True)
        return "unreachable"
    return "ok"


def check_migrations() -> str:
    global _migrations_seen_applied
    if _migrations_seen_applied:
        return "ok"
    try:
        executor = MigrationExecutor(connections[DEFAULT_DB_ALIAS])
        plan = executor.migration_plan(executor.loader.graph.leaf_nodes())
    except Exception:
        logger.warning("readiness: the migrations could not be read", exc_info=True)
        return "unknown"
    if plan:
        names = ", ".join(f"{m.app_label}.{m.name}" for m, _ in plan[:5])
        return f"{len(plan)} unapplied: {names}"
    _migrations_seen_applied = True
    return "ok"


def readiness() -> dict[str, str]:
    checks = {"database": check_database(), "cache": check_cache()}
    checks["migrations"] = check_migrations() if checks["database"] == "ok" else "unknown"
    return checks
