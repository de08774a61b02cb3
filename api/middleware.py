"""The API is never authenticated by a session (docs/api.md §6): its requests' cookies are
dropped before the session and CSRF middleware read them, so a browser's session cannot call it
(no CSRF surface) and the site's session rules (expiry, lifetime) never act on an API call."""

API_PREFIX = "/api/"


class NoCookiesOnApiMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if request.path_info.startswith(API_PREFIX):
            request.COOKIES = {}
            request.META.pop("HTTP_COOKIE", None)
        return self.get_response(request)
