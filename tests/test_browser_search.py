"""Material's search on pages with a calculator, in a real Chromium.

There, Material's search worker is started through ours
(docs/assets/javascripts/workers/search-after-python.js), which loads it once
Python is live or could not start, or after 5 s, so that building the search
index does not take the CPU from Python's start-up. Search must work as
everywhere else.
"""

from __future__ import annotations

import json
import re
from pathlib import Path

from playwright.sync_api import Page, expect

from tests import test_browser as shared
from tests.test_browser import Visit, calculator, wait_ready
from tests.test_browser_startup import ROAS, Gate, expect_not_live

browser = shared.browser
visit = shared.visit

# Material's worker loads the Dutch stemmer as it builds the index: the sign
# that it has started.
BUILDING = "lunr.nl.min.js"
CONFIG_RE = re.compile(r'<script id="__config" type="application/json">(.*?)</script>', re.S)


def search_started(visit: Visit) -> bool:
    return any(url.endswith(BUILDING) for url in visit.requests)


def expect_search_finds(page: Page, query: str, *, timeout: float = 15_000) -> None:
    # As a reader does: into the search field, then typing.
    field = page.locator("input[data-md-component='search-query']")
    field.click()
    field.press_sequentially(query)
    expect(page.locator(".md-search-result__item").first).to_be_visible(timeout=timeout)


def search_worker(site: Path, path: str) -> str:
    return json.loads(CONFIG_RE.search((site / path / "index.html").read_text("utf-8"))[1])[
        "search"
    ]


def test_only_pages_with_a_calculator_start_search_through_ours(site: Path) -> None:
    material = search_worker(site, "blog/slimme-videomarketing/")
    assert re.fullmatch(
        r"\.\./\.\./assets/javascripts/workers/search\.[0-9a-f]+\.min\.js", material
    )
    ours = search_worker(site, ROAS)
    name = material.rpartition("/")[2]
    assert re.fullmatch(
        rf"\.\./\.\./assets/javascripts/workers/search-after-python\.[0-9a-f]{{8}}\.js\?worker={re.escape(name)}",
        ours,
    )
    assert (site / ROAS / ours.split("?")[0]).is_file()
    assert (site / ROAS / material).is_file()


def test_search_waits_for_python_then_finds_pages(visit: Visit) -> None:
    gate = Gate(visit)  # the runtime's download is held: Python is not live yet
    page = visit.open(ROAS)
    expect(calculator(page, "roas")).to_have_attribute("data-state", "loading")
    page.wait_for_timeout(2_000)
    assert not search_started(visit)
    gate.open(lambda route: route.continue_())
    wait_ready(page, "roas")
    expect_search_finds(page, "break-even")
    assert search_started(visit)


def test_search_starts_when_python_cannot(visit: Visit) -> None:
    Gate(visit).open(lambda route: route.abort())
    page = visit.open(ROAS)
    expect_not_live(calculator(page, "roas"))
    expect_search_finds(page, "influencer", timeout=3_000)  # well before the 5 s


def test_search_starts_in_the_end_when_no_calculator_is_reached(visit: Visit) -> None:
    # The influencer calculator is far down this article: Python never starts.
    page = visit.open("blog/roi-influencermarketing-meten/")
    page.wait_for_timeout(1_000)
    assert not search_started(visit)
    expect_search_finds(page, "roas")
    expect(calculator(page, "influencer")).to_have_attribute("data-state", "static")
