"""The request id travels with the tasks a request enqueues: the database queue stores it
beside the task's arguments, and the worker logs the task's lines under it."""

from django_tasks_db import DatabaseBackend
from django_tasks_db.compat import normalize_json

from core.tracing import _current, current_request_id

REQUEST_ID_KEY = "request_id"


class TracedDatabaseBackend(DatabaseBackend):
    """django-tasks-db's queue, each row also holding the request id it was enqueued under
    (beside "args" and "kwargs" in its JSON column, which the worker reads by key). The row
    is written as django-tasks-db 0.13 writes it (`_task_to_db_task`, sync path: the site
    enqueues from sync code only); a test fails if a new version stops carrying the id."""

    def _task_to_db_task(self, task, args, kwargs):
        from django_tasks_db.models import DBTaskResult

        return DBTaskResult.objects.create(
            id=self._get_id(),
            args_kwargs=normalize_json(
                {"args": args, "kwargs": kwargs, REQUEST_ID_KEY: current_request_id()}
            ),
            priority=task.priority,
            task_path=task.module_path,
            queue_name=task.queue_name,
            run_after=task.run_after,
            backend_name=self.alias,
        )


def resume_request_id(sender, task_result, **kwargs):
    """`task_started`: in the worker, log under the enqueuing request's id."""
    db_result = getattr(task_result, "db_result", None)
    if db_result is not None:
        _current.set((db_result.args_kwargs or {}).get(REQUEST_ID_KEY))


def forget_request_id(sender, task_result, **kwargs):
    """`task_finished`: the next task starts with no request id."""
    if getattr(task_result, "db_result", None) is not None:
        _current.set(None)
