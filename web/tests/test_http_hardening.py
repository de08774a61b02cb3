"""HTTP hardening (docs/security.md §11): NUL bytes answered 400, no caching of what a
subscriber sees, a Permissions-Policy."""

import pytest

from tests.factories import HabilitationFactory, SubscriberFactory
from tests.helpers import PASSWORD, login

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    ("method", "url", "data", "headers"),
    [
        ("get", "/espace/dossiers/%00/", None, {}),
        ("get", "/creer-mon-espace/expert/%00", None, {}),
        ("get", "/?next=/espace/%00", None, {}),
        ("get", "/?%00=1", None, {}),
        ("post", "/", {"username": "lila\x00@example.fr", "password": PASSWORD}, {}),
        ("post", "/", {"username\x00": "x", "password": PASSWORD}, {}),
        ("get", "/", None, {"HTTP_USER_AGENT": "Mozilla/5.0\x00"}),
        ("post", "/", {"username": "a@example.fr", "password": "x"}, {"HTTP_USER_AGENT": "\x00"}),
        ("get", "/", None, {"HTTP_REFERER": "https://example.fr/\x00"}),
    ],
)
def test_a_nul_byte_anywhere_is_a_400_never_a_500(client, method, url, data, headers):
    """PostgreSQL refuses NUL in text: such values are stopped before any query."""
    response = getattr(client, method)(url, data, **headers)
    assert response.status_code == 400


def test_a_nul_byte_is_refused_for_a_logged_in_subscriber_too(client):
    subscriber = SubscriberFactory()
    client.force_login(subscriber)
    assert client.get("/espace/dossiers/", {"q": "SARL\x00"}).status_code == 400
    assert client.post("/espace/coordonnees/modifier/", {"phone": "\x00"}).status_code == 400


def test_an_anonymous_post_without_csrf_token_is_refused_before_its_body_is_parsed(settings):
    """Posted fields are scanned after the CSRF check: a forged POST is a 403, whatever its
    body holds."""
    from django.test import Client

    forged = Client(enforce_csrf_checks=True).post("/", {"username": "a\x00", "password": "x"})
    assert forged.status_code == 403


def test_a_file_upload_is_refused_where_no_page_takes_one(client):
    """Only the lists of companies take a file (web/identifier_lists.py): elsewhere a multipart
    body with a file part is a 400 (nothing is written to disk), even on the CSRF-exempt CSP
    report endpoint."""
    from django.core.files.uploadedfile import SimpleUploadedFile

    upload = SimpleUploadedFile("big.bin", b"x" * 1024)
    assert client.post("/", {"username": "a@example.fr", "f": upload}).status_code == 400
    assert client.post("/securite/rapport-csp/", {"f": upload}).status_code in (400, 413)


@pytest.mark.parametrize(
    "url",
    [
        "/espace/",
        "/espace/dossiers/",
        "/espace/coordonnees/",
        "/espace/delegataires/",
        "/espace/dossiers/{siren}/",
        "/espace/dossiers/{siren}/acces/",
        "/espace/dossiers/{siren}/acces/?format=csv",
    ],
)
def test_no_page_shown_to_a_subscriber_is_cached(client, company, url):
    subscriber = SubscriberFactory()
    HabilitationFactory(company=company, subscriber=subscriber, code="declarer_tva")
    client.force_login(subscriber)
    response = client.get(url.format(siren=company.identifier))
    assert response.status_code == 200, url
    cache_control = {part.strip() for part in response["Cache-Control"].split(",")}
    assert {"no-store", "private"} <= cache_control


def test_logging_in_and_out_are_not_cached_either(client):
    subscriber = SubscriberFactory()
    response = login(client, subscriber.email, PASSWORD)
    assert response.status_code == 302
    assert "no-store" in response["Cache-Control"]
    response = client.post("/quitter/")
    assert "no-store" in response["Cache-Control"]


def test_every_response_carries_a_permissions_policy(client):
    policy = client.get("/")["Permissions-Policy"]
    for feature in ("camera=()", "microphone=()", "geolocation=()", "payment=()"):
        assert feature in policy


def test_plain_http_is_redirected_to_https_with_hsts_once_there(client, settings):
    # config/settings_test.py turns the redirect off for the test client's plain http.
    settings.SECURE_SSL_REDIRECT = True
    response = client.get("/espace/?x=1")
    assert response.status_code == 301
    assert response["Location"] == "https://testserver/espace/?x=1"
    response = client.get("/", secure=True)
    assert response["Strict-Transport-Security"] == ("max-age=31536000; includeSubDomains; preload")


def test_the_session_and_csrf_cookies_carry_the_host_prefix(client):
    subscriber = SubscriberFactory()
    client.get("/", secure=True)
    response = client.post("/", {"username": subscriber.email, "password": PASSWORD}, secure=True)
    cookie = response.cookies["__Host-sessionid"]
    assert cookie["secure"] and cookie["path"] == "/" and not cookie["domain"]
    assert "__Host-csrftoken" in client.cookies
