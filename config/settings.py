"""Settings of the portal: Django's wiring, read from environment variables, safe by default.
The product's tunable rules are config/rules.py, imported at the end.

Everything that differs between a laptop and production comes from the environment (or, on a
laptop, from the .env file `make run` writes: DEBUG=1 and OUTBOX_ENABLED=1); production sets
neither.
"""

import os
from pathlib import Path
from urllib.parse import urlsplit

import dj_database_url
from django.core.exceptions import ImproperlyConfigured
from dotenv import load_dotenv

from config import headers
from config.env import env_bool, env_int, env_list, env_site_url, env_str
from config.letters_storage import letters_storage
from config.logging_config import logging_config
from config.mailers import mailers

BASE_DIR = Path(__file__).resolve().parent.parent
# A laptop's development settings (`make run` writes .env: DEBUG=1, OUTBOX_ENABLED=1), so that
# any command run from a fresh shell sees them; what the environment says wins. Production
# has no .env file.
load_dotenv(BASE_DIR / ".env", override=False)
VAR_DIR = Path(os.environ.get("VAR_DIR", BASE_DIR / "var"))


DEBUG = env_bool("DEBUG", False)

SECRET_KEY = env_str("SECRET_KEY")
if not SECRET_KEY:
    if not DEBUG:
        raise ImproperlyConfigured("SECRET_KEY must be set when DEBUG is off.")
    SECRET_KEY = "dev-only-insecure-key-do-not-use-in-production"

ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", ["127.0.0.1", "localhost"] if DEBUG else [])

# The site's address as its users reach it (scheme and host, e.g. https://espace-pro.example.fr):
# every link put in an e-mail is built from it, never from the request's Host header, which
# the client writes (docs/security.md §11). Required when DEBUG is off, like SECRET_KEY: a
# guessed default would send wrong links.
SITE_URL = env_site_url("SITE_URL", "http://127.0.0.1:8000" if DEBUG else "")
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS", [])
# Passkeys (WebAuthn, docs/security.md §14.6): the relying party is this site. Its ID is the
# host of SITE_URL unless PASSKEY_RP_ID names a parent domain of it (a passkey stays bound to
# its RP ID: changing it orphans every passkey); the one origin accepted is SITE_URL. Both are
# read from the settings at each ceremony (accounts.factors.passkeys); the OTP_WEBAUTHN_*
# settings below only feed django-otp-webauthn's system checks. Browsers allow WebAuthn over
# https, or over http on localhost only (never on an IP address such as 127.0.0.1): elsewhere
# the passkey buttons are not shown, and the check of a secure origin is silenced.
PASSKEY_RP_ID = env_str("PASSKEY_RP_ID", "")
PASSKEY_RP_NAME = env_str("PASSKEY_RP_NAME", "Espace professionnel")
OTP_WEBAUTHN_RP_ID = PASSKEY_RP_ID or urlsplit(SITE_URL).hostname
OTP_WEBAUTHN_RP_NAME = PASSKEY_RP_NAME
OTP_WEBAUTHN_ALLOWED_ORIGINS = [SITE_URL]
OTP_WEBAUTHN_EXCEPTION_LOGGER_NAME = "accounts.factors.passkeys"
SILENCED_SYSTEM_CHECKS = (
    []
    if SITE_URL.startswith(("https://", "http://localhost:")) or SITE_URL == "http://localhost"
    else ["otp_webauthn.E031"]
)

INSTALLED_APPS = [
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    # django-dsfr before django.forms: its templates of Django's form parts (error lists as
    # `fr-error-text`, radio and checkbox options) replace Django's own (issue 12 §5).
    "dsfr",
    "django.forms",
    "widget_tweaks",
    "django_htmx",
    "captcha",
    "django_tasks_db",
    # Passkeys: the credential rows and py_webauthn's helper (accounts.factors.passkeys).
    "django_otp_webauthn",
    # Shared helpers (one model: the rate-limit counters).
    "core",
    # The domain: no web code, no import cycle (see .importlinter).
    "audit",
    "correspondence",
    "companies",
    "accounts",
    "habilitations",
    # The secure messaging between companies and their tax office (docs/messaging.md).
    "messaging",
    # The web pages, one package per area of the site.
    "web",
    "web.space",
    "web.signup",
    "web.simplified",
    "web.passwords",
    "web.factors",
    "web.dossiers",
    "web.firm",
    "web.postal_requests",
    "web.outbox",
    # The agents' back office (docs/backoffice.md), under /agents/.
    "backoffice",
    "web.help",
    # Delegation requests, groups of dossiers (docs/habilitations.md §12, §13).
    "web.delegation_requests",
    "web.groups",
    # The secure messaging's pages (its label apart from the domain app `messaging`).
    "web.messaging.apps.WebMessagingConfig",
    # Demo and synthetic data (management commands).
    "demo",
    # Operations: health probes, metrics, request ids, the scheduler (docs/operations.md).
    "ops",
    # The JSON API (docs/api.md), and django-ninja's own static files (its documentation page).
    "api",
    "ninja",
]

MIDDLEWARE = [
    # First: the request id (logs, tasks, X-Request-ID), metrics and the access log line; it
    # answers /healthz, /readyz and /metrics itself (docs/operations.md).
    "ops.middleware.RequestObservationMiddleware",
    # The JSON API: no session (its requests' cookies are dropped), errors as problem+json, a
    # HEAD as its GET, its own framing and content policy. Its calls then go through the rest
    # like a page, to django-ninja's views, which the pages' middleware leaves alone.
    "api.middleware.ApiRequestsMiddleware",
    # Before anything reads the request: a NUL byte is a 400, never a 500 (docs/security.md §11).
    "web.middleware.RejectNulBytesMiddleware",
    "django.middleware.security.SecurityMiddleware",
    # Static files, served by the app servers themselves: compressed, hashed, cached for ever.
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django_permissions_policy.PermissionsPolicyMiddleware",
    "web.middleware.ReportingEndpointsMiddleware",
    "django.middleware.csp.ContentSecurityPolicyMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "web.middleware.RejectNulFieldsMiddleware",
    # Under AGENT_URL_PREFIX: the agents' own session and cookie (docs/backoffice.md §1).
    "backoffice.middleware.AgentSessionMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    # Responses to a logged-in subscriber: Cache-Control: no-store, private.
    "web.middleware.NoStoreForSubscribersMiddleware",
    # Every page needs a logged-in subscriber unless its view says @login_not_required:
    # a forgotten decorator fails closed.
    "django.contrib.auth.middleware.LoginRequiredMiddleware",
    "web.middleware.ActingMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    # A session ends SESSION_ABSOLUTE_SECONDS after login, however active.
    "web.middleware.SessionLifetimeMiddleware",
    "web.middleware.PasswordExpiryMiddleware",
    # A flow refused for a login lock answers with the lock page (429).
    "web.middleware.LoginLockedMiddleware",
]

ROOT_URLCONF = "config.urls"
WSGI_APPLICATION = "config.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.csp",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "web.context_processors.portal",
            ],
            # `{% url %}` reversing each address once per process (web/templatetags/kept_urls.py).
            "builtins": ["web.templatetags.kept_urls"],
        },
    },
]
# E-mails and letters are plain text: their own engine, which escapes nothing (a company
# named L'ATELIER D&CO stays so). Their templates live in `correspondence/templates/`.
TEMPLATES.append(
    {
        "NAME": "text",
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [],
        "APP_DIRS": True,
        "OPTIONS": {"autoescape": False, "context_processors": []},
    }
)
# Two uploads on the whole site, each taken only by the views marked for it: a list of
# companies as a CSV file and a message's attachments (config/uploads.py says which handler
# takes which; their bounds are in config/rules.py).
FILE_UPLOAD_HANDLERS = ["config.uploads.upload_handler"]
FORM_RENDERER = "django.forms.renderers.TemplatesSetting"

# SQLite under var/ unless DATABASE_URL says otherwise (postgres://… for PostgreSQL).
DATABASES = {
    "default": dj_database_url.parse(
        env_str("DATABASE_URL") or f"sqlite:///{VAR_DIR / 'portal.sqlite3'}",
        # Each app process keeps its connection (checked before reuse): opening one per
        # request halved the throughput of logged-in pages (bench/README.md, load test).
        conn_max_age=env_int("DB_CONN_MAX_AGE", 60),
        conn_health_checks=True,
    )
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    DATABASES["default"].setdefault("OPTIONS", {}).update(
        {"transaction_mode": "IMMEDIATE", "timeout": 20, "init_command": "PRAGMA journal_mode=WAL;"}
    )

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"
AUTH_USER_MODEL = "accounts.Subscriber"
AUTHENTICATION_BACKENDS = [
    # Django's, refusing frozen spaces (docs/backoffice.md §7).
    "accounts.backends.SpaceBackend",
]
LOGIN_URL = "space:login"
LOGIN_REDIRECT_URL = "space:home"

# Argon2id first, with OWASP's parameters (19 MiB, 2 iterations, 1 lane).
PASSWORD_HASHERS = [
    "core.hashers.OwaspArgon2PasswordHasher",
    "django.contrib.auth.hashers.Argon2PasswordHasher",
    "django.contrib.auth.hashers.PBKDF2PasswordHasher",
]
# Password rules live in accounts.passwords (docs/accounts.md §7); Django's validators are not used
# so that there is one home for them.
AUTH_PASSWORD_VALIDATORS: list[dict] = []

LANGUAGE_CODE = "fr"
# The French plural rule for the project's own messages (see locale/fr/LC_MESSAGES/django.po).
LOCALE_PATHS = [BASE_DIR / "locale"]
TIME_ZONE = "Europe/Paris"
USE_I18N = True
USE_TZ = True

STATIC_URL = "static/"
STATIC_ROOT = VAR_DIR / "static"
# Outside development, `collectstatic` (the release step) writes each file under a name holding
# its hash, with gzip and Brotli copies; whitenoise serves them with a cache of ten years
# (the name changes with the content). Development serves the source files as they are.
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"
        if DEBUG
        # whitenoise's, each address kept once made (ops/static_storage.py).
        else "ops.static_storage.KeptUrlsStaticFilesStorage"
    },
}

# The cache: Redis through Django's own backend when REDIS_URL is set (shared by every app
# server: sessions, counters), else each process's memory (a laptop, the tests).
REDIS_URL = env_str("REDIS_URL")
CACHES = {
    "default": (
        {
            # Django's RedisCache, keeping its redis-py client (core/cache.py).
            "BACKEND": "core.cache.KeptClientRedisCache",
            "LOCATION": REDIS_URL,
            # Several sites (or a test run) may share one Redis: every key carries this prefix.
            "KEY_PREFIX": env_str("CACHE_KEY_PREFIX", "espace-pro"),
        }
        if REDIS_URL
        else {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}
    )
}

# Sessions: server side, ended when idle (docs/security.md §8, §11.7), new id at login (Django
# does it). With Redis, read from the cache and written through to the database (cached_db):
# a page view reads no session row, and a Redis restart logs nobody out.
SESSION_ENGINE = (
    "django.contrib.sessions.backends.cached_db"
    if REDIS_URL
    else "django.contrib.sessions.backends.db"
)
SESSION_COOKIE_AGE = env_int("SESSION_IDLE_SECONDS", 30 * 60)
# A session is saved only when it changes: a page view writes nothing. The idle timeout is
# pushed back at most once every SESSION_REFRESH_SECONDS by web.middleware.SessionLifetimeMiddleware
# (so a session ends between SESSION_COOKIE_AGE - SESSION_REFRESH_SECONDS and SESSION_COOKIE_AGE
# after the last click, never later); saving on every request made each click wait for a write
# and let concurrent requests of one person overwrite each other's session data.
SESSION_SAVE_EVERY_REQUEST = False
SESSION_REFRESH_SECONDS = env_int("SESSION_REFRESH_SECONDS", 60)
if not 0 <= SESSION_REFRESH_SECONDS < SESSION_COOKIE_AGE:
    raise ImproperlyConfigured("SESSION_REFRESH_SECONDS must be below SESSION_IDLE_SECONDS.")
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
# Besides the idle timeout, at most SESSION_ABSOLUTE_SECONDS after login (config/rules.py);
# and the cookie dies with the browser.
SESSION_EXPIRE_AT_BROWSER_CLOSE = True
SESSION_COOKIE_SECURE = env_bool("SECURE_COOKIES", not DEBUG)
CSRF_COOKIE_SECURE = SESSION_COOKIE_SECURE
CSRF_COOKIE_HTTPONLY = False  # htmx reads the token from the page, not the cookie
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
# HTTPS only unless in development (docs/security.md §11): plain http is redirected, and
# browsers are told (HSTS, one year) to use nothing else, for the subdomains too and in the
# preload list; each is settable (SECURE_HSTS_SECONDS=0 turns HSTS off).
SECURE_SSL_REDIRECT = env_bool("SECURE_SSL_REDIRECT", not DEBUG)
SECURE_HSTS_SECONDS = env_int("SECURE_HSTS_SECONDS", 0 if DEBUG else 365 * 24 * 3600)
SECURE_HSTS_INCLUDE_SUBDOMAINS = env_bool("SECURE_HSTS_INCLUDE_SUBDOMAINS", SECURE_HSTS_SECONDS > 0)
SECURE_HSTS_PRELOAD = env_bool("SECURE_HSTS_PRELOAD", SECURE_HSTS_SECONDS > 0)
# Secure cookies carry the __Host- prefix: the browser then accepts them only over HTTPS, for
# this host alone (no Domain) and the whole site (Path=/), so a sibling subdomain cannot set
# or shadow them. Plain names in development over http, where the prefix would be refused.
SESSION_COOKIE_NAME = "__Host-sessionid" if SESSION_COOKIE_SECURE else "sessionid"
CSRF_COOKIE_NAME = "__Host-csrftoken" if CSRF_COOKIE_SECURE else "csrftoken"
if env_bool("BEHIND_TLS_PROXY", False):
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")

# The Content-Security-Policy and where its violations are reported, and the browser features
# refused to every page (django-permissions-policy): config/headers.py.
SECURE_CSP = headers.SECURE_CSP
REPORTING_ENDPOINTS = headers.REPORTING_ENDPOINTS
PERMISSIONS_POLICY = headers.PERMISSIONS_POLICY

# E-mail: every message is recorded in correspondence.Message (the outbox) and then
# delivered through this backend (config/mailers.py). SMTP in production, nothing leaves a laptop.
MAILERS = mailers(DEBUG)
DEFAULT_FROM_EMAIL = env_str("DEFAULT_FROM_EMAIL", "ne-pas-repondre@espace-pro.example.fr")

# The outbox page (/outbox/) shows what was "sent"; only for development and demos.
OUTBOX_ENABLED = env_bool("OUTBOX_ENABLED", False)
# Letters' PDFs are written and read only through the storage STORAGES["letters"]
# (docs/correspondence.md §3.5), so that the worker that writes a letter and the web
# processes that show it need not share a disk: a folder (LETTERS_DIR) by default, an
# S3-compatible bucket with LETTERS_STORAGE=s3 (django-storages).
LETTERS_DIR = VAR_DIR / "letters"
LETTERS_STORAGE = env_str("LETTERS_STORAGE", "local")

STORAGES["letters"] = letters_storage(LETTERS_STORAGE, LETTERS_DIR)
# The messaging's attachments (docs/messaging.md §4): the same kind of private storage, never
# under static or media files served by the site; a folder (MESSAGING_DIR) by default, an
# S3-compatible bucket with MESSAGING_STORAGE=s3 (MESSAGING_S3_BUCKET…).
MESSAGING_DIR = Path(env_str("MESSAGING_DIR", str(VAR_DIR / "messaging")))
MESSAGING_STORAGE = env_str("MESSAGING_STORAGE", "local")
STORAGES["messaging"] = letters_storage(MESSAGING_STORAGE, MESSAGING_DIR, prefix="MESSAGING")

# Background work (e-mail delivery): immediate on a laptop (DEBUG on), a database queue
# otherwise, so that a page never waits for the mail server (`python manage.py db_worker`).
TASKS = {
    "default": {
        "BACKEND": env_str(
            "TASKS_BACKEND",
            "django.tasks.backends.immediate.ImmediateBackend"
            if DEBUG
            # django-tasks-db's queue, each task keeping the request id it was enqueued under.
            else "ops.tasks.TracedDatabaseBackend",
        ),
    }
}
# The printer's drop folder (`manage.py post_letters` hands the letters' PDFs over there; then,
# outside development, the copy under LETTERS_DIR loses its code); on a laptop, under var/.
LETTERS_OUTBOX_DIR = env_str("LETTERS_OUTBOX_DIR", str(VAR_DIR / "printer") if DEBUG else "")

# Where the counters live: Redis (a cache alias) when it is shared, else the database.
RATE_LIMIT_CACHE = env_str("RATE_LIMIT_CACHE", "default" if REDIS_URL else "")
# The number of entries of each portfolio, kept between its changes in this shared cache
# (habilitations/portfolio/count.py); none without Redis (each process would keep its own).
PORTFOLIO_COUNT_CACHE = env_str("PORTFOLIO_COUNT_CACHE", "default" if REDIS_URL else "")
# The service clients' bearers, once looked up, kept in this shared cache until they expire
# (api/clients.py): the authorization check then reads no table to know its caller. None
# without Redis (a revocation must reach every process at once).
API_BEARER_CACHE = env_str("API_BEARER_CACHE", "default" if REDIS_URL else "")
# How many reverse proxies in front of the app append to X-Forwarded-For (web/middleware.py):
# 0 trusts no header; the client address is then REMOTE_ADDR.
TRUSTED_PROXY_COUNT = env_int("TRUSTED_PROXY_COUNT", 0)

# django-dsfr: mark optional fields (DSFR's current advice).
DSFR_MARK_OPTIONAL_FIELDS = True
# django-dsfr prints the content of its alerts (our page messages, {% dsfr_alert %}) unescaped
# unless this is off: with it off, plain strings are escaped and only safe HTML (e.g. built by
# {% capture %}) passes as is. Page messages name subscribers: user data.
DSFR_CONTENT_IS_SAFE = False

PRODUCT_NAME = "Espace professionnel"
PRODUCT_TAGLINE = "Les services en ligne des professionnels — implémentation ouverte"

# Logs (docs/operations.md): one JSON object a line on standard error outside development
# (time, level, logger, message, request_id, and for the access line of each request method,
# path, status, duration in ms), readable text in development. LOG_FORMAT=json|text.
LOG_FORMAT = env_str("LOG_FORMAT", "text" if DEBUG else "json")
if LOG_FORMAT not in {"json", "text"}:
    raise ImproperlyConfigured(f"LOG_FORMAT must be json or text, not {LOG_FORMAT!r}")
LOGGING = logging_config(
    LOG_FORMAT,
    level=env_str("LOG_LEVEL", "WARNING"),
    access_log=env_bool("ACCESS_LOG", not DEBUG),
)

# Metrics in Prometheus' format at /metrics, answered only to a scraper calling an app server
# directly from these networks (never through the proxy: see ops.metrics).
METRICS_ALLOWED_NETWORKS = env_list("METRICS_ALLOWED_NETWORKS", ["127.0.0.1/32", "::1/128"])

# Errors to Sentry when SENTRY_DSN is set: no personal data, no request bodies (config/sentry.py).
SENTRY_DSN = env_str("SENTRY_DSN")
if SENTRY_DSN:
    from config.sentry import init_sentry

    init_sentry(
        SENTRY_DSN,
        environment=env_str("SENTRY_ENVIRONMENT", "production"),
        traces_sample_rate=float(env_str("SENTRY_TRACES_SAMPLE_RATE", "0") or 0),
    )

# The product's own rules (durations, retention, the table of limits, the bounds of what a
# request may carry, the retries of e-mails, the API's and the back office's figures) are in
# config/rules.py; the agents' cookie depends on the HTTPS setting.
from config.rules import *  # noqa: E402, F403

# The agents' session cookie (docs/backoffice.md §1).
AGENT_SESSION_COOKIE_NAME = "__Host-agentsession" if SESSION_COOKIE_SECURE else "agentsession"
# Their session store, a table of its own (backoffice/sessions.py): named here so that the
# daily purge of expired sessions (accounts/retention.py) erases the agents' ones too.
AGENT_SESSION_ENGINE = "backoffice.sessions"
