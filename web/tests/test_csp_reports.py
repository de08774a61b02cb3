"""Content-Security-Policy violations are reported by browsers and logged (docs/security.md
§11), never stored."""

import json
import logging

import pytest

URL = "/securite/rapport-csp/"
REPORT = {
    "csp-report": {
        "document-uri": "https://espace-pro.example.fr/espace/",
        "violated-directive": "script-src-elem",
        "blocked-uri": "https://evil.example/x.js",
        "original-policy": "default-src 'self'",
        "script-sample": "alert(document.cookie)",
    }
}

pytestmark = pytest.mark.django_db


def test_the_policy_names_the_report_endpoint(client):
    response = client.get("/")
    csp = response["Content-Security-Policy"]
    assert f"report-uri {URL}" in csp
    assert "report-to csp" in csp
    assert response["Reporting-Endpoints"] == f'csp="{URL}"'


def test_a_report_uri_report_is_logged_without_csrf_token_nor_login(caplog):
    from django.test import Client

    client = Client(enforce_csrf_checks=True)
    with caplog.at_level(logging.WARNING, logger="web.csp"):
        response = client.post(URL, json.dumps(REPORT), content_type="application/csp-report")
    assert response.status_code == 204
    (record,) = [r for r in caplog.records if r.name == "web.csp"]
    message = record.getMessage()
    assert "script-src-elem" in message and "https://evil.example/x.js" in message
    assert "document.cookie" not in message  # only the listed fields reach the logs


def test_a_reporting_api_report_is_logged(client, caplog):
    body = [
        {
            "type": "csp-violation",
            "url": "https://espace-pro.example.fr/",
            "body": {
                "documentURL": "https://espace-pro.example.fr/",
                "effectiveDirective": "img-src",
                "blockedURL": "https://tracker.example/p.gif",
            },
        }
    ]
    with caplog.at_level(logging.WARNING, logger="web.csp"):
        response = client.post(URL, json.dumps(body), content_type="application/reports+json")
    assert response.status_code == 204
    assert any("tracker.example" in r.getMessage() for r in caplog.records)


def test_large_or_malformed_reports_are_refused(client, settings, caplog):
    settings.CSP_REPORT_MAX_BYTES = 1024
    huge = {"csp-report": {**REPORT["csp-report"], "blocked-uri": "x" * 2000}}
    with caplog.at_level(logging.WARNING, logger="web.csp"):
        assert (
            client.post(URL, json.dumps(huge), content_type="application/csp-report").status_code
            == 413
        )
        assert (
            client.post(URL, "not json", content_type="application/csp-report").status_code == 400
        )
        assert (
            client.post(URL, "[1, 2]", content_type="application/reports+json").status_code == 400
        )
        assert client.get(URL).status_code == 405
    assert not [r for r in caplog.records if r.name == "web.csp"]


def test_many_reports_in_one_request_make_one_ascii_log_line(client, caplog):
    body = [
        {
            "type": "csp-violation",
            "url": "https://espace-pro.example.fr/",
            "body": {"effectiveDirective": "img-src", "blockedURL": f"https://t.example/\u2028{i}"},
        }
        for i in range(20)
    ]
    with caplog.at_level(logging.WARNING, logger="web.csp"):
        response = client.post(URL, json.dumps(body), content_type="application/reports+json")
    assert response.status_code == 204
    (record,) = [r for r in caplog.records if r.name == "web.csp"]
    assert record.getMessage().isascii() and "\n" not in record.getMessage()
