"""Playwright driving Debian's Chromium (never a downloaded browser)."""

import os
import warnings
from pathlib import Path

import pytest

CHROMIUM = Path(os.environ.get("CHROMIUM_PATH", "/usr/bin/chromium"))
ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]


def pytest_collection_modifyitems(config, items):
    for item in items:
        if "tests/browser/" in str(item.fspath):
            item.add_marker(pytest.mark.browser)


@pytest.fixture(scope="session")
def chromium():
    if not CHROMIUM.exists():
        message = f"BROWSER TESTS SKIPPED: {CHROMIUM} is missing (apt-get install -y chromium)"
        if os.environ.get("REQUIRE_BROWSER") == "1":
            pytest.fail(message)
        warnings.warn(message, pytest.PytestWarning, stacklevel=1)
        pytest.skip(message)
    from django.db import connections
    from playwright.sync_api import sync_playwright

    # Playwright's sync API runs the rest of the session in another context (greenlet), where
    # Django sees other connection objects: close the ones opened so far, or they would stay
    # open, orphaned, and PostgreSQL would refuse to drop the test database at the end.
    connections.close_all()
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=str(CHROMIUM), args=ARGS)
        yield browser
        browser.close()
        connections.close_all()  # the same, the other way, before the session's end


@pytest.fixture
def page(chromium, live_server, settings):
    # Links in e-mails are built from SITE_URL: here, the live server the browser reaches.
    settings.SITE_URL = live_server.url
    context = chromium.new_context(base_url=live_server.url, locale="fr-FR")
    page = context.new_page()
    page.set_default_timeout(10_000)
    page.csp_errors = []
    page.on(
        "console",
        # With where it happened (page and script line), so that a violation can be traced.
        lambda msg: (
            page.csp_errors.append(f"{msg.text} [{page.url} {msg.location}]")
            if "Content Security Policy" in msg.text
            else None
        ),
    )
    yield page
    context.close()
