"""Secure defaults: every page needs a logged-in subscriber unless its view is marked public
(LoginRequiredMiddleware: a forgotten decorator fails closed), and every view receiving a
password, a trust answer or a code keeps them out of error reports."""

import pytest
from django.urls import URLPattern, URLResolver, get_resolver

PUBLIC = {
    "space:login",
    # The login's second step (docs/security.md §14.3): a pending login, not logged in yet.
    "factors:login_step",
    "factors:resend",
    # A passkey's ceremonies before login: without a password (the login page) and as the
    # second step (docs/security.md §14.6).
    "factors:passkey_login_begin",
    "factors:passkey_login_complete",
    "factors:passkey_second_step_begin",
    "factors:passkey_second_step_complete",
    "space:logout",
    "signup:signup",
    "signup:signup_simplified",
    "signup:general_conditions",
    "signup:accessibility",
    "signup:signup_conditions",
    "signup:signup_identifiers",
    "signup:signup_profile",
    "signup:signup_recap",
    "signup:signup_sent",
    "signup:password_strength",
    "signup:activate",
    "signup:activate_letter",
    "signup:activated",
    "signup:activated_pdf",
    "simplified:conditions",
    "simplified:company",
    "simplified:identifiers",
    "simplified:profile",
    "simplified:recap",
    "simplified:sent",
    "passwords:password_expired",
    "passwords:password_expired_new",
    "passwords:password_expired_recap",
    "passwords:captcha_refresh",
    "passwords:password_forgotten",
    "passwords:password_forgotten_question",
    "passwords:password_forgotten_sent",
    "passwords:password_reset_link",
    "passwords:password_reset_new",
    "passwords:password_reset_done",
    "postal_requests:company_email_link",
    "dossiers:company_email_confirm",
    "outbox:outbox",
    "outbox:letter_pdf",
    "csp_report",
    "help:index",
    "help:topic",
    "help:calendar",
    "api_docs",  # the API's documentation (the API itself authenticates by its own tokens)
}
SENSITIVE = {
    "space:login",
    # The login's second step (docs/security.md §14.3): a pending login, not logged in yet.
    "factors:login_step",
    "factors:resend",
    "space:identifiers",
    "space:identifiers_code",
    "space:coordinates_edit",
    "space:trust_question",
    "signup:signup_identifiers",
    "signup:signup_profile",
    "signup:signup_recap",
    "signup:password_strength",
    "signup:activate",
    "signup:activate_letter",
    "simplified:identifiers",
    "simplified:profile",
    "simplified:recap",
    "passwords:password_expired",
    "passwords:password_expired_new",
    "passwords:password_forgotten",
    "passwords:password_forgotten_question",
    "passwords:password_reset_new",
    "postal_requests:activate",
}


def _patterns(resolver=None, namespace=""):
    resolver = resolver or get_resolver()
    for entry in resolver.url_patterns:
        if isinstance(entry, URLResolver):
            inner = f"{namespace}{entry.namespace}:" if entry.namespace else namespace
            yield from _patterns(entry, inner)
        elif isinstance(entry, URLPattern) and entry.name:
            yield f"{namespace}{entry.name}", entry


def _wrappers(view):
    while view is not None:
        yield view
        view = getattr(view, "__wrapped__", None)


def test_only_the_expected_pages_are_public():
    public = {
        name
        for name, pattern in _patterns()
        if getattr(pattern.callback, "login_required", True) is False
        # The JSON API authenticates by its own tokens, never a session (api.gate, docs/api.md
        # §6): its endpoints are public to the login requirement, each checking its caller.
        and not name.startswith(("captcha", "api:"))
        # The agents' pages have their own guard (backoffice/tests/test_privileges.py).
        and not name.startswith("backoffice:")
    }
    assert public == PUBLIC


def test_views_receiving_secrets_hide_them_from_error_reports():
    views = dict(_patterns())
    for name in SENSITIVE:
        names = {w.__code__.co_name for w in _wrappers(views[name].callback)}
        assert "sensitive_post_parameters_wrapper" in names, name


@pytest.mark.django_db
@pytest.mark.parametrize(
    "url",
    [
        "/espace/",
        "/espace/dossiers/",
        "/espace/dossiers/987654324/",
        "/espace/delegataires/",
        "/espace/adhesions/",
        "/espace/activer-mes-services/",
        "/espace/coordonnees/",
        "/espace/avis-expiration/",
    ],
)
def test_private_pages_send_anonymous_visitors_to_the_login_page(client, url):
    response = client.get(url)
    assert response.status_code == 302
    assert response["Location"].startswith("/?next=")


@pytest.mark.django_db
def test_the_captcha_image_is_public(client):
    from captcha.models import CaptchaStore

    key = CaptchaStore.generate_key()
    assert client.get(f"/captcha/image/{key}/").status_code == 200
