"""Test settings: the production module with a fast hasher and nothing leaving the process."""

import os
import sys
from pathlib import Path

import dsfr

os.environ.setdefault("DEBUG", "0")
os.environ.setdefault("SECRET_KEY", "test-only-secret-key-not-for-production-use-0123456789")
os.environ.setdefault("OUTBOX_ENABLED", "1")
os.environ.setdefault("SITE_URL", "https://espace-pro.example.fr")

from config.letters_storage import letters_storage
from config.settings import *  # noqa: F403
from config.settings import VAR_DIR

# Argon2 with OWASP parameters costs ~50 ms a hash; tests hash a lot (production's hasher
# is checked by accounts/tests/test_settings.py).
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
MAILERS = {"default": {"BACKEND": "django.core.mail.backends.locmem.EmailBackend"}}
TASKS = {"default": {"BACKEND": "django.tasks.backends.immediate.ImmediateBackend"}}
LETTERS_DIR = VAR_DIR / "test-letters"
MESSAGING_DIR = VAR_DIR / "test-messaging"
ALLOWED_HOSTS = ["testserver", "127.0.0.1", "localhost"]
CAPTCHA_TEST_MODE = False
# Tests run with DEBUG off, hence the production default of redirecting plain http to https;
# but the test client and the live server of the browser tests speak plain http (no TLS in a
# test run): the redirect would answer every request 301. It is tested on its own
# (web/tests/test_http_hardening.py) with the setting turned back on.
SECURE_SSL_REDIRECT = False
# A REDIS_URL in the environment must not point the tests at a shared Redis (they clear the
# cache between tests): memory cache, database sessions and counters; the Redis set-up is
# tested on its own database (REDIS_TEST_URL) by the tests that ask for it.
CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
SESSION_ENGINE = "django.contrib.sessions.backends.db"
RATE_LIMIT_CACHE = ""
PORTFOLIO_COUNT_CACHE = ""
API_BEARER_CACHE = ""
# Pages render {% static %} without a collectstatic run: the source files' names. The hashed,
# compressed storage of production is tested on its own (ops/tests/test_static_files.py).
STORAGES = {
    **STORAGES,  # noqa: F405
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
    "letters": letters_storage("local", LETTERS_DIR),
    "messaging": letters_storage("local", MESSAGING_DIR),
}


class UnknownTemplateVariable(Exception):
    """A template used a variable its view did not pass (or mistyped one)."""


class _RaiseOnInvalidVariable(str):
    """Django formats string_if_invalid with the variable's name when it holds "%s": here that
    formatting raises, so a test fails on an unknown template variable instead of the page
    silently showing nothing. ({% if %} and {% firstof %} still treat a missing variable as
    false, by design; |default does not rescue a missing variable here.)"""

    def __mod__(self, variable):
        # Called by django.template.base.FilterExpression.resolve(self, context, ...).
        caller = sys._getframe(1).f_locals
        expression, context = caller.get("self"), caller.get("context")
        if _is_dsfr_template(context) and _has_default(expression):
            # What production renders: the filters (its |default) applied to a missing value.
            return expression.resolve(context, ignore_failures=True)
        raise UnknownTemplateVariable(f"Unknown template variable: {variable}")


# django-dsfr's own templates mark their optional parameters with |default (e.g.
# {{ self.heading_tag|default:"h2" }} in dsfr/stepper.html, {{ field.field.widget.group_class
# |default:'fr-input-group' }} in its field snippets): there, and only there, a missing variable
# followed by |default renders as in production. The project's templates get no such pass.
_DSFR_TEMPLATES = str(Path(dsfr.__file__).parent / "templates")


def _is_dsfr_template(context) -> bool:
    template = getattr(getattr(context, "render_context", None), "template", None)
    origin = getattr(template, "origin", None)
    return bool(origin and str(origin.name).startswith(_DSFR_TEMPLATES))


def _has_default(expression) -> bool:
    return any(func.__name__ == "default" for func, _ in getattr(expression, "filters", ()))


TEMPLATES = [
    {**engine, "OPTIONS": {**engine["OPTIONS"], "string_if_invalid": _RaiseOnInvalidVariable("%s")}}
    for engine in TEMPLATES  # noqa: F405
]
