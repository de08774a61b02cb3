"""The API's requests, before the site's middleware reads them (docs/api.md §5, §6).

- No session: their cookies are dropped before the session and CSRF middleware read them, so a
  browser's session cannot call the API (no CSRF surface) and the site's session rules
  (expiry, lifetime) never act on an API call. The documentation page (`/api/v1/docs`) is a
  page of the site, not a call: it keeps the visitor's session, so its header is the one of
  every other page.
- Errors stay problem+json: what the site's middleware refuses before the API sees the request
  (a NUL byte, a body too large, a bad Host) is answered as the API answers, not as a page."""

from api import problems
from core.refusals import Refusal

API_PREFIX = "/api/"
DOCS_PAGE = "/api/v1/docs"
JSON_TYPES = ("application/json", problems.MEDIA_TYPE)


class ApiRequestsMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        path = request.path_info
        if not path.startswith(API_PREFIX) or path == DOCS_PAGE:
            return self.get_response(request)
        request.COOKIES = {}
        request.META.pop("HTTP_COOKIE", None)
        response = self.get_response(request)
        if 400 <= response.status_code < 500 and not response.get("Content-Type", "").startswith(
            JSON_TYPES
        ):
            if response.status_code == 404:
                refusal = Refusal("api.not_found")
            else:
                refusal = Refusal("api.invalid_request", detail="requête refusée.")
            return problems.response(refusal, response.status_code, request.path)
        return response
