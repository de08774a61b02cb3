"""Playwright driving Debian's Chromium (never a downloaded browser), axe-core checking every
page state the tests act on (tests/browser/axe.py)."""

import os
import warnings
from pathlib import Path

import pytest

from tests.browser import axe

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


@pytest.hookimpl(wrapper=True)
def pytest_runtest_makereport(item, call):
    report = yield
    if call.when == "call":
        item.call_passed = report.passed  # the pages' last check runs only after a pass
    return report


def _require(missing: str | None) -> None:
    if missing is None:
        return
    message = f"BROWSER TESTS SKIPPED: {missing}"
    if os.environ.get("REQUIRE_BROWSER") == "1":
        pytest.fail(message)
    warnings.warn(message, pytest.PytestWarning, stacklevel=2)
    pytest.skip(message)


@pytest.fixture(scope="session")
def chromium():
    if not CHROMIUM.exists():
        _require(f"{CHROMIUM} is missing (apt-get install -y chromium)")
    _require(axe.missing_message())
    from django.db import connections
    from playwright.sync_api import sync_playwright

    # Playwright's sync API runs the rest of the session in another context (greenlet), where
    # Django sees other connection objects: close the ones opened so far, or they would stay
    # open, orphaned, and PostgreSQL would refuse to drop the test database at the end.
    connections.close_all()
    with sync_playwright() as playwright, pytest.MonkeyPatch.context() as monkeypatch:
        axe.patch_actions(monkeypatch)
        browser = playwright.chromium.launch(executable_path=str(CHROMIUM), args=ARGS)
        yield browser
        browser.close()
        connections.close_all()  # the same, the other way, before the session's end


@pytest.fixture
def new_page(chromium, live_server, settings, request):
    """Opens a page in a context of its own (a person of the test; `options` of Playwright's
    `new_context`, a phone's `viewport` for one), its console watched for CSP errors
    (`page.csp_errors`) and every state checked by axe-core, the last one after the test has
    passed."""
    # Links in e-mails are built from SITE_URL: here, the live server the browser reaches.
    settings.SITE_URL = live_server.url
    contexts = []

    def open_page(**options):
        context = chromium.new_context(base_url=live_server.url, locale="fr-FR", **options)
        contexts.append(context)
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
        axe.watch(page)
        return page

    yield open_page
    try:
        if getattr(request.node, "call_passed", False):
            for context in contexts:
                for page in context.pages:
                    axe.check(page)
    finally:
        for context in contexts:
            context.close()


@pytest.fixture
def page(new_page):
    return new_page()
