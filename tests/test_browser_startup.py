"""Honest start-up in a real Chromium (SPEC §5.6, §5.11): however Python fails
to start, the page says so in Dutch within a bounded time; outputs that do not
belong to the inputs on screen are marked; loading shows progress."""

from __future__ import annotations

from pathlib import Path

import pytest
from playwright.sync_api import Browser, Page, Route, expect

from scripts.static_server import Throttle, serve
from tests import test_browser as shared
from tests.support import PAGE_GLUE_URL, WORKER_GLUE_URL
from tests.test_browser import (
    Visit,
    assert_clean,
    calculator,
    type_into,
    wait_ready,
    without_javascript,
)

# One Chromium for the browser tests, and a fresh context per test.
browser = shared.browser
visit = shared.visit

ROAS = "rekenhulpen/roas/"
WASM = "**/pyodide.asm.wasm"
# Every failure below is seen by the worker itself, well before the page's
# watchdog (30 s) would give up; the watchdog test shows that one on its own.
FAILURE_SEEN_WITHIN = 15_000
NOT_LIVE = "niet live rekenen"
NOT_MATCHING = "Deze uitkomst hoort niet bij de ingevulde waarden."
UPDATING = "Wordt bijgewerkt zodra de rekenhulp klaar is…"


def wasm_bytes(site: Path) -> bytes:
    return next(site.glob("assets/pyodide/*/pyodide.asm.wasm")).read_bytes()


def with_csp(policy: str):
    """A route handler that serves the worker script under `policy`."""

    def handle(route: Route) -> None:
        response = route.fetch()
        headers = {**response.headers, "content-security-policy": policy}
        route.fulfill(response=response, headers=headers)

    return handle


def break_runtime(visit: Visit, site: Path, how: str) -> None:
    context = visit.context
    if how == "wasm 404":
        context.route(WASM, lambda route: route.fulfill(status=404, body="Not found"))
    elif how == "wasm wrong content type":
        body = wasm_bytes(site)[:4096]
        context.route(WASM, lambda route: route.fulfill(body=body, content_type="text/plain"))
    elif how == "wasm truncated":
        body = wasm_bytes(site)[:1_000_000]  # a download cut short
        context.route(WASM, lambda route: route.fulfill(body=body, content_type="application/wasm"))
    elif how == "csp without wasm-unsafe-eval":
        policy = "default-src 'self'; script-src 'self'; worker-src 'self'"
        context.route(WORKER_GLUE_URL, with_csp(policy))
    elif how == "wasm download aborted":
        context.route(WASM, lambda route: route.abort())
    else:
        raise AssertionError(how)


class Gate:
    """Holds every wasm download until `open(answer)`; later ones get that answer at once."""

    def __init__(self, visit: Visit) -> None:
        self.held: list[Route] = []
        self.answer = None
        visit.context.route(WASM, self._route)

    def _route(self, route: Route) -> None:
        if self.answer:
            self.answer(route)
        else:
            self.held.append(route)

    def open(self, answer) -> None:
        self.answer = answer
        for route in self.held:
            answer(route)
        self.held.clear()


def expect_not_live(root) -> None:
    expect(root).to_have_attribute("data-state", "error", timeout=FAILURE_SEEN_WITHIN)
    expect(root.locator("[data-status]")).to_contain_text(NOT_LIVE)


# -- However Python fails, the page says so --------------------------------------------


@pytest.mark.parametrize("run", range(5))
@pytest.mark.parametrize(
    "how",
    [
        "wasm 404",
        "wasm wrong content type",
        "wasm truncated",
        "csp without wasm-unsafe-eval",
        "wasm download aborted",
    ],
)
def test_a_runtime_that_cannot_start_is_reported(
    visit: Visit, site: Path, how: str, run: int
) -> None:
    break_runtime(visit, site, how)
    page = visit.open(ROAS)
    root = calculator(page, "roas")
    expect_not_live(root)
    # The build-time result stays and still belongs to the inputs on screen.
    expect(root.locator('[data-output="roas"]')).to_have_text("4:1")
    expect(root).to_have_attribute("data-fresh", "yes")
    expect(root.locator(".kb-calculator__freshness")).to_be_hidden()
    assert_clean(root)


def test_the_strict_policy_with_wasm_unsafe_eval_keeps_python_live(visit: Visit) -> None:
    policy = "default-src 'self'; script-src 'self' 'wasm-unsafe-eval'; worker-src 'self'"
    visit.context.route(WORKER_GLUE_URL, with_csp(policy))
    page = visit.open(ROAS)
    root = wait_ready(page, "roas")
    type_into(root, "revenue", "5.000")
    expect(root.locator('[data-output="roas"]')).to_have_text("2:1")


def test_the_watchdog_gives_up_when_no_word_comes(visit: Visit) -> None:
    gate = Gate(visit)  # never opened: a dead line
    page = visit.open(ROAS)
    root = calculator(page, "roas")
    expect(root).to_have_attribute("data-state", "loading")
    expect(root).to_have_attribute("data-state", "error", timeout=50_000)
    expect(root.locator("[data-status]")).to_contain_text(NOT_LIVE)
    assert gate.held, "the wasm was requested"
    expect(root.locator('[data-output="roas"]')).to_have_text("4:1")


# -- Outputs that do not belong to the inputs on screen ----------------------------------


def test_a_shared_link_without_python_says_the_result_does_not_match(
    visit: Visit, site: Path
) -> None:
    break_runtime(visit, site, "wasm 404")
    page = visit.open(ROAS + "?roas.ad_spend=5.000")
    root = calculator(page, "roas")
    expect(root.locator('input[name="ad_spend"]')).to_have_value("5.000")
    expect_not_live(root)
    # 4:1 is the build-time result for 2.500: on screen, but marked as not matching.
    expect(root.locator('[data-output="roas"]')).to_have_text("4:1")
    expect(root).to_have_attribute("data-fresh", "no")
    expect(root.locator(".kb-calculator__freshness")).to_have_text(NOT_MATCHING)
    expect(root.locator(".kb-calculator__freshness")).to_be_visible()
    expect(root.locator(".kb-calculator__outputs")).to_have_css("opacity", "0.55")
    expect(root.locator("[aria-live]")).not_to_have_attribute("aria-busy", "true")


def test_a_shared_link_with_python_shows_its_own_result(visit: Visit) -> None:
    page = visit.open(ROAS + "?roas.ad_spend=5.000")
    root = wait_ready(page, "roas")
    expect(root.locator('[data-output="roas"]')).to_have_text("2:1")
    expect(root).to_have_attribute("data-fresh", "yes")
    expect(root.locator(".kb-calculator__freshness")).to_be_hidden()


def test_typing_while_loading_then_a_failure_marks_the_outputs(visit: Visit) -> None:
    gate = Gate(visit)
    page = visit.open(ROAS)
    root = calculator(page, "roas")
    expect(root).to_have_attribute("data-state", "loading")
    type_into(root, "revenue", "5.000")
    expect(root.locator("[aria-live]")).to_have_attribute("aria-busy", "true")
    expect(root.locator(".kb-calculator__freshness")).to_have_text(UPDATING)
    gate.open(lambda route: route.fulfill(status=404, body="Not found"))
    expect_not_live(root)
    expect(root.locator(".kb-calculator__freshness")).to_have_text(NOT_MATCHING)
    expect(root.locator("[aria-live]")).not_to_have_attribute("aria-busy", "true")
    # Back to the values the result belongs to: nothing to warn about.
    type_into(root, "revenue", "10.000")
    expect(root).to_have_attribute("data-fresh", "yes")
    expect(root.locator(".kb-calculator__freshness")).to_be_hidden()


# -- Honest while loading ------------------------------------------------------------------


def box(page: Page, selector: str) -> dict:
    return page.locator(selector).first.bounding_box()


def test_loading_shows_progress_and_marks_outdated_outputs_without_layout_shift(
    visit: Visit,
) -> None:
    gate = Gate(visit)
    page = visit.open(ROAS)
    root = calculator(page, "roas")
    expect(root).to_have_attribute("data-state", "loading")
    expect(root.locator("[data-status]")).to_contain_text("Rekenhulp wordt geladen…")
    expect(root.locator("progress.kb-calculator__progress")).to_be_visible()
    results = '[data-calculator="roas"] [aria-live]'
    status = '[data-calculator="roas"] [data-status]'
    before = (box(page, results), box(page, status))

    type_into(root, "revenue", "5.000")
    expect(page.locator(results)).to_have_attribute("aria-busy", "true")
    notice = root.locator(".kb-calculator__freshness")
    expect(notice).to_have_text(UPDATING)
    expect(notice).to_be_visible()
    expect(root.locator(".kb-calculator__outputs")).to_have_css("opacity", "0.45")
    assert (box(page, results), box(page, status)) == before, "the page moved"

    gate.open(lambda route: route.continue_())
    wait_ready(page, "roas")
    expect(root.locator('[data-output="roas"]')).to_have_text("2:1")
    expect(page.locator(results)).not_to_have_attribute("aria-busy", "true")
    expect(notice).to_be_hidden()
    expect(root.locator(".kb-calculator__outputs")).to_have_css("opacity", "1")
    assert box(page, status)["y"] == before[1]["y"]
    assert box(page, status)["height"] == before[1]["height"], "the status line changed size"


def test_the_progress_bar_shows_the_share_of_bytes_fetched(browser: Browser, site: Path) -> None:
    # A slow line, uncompressed: the worker knows every response's length.
    with serve(site, throttle=Throttle(mbit=60, delay_ms=20)) as url:
        context = browser.new_context(extra_http_headers={"Accept-Encoding": "identity"})
        try:
            page = context.new_page()
            page.goto(url + ROAS)
            shares = page.evaluate(
                """() => new Promise((resolve) => {
                  const seen = [];
                  const timer = setInterval(() => {
                    const root = document.querySelector('[data-calculator="roas"]');
                    const bar = root.querySelector("progress");
                    if (bar && bar.hasAttribute("value")) seen.push(bar.value);
                    if (root.dataset.state !== "loading" && root.dataset.state !== "static") {
                      clearInterval(timer);
                      resolve(seen);
                    }
                  }, 20);
                })"""
            )
            expect(calculator(page, "roas")).to_have_attribute("data-state", "ready")
        finally:
            context.close()
    assert any(0 < share < 1 for share in shares), shares
    assert shares == sorted(shares), "the bar went backwards"


# -- Without the glue ------------------------------------------------------------------------


def test_a_missing_glue_file_is_announced(visit: Visit) -> None:
    visit.context.route(
        PAGE_GLUE_URL,
        lambda route: route.fulfill(status=404, body="Not found"),
    )
    page = visit.open(ROAS)
    root = calculator(page, "roas")
    notice = root.locator(".kb-calculator__noglue")
    expect(notice).to_be_visible(timeout=15_000)
    expect(notice).to_contain_text("niet geladen")
    expect(root).to_have_attribute("data-state", "static")
    expect(root.locator('[data-output="roas"]')).to_have_text("4:1")


def test_with_the_glue_or_without_javascript_there_is_no_missing_glue_notice(
    visit: Visit, browser: Browser, base_url: str
) -> None:
    page = visit.open(ROAS)
    root = wait_ready(page, "roas")
    expect(root).to_have_attribute("data-kb-glue", "")
    expect(root.locator(".kb-calculator__noglue")).to_have_count(0)

    with without_javascript(browser, base_url + ROAS) as page:
        root = calculator(page, "roas")
        # Material marks <html> with .js only when scripts run; the notice needs it.
        expect(page.locator("html")).not_to_have_class("js")
        expect(root.locator(".kb-calculator__noglue")).to_have_css("display", "none")
