import os
import subprocess
import sys

import pytest
from django.conf import settings

PROBE = (
    "import django, json; django.setup(); from django.conf import settings as s; "
    "from django.contrib.auth.hashers import get_hasher; h = get_hasher(); "
    "print(json.dumps([h.algorithm, h.memory_cost, h.time_cost, s.DEBUG, "
    "s.SESSION_COOKIE_SECURE, s.CSRF_COOKIE_SECURE, s.X_FRAME_OPTIONS, s.OUTBOX_ENABLED]))"
)

# What a production environment leaves unset, said explicitly: a developer's .env (written by
# `make run`, read by the settings) must not turn these probes into development ones.
PRODUCTION_DEFAULTS = {"DEBUG": "0", "OUTBOX_ENABLED": "0"}


def _production_settings(**env) -> list:
    environment = {
        k: v for k, v in os.environ.items() if k not in {"DEBUG", "OUTBOX_ENABLED", "SECRET_KEY"}
    }
    environment.update({**PRODUCTION_DEFAULTS, "DJANGO_SETTINGS_MODULE": "config.settings", **env})
    output = subprocess.run(
        [sys.executable, "-c", PROBE], env=environment, capture_output=True, text=True, check=False
    )
    assert output.returncode == 0 or env.get("SECRET_KEY") is None, output.stderr
    return output


def test_production_uses_argon2_with_owasp_parameters_and_safe_defaults():
    import json

    result = _production_settings(SECRET_KEY="x" * 50)
    algorithm, memory, time_cost, debug, secure, csrf_secure, frames, outbox = json.loads(
        result.stdout
    )
    assert algorithm == "argon2"
    assert memory == 19 * 1024
    assert time_cost == 2
    assert debug is False
    assert secure is True and csrf_secure is True
    assert frames == "DENY"
    assert outbox is False


def test_production_refuses_to_start_without_a_secret_key():
    result = _production_settings()
    assert result.returncode != 0
    assert "SECRET_KEY must be set" in result.stderr


def test_tests_use_a_fast_hasher_only_here():
    assert settings.PASSWORD_HASHERS == ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.mark.django_db
def test_pages_carry_csp_and_frame_headers(client):
    response = client.get("/")
    csp = response["Content-Security-Policy"]
    assert "default-src 'self'" in csp
    assert "script-src 'self' 'nonce-" in csp
    assert "frame-ancestors 'none'" in csp
    assert response["X-Frame-Options"] == "DENY"


def test_an_unknown_template_variable_fails_the_test():
    from django.template import engines

    from config.settings_test import UnknownTemplateVariable

    template = engines["django"].from_string("{{ known }} {{ unknown }}")
    with pytest.raises(UnknownTemplateVariable, match="unknown"):
        template.render({"known": "x"})
    # {% if %} and {% firstof %} are how a template says a variable is optional.
    optional = engines["django"].from_string(
        "{% if unknown %}?{% endif %}{% firstof unknown 'd' %}"
    )
    assert optional.render({}) == "d"


def test_django_dsfrs_optional_widget_class_renders_as_in_production():
    from django import forms
    from django.template import engines
    from dsfr.forms import DsfrBaseForm

    class Form(DsfrBaseForm):
        name = forms.CharField()

    form = Form(data={})
    page = engines["django"].from_string("{{ form.name.as_field_group }}")
    assert 'class="fr-input-group fr-input-group--error' in page.render({"form": form})


MAIL_PROBE = (
    "import django, json; django.setup(); from django.conf import settings as s; "
    "print(json.dumps([s.TASKS['default']['BACKEND'], s.MAILERS['default']]))"
)


def _mail_settings(**env) -> tuple[str, dict]:
    import json

    environment = {
        k: v
        for k, v in os.environ.items()
        if k not in {"DEBUG", "OUTBOX_ENABLED", "TASKS_BACKEND", "EMAIL_BACKEND", "EMAIL_TIMEOUT"}
    }
    environment.update(
        {
            **PRODUCTION_DEFAULTS,
            "DJANGO_SETTINGS_MODULE": "config.settings",
            "SECRET_KEY": "x" * 50,
            **env,
        }
    )
    output = subprocess.run(
        [sys.executable, "-c", MAIL_PROBE], env=environment, capture_output=True, text=True
    )
    assert output.returncode == 0, output.stderr
    return json.loads(output.stdout)


def test_outside_development_emails_are_queued_and_smtp_gives_up_after_a_timeout():
    backend, mailer = _mail_settings()
    # django-tasks-db's database queue, carrying the request id (ops.tasks).
    assert backend == "ops.tasks.TracedDatabaseBackend"
    assert mailer["BACKEND"] == "django.core.mail.backends.smtp.EmailBackend"
    assert mailer["OPTIONS"]["timeout"] == 10
    assert _mail_settings(EMAIL_TIMEOUT="3")[1]["OPTIONS"]["timeout"] == 3


def test_in_development_emails_are_delivered_at_once_and_stay_on_the_machine():
    backend, mailer = _mail_settings(DEBUG="1")
    assert backend == "django.tasks.backends.immediate.ImmediateBackend"
    assert mailer["BACKEND"] == "django.core.mail.backends.locmem.EmailBackend"


# HTTPS, HSTS and cookie names (docs/security.md §11).
SECURITY_PROBE = (
    "import django, json; django.setup(); from django.conf import settings as s; "
    "print(json.dumps([s.SECURE_SSL_REDIRECT, s.SECURE_HSTS_SECONDS, "
    "s.SECURE_HSTS_INCLUDE_SUBDOMAINS, s.SECURE_HSTS_PRELOAD, s.SESSION_COOKIE_NAME, "
    "s.CSRF_COOKIE_NAME, s.SESSION_COOKIE_PATH, s.SESSION_COOKIE_DOMAIN, s.CSRF_COOKIE_PATH, "
    "s.CSRF_COOKIE_DOMAIN]))"
)


def _security_settings(**env) -> list:
    import json

    environment = {
        k: v
        for k, v in os.environ.items()
        if not k.startswith(("DEBUG", "SECURE_", "SECRET_KEY", "DJANGO_SETTINGS"))
    }
    environment.update(
        {
            **PRODUCTION_DEFAULTS,
            "DJANGO_SETTINGS_MODULE": "config.settings",
            "SECRET_KEY": "x" * 50,
            **env,
        }
    )
    output = subprocess.run(
        [sys.executable, "-c", SECURITY_PROBE],
        env=environment,
        capture_output=True,
        text=True,
        check=False,
    )
    assert output.returncode == 0, output.stderr
    return json.loads(output.stdout)


def test_production_redirects_to_https_with_hsts_and_host_only_cookies():
    redirect, hsts, subdomains, preload, session, csrf, *place = _security_settings(DEBUG="0")
    assert redirect is True
    assert hsts == 365 * 24 * 3600
    assert subdomains is True and preload is True
    # __Host- cookies: Secure (checked above), Path=/ and no Domain, or browsers drop them.
    assert session == "__Host-sessionid" and csrf == "__Host-csrftoken"
    assert place == ["/", None, "/", None]


def test_hsts_subdomains_and_preload_are_each_settable():
    assert _security_settings(
        DEBUG="0",
        SECURE_HSTS_SECONDS="600",
        SECURE_HSTS_INCLUDE_SUBDOMAINS="0",
        SECURE_HSTS_PRELOAD="0",
    )[1:4] == [600, False, False]
    assert _security_settings(DEBUG="0", SECURE_SSL_REDIRECT="0", SECURE_HSTS_SECONDS="0")[:4] == [
        False,
        0,
        False,
        False,
    ]


def test_development_over_http_keeps_plain_cookies_and_no_redirect():
    redirect, hsts, _, _, session, csrf, *_ = _security_settings(DEBUG="1")
    assert redirect is False and hsts == 0
    assert session == "sessionid" and csrf == "csrftoken"


def test_production_refuses_to_start_without_a_site_url():
    environment = {k: v for k, v in os.environ.items() if k not in {"DEBUG", "SITE_URL"}}
    environment.update(
        {**PRODUCTION_DEFAULTS, "DJANGO_SETTINGS_MODULE": "config.settings", "SECRET_KEY": "x" * 50}
    )
    for site_url in (
        None,
        "espace-pro.example.fr",
        "https://espace-pro.example.fr/espace",
        "https://",
        "https://user@espace-pro.example.fr",
        "https://espace-pro.example.fr?x=1",
        "ftp://espace-pro.example.fr",
    ):
        env = environment if site_url is None else {**environment, "SITE_URL": site_url}
        result = subprocess.run(
            [sys.executable, "-c", "import django; django.setup()"],
            env=env,
            capture_output=True,
            text=True,
            check=False,
        )
        assert result.returncode != 0
        assert "SITE_URL must be" in result.stderr


def test_development_has_a_site_url_of_its_own():
    environment = {k: v for k, v in os.environ.items() if k != "SITE_URL"}
    environment.update({"DJANGO_SETTINGS_MODULE": "config.settings", "DEBUG": "1"})
    result = subprocess.run(
        [
            sys.executable,
            "-c",
            "import django; django.setup(); from django.conf import settings;"
            " print(settings.SITE_URL)",
        ],
        env=environment,
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.stdout.strip() == "http://127.0.0.1:8000", result.stderr
