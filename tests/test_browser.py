"""The calculators in a real Chromium, driven by Playwright, on the built site (SPEC §5.6–5.7).

Chromium comes from the system (`apt-get install chromium`) or from the path in
$CHROMIUM_PATH; Playwright's own browser download is not used.
"""

from __future__ import annotations

import json
import re
import time
from collections.abc import Iterator
from contextlib import contextmanager

import pytest
from playwright.sync_api import (
    Browser,
    BrowserContext,
    Page,
    Request,
    Route,
    expect,
    sync_playwright,
)

from scripts.chromium import CHROMIUM_ARGS, ChromiumNotFound, chromium_path

READY_TIMEOUT = 60_000  # ms; a cold Pyodide start on a slow CI machine


# Other browser test modules reuse this fixture (`browser = shared.browser`), and
# pytest keeps one definition per module: they share the one Chromium through
# this list, since a second Playwright in the same session cannot start.
_chromium: list[Browser] = []


@pytest.fixture(scope="session")
def browser() -> Iterator[Browser]:
    if _chromium:
        yield _chromium[0]
        return
    with sync_playwright() as playwright:
        try:
            executable = chromium_path()
        except ChromiumNotFound as error:
            pytest.fail(f"The browser tests need Chromium. {error}")
        browser = playwright.chromium.launch(executable_path=executable, args=CHROMIUM_ARGS)
        _chromium.append(browser)
        yield browser
        _chromium.clear()
        browser.close()


class Visit:
    """A fresh browser context that records every request and page error."""

    def __init__(self, context: BrowserContext, base_url: str) -> None:
        self.context = context
        self.base_url = base_url
        self.requests: list[str] = []
        self.errors: list[str] = []
        context.on("request", self._record)
        self.page: Page = context.new_page()
        self.page.on("pageerror", lambda error: self.errors.append(str(error)))

    def _record(self, request: Request) -> None:
        self.requests.append(request.url)

    def open(self, path: str) -> Page:
        self.page.goto(self.base_url + path)
        return self.page

    def foreign_requests(self) -> list[str]:
        return [
            url
            for url in self.requests
            if not url.startswith(self.base_url) and not url.startswith(("data:", "blob:"))
        ]


@contextmanager
def without_javascript(browser: Browser, url: str) -> Iterator[Page]:
    """The page at `url` as a reader with scripts turned off sees it."""
    context = browser.new_context(java_script_enabled=False)
    try:
        page = context.new_page()
        page.goto(url)
        yield page
    finally:
        context.close()


@pytest.fixture
def visit(browser: Browser, base_url: str) -> Iterator[Visit]:
    context = browser.new_context()
    visit = Visit(context, base_url)
    yield visit
    # Every test doubles as a privacy check: nothing leaves the site's own host.
    assert visit.foreign_requests() == []
    assert visit.errors == []
    context.close()


def calculator(page: Page, calculator_id: str):
    return page.locator(f'[data-calculator="{calculator_id}"]').first


def wait_ready(page: Page, calculator_id: str):
    root = calculator(page, calculator_id)
    expect(root).to_have_attribute("data-state", "ready", timeout=READY_TIMEOUT)
    return root


def type_into(root, field: str, text: str) -> None:
    root.locator(f'input[name="{field}"]').fill(text)


def assert_clean(root) -> None:
    text = root.inner_text()
    for bad in ("NaN", "Infinity", "Traceback", "undefined", "null"):
        assert bad not in text


def test_the_test_browser_renders_nothing_beside_the_page(browser: Browser, visit: Visit) -> None:
    # The address bar's popups are web pages of Chromium's own, rendered for
    # every new window; they would take CPU from every page load measured here.
    visit.open("")
    targets = browser.new_browser_cdp_session().send("Target.getTargets")["targetInfos"]
    own = [t["url"] for t in targets if t["type"] == "browser_ui" or t["url"].startswith("chrome:")]
    assert own == []


# -- Typing Dutch numbers gives the right answers ------------------------------------


@pytest.mark.parametrize(
    ("path", "calculator_id", "inputs", "expected"),
    [
        (
            "rekenhulpen/cpl/",
            "cpl",
            {
                "media_spend": "1.234,56",
                "other_costs": "",
                "leads": "10",
                "close_rate": "12,5%",
                "customer_value": "€ 2.000",
            },
            {
                "total_cost": "€ 1.234,56",
                "cpl": "€ 123,46",
                "cpa": "€ 987,65",
                "max_cpl": "€ 250,00",
                "profit_per_lead": "€ 126,54",
            },
        ),
        (
            "rekenhulpen/roas/",
            "roas",
            {"ad_spend": "€ 2.500", "revenue": "1.234,56", "gross_margin": "12,5%"},
            {
                "roas": "0,49:1",
                "roas_percent": "49,4%",
                "break_even_roas": "8:1",
                "profit_after_ads": "\u2212€ 2.345,68",
            },
        ),
        (
            "rekenhulpen/ltv-cac/",
            "ltv_cac",
            {
                "revenue_per_month": "€ 49,95",
                "gross_margin": "80%",
                "churn_rate": "2,5",
                "acquisition_costs": "1.234,56",
                "new_customers": "10",
            },
            {
                "ltv": "€ 1.598,40",
                "cac": "€ 123,46",
                "ltv_cac_ratio": "12,9:1",
                "lifetime_months": "40 maanden",
            },
        ),
        (
            "rekenhulpen/influencer/",
            "influencer",
            {
                "fee_per_post": "€ 2.500",
                "posts": "2",
                "product_cost": "",
                "units": "",
                "shipping_per_unit": "",
                "production_costs": "1.234,56",
                "team_hours": "12,5",
                "hourly_rate": "80",
                "other_costs": "",
                "reach": "100.000",
                "clicks": "",
                "revenue": "",
                "gross_margin": "",
            },
            {
                "fees": "€ 5.000,00",
                "team_costs": "€ 1.000,00",
                "total_cost": "€ 7.234,56",
                "cpm": "€ 72,35",
                "cpc": "n.v.t.",
                "roas": "n.v.t.",
            },
        ),
    ],
)
def test_typing_dutch_numbers_gives_the_right_outputs(
    visit: Visit, path: str, calculator_id: str, inputs: dict, expected: dict
) -> None:
    page = visit.open(path)
    root = wait_ready(page, calculator_id)
    for field, text in inputs.items():
        type_into(root, field, text)
    for output, display in expected.items():
        expect(root.locator(f'[data-output="{output}"]')).to_have_text(display)
    for field in inputs:
        expect(root.locator(f'[data-error-for="{field}"]')).to_have_text("")
    assert_clean(root)


def test_invalid_input_shows_a_dutch_error_on_that_field(visit: Visit) -> None:
    page = visit.open("rekenhulpen/cpl/")
    root = wait_ready(page, "cpl")
    type_into(root, "leads", "twaalf")
    leads = root.locator('input[name="leads"]')
    expect(leads).to_have_attribute("aria-invalid", "true")
    error = root.locator('[data-error-for="leads"]')
    expect(error).not_to_have_text("")
    assert re.search(r"[Vv]ul|[Gg]ebruik|getal|aantal", error.inner_text())
    expect(root.locator('[data-error-for="media_spend"]')).to_have_text("")
    expect(root.locator('[data-output="cpl"]')).to_have_text("n.v.t.")
    assert_clean(root)

    type_into(root, "leads", "0")
    expect(error).to_have_text("Het aantal leads moet groter zijn dan 0")
    type_into(root, "leads", "80")
    expect(error).to_have_text("")
    expect(leads).not_to_have_attribute("aria-invalid", "true")
    expect(root.locator('[data-output="cpl"]')).to_have_text("€ 62,50")


def test_results_are_announced_politely(visit: Visit) -> None:
    page = visit.open("rekenhulpen/roas/")
    root = calculator(page, "roas")
    live = root.locator('[aria-live="polite"]')
    expect(live.locator('[data-output="roas"]')).to_have_count(1)
    for field in root.locator("input[name]").all():
        field_id = field.get_attribute("id")
        expect(root.locator(f'label[for="{field_id}"]')).to_have_count(1)
        assert field.get_attribute("type") == "text"
        assert field.get_attribute("inputmode") in ("decimal", "numeric")


# -- Sharing ---------------------------------------------------------------------------


def test_a_share_link_restores_the_inputs_and_the_result(visit: Visit, browser: Browser) -> None:
    page = visit.open("rekenhulpen/roas/")
    root = wait_ready(page, "roas")
    type_into(root, "ad_spend", "1.250")
    type_into(root, "revenue", "€ 8.125,50")
    expect(root.locator('[data-output="roas"]')).to_have_text("6,5:1")
    expect(page).to_have_url(re.compile(r"roas\.ad_spend=1\.250.*roas\.revenue=%E2%82%AC"))
    shared = page.url

    other = Visit(browser.new_context(), visit.base_url)
    try:
        page2 = other.page
        page2.goto(shared)
        root2 = calculator(page2, "roas")
        expect(root2.locator('input[name="ad_spend"]')).to_have_value("1.250")
        expect(root2.locator('input[name="revenue"]')).to_have_value("€ 8.125,50")
        wait_ready(page2, "roas")
        expect(root2.locator('[data-output="roas"]')).to_have_text("6,5:1")
        expect(root2.locator('[data-output="roas_percent"]')).to_have_text("650%")
        assert other.foreign_requests() == []
    finally:
        other.context.close()


# -- Before and without Python -------------------------------------------------------------


# Counts history.replaceState() calls: each is a round trip to the browser process.
COUNT_URL_WRITES = """
window.__urlWrites = 0;
const replaceState = History.prototype.replaceState;
History.prototype.replaceState = function (...args) {
  window.__urlWrites += 1;
  return replaceState.apply(this, args);
};
"""


def test_typing_writes_the_url_after_a_pause_not_per_keystroke(visit: Visit) -> None:
    visit.context.add_init_script(COUNT_URL_WRITES)
    page = visit.open("rekenhulpen/roas/")
    root = wait_ready(page, "roas")
    field = root.locator('input[name="revenue"]')
    field.fill("")
    field.press_sequentially("12345", delay=20)
    expect(root.locator('[data-output="roas"]')).to_have_text("4,9:1")
    expect(page).to_have_url(re.compile(r"roas\.revenue=12345"))
    assert page.evaluate("window.__urlWrites") <= 2  # not one per keystroke

    # A committed edit (leaving the field) is in the URL at once, before any pause.
    field.fill("5.000")
    field.blur()
    assert "roas.revenue=5.000" in page.evaluate("location.href")
    # The link button always copies the URL of what is on screen.
    field.fill("6.000")
    root.locator("[data-share]").dispatch_event("click")
    assert "roas.revenue=6.000" in page.evaluate("location.href")


def test_without_javascript_the_build_time_result_is_visible(
    browser: Browser, base_url: str
) -> None:
    with without_javascript(browser, base_url + "rekenhulpen/roas/") as page:
        root = calculator(page, "roas")
        expect(root).to_have_attribute("data-state", "static")
        expect(root.locator('input[name="ad_spend"]')).to_have_value("2.500")
        expect(root.locator('[data-output="roas"]')).to_have_text("4:1")
        expect(root.locator('[data-output="profit_after_ads"]')).to_have_text("€ 1.500,00")
        expect(root.locator('[data-output="roas"]')).to_be_visible()


def test_fence_defaults_are_computed_at_build_time(browser: Browser, base_url: str) -> None:
    with without_javascript(browser, base_url + "blog/kpis-die-ertoe-doen/") as page:
        root = calculator(page, "cpl")
        expect(root.locator('input[name="media_spend"]')).to_have_value("2.400")
        expect(root.locator('[data-output="cpl"]')).to_have_text("€ 30,00")


@pytest.mark.parametrize("how", ["wasm download blocked", "WebAssembly disabled"])
def test_when_python_cannot_start_the_build_time_result_stays(visit: Visit, how: str) -> None:
    if how == "wasm download blocked":
        visit.context.route("**/*.wasm", lambda route: route.abort())
    else:
        visit.context.add_init_script("delete globalThis.WebAssembly")
    page = visit.open("rekenhulpen/roas/")
    root = calculator(page, "roas")
    expect(root).to_have_attribute("data-state", "error", timeout=READY_TIMEOUT)
    expect(root.locator("[data-status]")).to_contain_text("niet live rekenen")
    expect(root.locator('[data-output="roas"]')).to_have_text("4:1")
    assert_clean(root)
    # Typing afterwards breaks nothing.
    type_into(root, "revenue", "abc")
    expect(root.locator('[data-output="roas"]')).to_have_text("4:1")


def test_inputs_typed_while_python_loads_are_kept(visit: Visit) -> None:
    held, released = [], []
    # The wasm is fetched on both ways to start (a restored snapshot needs no
    # standard library download); once released, later requests pass at once.
    visit.context.route(
        "**/pyodide.asm.wasm",
        lambda route: route.continue_() if released else held.append(route),
    )
    page = visit.open("rekenhulpen/cpl/")
    root = calculator(page, "cpl")
    expect(root).to_have_attribute("data-state", "loading")
    expect(root.locator("[data-status]")).to_have_text("Rekenhulp wordt geladen…")
    type_into(root, "media_spend", "9.000")
    type_into(root, "leads", "300")
    page.wait_for_timeout(200)
    assert held, "Pyodide's runtime was requested"
    released.append(True)
    for route in held:
        route.continue_()
    wait_ready(page, "cpl")
    expect(root.locator('input[name="media_spend"]')).to_have_value("9.000")
    expect(root.locator('[data-output="cpl"]')).to_have_text("€ 33,33")


# -- Loading only what is needed ---------------------------------------------------------------


def test_a_plain_article_loads_no_pyodide_byte(visit: Visit) -> None:
    page = visit.open("blog/slimme-videomarketing/")
    page.wait_for_load_state("networkidle")
    assert page.locator("[data-calculator]").count() == 0
    # Only the calculators' small stylesheet is site-wide (mkdocs.yml extra_css).
    loaded = [
        url
        for url in visit.requests
        if ("pyodide" in url or "calculator" in url) and not url.endswith(".css")
    ]
    assert loaded == []


def test_python_starts_only_when_a_calculator_comes_into_view(visit: Visit) -> None:
    page = visit.open("blog/roi-influencermarketing-meten/")
    page.wait_for_load_state("networkidle")
    root = calculator(page, "influencer")
    expect(root).to_have_attribute("data-state", "static")
    # Only Pyodide's small loader module is fetched ahead; the runtime, the
    # standard library and the calculators wait until a calculator is seen.
    runtime = ("pyodide.asm", "python_stdlib", "pyodide-lock", ".whl")
    assert not [url for url in visit.requests if any(part in url for part in runtime)]
    assert worker_starts(page) == [False]  # it waits to be told
    root.scroll_into_view_if_needed()
    wait_ready(page, "influencer")
    assert any(url.endswith("pyodide.asm.wasm") for url in visit.requests)


def worker_starts(page: Page) -> list[bool]:
    """For each calculator worker of the page: was it told by its name to start at once?"""
    return [
        json.loads(worker.evaluate("self.name")).get("start")
        for worker in page.workers
        if worker.url.endswith("/worker/worker.mjs")
    ]


def test_a_calculator_on_screen_starts_python_with_two_files_of_glue(visit: Visit) -> None:
    """Each side of the glue is one file, both preloaded by the page, and the
    worker is created told to start: the runtime's download waits for no message."""
    page = visit.open("rekenhulpen/roas/")
    wait_ready(page, "roas")
    glue = {
        url.split("/javascripts/calculator/", 1)[1]
        for url in visit.requests
        if "/javascripts/calculator/" in url
    }
    assert sorted(path.split("/", 1)[1] for path in glue) == ["calculator.mjs", "worker/worker.mjs"]
    assert worker_starts(page) == [True]


def test_a_calculator_on_screen_starts_python_even_when_its_glue_runs_late(
    visit: Visit,
) -> None:
    """The page's glue usually runs while the rest of the page is parsed; held
    back until the page is parsed, it still tells the worker to start at once."""

    def late(route: Route) -> None:
        time.sleep(0.5)  # the page is parsed and styled meanwhile
        route.continue_()

    visit.context.route("**/javascripts/calculator/*/calculator.mjs", late)
    page = visit.open("rekenhulpen/roas/")
    wait_ready(page, "roas")
    assert worker_starts(page) == [True]


def test_calculators_keep_working_after_instant_navigation(visit: Visit) -> None:
    page = visit.open("rekenhulpen/")
    # Material rewrites links to absolute URLs for instant navigation.
    page.locator(".md-content a", has_text="ROAS berekenen").first.click()
    expect(page).to_have_url(re.compile(r"/rekenhulpen/roas/$"))
    root = wait_ready(page, "roas")
    type_into(root, "revenue", "5.000")
    expect(root.locator('[data-output="roas"]')).to_have_text("2:1")
    # And on to the next calculator page, still without a full reload.
    page.evaluate("window.kennisbankMarker = 1")
    page.locator(".md-sidebar--primary a", has_text="Kosten per lead").first.click()
    root = wait_ready(page, "cpl")
    type_into(root, "leads", "250")
    expect(root.locator('[data-output="cpl"]')).to_have_text("€ 20,00")
    assert page.evaluate("window.kennisbankMarker") == 1, "navigation was instant"


def test_the_page_works_on_a_360px_phone(browser: Browser, base_url: str) -> None:
    context = browser.new_context(viewport={"width": 360, "height": 740}, is_mobile=True)
    try:
        page = context.new_page()
        page.goto(base_url + "rekenhulpen/influencer/")
        root = wait_ready(page, "influencer")
        width = page.evaluate("document.documentElement.scrollWidth")
        assert width <= 360, f"page is {width}px wide"
        box = root.locator('input[name="fee_per_post"]').bounding_box()
        assert box and box["x"] >= 0 and box["x"] + box["width"] <= 360
        type_into(root, "posts", "5")
        expect(root.locator('[data-output="fees"]')).to_have_text("€ 4.000,00")
    finally:
        context.close()
