"""The Content-Security-Policy (issue 11): strict, computed at build time, and obeyed.

The built site is checked as files (every page carries its policy, every inline
script is hashed, `_headers` covers every page) and in a real Chromium, where
every page, with its calculators live, must cause zero violations.
"""

from __future__ import annotations

import re
import urllib.request
from collections.abc import Iterator
from pathlib import Path
from types import SimpleNamespace

import pytest
from playwright.sync_api import Browser, Page, Route, expect

from hooks import content_policy as csp
from kennisbank.csp import inline_hashes, sha256

from .test_browser import browser  # noqa: F401  (the session's one Chromium)

READY_TIMEOUT = 60_000  # ms; a cold Pyodide start on a slow CI machine
META_RE = re.compile(r'<meta http-equiv="Content-Security-Policy" content="([^"]*)">')


def directives(policy: str) -> dict[str, list[str]]:
    return {
        name: values
        for name, *values in (part.split() for part in policy.split(";") if part.strip())
    }


def header_policy(site: Path) -> str:
    lines = (site / "_headers").read_text(encoding="utf-8").splitlines()
    assert lines[0] == "/*", "one rule for every path"
    (policy,) = [line.split(":", 1)[1].strip() for line in lines if "Content-Security" in line]
    return policy


# -- The policy as built ---------------------------------------------------------------------


def test_only_scripts_the_browser_runs_are_hashed() -> None:
    page = (
        '<script>a()</script><script type="module">b()</script>'
        '<script id="__config" type="application/json">{"x": 1}</script>'
        '<script type="application/ld+json">{}</script><script src="x.js"></script>'
        '<style>p{}</style><td style="text-align: right;">'
    )
    scripts, styles, attributes = inline_hashes(page)
    assert scripts == {sha256("a()"), sha256("b()")}
    assert styles == {sha256("p{}"), sha256("text-align: right;")}
    assert attributes


def test_the_local_server_gets_no_policy_its_live_reload_script_could_break() -> None:
    page = '<head><meta charset="utf-8"><script>a()</script></head>'
    written = SimpleNamespace(file=SimpleNamespace(dest_uri="index.html"))
    try:
        csp.on_startup(command="serve", dirty=False)
        assert csp.on_post_page(page, page=written, config={}) == page
        csp.on_startup(command="build", dirty=False)
        assert sha256("a()") in META_RE.search(csp.on_post_page(page, page=written, config={}))[1]
    finally:
        csp.on_startup(command="build", dirty=False)


def test_every_page_carries_a_strict_policy_for_its_own_inline_scripts(site: Path) -> None:
    pages = sorted(site.rglob("*.html"))
    assert len(pages) > 10
    for path in pages:
        html = path.read_text(encoding="utf-8")
        found = META_RE.findall(html)
        assert len(found) == 1, path
        # First in <head> after the charset: a policy covers only what follows it.
        assert re.search(r"<head>\s*<meta charset=\"utf-8\">\s*<meta http-equiv=", html), path
        policy = directives(found[0])
        scripts, styles, _ = inline_hashes(html)
        assert policy["default-src"] == ["'self'"]
        assert policy["script-src"][:2] == ["'self'", "'wasm-unsafe-eval'"]
        assert set(policy["script-src"][2:]) == scripts, path
        assert scripts, "Material's inline scripts are hashed, not allowed wholesale"
        assert styles <= set(policy["style-src"]), path
        assert policy["worker-src"] == ["'self'"]
        assert policy["object-src"] == ["'none'"]
        for values in policy.values():
            assert "'unsafe-inline'" not in values and "'unsafe-eval'" not in values, path
        assert "frame-ancestors" not in policy, "ignored in a meta tag, only a header can"


def test_the_headers_file_allows_every_page_and_forbids_framing(site: Path) -> None:
    policy = directives(header_policy(site))
    assert policy["frame-ancestors"] == ["'none'"]
    assert policy["worker-src"] == ["'self'"]
    assert "'wasm-unsafe-eval'" in policy["script-src"]
    for path in site.rglob("*.html"):
        page_policy = directives(META_RE.search(path.read_text(encoding="utf-8")).group(1))
        for name, values in page_policy.items():
            assert set(values) <= set(policy[name]), (path, name)


def test_the_local_server_sends_the_policy_from_the_headers_file(site: Path, base_url: str) -> None:
    for path in ("", "assets/javascripts/", "rekenhulpen/roas/"):
        url = base_url + path
        if path.endswith("javascripts/"):
            worker = next((site / "assets" / "javascripts").glob("calculator/*/worker/worker.mjs"))
            url += worker.relative_to(site / "assets" / "javascripts").as_posix()
        with urllib.request.urlopen(url) as response:
            assert response.headers["Content-Security-Policy"] == header_policy(site), url


# -- Zero violations in Chromium, with the calculators live --------------------------------

RECORD_VIOLATIONS = """
window.kbViolations = [];
document.addEventListener("securitypolicyviolation", (event) => window.kbViolations.push(
  `${event.effectiveDirective} ${event.blockedURI} ${event.sample}`));
"""
# A worker has its own policy (from its response header) and its own events:
# its script is served with a listener in front that reports to the console.
WORKERS = re.compile(r"/(calculator/[^/]+/worker/worker\.mjs|workers/search[.-][^/?]*\.js)(\?.*)?$")
RECORD_WORKER_VIOLATIONS = """self.addEventListener("securitypolicyviolation", (event) =>
  console.error(`CSP violation in a worker: ${event.effectiveDirective} ${event.blockedURI}`));
"""


def record_worker_violations(route: Route) -> None:
    response = route.fetch()
    route.fulfill(response=response, body=RECORD_WORKER_VIOLATIONS + response.text())


@pytest.fixture(scope="module")
def page(browser: Browser) -> Iterator[tuple[Page, list[str]]]:  # noqa: F811
    context = browser.new_context()  # never bypass_csp: the policy is what is tested
    context.add_init_script(RECORD_VIOLATIONS)
    context.route(WORKERS, record_worker_violations)
    page = context.new_page()
    # What workers report (see above) reaches the page only through the console.
    console: list[str] = []
    page.on("console", lambda message: console.append(message.text))
    page.on("pageerror", lambda error: console.append(f"pageerror: {error}"))
    yield page, console
    context.close()


def csp_messages(console: list[str]) -> list[str]:
    words = ("CSP violation", "Content Security Policy", "Refused to", "pageerror")
    return [text for text in console if any(word in text for word in words)]


def test_no_page_violates_the_policy_with_its_calculators_live(
    page: tuple[Page, list[str]], site: Path, base_url: str
) -> None:
    tab, console = page
    sitemap = (site / "sitemap.xml").read_text(encoding="utf-8")
    urls = [*re.findall(r"<loc>([^<]*)</loc>", sitemap), base_url + "bestaat-niet/"]
    assert all(url.startswith(base_url) for url in urls)
    live = 0
    for url in urls:
        tab.goto(url)
        calculators = tab.locator("[data-calculator]")
        for index in range(calculators.count()):
            root = calculators.nth(index)
            if not root.is_visible():  # in a closed block: it starts once opened
                continue
            root.locator("input").first.fill("1.234")
            expect(root).to_have_attribute("data-state", "ready", timeout=READY_TIMEOUT)
            live += 1
        assert tab.evaluate("window.kbViolations") == [], url
        assert csp_messages(console) == [], url
    assert live >= 4, "every calculator page was visited with Python running"


def test_search_palette_and_instant_navigation_stay_within_the_policy(
    page: tuple[Page, list[str]], base_url: str
) -> None:
    tab, console = page
    tab.goto(base_url + "rekenhulpen/roas/")
    tab.locator("input[data-md-component='search-query']").fill("roas")
    expect(tab.locator(".md-search-result__item").first).to_be_visible(timeout=READY_TIMEOUT)
    tab.keyboard.press("Escape")
    tab.locator("form[data-md-component='palette'] label:visible").first.click()
    tab.evaluate("window.kbMarker = 1")
    tab.locator(".md-tabs a[href$='/blog/']").first.click()
    expect(tab).to_have_url(re.compile(r"/blog/$"), timeout=READY_TIMEOUT)
    assert tab.evaluate("window.kbMarker") == 1, "the navigation was instant"
    assert tab.evaluate("window.kbViolations") == []
    assert csp_messages(console) == []
