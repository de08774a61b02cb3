"""The API's requests, before the site's middleware reads them (docs/api.md §5, §6). An API
call then goes the ordinary way, through the whole of `MIDDLEWARE` to django-ninja's view; the
pages' middleware finds nothing to do for it (no cookie, so no session nor user, no CSRF token:
django-ninja's views are exempt).

- No session: their cookies are dropped before the session and CSRF middleware read them, so a
  browser's session cannot call the API (no CSRF surface) and the site's session rules
  (expiry, lifetime) never act on an API call. The documentation page (`/api/v1/docs`) is a
  page of the site, not a call: it keeps the visitor's session, so its header is the one of
  every other page.
- Errors stay problem+json: what the site's middleware refuses before the API sees the request
  (a NUL byte, a body too large, a bad Host) is answered as the API answers, not as a page.
- A JSON answer is never framed and loads nothing (OWASP's REST advice): its content security
  policy is `API_CSP`, not the pages'.
- A `HEAD` is the `GET`'s answer without its body (django-ninja routes GET only).
- Nothing the API answers is kept by a browser or a proxy (`Cache-Control: no-store`)."""

from django.utils.cache import patch_cache_control

from api import problems
from core.refusals import Refusal

API_PREFIX = "/api/"
DOCS_PAGE = "/api/v1/docs"
API_CSP = "default-src 'none'; frame-ancestors 'none'"
JSON_TYPES = ("application/json", problems.MEDIA_TYPE)


def is_api_call(path: str) -> bool:
    """Under /api/, but not the documentation page (a page of the site)."""
    return path.startswith(API_PREFIX) and path != DOCS_PAGE


class ApiRequestsMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if not is_api_call(request.path_info):
            return self.get_response(request)
        request.COOKIES = {}
        request.META.pop("HTTP_COOKIE", None)
        head = request.method == "HEAD"
        if head:
            request.method = "GET"
        response = self.get_response(request)
        if 400 <= response.status_code < 500 and not response.get("Content-Type", "").startswith(
            JSON_TYPES
        ):
            response = _as_problem(request, response)
        if response.get("Content-Type", "").startswith(JSON_TYPES):
            framed_never(response)
            # The pages' policy, set by their middleware on the way out, is not this answer's.
            response.headers["Content-Security-Policy"] = API_CSP
        patch_cache_control(response, no_store=True, private=True)
        if head and not response.streaming:
            length = len(response.content)
            response.content = b""
            response["Content-Length"] = str(length)
        return response


def _as_problem(request, response):
    if response.status_code == 404:
        refusal = Refusal("api.not_found")
    else:
        refusal = Refusal("api.invalid_request", detail="requête refusée.")
    problem = problems.response(refusal, response.status_code, request.path)
    # The refused answer's headers stay: a 405's `Allow`, the security middleware's.
    for name, value in response.headers.items():
        if name.lower() not in ("content-type", "content-length", "content-security-policy"):
            problem.headers.setdefault(name, value)
    return problem


def framed_never(response):
    """Set on the view's answer, the pages' middleware leaves them (Django's CSP middleware
    then builds no policy)."""
    response.headers.setdefault("X-Frame-Options", "DENY")
    response.headers.setdefault("Content-Security-Policy", API_CSP)
    return response
