"""Every page of the built site in a real Chromium, checked by axe-core (issue 10).

axe-core is pinned in package.json and injected from node_modules, never from
a CDN. Each page is checked in the light and the dark colour scheme: the site
follows the system setting by default (Material's "auto" palette), so the
browser's prefers-color-scheme chooses the scheme.

The calculators' own styles are checked with the calculators; here the
calculator forms are excluded (`.kb-calculator`), and the Pyodide runtime is
not started (its requests are refused), which keeps the walk quick.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from playwright.sync_api import Browser, Page

from tests import test_browser as shared

from .support import ROOT

# One Chromium for the whole session, shared with the calculator tests: Playwright's
# sync API cannot run twice at once.
browser = shared.browser

AXE = ROOT / "node_modules" / "axe-core" / "axe.min.js"
SCHEMES = ("light", "dark")
PHONE = {"width": 360, "height": 740}


def site_pages(site: Path) -> list[str]:
    """Every HTML page of the built site, as a path relative to its root URL."""
    pages = []
    for page in sorted(site.rglob("*.html")):
        path = page.relative_to(site).as_posix()
        pages.append(path.removesuffix("index.html"))
    return pages


def new_page(browser: Browser, scheme: str, viewport: dict[str, int] | None = None) -> Page:
    # axe-core is injected as an inline script, which the site's strict CSP forbids.
    context = browser.new_context(color_scheme=scheme, viewport=viewport, bypass_csp=True)
    context.route("**/assets/pyodide/**", lambda route: route.abort())
    return context.new_page()


def axe_violations(page: Page, rules: tuple[str, ...] = ()) -> list[str]:
    """Serious and critical axe findings, one line each: rule, target and summary.

    All of axe's rules, or only the given ones.
    """
    if not page.evaluate("typeof window.axe !== 'undefined'"):
        page.add_script_tag(path=str(AXE))
    results = page.evaluate(
        """async (rules) => {
            const context = {exclude: [[".kb-calculator"]]};
            const options = {resultTypes: ["violations"]};
            if (rules.length) options.runOnly = {type: "rule", values: rules};
            const result = await axe.run(context, options);
            return result.violations
                .filter((rule) => ["serious", "critical"].includes(rule.impact))
                .flatMap((rule) => rule.nodes.map((node) =>
                    `${rule.id}: ${node.target.join(" ")}: ${node.failureSummary}`));
        }""",
        list(rules),
    )
    return results


# What a colour scheme changes: only these rules can give another answer in dark.
COLOUR_RULES = ("color-contrast", "link-in-text-block")


def test_no_page_has_serious_accessibility_violations(
    browser: Browser, site: Path, base_url: str
) -> None:
    """Every page, light (all rules) and then dark (the colour rules, same page load)."""
    page = new_page(browser, "light")
    found = {}
    try:
        for path in site_pages(site):
            page.emulate_media(color_scheme="light")
            page.goto(base_url + path)
            for scheme, slate, rules in (("light", False, ()), ("dark", True, COLOUR_RULES)):
                if slate:
                    # Material's automatic palette follows the system setting as it changes.
                    page.emulate_media(color_scheme="dark")
                expected = "slate" if slate else "default"
                page.wait_for_function(
                    f"document.body.getAttribute('data-md-color-scheme') === '{expected}'"
                )
                violations = axe_violations(page, rules)
                if violations:
                    found[f"{path} ({scheme})"] = violations
    finally:
        page.context.close()
    report = "\n".join(f"{path}:\n  " + "\n  ".join(lines) for path, lines in found.items())
    assert not found, f"axe-core:\n{report}"


# Elements that stick out to the right of a 360 px screen. An element is fine
# when its ancestors clip it (Material's closed drawer, visually hidden table
# headers) and code blocks may scroll sideways; anything else that sticks out,
# or a table or text inside a sideways scroller, is reported. The calculator
# forms are left to the calculators' own tests (as in the axe walk).
TOO_WIDE_JS = """() => {
  const width = document.documentElement.clientWidth;
  const name = (el) => el.tagName.toLowerCase()
    + (typeof el.className === "string" && el.className
      ? "." + el.className.trim().split(/\\s+/).join(".") : "");
  const wide = [];
  for (const el of document.body.querySelectorAll("*")) {
    const box = el.getBoundingClientRect();
    if (box.width === 0 || box.height === 0 || box.right <= width + 1) continue;
    if (getComputedStyle(el).visibility === "hidden") continue;
    if (el.closest(".kb-calculator")) continue;  // the calculators' own layout: calculator.css
    let left = box.left, right = box.right, scroller = null;
    for (let up = el.parentElement; up && up !== document.body; up = up.parentElement) {
      const overflow = getComputedStyle(up).overflowX;
      if (overflow === "visible") continue;
      const outer = up.getBoundingClientRect();
      left = Math.max(left, outer.left);
      right = Math.min(right, outer.right);
      const scrolls = ["auto", "scroll"].includes(overflow) && up.scrollWidth > up.clientWidth + 1;
      if (scrolls && !up.matches("pre, code, .highlight, .highlight *")) scroller = scroller || up;
    }
    if (right <= left || right <= 0 || left >= width) continue;  // clipped out of sight
    if (scroller) wide.push(`${name(el)} scrolls sideways in ${name(scroller)}`);
    else if (right > width + 1) wide.push(`${name(el)} (right edge at ${Math.round(right)} px)`);
  }
  return {width, wide};
}"""

BYLINE_JS = """() => {
  const meta = document.querySelector("article .kb-post-meta");
  const first = document.querySelector("article > p, article .md-content__inner > p");
  const top = (el) => el.getBoundingClientRect().top + window.scrollY;
  return {
    meta: meta && meta.offsetHeight > 0 ? top(meta) : null,
    text: meta ? meta.innerText : "",
    paragraph: first ? top(first) : null,
  };
}"""


def test_every_page_fits_a_phone_and_posts_show_their_byline_first(
    browser: Browser, site: Path, base_url: str
) -> None:
    page = new_page(browser, "light", PHONE)
    problems = []
    try:
        for path in site_pages(site):
            page.goto(base_url + path)
            fit = page.evaluate(TOO_WIDE_JS)
            if fit["wide"]:
                problems.append(f"{path}: wider than {fit['width']} px: {fit['wide'][:5]}")
            if path.startswith("blog/") and (site / path / "index.html").read_text(
                encoding="utf-8"
            ).count('"@type":"BlogPosting"'):
                byline = page.evaluate(BYLINE_JS)
                if byline["meta"] is None or byline["meta"] >= byline["paragraph"]:
                    problems.append(f"{path}: author and date are not above the first paragraph")
                elif not re.search(r"\d{4}", byline["text"]) or "leestijd" not in byline["text"]:
                    problems.append(f"{path}: byline without date or reading time")
    finally:
        page.context.close()
    assert not problems, "\n".join(problems)


FOCUS_JS = """() => {
  const el = document.activeElement;
  if (!el || el === document.body) return null;  // focus left the page (end of the tab order)
  const style = getComputedStyle(el);
  const ring = style.outlineStyle !== "none" && parseFloat(style.outlineWidth) >= 2;
  return {
    name: el.tagName.toLowerCase() + " " + (el.getAttribute("href") || el.className || ""),
    visible: ring || style.boxShadow !== "none",
  };
}"""


@pytest.mark.parametrize("scheme", SCHEMES)
def test_keyboard_focus_is_always_visible(browser: Browser, base_url: str, scheme: str) -> None:
    page = new_page(browser, scheme)
    seen, invisible = set(), []
    try:
        for path in ("", "blog/kpis-die-ertoe-doen/"):
            page.goto(base_url + path)
            for _ in range(60):
                page.keyboard.press("Tab")
                focus = page.evaluate(FOCUS_JS)
                if focus is None:
                    continue
                seen.add(focus["name"])
                if not focus["visible"]:
                    invisible.append(f"{path}: {focus['name']}")
    finally:
        page.context.close()
    assert len(seen) > 20, "tabbing reached the page's links and controls"
    assert not invisible, "no focus ring on:\n" + "\n".join(invisible)
