"""Calculators without rough edges at every width (issue 18), in a real Chromium.

Same set-up as tests/test_browser.py: the real site, built once, the system
Chromium driven by Playwright. The width matrix keeps one page and one Python
for all calculators: it follows the site navigation from one to the next.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path
from urllib.parse import parse_qsl, urlsplit

import pytest
from playwright.sync_api import Browser, Page, expect

import calculators
from tests import test_browser as shared
from tests.test_browser import READY_TIMEOUT, Visit, type_into, wait_ready

browser = shared.browser
visit = shared.visit

WIDTHS = (320, 360)

# Elements that stick out of the viewport (not clipped by a scrolling or hidden
# ancestor), and summary items whose text is cut without an ellipsis.
STICKING_OUT = """() => {
  const width = document.documentElement.clientWidth;
  const problems = [];
  if (document.documentElement.scrollWidth > width) {
    problems.push(`the page is ${document.documentElement.scrollWidth}px wide`);
  }
  const clipped = (element) => {
    for (let up = element.parentElement; up; up = up.parentElement) {
      if (getComputedStyle(up).overflowX !== "visible") return true;
    }
    return false;
  };
  for (const element of document.querySelectorAll(".md-content *")) {
    const box = element.getBoundingClientRect();
    if (!box.width || !box.height || clipped(element)) continue;
    if (box.right > width + 0.5 || box.left < -0.5) {
      problems.push(`${element.tagName.toLowerCase()}.${element.className} ` +
        `${Math.round(box.left)}..${Math.round(box.right)}`);
    }
  }
  for (const item of document.querySelectorAll(".kb-calculator__summary-item")) {
    const cut = item.scrollWidth > item.clientWidth + 0.5;
    if (cut && getComputedStyle(item).textOverflow !== "ellipsis") {
      problems.push(`summary cut: ${item.textContent.trim()}`);
    }
  }
  return problems;
}"""

# Click the site navigation's link to a page, as a reader would (instant navigation).
FOLLOW_NAV_LINK = """url => {
  const link = [...document.querySelectorAll('.md-nav a')].find(a => a.href === url);
  link?.click();
  return Boolean(link);
}"""


def page_of(calculator_id: str) -> str:
    return f"rekenhulpen/{calculator_id.replace('_', '-')}/"


@pytest.fixture(scope="module")
def phone(browser: Browser, base_url: str) -> Iterator[Page]:
    context = browser.new_context(viewport={"width": 360, "height": 740}, is_mobile=True)
    page = context.new_page()
    errors: list[str] = []
    page.on("pageerror", lambda error: errors.append(str(error)))
    page.goto(base_url + "rekenhulpen/")
    yield page
    assert errors == []
    context.close()


@pytest.mark.parametrize("calculator_id", list(calculators.registry))
def test_nothing_sticks_out_at_320_and_360_px_in_any_state(
    phone: Page, base_url: str, calculator_id: str
) -> None:
    phone.set_viewport_size({"width": 360, "height": 740})
    assert phone.evaluate(FOLLOW_NAV_LINK, base_url + page_of(calculator_id))
    expect(phone).to_have_url(base_url + page_of(calculator_id))
    root = phone.locator(f'[data-calculator="{calculator_id}"]').first
    # A calculator goes live once it is seen; the previous page's state may leave
    # this one below the fold on a phone.
    root.scroll_into_view_if_needed()
    expect(root).to_have_attribute("data-state", "ready", timeout=READY_TIMEOUT)
    problems: list[str] = []

    def check(state: str) -> None:
        expect(root).to_have_attribute("data-fresh", "yes")
        problems.extend(f"{width} px, {state}: {p}" for p in phone.evaluate(STICKING_OUT))

    for width in WIDTHS:
        phone.set_viewport_size({"width": width, "height": 740})
        root.locator("[data-reset]").click()
        check("start")
        for preset in calculators.get(calculator_id).presets:
            root.locator("[data-preset-choice]").select_option(preset.name)
            check(f"preset {preset.name}")
        root.locator("[data-scenario-open]").click()
        check("scenario B")
        root.locator("[data-scenario-close]").click()
        root.locator("[data-solve] summary").click()
        expect(root.locator("[data-solve-target]")).to_be_visible()
        check("goal seeking")
        root.locator("[data-solve] summary").click()
    assert problems == []


# -- Tools, grouped -------------------------------------------------------------------------------


def test_the_tools_are_one_preset_choice_a_few_buttons_and_one_menu(visit: Visit) -> None:
    visit.context.pages[0].set_viewport_size({"width": 360, "height": 740})
    root = wait_ready(visit.open("rekenhulpen/ltv-cac/"), "ltv_cac")
    tools = root.locator("[data-tools]")
    choice = tools.locator("[data-preset-choice]")
    presets = calculators.get("ltv_cac").presets
    expect(choice.locator("option[data-preset]")).to_have_count(len(presets))
    choice.select_option(presets[1].name)
    expect(root.locator('input[name="churn_rate"]')).to_have_value(presets[1].values["churn_rate"])
    type_into(root, "churn_rate", "5")  # typed over: no longer the example
    expect(choice).to_have_value("")
    visible = [b for b in tools.locator("button").all() if b.is_visible()]
    assert [b.inner_text() for b in visible] == [
        "Terug naar de beginwaarden",
        "Vergelijk met een tweede scenario",
    ]
    menu = tools.locator("[data-keep]")
    expect(menu.locator("summary")).to_have_text("Bewaren of delen")
    for name in ("copy", "csv", "share", "print-page"):
        expect(menu.locator(f"[data-{name}]")).to_be_hidden()
    menu.locator("summary").click()
    for name in ("copy", "csv", "share", "print-page"):
        expect(menu.locator(f"[data-{name}]")).to_be_visible()
    # No wide empty band under the chart: only the status line's room (kept, so
    # nothing moves when Python is ready) lies between it and goal seeking.
    gap = root.evaluate(
        """root => root.querySelector("[data-solve]").getBoundingClientRect().top -
          root.querySelector("[data-chart] svg").getBoundingClientRect().bottom"""
    )
    assert 0 <= gap < 45, f"{gap} px between the chart and what follows it"


# -- Share links ----------------------------------------------------------------------------------


def test_a_share_link_has_no_empty_parameter_and_keeps_emptied_fields_empty(
    visit: Visit,
) -> None:
    page = visit.open("rekenhulpen/influencer/")
    root = wait_ready(page, "influencer")
    root.locator("[data-preset-choice]").select_option("cadeaus")  # no fees, no posts
    expect(root.locator('input[name="fee_per_post"]')).to_have_value("")
    expected = calculators.compute("influencer", calculators.get("influencer").presets[1].values)
    expect(root.locator('[data-output="total_cost"]')).to_have_text(expected.display["total_cost"])
    root.locator('input[name="units"]').press("Tab")  # a committed edit writes the URL
    expect(page).to_have_url(re.compile(r"influencer\.leeg="))
    params = parse_qsl(urlsplit(page.url).query, keep_blank_values=True)
    assert [name for name, value in params if value == ""] == []
    assert dict(params)["influencer.leeg"].split() == [
        "fee_per_post",
        "posts",
        "production_costs",
        "other_costs",
    ]

    shared_page = visit.context.new_page()
    shared_page.goto(page.url)
    again = wait_ready(shared_page, "influencer")
    expect(again.locator('input[name="fee_per_post"]')).to_have_value("")
    expect(again.locator('input[name="units"]')).to_have_value("60")
    expect(again.locator('[data-output="total_cost"]')).to_have_text(expected.display["total_cost"])


# -- Scenario B, tone reasons, goal seeking -------------------------------------------------------


def test_a_verdict_in_scenario_b_says_it_differs(visit: Visit) -> None:
    root = wait_ready(visit.open("rekenhulpen/ltv-cac/"), "ltv_cac")
    root.locator("[data-scenario-open]").click()
    root.locator('input[data-b-field="churn_rate"]').fill("20")
    expect(root.locator('[data-b-output="verdict"]')).to_have_text(re.compile("^Verlieslatend"))
    difference = root.locator('[data-b-difference="verdict"]')
    expect(difference).to_have_text("anders")
    expect(difference).to_be_visible()
    root.locator('input[data-b-field="churn_rate"]').fill("4")
    expect(difference).to_have_text("gelijk")


def test_a_tone_shows_why_at_build_time_and_live(visit: Visit) -> None:
    root = wait_ready(visit.open("rekenhulpen/roas/"), "roas")
    reason = root.locator('[data-tone-reason-for="roas"]')
    expect(reason).to_have_text("boven je break-even van 2,5:1")
    expect(reason).to_be_visible()
    type_into(root, "gross_margin", "15")
    expect(reason).to_have_text("onder je break-even van 6,7:1")
    expect(root.locator('[data-tone-reason-for="profit_after_ads"]')).to_have_text(
        "verlies na advertentiekosten"
    )


def test_goal_seeking_opens_on_the_primary_output_with_its_current_value(visit: Visit) -> None:
    root = wait_ready(visit.open("rekenhulpen/cpl/"), "cpl")
    solve = root.locator("[data-solve]")
    solve.locator("summary").click()
    expect(solve.locator("[data-solve-output]")).to_have_value("cpl")
    expect(solve.locator("[data-solve-field]")).to_have_value("leads")
    target = solve.locator("[data-solve-target]")
    expect(target).to_have_value(re.compile(r"^€\s40,00$"))
    type_into(root, "leads", "100")  # the target follows the figure on screen
    expect(root.locator('[data-output="cpl"]')).to_have_text(re.compile(r"50,00"))
    solve.locator("summary").click()
    solve.locator("summary").click()
    expect(target).to_have_value(re.compile(r"^€\s50,00$"))
    target.fill("25")
    solve.locator("[data-solve-run]").click()
    expect(solve.locator("[data-solve-answer]")).to_contain_text("Aantal leads: 200")
    target.fill("5")
    solve.locator("[data-solve-field]").select_option("media_spend")
    solve.locator("[data-solve-run]").click()
    answer = solve.locator("[data-solve-answer]")
    expect(answer).to_contain_text("kan niet €\u00a05,00 worden")
    expect(answer).to_contain_text("onder €\u00a00")
    expect(answer).not_to_contain_text("-")


# -- Posts ----------------------------------------------------------------------------------------


def test_every_post_is_bylined_by_the_editors(site: Path) -> None:
    # No post is written in the first person: they all carry the editors' byline.
    bylines = {
        path.parent.name: re.findall(
            r'kb-post-meta__authors">.*?</span>\s*([^<]+?)\s*</li>', path.read_text("utf-8"), re.S
        )
        for path in (site / "blog").glob("*/index.html")
        if 'class="kb-post-meta' in path.read_text("utf-8")
    }
    assert len(bylines) >= 5
    assert all(names == ["Redactie Kennisbank"] for names in bylines.values()), bylines


# WCAG contrast of an element's text against the page, both as Chromium computes them.
CONTRAST = """element => {
  const rgba = (text) => text.match(/[\\d.]+/g).map(Number);
  const [r, g, b, a = 1] = rgba(getComputedStyle(element).color);
  const [br, bg, bb] = rgba(getComputedStyle(document.body).backgroundColor);
  const mix = [r * a + br * (1 - a), g * a + bg * (1 - a), b * a + bb * (1 - a)];
  const lum = (c) => {
    const [x, y, z] = c.map((v) => v / 255).map((v) =>
      v <= 0.03928 ? v / 12.92 : ((v + 0.055) / 1.055) ** 2.4);
    return 0.2126 * x + 0.7152 * y + 0.0722 * z;
  };
  const [hi, lo] = [lum(mix), lum([br, bg, bb])].sort((p, q) => q - p);
  return (hi + 0.05) / (lo + 0.05);
}"""

# The distance between a category link and the comma after it.
COMMA_GAP = """link => {
  const range = document.createRange();
  range.setStart(link.nextSibling, 0);
  range.setEnd(link.nextSibling, 1);
  return range.getBoundingClientRect().left - link.getBoundingClientRect().right;
}"""


@pytest.mark.parametrize("scheme", ["light", "dark"])
def test_a_post_title_reads_as_well_as_its_text_and_categories_read_as_a_list(
    browser: Browser, base_url: str, scheme: str
) -> None:
    context = browser.new_context(color_scheme=scheme, viewport={"width": 1280, "height": 900})
    try:
        page = context.new_page()
        page.goto(base_url + "blog/roi-influencermarketing-meten/")
        title = page.locator(".md-content h1").first
        body = page.locator(".md-content p").first
        assert title.evaluate(CONTRAST) >= body.evaluate(CONTRAST) - 0.01
        for link in page.locator('a[href*="category/influencermarketing"]').all():
            if link.is_visible():
                assert abs(link.evaluate(COMMA_GAP)) < 1, "no space before the comma"
        back = page.locator(".md-post__back a")
        expect(back).to_have_text("Terug naar het blogoverzicht")
    finally:
        context.close()
