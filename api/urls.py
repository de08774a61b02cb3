"""`/api/v1/`: django-ninja's URL patterns, each wrapped by `api.gate` and public to the site's
login requirement (the API authenticates by its own tokens, never by a session). Mounted under
`api/` first of the site's URLs (config/urls.py): an API call is resolved without trying the
pages' patterns (130 µs of the authorization check's time before, measured)."""

from django.contrib.auth.decorators import login_not_required
from django.urls import include, path

from api.docs_page import docs_page
from api.gate import gate
from api.main import api

_patterns, _app, _namespace = api.urls
# The online services' check first: it is by far the most frequent call (the order of the
# patterns changes nothing else, each path being matched by one pattern only).
_patterns.sort(key=lambda pattern: not str(pattern.pattern).startswith("authorizations/"))
for _pattern in _patterns:
    _pattern.callback = login_not_required(gate(_pattern.callback))

urlpatterns = [
    path("v1/docs", docs_page, name="api_docs"),
    path("v1/", include((_patterns, _app), namespace=_namespace)),
]
