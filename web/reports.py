"""Where browsers report Content-Security-Policy violations (docs/security.md §11): each report
is logged (logger `web.csp`), never stored; anonymous, without CSRF token (browsers send none),
bounded in size."""

import json
import logging

from django.conf import settings
from django.contrib.auth.decorators import login_not_required
from django.http import HttpResponse
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_POST

from web.limits import per_address

logger = logging.getLogger("web.csp")

# What is logged of a report, each value cut to FIELD_MAX_LENGTH (a report is written by
# whoever posts it: nothing else of it reaches the logs).
FIELDS = {
    # report-uri (application/csp-report) name, report-to (application/reports+json) name
    "document-uri": "documentURL",
    "violated-directive": "effectiveDirective",
    "blocked-uri": "blockedURL",
    "source-file": "sourceFile",
    "line-number": "lineNumber",
}
FIELD_MAX_LENGTH = 300
MAX_REPORTS = 20


@csrf_exempt
@login_not_required
@require_POST
@per_address("csp.address")
def csp_report(request):
    limit = settings.CSP_REPORT_MAX_BYTES
    try:
        declared = int(request.META.get("CONTENT_LENGTH") or 0)
    except ValueError:
        declared = 0
    if declared > limit:
        return HttpResponse(status=413)
    body = request.read(limit + 1)
    if len(body) > limit:
        return HttpResponse(status=413)
    try:
        payload = json.loads(body)
    except ValueError:
        return HttpResponse(status=400)
    reports = _reports(payload)
    if reports is None:
        return HttpResponse(status=400)
    # One log line per request, ASCII only (no line separator or bidi mark reaches the log).
    logger.warning("CSP violation(s): %s", json.dumps(reports[:MAX_REPORTS], ensure_ascii=True))
    return HttpResponse(status=204)


def _reports(payload) -> list[dict] | None:
    """The reports of a body, in either format, reduced to FIELDS; None if it holds none."""
    if isinstance(payload, dict) and isinstance(payload.get("csp-report"), dict):
        return [_keep(payload["csp-report"], old=True)]
    if isinstance(payload, list):
        bodies = [
            item["body"]
            for item in payload
            if isinstance(item, dict)
            and item.get("type") == "csp-violation"
            and isinstance(item.get("body"), dict)
        ]
        return [_keep(body, old=False) for body in bodies] or None
    return None


def _keep(report: dict, old: bool) -> dict:
    kept = {}
    for old_name, new_name in FIELDS.items():
        value = report.get(old_name if old else new_name)
        if value is not None:
            kept[old_name] = str(value).replace("\x00", "")[:FIELD_MAX_LENGTH]
    return kept
