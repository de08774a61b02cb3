"""The site's URLs plus a page under /api/ outside the API (test_endpoints.py): a page there
must keep the pages' middleware, the login requirement first."""

from django.http import HttpResponse
from django.urls import path

from config.urls import urlpatterns as site_patterns


def page(request):
    return HttpResponse(f"page of {request.user}")


urlpatterns = [path("api/page-of-the-site", page), *site_patterns]
