"""The first middleware of the site: every request gets its id (logs, tasks, the
`X-Request-ID` response header), is counted and timed (metrics) and logged in one line; and
the operators' endpoints are answered here, before the host check and the HTTPS redirect
(probes and scrapers call the app server by its address, in plain HTTP), without session,
login or database unless they need it."""

import logging
import time

from django.conf import settings
from django.http import HttpResponse, JsonResponse

from core.tracing import accepted_request_id, request_id_bound
from ops import health, metrics

access_log = logging.getLogger("ops.access")

# URL keyword arguments that carry a secret (the links of e-mails): masked in logs.
SECRET_URL_KWARGS = frozenset({"token"})
MASK = "[masqué]"


def loggable_path(path: str, resolver_match=None) -> str:
    """The path with the secrets it carries (a link's token) masked."""
    kwargs = getattr(resolver_match, "kwargs", None) or {}
    for name, value in kwargs.items():
        if name in SECRET_URL_KWARGS and value:
            path = path.replace(str(value), MASK)
    return path


def healthz(request) -> HttpResponse:
    """The process is alive and answers (nothing else is looked at)."""
    return JsonResponse({"status": "ok"})


def readyz(request) -> HttpResponse:
    """The process can serve: database, cache and migrations (503 with what is wrong)."""
    checks = health.readiness()
    ready = all(value == "ok" for value in checks.values())
    return JsonResponse(
        {"status": "ok" if ready else "unavailable", "checks": checks},
        status=200 if ready else 503,
    )


def metrics_view(request) -> HttpResponse:
    """Prometheus' exposition format, for a scraper on an allowed network only (a 404 for
    anyone else, as for any unknown page)."""
    if not metrics.may_read_metrics(request.META, settings.METRICS_ALLOWED_NETWORKS):
        return HttpResponse("Not Found", status=404, content_type="text/plain")
    body, content_type = metrics.exposition()
    return HttpResponse(body, content_type=content_type)


ENDPOINTS = {"/healthz": healthz, "/readyz": readyz, "/metrics": metrics_view}


class RequestObservationMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        request_id = accepted_request_id(request.headers.get("X-Request-ID"))
        request.request_id = request_id
        started = time.perf_counter()
        with request_id_bound(request_id):
            _tag_sentry(request_id)
            endpoint = ENDPOINTS.get(request.path_info)
            if endpoint is not None:
                response = endpoint(request)
                view = f"ops.{endpoint.__name__}"
            else:
                response = self.get_response(request)
                match = getattr(request, "resolver_match", None)
                view = match.view_name if match else _unresolved(request.path_info)
            duration = time.perf_counter() - started
            response["X-Request-ID"] = request_id
            metrics.observe(request.method, view, response.status_code, duration)
            if endpoint is None:
                path = loggable_path(request.path, getattr(request, "resolver_match", None))
                access_log.info(
                    "%s %s %s",
                    request.method,
                    path,
                    response.status_code,
                    extra={
                        "method": request.method,
                        "path": path,
                        "status": response.status_code,
                        "duration": round(duration * 1000, 2),
                    },
                )
        return response


def _unresolved(path: str) -> str:
    # Static files are answered by whitenoise before URL resolution.
    return "static" if path.startswith("/" + settings.STATIC_URL.lstrip("/")) else "unresolved"


def _tag_sentry(request_id: str) -> None:
    if settings.SENTRY_DSN:
        import sentry_sdk

        sentry_sdk.set_tag("request_id", request_id)
