"""Reading, comparing and keeping a result, in a real Chromium (SPEC §5.8–§5.9).

Same set-up as tests/test_browser.py: the real site, built once, and the
system Chromium driven by Playwright.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path
from urllib.parse import parse_qs, urlsplit

import markdown
import pytest
from playwright.sync_api import Browser, Page, Route, expect

import calculators
from kennisbank.fence import fence_format, fence_validator
from kennisbank.links import calculator_page
from tests import test_browser as shared
from tests.test_browser import (
    READY_TIMEOUT,
    Visit,
    calculator,
    type_into,
    wait_ready,
    without_javascript,
)

from .support import ROOT

# One Chromium for the browser tests, and a fresh context per test.
browser = shared.browser
visit = shared.visit

NBSP = "\u00a0"
AXE = ROOT / "node_modules" / "axe-core" / "axe.min.js"


def output(root, name: str):
    return root.locator(f'[data-output="{name}"]')


def chart_label(root) -> str:
    return root.locator("[data-chart] svg[role='img']").get_attribute("aria-label") or ""


class LiveRoas:
    """One ROAS page with Python running, shared by the tests that only type into it."""

    def __init__(self, visit: Visit) -> None:
        self.visit = visit
        self.page = visit.open("rekenhulpen/roas/")
        self.root = wait_ready(self.page, "roas")

    def fresh(self):
        """The calculator back at the page's starting values (the reset button)."""
        self.page.emulate_media(media="screen")
        self.root.locator("[data-keep]").evaluate("menu => { menu.open = false; }")
        self.root.locator("[data-reset]").click()
        expect(self.root).not_to_have_attribute("data-scenario", "b")
        expect(output(self.root, "roas")).to_have_text("4:1")
        return self.root


@pytest.fixture(scope="module")
def live_roas(browser: Browser, base_url: str) -> Iterator[LiveRoas]:
    context = browser.new_context(permissions=["clipboard-read", "clipboard-write"])
    live = LiveRoas(Visit(context, base_url))
    yield live
    assert live.visit.foreign_requests() == []
    assert live.visit.errors == []
    context.close()


# -- Charts and tones ------------------------------------------------------------------------------


def test_the_chart_is_there_without_javascript_and_follows_the_inputs(
    browser: Browser, base_url: str, live_roas: LiveRoas
) -> None:
    with without_javascript(browser, base_url + "rekenhulpen/roas/") as page:
        static = calculator(page, "roas")
        expect(static.locator("[data-chart] svg[role='img']")).to_be_visible()
        assert f"€{NBSP}10.000,00" in chart_label(static)

    root = live_roas.fresh()
    assert f"€{NBSP}10.000,00" in chart_label(root)
    type_into(root, "revenue", "5.000")
    expect(root.locator("[data-chart] svg[role='img']")).to_have_attribute(
        "aria-label", re.compile(f"€{NBSP}5.000,00")
    )
    assert f"€{NBSP}10.000,00" not in chart_label(root)


def test_the_tone_flips_when_roas_drops_below_break_even(live_roas: LiveRoas) -> None:
    root = live_roas.fresh()
    roas = output(root, "roas")
    expect(roas).to_have_attribute("data-tone", "good")
    tone = root.locator('[data-tone-for="roas"]')
    expect(tone).to_have_text(re.compile("goed"))
    type_into(root, "revenue", "5.000")  # ROAS 2:1 against a break-even of 2,5:1
    expect(roas).to_have_text("2:1")
    expect(roas).to_have_attribute("data-tone", "bad")
    expect(tone).to_have_text(re.compile("verlies"))
    # The word is shown, not only the colour.
    expect(tone.locator('[data-tone-label="bad"]')).to_be_visible()
    expect(tone.locator('[data-tone-label="good"]')).to_be_hidden()


def test_a_partial_result_stays_while_one_field_is_invalid(visit: Visit) -> None:
    root = wait_ready(visit.open("rekenhulpen/cpl/"), "cpl")
    type_into(root, "media_spend", "4.000")
    type_into(root, "other_costs", "")
    type_into(root, "leads", "0")
    expect(root.locator('[data-error-for="leads"]')).not_to_be_empty()
    expect(output(root, "cpl")).to_have_text("n.v.t.")
    expect(root.locator('[data-reason-for="cpl"]')).to_contain_text("aantal leads")
    expect(output(root, "total_cost")).to_have_text(f"€{NBSP}4.000,00")


# -- Scenario B, goal seeking, presets and reset ---------------------------------------------------


def test_scenario_b_is_restored_from_a_link(visit: Visit) -> None:
    page = visit.open("rekenhulpen/roas/?roas.b.revenue=4.000")
    root = wait_ready(page, "roas")
    expect(root).to_have_attribute("data-scenario", "b")
    b_revenue = root.locator('input[data-b-field="revenue"]')
    expect(b_revenue).to_be_visible()
    expect(b_revenue).to_have_value("4.000")
    # The rest of B starts as a copy of A.
    expect(root.locator('input[data-b-field="ad_spend"]')).to_have_value("2.500")
    expect(root.locator('[data-b-output="roas"]')).to_have_text("1,6:1")
    expect(root.locator('[data-b-difference="roas"]')).to_have_text("\u22122,4")
    expect(root.locator('[data-b-difference="profit_after_ads"]')).to_have_text(
        f"\u2212€{NBSP}2.400,00"
    )
    expect(output(root, "roas")).to_have_text("4:1")  # A is untouched

    root.locator('input[data-b-field="ad_spend"]').fill("2.000")
    expect(root.locator('[data-b-output="roas"]')).to_have_text("2:1")
    expect(page).to_have_url(re.compile(r"roas\.b\.ad_spend=2\.000"))
    root.locator("[data-scenario-close]").click()
    expect(b_revenue).to_be_hidden()
    expect(page).not_to_have_url(re.compile(r"roas\.b\."))


def test_goal_seeking_fills_the_field_that_reaches_the_target(live_roas: LiveRoas) -> None:
    root = live_roas.fresh()
    solve = root.locator("[data-solve]")
    solve.locator("summary").click()
    solve.locator("[data-solve-output]").select_option("roas")
    # Only fields the chosen output depends on can be picked.
    expect(solve.locator('[data-solve-field] option[value="gross_margin"]')).to_be_disabled()
    solve.locator("[data-solve-field]").select_option("revenue")
    solve.locator("[data-solve-target]").fill("5")
    solve.locator("[data-solve-run]").click()
    expect(solve.locator("[data-solve-answer]")).to_contain_text("€\u00a012.500")
    solve.locator("[data-solve-apply]").click()
    expect(root.locator('input[name="revenue"]')).to_have_value("12.500")
    expect(output(root, "roas")).to_have_text("5:1")

    solve.locator("[data-solve-output]").select_option("break_even_roas")
    solve.locator("[data-solve-target]").fill("0,5")
    solve.locator("[data-solve-run]").click()
    answer = solve.locator("[data-solve-answer]")
    expect(answer).to_have_attribute("data-failed", "")
    expect(answer).not_to_be_empty()
    expect(solve.locator("[data-solve-apply]")).to_be_hidden()


def test_presets_fill_the_form_and_reset_returns_to_the_start(visit: Visit) -> None:
    page = visit.open("rekenhulpen/influencer/")
    root = wait_ready(page, "influencer")
    results_group = root.locator("details[data-group]").nth(1)
    results_group.locator("summary").click()  # the reader folds what they don't need
    expect(results_group).not_to_have_attribute("open", "")
    preset = calculators.get("influencer").presets[0]
    root.locator("[data-preset-choice]").select_option(preset.name)
    for name, text in preset.values.items():
        expect(root.locator(f'input[name="{name}"]')).to_have_value(text)
    # A folded group opens when the preset fills one of its fields.
    assert "reach" in preset.values
    expect(results_group).to_have_attribute("open", "")
    expected = calculators.compute("influencer", preset.values).display["total_cost"]
    expect(output(root, "total_cost")).to_have_text(expected)

    root.locator("[data-reset]").click()
    fee = root.locator('input[name="fee_per_post"]')
    expect(fee).to_have_value(fee.evaluate("input => input.defaultValue"))
    start = calculators.compute("influencer", calculators.get("influencer").example_inputs())
    expect(output(root, "total_cost")).to_have_text(start.display["total_cost"])
    expect(page).not_to_have_url(re.compile(r"influencer\."))


# -- Keeping a result ------------------------------------------------------------------------------


def test_copy_puts_a_dutch_summary_on_the_clipboard(live_roas: LiveRoas) -> None:
    page, root = live_roas.page, live_roas.fresh()
    type_into(root, "revenue", "5.000")
    expect(output(root, "roas")).to_have_text("2:1")
    root.locator("[data-keep] summary").click()  # the "Bewaren of delen" menu
    button = root.locator("[data-copy]")
    button.click()
    expect(button).to_have_text("Uitkomst gekopieerd")
    text = page.evaluate("navigator.clipboard.readText()")
    assert text.startswith("ROAS berekenen\nBerekend op ")
    assert f"- Omzet uit advertenties: €{NBSP}5.000" in text
    assert "- ROAS: 2:1" in text
    assert f"- Brutowinst na advertentiekosten: \u2212€{NBSP}500,00" in text
    assert f"Link: {page.url}" in text
    assert "roas.revenue=5.000" in text
    # The confirmation goes back to the button's label after a few seconds.
    expect(button).to_have_text("Kopieer uitkomst", timeout=10_000)

    share = root.locator("[data-share]")
    share.click()
    expect(share).to_have_text("Link gekopieerd")
    assert page.evaluate("navigator.clipboard.readText()") == page.url
    expect(share).to_have_text("Kopieer link naar deze berekening", timeout=10_000)


def test_the_csv_download_has_the_figures(live_roas: LiveRoas) -> None:
    page, root = live_roas.page, live_roas.fresh()
    root.locator("[data-scenario-open]").click()
    root.locator('input[data-b-field="revenue"]').fill("4.000")
    expect(root.locator('[data-b-output="roas"]')).to_have_text("1,6:1")
    root.locator("[data-keep] summary").click()
    with page.expect_download() as download:
        root.locator("[data-csv]").click()
    assert re.fullmatch(r"roas-\d{4}-\d{2}-\d{2}\.csv", download.value.suggested_filename)
    text = Path(download.value.path()).read_text(encoding="utf-8-sig")
    rows = [line.split(";") for line in text.splitlines()]
    assert ["Rekenhulp", "ROAS berekenen"] in rows
    assert ["Invoer", "Eenheid", "Scenario A", "Scenario B"] in rows
    assert ["Omzet uit advertenties", "euro", "10000", "4000"] in rows
    assert ["ROAS", "x : 1", "4", "1,6", "-2,4"] in rows
    assert ["Link", page.url] in rows


def test_print_leaves_out_buttons_and_navigation(live_roas: LiveRoas) -> None:
    page, root = live_roas.page, live_roas.fresh()
    root.locator("[data-keep] summary").click()
    expect(root.locator("[data-share]")).to_be_visible()
    page.emulate_media(media="print")
    for button in root.locator("button").all():
        expect(button).to_be_hidden()
    expect(page.locator(".md-header")).to_be_hidden()
    expect(page.locator(".md-sidebar--primary")).to_be_hidden()
    expect(output(root, "roas")).to_be_visible()
    expect(root.locator("[data-chart] svg")).to_be_visible()
    expect(root.locator('input[name="ad_spend"]')).to_be_visible()
    expect(root.locator("[data-print]")).to_be_visible()
    expect(root.locator("[data-print]")).to_contain_text(page.url)
    # The date as the browser's own Dutch formatting has it ("25 november 2026").
    dutch = page.evaluate('new Date().toLocaleDateString("nl-NL", {dateStyle: "long"})')
    expect(root.locator("[data-print]")).to_contain_text(f"Berekend op {dutch} met ")


# -- Without JavaScript, polish --------------------------------------------------------------------


def test_without_javascript_no_button_or_tool_shows(browser: Browser, base_url: str) -> None:
    with without_javascript(browser, base_url + "rekenhulpen/roas/") as page:
        root = calculator(page, "roas")
        expect(root.locator("[data-share]")).to_be_hidden()
        expect(root.locator("[data-tools]")).to_be_hidden()
        expect(root.locator("[data-solve]")).to_be_hidden()
        expect(root.locator("input[data-b-field]").first).to_be_hidden()
        for button in root.locator("button").all():
            expect(button).to_be_hidden()


def test_input_boxes_line_up_and_a_typed_unit_shows_once(live_roas: LiveRoas) -> None:
    root = live_roas.fresh()
    boxes = [
        root.locator(f'input[name="{n}"]').bounding_box()
        for n in calculators.get("roas").field_names()
    ]
    assert len({(round(b["x"]), round(b["width"])) for b in boxes if b}) == 1, boxes
    margin = root.locator('input[name="gross_margin"]')
    suffix = margin.locator("xpath=..").locator(".kb-field__unit--after")
    expect(suffix).to_be_visible()
    margin.fill("12,5%")
    expect(suffix).to_be_hidden()
    expect(output(root, "break_even_roas")).to_have_text("8:1")
    margin.fill("12,5")
    expect(suffix).to_be_visible()
    # A value read differently than typed says so under the field.
    type_into(root, "ad_spend", "1.25")
    expect(root.locator('[data-note-for="ad_spend"]')).to_contain_text("gelezen als")
    type_into(root, "ad_spend", "2.500")
    expect(root.locator('[data-note-for="ad_spend"]')).to_be_empty()


# -- Phones ----------------------------------------------------------------------------------------


def test_on_a_phone_the_total_stays_in_view_while_the_first_input_is_edited(
    browser: Browser, base_url: str
) -> None:
    context = browser.new_context(viewport={"width": 360, "height": 740}, is_mobile=True)
    try:
        page = context.new_page()
        page.goto(base_url + "rekenhulpen/influencer/")
        root = wait_ready(page, "influencer")
        first = root.locator("input[name]").first
        # Scrolled up from below, the box stops clear of the summary bar.
        first.evaluate("input => input.scrollIntoView({block: 'end'})")
        first.focus()
        before = first.bounding_box()
        bar = root.locator("[data-summary]").bounding_box()
        assert before and bar and before["y"] + before["height"] <= bar["y"]
        first.fill("1.000")
        total = output(root, "total_cost")
        expected = calculators.compute(
            "influencer",
            {**calculators.get("influencer").example_inputs(), "fee_per_post": "1.000"},
        ).display["total_cost"]
        expect(total).to_have_text(expected)
        summary = root.locator('[data-summary-for="total_cost"]')
        expect(summary).to_have_text(expected)
        expect(summary).to_be_in_viewport()
        box = summary.bounding_box()
        assert box and box["y"] + box["height"] <= 740 and box["y"] >= 0
        assert first.bounding_box() == before, "no layout shift while the result updates"
        expect(first).to_be_in_viewport()
    finally:
        context.close()


# -- Two calculators of the same id on one page ----------------------------------------------------


def _two_roas() -> str:
    """Two ```calculator blocks for roas, rendered as the build renders them."""
    config = {
        "pymdownx.superfences": {
            "custom_fences": [
                {
                    "name": "calculator",
                    "class": "kb-calculator",
                    "format": fence_format,
                    "validator": fence_validator,
                }
            ]
        }
    }
    md = markdown.Markdown(extensions=["pymdownx.superfences"], extension_configs=config)
    source = (
        "```calculator\nid: roas\n```\n\n```calculator\nid: roas\ndefaults:\n  revenue: 5000\n```\n"
    )
    return md.convert(source)


def test_two_calculators_of_one_id_keep_separate_url_keys(visit: Visit) -> None:
    html = _two_roas()
    assert 'data-key="roas"' in html and 'data-key="roas-2"' in html

    def two_calculators(route: Route) -> None:
        page = route.fetch().text()
        block = re.compile(r"<!-- kb-calculator -->.*?<!-- /kb-calculator -->", re.DOTALL)
        route.fulfill(body=block.sub(lambda _: html, page, count=1), content_type="text/html")

    visit.context.route(re.compile(r".*/rekenhulpen/roas/(\?.*)?$"), two_calculators)
    # An old link to the page's only roas still fills the first one.
    page = visit.open("rekenhulpen/roas/?roas.ad_spend=1.000&roas-2.ad_spend=500")
    first, second = page.locator('[data-calculator="roas"]').all()
    expect(first).to_have_attribute("data-state", "ready", timeout=READY_TIMEOUT)
    expect(second).to_have_attribute("data-state", "ready", timeout=READY_TIMEOUT)
    expect(first.locator('input[name="ad_spend"]')).to_have_value("1.000")
    expect(second.locator('input[name="ad_spend"]')).to_have_value("500")
    expect(output(first, "roas")).to_have_text("10:1")
    expect(output(second, "roas")).to_have_text("10:1")

    type_into(second, "revenue", "1.000")
    expect(output(second, "roas")).to_have_text("2:1")
    expect(page).to_have_url(re.compile(r"roas-2\.revenue=1\.000"))
    params = parse_qs(urlsplit(page.url).query)
    assert params["roas.ad_spend"] == ["1.000"]
    assert params.get("roas.revenue", ["10.000"]) == ["10.000"]
    expect(output(first, "roas")).to_have_text("10:1")


# -- Accessibility ---------------------------------------------------------------------------------


# Click the site navigation's link to a page, as a reader would.
FOLLOW_NAV_LINK = """url => {
  const link = [...document.querySelectorAll('.md-nav a')].find(a => a.href === url);
  link?.click();
  return Boolean(link);
}"""


def _pages() -> list[str]:
    pages = []
    for calculator_id in calculators.registry:
        source = calculator_page(calculator_id)
        if (ROOT / "docs" / source).exists():
            pages.append(source.removesuffix(".md") + "/")
    return pages


def _axe(page: Page, where: str) -> list[str]:
    """Serious and critical axe-core findings inside the calculators."""
    result = page.evaluate("axe.run({include: ['.kb-calculator']}, {resultTypes: ['violations']})")
    return [
        f"{where}: {violation['id']} {[node['target'] for node in violation['nodes']][:5]}"
        for violation in result["violations"]
        if violation["impact"] in ("serious", "critical")
    ]


def test_axe_finds_no_serious_issue_in_the_calculators(browser: Browser, base_url: str) -> None:
    # axe is injected as an inline script: let it pass a strict CSP.
    context = browser.new_context(bypass_csp=True)
    page: Page = context.new_page()
    problems = []
    try:
        page.goto(base_url + "rekenhulpen/")
        page.add_script_tag(path=str(AXE))
        for scheme in ("light", "dark"):
            # Material follows the system's scheme (the palette's first choice).
            page.emulate_media(color_scheme=scheme)
            for path in _pages():
                # Instant navigation: Python keeps running, so it starts only once.
                followed = page.evaluate(FOLLOW_NAV_LINK, base_url + path)
                assert followed, f"no link to {path} in the navigation"
                expect(page).to_have_url(base_url + path)
                expect(page.locator("body")).to_have_attribute(
                    "data-md-color-scheme", "slate" if scheme == "dark" else "default"
                )
                root = page.locator("[data-calculator]").first
                expect(root).to_have_attribute("data-state", "ready", timeout=READY_TIMEOUT)
                # What the reader can open is checked too: scenario B and goal seeking.
                root.locator("[data-scenario-open]").click()
                expect(root.locator("input[data-b-field]").first).to_be_visible()
                root.locator("[data-solve] summary").click()
                expect(root.locator("[data-solve-target]")).to_be_visible()
                problems += _axe(page, f"{path} ({scheme})")
                if path == "rekenhulpen/roas/":
                    # A loss: the "bad" tone's colour and word must be legible too.
                    type_into(root, "revenue", "5.000")
                    expect(output(root, "roas")).to_have_attribute("data-tone", "bad")
                    problems += _axe(page, f"{path} ({scheme}, verlies)")
    finally:
        context.close()
    assert problems == []
