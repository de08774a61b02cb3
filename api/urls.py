"""`/api/v1/`: django-ninja's URL patterns as it makes them (`api.main`: the gate is its
decorator, the login requirement lifted by `Api`), and the documentation page of the site.
Mounted under `api/` first of the site's URLs (config/urls.py): an API call is resolved without
trying the pages' patterns (130 µs of the authorization check's time before, measured)."""

from django.urls import path

from api.docs_page import docs_page
from api.main import api

urlpatterns = [
    path("v1/docs", docs_page, name="api_docs"),
    path("v1/", api.urls),
]
