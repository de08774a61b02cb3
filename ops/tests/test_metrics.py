"""/metrics: Prometheus' format for a scraper next to the app server, a 404 for the public."""

import pytest


@pytest.mark.parametrize(
    "meta",
    [
        {"REMOTE_ADDR": "203.0.113.9"},
        # Relayed by the reverse proxy: its own address is local, the client is not.
        {"REMOTE_ADDR": "127.0.0.1", "HTTP_X_FORWARDED_FOR": "203.0.113.9"},
        {"REMOTE_ADDR": "127.0.0.1", "HTTP_X_REAL_IP": "203.0.113.9"},
        {"REMOTE_ADDR": "127.0.0.1", "HTTP_FORWARDED": "for=203.0.113.9"},
    ],
)
def test_metrics_are_refused_to_the_public(client, meta):
    response = client.get("/metrics", **meta)
    assert response.status_code == 404
    assert b"portal_http" not in response.content


def test_metrics_count_requests_per_view_for_a_local_scraper(client, db):
    client.get("/healthz")
    response = client.get("/metrics", REMOTE_ADDR="127.0.0.1")
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/plain")
    text = response.content.decode()
    assert 'portal_http_requests_total{method="GET",status="200",view="ops.healthz"}' in text
    assert "portal_http_request_duration_seconds_bucket" in text


def test_allowed_networks_are_a_setting(client, settings):
    settings.METRICS_ALLOWED_NETWORKS = ["10.0.0.0/8"]
    assert client.get("/metrics", REMOTE_ADDR="10.4.5.6").status_code == 200
    assert client.get("/metrics", REMOTE_ADDR="127.0.0.1").status_code == 404
