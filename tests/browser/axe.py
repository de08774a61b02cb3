"""axe-core on every page state the browser tests act on (issue 12 §7).

The npm package `axe-core` (package.json, installed by `make test` with `npm ci`) is loaded in
every document of a checked page as an init script: the DevTools protocol adds it, so the
nonce-based CSP stays on and the tests still see its violations. A mutation observer marks the
document "changed"; before each action of a test that may leave or change the page (a click,
a key, a fill, a navigation…) and at the end of the test, axe runs on the current state if it
changed since the last run, and any violation, whatever its impact, fails the test with its
rule, its help and the nodes concerned. Every page a test reaches is thus checked before the
test acts on it or leaves it, error states of forms included.

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
WATCH = """
window.__axeDirty = true;
new MutationObserver(() => { window.__axeDirty = true; })
  .observe(document, {subtree: true, childList: true, attributes: true, characterData: true});
"""

# Every rule axe runs by default (WCAG 2.x A and AA, best practices), violations only, on the
# page as a person finds it: loaded, and the design system's script started (it marks <html
# data-fr-js> and sets its components up in the next frames: the header's menu, for one, holds
# an aria-labelledby until then that only a dialog may have).
RUN = """async () => {
  if (!window.__axeDirty || typeof axe === "undefined") return null;
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
    """Run axe on the page's current state if it changed since the last run."""
    if not getattr(page, "axe_checked", False) or page.is_closed():
        return
    for _ in range(3):
        try:
            page.wait_for_load_state("load")
            violations = page.evaluate(RUN)
            break
        except PlaywrightError as error:
            # A navigation under way replaced the document: check the new one.
            if "context was destroyed" not in str(error) and "navigat" not in str(error):
                raise
    else:
        return
    if violations:
        _report(page.url, violations)


def _report(url: str, violations: list[dict]) -> None:
    report_to = os.environ.get("AXE_REPORT")
    if report_to:
        with open(report_to, "a", encoding="utf-8") as out:
            for violation in violations:
                out.write(json.dumps({"url": url, **violation}, ensure_ascii=False) + "\n")
        return
    lines = [f"axe-core: {len(violations)} rule(s) violated on {url}"]
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
