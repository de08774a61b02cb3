"""The floor of the load test: a bare Django app, served by gunicorn like the product.

One view returning a short HTML page (no middleware, no database, no template engine): what
Django and gunicorn cost by themselves on this machine. A second view hashes one password
with the project's Argon2id parameters (`core.hashers.OwaspArgon2PasswordHasher`): the most
logins a second the machine could verify, the "Argon2id floor" of full logins.

    gunicorn --chdir bench/load bare:application --workers 4 --bind 127.0.0.1:8100
"""

import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from django.conf import settings  # noqa: E402

if not settings.configured:
    settings.configure(
        DEBUG=False,
        SECRET_KEY="bare-floor-of-the-load-test-no-secret-here",
        ALLOWED_HOSTS=["*"],
        ROOT_URLCONF=__name__,
        MIDDLEWARE=[],
        INSTALLED_APPS=[],
        DATABASES={},
        USE_I18N=False,
        LOGGING_CONFIG=None,
    )

from django.core.wsgi import get_wsgi_application  # noqa: E402
from django.http import HttpResponse  # noqa: E402
from django.urls import path  # noqa: E402

from core.hashers import OwaspArgon2PasswordHasher  # noqa: E402

PAGE = (
    "<!doctype html><html lang='fr'><head><meta charset='utf-8'><title>Plancher</title>"
    "</head><body><p>Bonjour.</p></body></html>"
)
# A password of the synthetic dataset's length: Argon2's cost does not depend on it anyway.
PASSWORD = "Trois pommes vertes sur la table du jardin"
HASHER = OwaspArgon2PasswordHasher()


def floor(request):
    return HttpResponse(PAGE)


def argon2(request):
    """One Argon2id hash with the product's parameters (what a login's check costs)."""
    HASHER.encode(PASSWORD, HASHER.salt())
    return HttpResponse(PAGE)


urlpatterns = [path("", floor), path("argon2/", argon2)]

application = get_wsgi_application()
