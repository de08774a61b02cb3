"""The accessibility check itself (tests/browser/axe.py): axe-core runs on the pages under
their real CSP, before any action a test takes on a page that changed, at 1280 px and at 390 px
whatever the window, and a violation of any impact fails the test with its rule and its nodes."""

import re

import pytest
from playwright.sync_api import expect

from tests.browser import axe

pytestmark = pytest.mark.django_db(transaction=True)

ADD_IMAGE_WITHOUT_TEXT = """(classes) => {
  const img = document.createElement("img");
  img.id = "no-alt";
  img.className = classes || "";
  img.src = "/static/dsfr/dist/favicon/favicon.svg";
  document.querySelector("main").append(img);
}"""


def test_a_violation_fails_the_next_action_and_names_its_rule_and_node(page):
    page.goto("/")
    page.evaluate(ADD_IMAGE_WITHOUT_TEXT)
    with pytest.raises(axe.AxeViolations) as raised:
        page.get_by_role("link", name="Mot de passe oublié").click()
    report = str(raised.value)
    assert re.search(r"^- image-alt \(critical\): Images must have alternative text", report, re.M)
    assert "#no-alt: <img" in report
    expect(page).to_have_url(re.compile(r"/$"))  # the action did not happen

    page.evaluate("() => document.getElementById('no-alt').remove()")
    page.get_by_role("link", name="Mot de passe oublié").click()  # checked, passes
    expect(page.get_by_role("heading", level=1)).to_have_text("Mot de passe oublié")
    assert page.evaluate("() => typeof axe") == "object"  # loaded despite the CSP…
    assert page.csp_errors == []  # …which stayed on


def test_an_unchanged_page_is_not_checked_twice(page):
    page.goto("/")
    axe.check(page)
    assert page.evaluate("() => window.__axeDirty") is False
    page.get_by_label("Adresse électronique").fill("x@example.fr")  # no change of the DOM
    assert page.evaluate("() => window.__axeDirty") is False
    page.evaluate("() => document.querySelector('main').setAttribute('data-x', '1')")
    assert page.evaluate("() => window.__axeDirty") is True


@pytest.mark.parametrize(
    ("window", "shown_only", "seen_at"),
    [
        ({"width": 1280, "height": 720}, "fr-hidden-md", "390 px"),  # on a phone only
        ({"width": 390, "height": 844}, "fr-hidden fr-unhidden-md", "1280 px"),  # desktop only
    ],
)
def test_a_violation_shown_at_the_other_width_only_fails_too(page, window, shown_only, seen_at):
    page.set_viewport_size(window)
    page.goto("/")
    page.evaluate(ADD_IMAGE_WITHOUT_TEXT, shown_only)
    assert page.locator("#no-alt").is_hidden()  # not in this window
    with pytest.raises(axe.AxeViolations) as raised:
        page.get_by_role("link", name="Mot de passe oublié").click()
    report = str(raised.value)
    assert re.search(rf"^axe-core: 1 rule\(s\) violated on \S+ at {seen_at}$", report, re.M)
    assert "#no-alt: <img" in report
    assert page.viewport_size == window  # given back

    page.evaluate("() => document.getElementById('no-alt').remove()")
    page.get_by_role("link", name="Mot de passe oublié").click()


def test_checking_the_other_width_leaves_the_page_as_the_test_left_it(page):
    page.set_viewport_size({"width": 390, "height": 844})
    page.goto("/")
    page.get_by_role("button", name="Menu").click()
    menu = page.locator("#header-menu")
    expect(menu).to_be_visible()
    assert page.evaluate("() => window.__axeDirty") is True
    axe.check(page)  # at 390 px, then at 1280 px, where the design system would close it
    assert page.evaluate("() => window.__axeDirty") is False  # checked
    expect(menu).to_be_visible()
    assert page.viewport_size == {"width": 390, "height": 844}
