"""gunicorn's settings for the Procfile's `web` process (docs/operations.md, "Processes").

Every value comes from the environment, as the platform sets it: PORT, WEB_CONCURRENCY,
WEB_TIMEOUT, FORWARDED_ALLOW_IPS (read by gunicorn itself)."""

import gc
import os
import shutil
from pathlib import Path

bind = f"0.0.0.0:{os.environ.get('PORT', '8000')}"
# Sync workers: each answers one request at a time. (2 x cores) + 1 is gunicorn's advice.
workers = int(os.environ.get("WEB_CONCURRENCY") or (2 * (os.cpu_count() or 1) + 1))
# A request still running after this long is killed (its worker restarted): no page should
# take more than a few seconds; slow work goes to the `worker` process.
timeout = int(os.environ.get("WEB_TIMEOUT", "30"))
graceful_timeout = 20  # on SIGTERM (a deployment), requests in flight get this long
keepalive = 5  # behind a proxy that keeps connections open
# A worker is replaced after about this many requests: memory stays bounded.
max_requests = int(os.environ.get("WEB_MAX_REQUESTS", "20000"))
max_requests_jitter = max_requests // 10
# One line per request is written by the application (ops.middleware: JSON, with the
# request id); gunicorn's own lines go to standard error.
accesslog = None
errorlog = "-"
proc_name = "espace-professionnel"


def on_starting(server):
    """Metrics of several workers are added up through files in PROMETHEUS_MULTIPROC_DIR
    (prometheus-client): emptied at each start, as prometheus-client requires."""
    folder = os.environ.get("PROMETHEUS_MULTIPROC_DIR")
    if folder:
        shutil.rmtree(folder, ignore_errors=True)
        Path(folder).mkdir(parents=True, exist_ok=True)


def child_exit(server, worker):
    if os.environ.get("PROMETHEUS_MULTIPROC_DIR"):
        from prometheus_client import multiprocess

        multiprocess.mark_process_dead(worker.pid)


# The application is loaded once, in the master, before the workers are forked: a worker
# (re)started by max_requests serves at once, without reading the settings, the URL
# patterns and the static files' index again (whitenoise's scan of the collected files
# takes seconds). What was loaded then is moved out of the garbage collector's sight
# (gc.freeze), so its collections in each worker walk only the request's own objects, and
# the pages of memory stay shared between the workers (docs/operations.md, "Processes").
preload_app = True


def pre_fork(server, worker):
    gc.freeze()
