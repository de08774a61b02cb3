"""axe-core on every page state the browser tests act on (issue 12 §7).

The npm package `axe-core` (package.json, installed by `make test` with `npm ci`) is loaded in
every document of a checked page as an init script: the DevTools protocol adds it, so the
nonce-based CSP stays on and the tests still see its violations. A mutation observer marks the
document "changed"; before each action of a test that may leave or change the page (a click,
a key, a fill, a navigation…) and at the end of the test, axe runs on the current state if it
changed since the last run, and any violation, whatever its impact, fails the test with its
rule, its help and the nodes concerned. Every page a test reaches is thus checked before the
test acts on it or leaves it, error states of forms included.

Each state is checked at every width of WIDTHS (a desktop, 1280 px, and a phone, 390 px; issue
21): at the window's own size first, then the window is resized to the other width, checked
again, and given back its size. A wide table that scrolls only on a phone, a menu that only a
phone shows, are thus checked whatever the window the test drives.

`AXE_REPORT=<file>` writes the violations found to that file (JSON lines) instead of failing:
a way to see them all at once while fixing a page.
"""

import functools
import json
import os
from pathlib import Path

from playwright.sync_api import Error as PlaywrightError
from playwright.sync_api import Locator, Page

AXE_JS = Path(__file__).resolve().parents[2] / "node_modules" / "axe-core" / "axe.min.js"

# Runs first in every document: mark it unchecked, and unchecked again whenever it changes.
# A resize the page's scripts must not hear of (see OTHER_WIDTH) stops at the first listener.
WATCH = """
window.__axeDirty = true;
new MutationObserver(() => { window.__axeDirty = true; })
  .observe(document, {subtree: true, childList: true, attributes: true, characterData: true});
window.addEventListener("resize", event => {
  if (window.__axeUnheard) event.stopImmediatePropagation();
}, true);
"""

# Every rule axe runs by default (WCAG 2.x A and AA, best practices), violations only, on the
# page as a person finds it: loaded, and the design system's script started (it marks <html
# data-fr-js> and sets its components up in the next frames: the header's menu, for one, holds
# an aria-labelledby until then that only a dialog may have).
RUN = """async (force) => {
  if ((!window.__axeDirty && !force) || typeof axe === "undefined") return null;
  const frame = () => new Promise(resolve => requestAnimationFrame(resolve));
  for (let i = 0; i < 100 && !document.documentElement.hasAttribute("data-fr-js"); i++) {
    await frame();
  }
  await frame();
  await frame();
  window.__axeDirty = false;
  const results = await axe.run(document, {resultTypes: ["violations"]});
  return results.violations.map(v => ({
    id: v.id, impact: v.impact, help: v.help, helpUrl: v.helpUrl,
    nodes: v.nodes.map(n => ({target: n.target.join(" "), html: n.html,
                              summary: n.failureSummary})),
  }));
}"""

# Before the window takes another width. The page's scripts hear of the resize, as on a person's
# screen, and the design system sets the page up for that width, unless the test left something
# open (a menu, a modal, a collapse…): the design system would close it (the header's menu, for
# one, when the window widens), so they do not hear of it, and only the styles follow the width.
OTHER_WIDTH = """() => {
  window.__axeScroll = [window.scrollX, window.scrollY];
  const open = document.querySelector('[aria-expanded="true"], .fr-modal--opened');
  window.__axeUnheard = open !== null;
}"""

# After the window is given back its size, and the design system its layout (in the next frames):
# the state is the one already checked, scrolled as it was.
SETTLE = """async () => {
  const frame = () => new Promise(resolve => requestAnimationFrame(resolve));
  for (let i = 0; i < 3; i++) await frame();
  window.__axeUnheard = false;
  window.scrollTo(...window.__axeScroll);
  await frame();
  window.__axeDirty = false;
}"""

# The widths every state is checked at (issue 21): Playwright's default desktop window, a phone.
WIDTHS = ({"width": 1280, "height": 720}, {"width": 390, "height": 844})

# What a test does that may change the page or leave it: axe checks the state first.
PAGE_ACTIONS = (
    "goto", "reload", "go_back", "go_forward", "click", "dblclick", "tap", "fill", "type",
    "press", "check", "uncheck", "set_checked", "select_option", "set_input_files",
    "dispatch_event", "set_viewport_size", "close",
)  # fmt: skip
LOCATOR_ACTIONS = (
    "click", "dblclick", "tap", "fill", "type", "press", "press_sequentially", "clear",
    "check", "uncheck", "set_checked", "select_option", "set_input_files", "dispatch_event",
)  # fmt: skip


class AxeViolations(AssertionError):
    pass


# Playwright's own resize, kept before patch_actions wraps it: checking resizes the window.
_set_viewport_size = Page.set_viewport_size


def missing_message() -> str | None:
    """Why axe cannot run here, or None."""
    if AXE_JS.exists():
        return None
    return f"{AXE_JS} is missing: run `npm ci` in the project folder (make test does it)"


def watch(page: Page) -> None:
    """Check every state of `page` (a page of a context made by the tests' fixtures)."""
    page.context.add_init_script(path=AXE_JS)
    page.context.add_init_script(script=WATCH)
    page.axe_checked = True


def check(page: Page) -> None:
    """Run axe on the page's current state, at every width of WIDTHS, if it changed since the
    last run."""
    if not getattr(page, "axe_checked", False) or page.is_closed():
        return
    for _ in range(3):
        try:
            page.wait_for_load_state("load")
            found = _run_at_every_width(page)
            break
        except PlaywrightError as error:
            # A navigation under way replaced the document: check the new one.
            if "context was destroyed" not in str(error) and "navigat" not in str(error):
                raise
    else:
        return
    if any(found.values()):
        _report(page.url, found)


def _run_at_every_width(page: Page) -> dict[int, list[dict]]:
    """The violations found at each width (none if the state was already checked)."""
    size = page.viewport_size
    violations = page.evaluate(RUN, False)
    if violations is None:
        return {}
    found = {size["width"] if size else 0: violations}
    others = [width for width in WIDTHS if size and width["width"] != size["width"]]
    if others:
        page.evaluate(OTHER_WIDTH)
    try:
        for other in others:
            _set_viewport_size(page, other)
            found[other["width"]] = page.evaluate(RUN, True)
    finally:
        if others:
            _set_viewport_size(page, size)
            page.evaluate(SETTLE)
    return found


def _report(url: str, found: dict[int, list[dict]]) -> None:
    report_to = os.environ.get("AXE_REPORT")
    if report_to:
        with open(report_to, "a", encoding="utf-8") as out:
            for width, violations in found.items():
                for violation in violations:
                    line = {"url": url, "width": width, **violation}
                    out.write(json.dumps(line, ensure_ascii=False) + "\n")
        return
    lines = []
    for width, violations in found.items():
        if not violations:
            continue
        lines.append(f"axe-core: {len(violations)} rule(s) violated on {url} at {width} px")
        for v in violations:
            lines.append(f"- {v['id']} ({v['impact']}): {v['help']} <{v['helpUrl']}>")
            for node in v["nodes"]:
                lines.append(f"    {node['target']}: {node['html'][:300]}")
                lines.append("      " + node["summary"].replace("\n", "\n      "))
    raise AxeViolations("\n".join(lines))


def _checked_first(method, page_of):
    @functools.wraps(method)
    def action(self, *args, **kwargs):
        page = page_of(self)
        check(page)
        result = method(self, *args, **kwargs)
        if method.__name__ == "set_viewport_size" and getattr(page, "axe_checked", False):
            page.evaluate("() => { window.__axeDirty = true; }")  # a new layout to check
        return result

    return action


def patch_actions(monkeypatch) -> None:
    """Make Playwright's actions check the page first (for the pages `watch` was called on)."""
    for name in PAGE_ACTIONS:
        monkeypatch.setattr(Page, name, _checked_first(getattr(Page, name), lambda p: p))
    for name in LOCATOR_ACTIONS:
        monkeypatch.setattr(Locator, name, _checked_first(getattr(Locator, name), lambda x: x.page))
