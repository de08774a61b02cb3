"""Errors to Sentry, only when SENTRY_DSN is set (docs/operations.md): no personal data, no
request bodies (they carry passwords, codes and answers), no cookies, and the tokens of
e-mailed links masked in URLs."""

import sentry_sdk
from sentry_sdk.integrations.django import DjangoIntegration


def before_send(event, hint):
    request = event.get("request")
    if request:
        for key in ("data", "cookies", "query_string", "env"):
            request.pop(key, None)
        headers = request.get("headers") or {}
        for key in list(headers):
            if key.lower() in {"cookie", "authorization", "x-csrftoken"}:
                del headers[key]
        if request.get("url"):
            request["url"] = _masked_url(request["url"])
    return event


def _masked_url(url: str) -> str:
    from urllib.parse import urlsplit, urlunsplit

    from django.urls import Resolver404, resolve

    from ops.middleware import loggable_path

    parts = urlsplit(url)
    try:
        match = resolve(parts.path)
    except Resolver404:
        return urlunsplit(parts._replace(query=""))
    return urlunsplit(parts._replace(path=loggable_path(parts.path, match), query=""))


def init_sentry(dsn: str, *, environment: str, traces_sample_rate: float, **extra) -> None:
    sentry_sdk.init(
        dsn=dsn,
        environment=environment,
        integrations=[DjangoIntegration()],
        # What the SDK collects by itself (it replaces send_default_pii, left off): no user
        # identity or address, no request body, no local variables of the failing frames (a
        # password being checked), no SQL parameters.
        data_collection={
            "user_info": False,
            "http_bodies": [],
            "stack_frame_variables": False,
            "database_query_data": False,
        },
        max_request_body_size="never",
        traces_sample_rate=traces_sample_rate,
        before_send=before_send,
        **extra,
    )
