"""Anonymous endpoints limited per client address (docs/security.md §13)."""

import html

import pytest
from django.test import Client

from audit.models import Action, AuditEvent

pytestmark = pytest.mark.django_db


def test_the_strength_meter_answers_429_past_its_limit(settings):
    settings.RATE_LIMITS = {**settings.RATE_LIMITS, "strength.address": "3/1m"}
    client = Client(REMOTE_ADDR="203.0.113.5")
    for _ in range(3):
        assert client.post("/mot-de-passe/force/", {"password1": "abc"}).status_code == 200
    refused = client.post("/mot-de-passe/force/", {"password1": "abc"})
    assert refused.status_code == 429 and 0 < int(refused["Retry-After"]) <= 60
    assert (
        Client(REMOTE_ADDR="192.0.2.1")
        .post("/mot-de-passe/force/", {"password1": "abc"})
        .status_code
        == 200
    )
    assert AuditEvent.objects.filter(action=Action.RATE_LIMITED).count() == 1


def test_csp_reports_are_limited_per_address(settings):
    settings.RATE_LIMITS = {**settings.RATE_LIMITS, "csp.address": "2/1m"}
    client = Client(REMOTE_ADDR="203.0.113.5")
    report = '{"csp-report": {"document-uri": "https://example.fr/"}}'
    codes = [
        client.post(
            "/securite/rapport-csp/", report, content_type="application/csp-report"
        ).status_code
        for _ in range(3)
    ]
    assert codes == [204, 204, 429]


def test_asking_whether_emails_have_a_space_is_limited_per_address(client, settings, registration):
    from accounts.flows.registration import submit_registration

    settings.RATE_LIMITS = {**settings.RATE_LIMITS, "registration.address": "2/1h"}
    submit_registration(registration)
    client.post("/creer-mon-espace/expert/", {"accept": "on"})
    step = "/creer-mon-espace/expert/identifiants/"
    from tests.helpers import STRONG_PASSWORD

    data = {
        "email": registration.email,
        "email_confirmation": registration.email,
        "password1": STRONG_PASSWORD,
        "password2": STRONG_PASSWORD,
    }

    def ask():
        page = client.post(step, data).content.decode()
        return html.unescape(page)

    assert "déjà en cours pour cette adresse" in ask()
    assert "déjà en cours pour cette adresse" in ask()
    third = ask()
    assert "déjà en cours pour cette adresse" not in third
    assert "Trop d'adresses électroniques ont été vérifiées" in third
