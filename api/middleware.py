"""The API's requests, before the site's middleware reads them (docs/api.md §5, §6).

- No session: their cookies are dropped before the session and CSRF middleware read them, so a
  browser's session cannot call the API (no CSRF surface) and the site's session rules
  (expiry, lifetime) never act on an API call. The documentation page (`/api/v1/docs`) is a
  page of the site, not a call: it keeps the visitor's session, so its header is the one of
  every other page.
- Errors stay problem+json: what the site's middleware refuses before the API sees the request
  (a NUL byte, a body too large, a bad Host) is answered as the API answers, not as a page.
- The pages' middleware is not run (`ApiCallsMiddleware`, right after Django's security
  middleware): no session, user, CSRF token, messages, content security policy or password
  expiry has a meaning for a call, and running them cost a fifth of the authorization check's
  time (docs/api.md §9)."""

import re

from django.urls import Resolver404, resolve

from api import problems
from core.context import acting, client_ip
from core.refusals import Refusal

API_PREFIX = "/api/"
DOCS_PAGE = "/api/v1/docs"
# The namespace of django-ninja's patterns (api/urls.py): only they skip the pages' middleware.
API_NAMESPACE = "api"
# What the pages' middleware said of framing and content, said again for a JSON answer: nothing
# in it is to be loaded, nor framed (OWASP's REST advice).
API_CSP = "default-src 'none'; frame-ancestors 'none'"
JSON_TYPES = ("application/json", problems.MEDIA_TYPE)


def is_api_call(request) -> bool:
    """Under /api/, but not the documentation page (a page of the site)."""
    path = request.path_info
    return path.startswith(API_PREFIX) and path != DOCS_PAGE


class ApiRequestsMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if not is_api_call(request):
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
            problem = problems.response(refusal, response.status_code, request.path)
            # The refused answer's headers stay: a 405's `Allow`, the security middleware's.
            for name, value in response.headers.items():
                if name.lower() not in ("content-type", "content-length"):
                    problem.headers.setdefault(name, value)
            return problem
        return response


class ApiCallsMiddleware:
    """For an API call, the end of the site's middleware: the call's view is found and run
    here, with the client's address for the audit trail (`core.context`); the pages'
    middleware after this one never sees it. Every other request goes on."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if not is_api_call(request):
            return self.get_response(request)
        path = request.path_info
        # As CommonMiddleware would: a Host outside ALLOWED_HOSTS is a 400 (DisallowedHost).
        request.get_host()
        try:
            match = resolve(path)
        except Resolver404:
            return _framed_never(problems.response(Refusal("api.not_found"), 404, request.path))
        if match.namespaces[:1] != [API_NAMESPACE]:
            # Anything else under /api/ is a page: the whole stack (login required, CSRF).
            return self.get_response(request)
        if _form_holds_nul(request):  # as the pages' RejectNulFieldsMiddleware: never a 500
            refusal = Refusal("api.invalid_request", detail="caractère nul refusé.")
            return _framed_never(problems.response(refusal, 400, request.path))
        request.resolver_match = match
        head = request.method == "HEAD"
        if head:  # as Django's class-based views: a HEAD is the GET's answer without its body
            request.method = "GET"
        with acting(ip_address=client_ip(request)):
            response = match.func(request, *match.args, **match.kwargs)
        if head and not response.streaming:
            length = len(response.content)
            response.content = b""
            response["Content-Length"] = str(length)
        return _framed_never(response)


def _framed_never(response):
    response.headers.setdefault("X-Frame-Options", "DENY")
    response.headers.setdefault("Content-Security-Policy", API_CSP)
    return response


FORM_TYPES = ("application/x-www-form-urlencoded", "multipart/form-data")


# `\u0000` in a JSON text, not preceded by an escaped backslash ("\\u0000" is six characters).
JSON_NUL = re.compile(rb"(?<!\\)(?:\\\\)*\\u0000")


def _form_holds_nul(request) -> bool:
    """The body carries a NUL character, which PostgreSQL refuses in text: in a posted form
    (the OAuth token request's) or, escaped, in a JSON text (a free-text field, a request's
    message, would otherwise reach the database)."""
    if request.method not in ("POST", "PUT", "PATCH"):
        return False
    if request.content_type in FORM_TYPES:
        return any(
            "\x00" in name or any("\x00" in value for value in values)
            for name, values in request.POST.lists()
        )
    return b"\x00" in request.body or JSON_NUL.search(request.body) is not None
