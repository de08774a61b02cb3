"""The request id: one per HTTP request (from the trusted proxy's `X-Request-ID`, else made
here), kept in a context variable so that every log line written while serving the request,
and the background tasks it enqueues, carry it (docs/operations.md, "Health and
observability"). Outside a request there is none, unless a task runs on behalf of one."""

import logging
import re
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar

_current: ContextVar[str | None] = ContextVar("request_id", default=None)

# What an incoming id may look like: short, printable, no spaces (a header is written by the
# client when no proxy sets it: nothing of it may break a log line).
_VALID = re.compile(r"[A-Za-z0-9._:-]{1,128}")


def current_request_id() -> str | None:
    return _current.get()


def new_request_id() -> str:
    return uuid.uuid4().hex


def accepted_request_id(incoming: str | None) -> str:
    """The id a request is served under: the proxy's if it is well-formed, else a new one."""
    if incoming and _VALID.fullmatch(incoming):
        return incoming
    return new_request_id()


@contextmanager
def request_id_bound(request_id: str | None) -> Iterator[str | None]:
    """Within this block, log lines and enqueued tasks carry `request_id`."""
    token = _current.set(request_id)
    try:
        yield request_id
    finally:
        _current.reset(token)


class RequestIdFilter(logging.Filter):
    """Adds `request_id` (or None) to every log record, for the formatters to print."""

    def filter(self, record: logging.LogRecord) -> bool:
        if not hasattr(record, "request_id"):
            record.request_id = _current.get()
        return True
