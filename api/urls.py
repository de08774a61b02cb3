"""`/api/v1/`: django-ninja's URL patterns, each wrapped by `api.gate` and public to the site's
login requirement (the API authenticates by its own tokens, never by a session)."""

from django.contrib.auth.decorators import login_not_required
from django.urls import include, path

from api.docs_page import docs_page
from api.gate import gate
from api.main import api

_patterns, _app, _namespace = api.urls
for _pattern in _patterns:
    _pattern.callback = login_not_required(gate(_pattern.callback))

urlpatterns = [
    path("api/v1/docs", docs_page, name="api_docs"),
    path("api/v1/", include((_patterns, _app), namespace=_namespace)),
    path("", include("api.space.urls")),
]
