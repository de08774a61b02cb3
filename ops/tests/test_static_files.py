"""Static files outside development: collectstatic (the release step) writes hashed names
with gzip and Brotli copies; whitenoise serves them, cached for ever; the CSP allows them."""

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.core.management import call_command
from django.http import HttpResponse
from django.test import RequestFactory, override_settings
from whitenoise.middleware import WhiteNoiseMiddleware

PRODUCTION_STORAGE = "ops.static_storage.KeptUrlsStaticFilesStorage"
SOURCE = Path(__file__).resolve().parents[2] / "web" / "static"


def _production_setting(name: str, **env) -> object:
    probe = (
        "import django, json; django.setup(); from django.conf import settings; "
        f"print(json.dumps(settings.{name}, default=str))"
    )
    environment = {k: v for k, v in os.environ.items() if k not in {"DEBUG", "OUTBOX_ENABLED"}}
    environment.update(
        {
            "DJANGO_SETTINGS_MODULE": "config.settings",
            "DEBUG": "0",
            "OUTBOX_ENABLED": "0",
            "SECRET_KEY": "x" * 50,
            "SITE_URL": "https://espace-pro.example.fr",
            **env,
        }
    )
    output = subprocess.run(
        [sys.executable, "-c", probe], env=environment, capture_output=True, text=True
    )
    assert output.returncode == 0, output.stderr
    return json.loads(output.stdout)


def test_production_stores_static_files_hashed_and_compressed_development_does_not():
    assert _production_setting("STORAGES")["staticfiles"]["BACKEND"] == PRODUCTION_STORAGE
    development = _production_setting("STORAGES", DEBUG="1")["staticfiles"]["BACKEND"]
    assert development == "django.contrib.staticfiles.storage.StaticFilesStorage"
    middleware = _production_setting("MIDDLEWARE")
    # Static files are answered right after the security middleware, before sessions or
    # anything else reads the request.
    security = middleware.index("django.middleware.security.SecurityMiddleware")
    whitenoise = middleware.index("whitenoise.middleware.WhiteNoiseMiddleware")
    assert whitenoise == security + 1


@pytest.fixture
def collected(tmp_path):
    """The release step's collectstatic, on the site's own files (the full set takes minutes:
    Brotli on every DSFR icon)."""
    root = tmp_path / "static"
    with override_settings(
        STATIC_ROOT=root,
        STATICFILES_DIRS=[SOURCE],
        STATICFILES_FINDERS=["django.contrib.staticfiles.finders.FileSystemFinder"],
        STORAGES={
            "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
            "staticfiles": {"BACKEND": PRODUCTION_STORAGE},
        },
        WHITENOISE_USE_FINDERS=False,
        WHITENOISE_AUTOREFRESH=False,
    ):
        call_command("collectstatic", "--noinput", verbosity=0)
        yield root


def test_collectstatic_writes_hashed_names_with_gzip_and_brotli_copies(collected):
    manifest = json.loads((collected / "staticfiles.json").read_text())
    hashed = manifest["paths"]["web/portal.css"]
    assert hashed != "web/portal.css" and hashed.startswith("web/portal.")
    for suffix in ("", ".gz", ".br"):
        assert (collected / (hashed + suffix)).is_file(), suffix


def test_a_hashed_file_is_served_compressed_and_cached_for_ever(collected, db):
    manifest = json.loads((collected / "staticfiles.json").read_text())
    hashed = manifest["paths"]["web/portal.css"]
    serve = WhiteNoiseMiddleware(lambda request: HttpResponse(status=404))
    response = serve(RequestFactory().get(f"/static/{hashed}", HTTP_ACCEPT_ENCODING="br, gzip"))
    assert response.status_code == 200
    assert response["Cache-Control"] == "max-age=315360000, public, immutable"
    assert response["Content-Encoding"] == "br"
    assert response["Vary"] == "Accept-Encoding"
    response.close()  # (sends request_finished, which looks at the connections: `db`)


def test_pages_load_their_static_files_from_the_site_which_the_csp_allows(client, db):
    response = client.get("/")
    policy = response["Content-Security-Policy"]
    assert "style-src 'self'" in policy and "script-src 'self'" in policy
    assert "font-src 'self'" in policy and "img-src 'self'" in policy
    page = response.content.decode()
    assert 'href="/static/web/portal.css"' in page  # same origin: 'self'


def test_an_address_is_made_once_and_is_the_hashed_one(collected):
    from django.contrib.staticfiles.storage import staticfiles_storage
    from django.templatetags.static import static

    manifest = json.loads((collected / "staticfiles.json").read_text())
    with override_settings(
        STATIC_ROOT=collected,
        STORAGES={
            "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
            "staticfiles": {"BACKEND": PRODUCTION_STORAGE},
        },
    ):
        expected = "/static/" + manifest["paths"]["web/portal.css"]
        assert static("web/portal.css") == expected
        staticfiles_storage.hashed_files.clear()  # were it read again, it would fail
        assert static("web/portal.css") == expected
