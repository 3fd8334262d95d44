"""video, mer and incrementality in a real Chromium on their landing pages: Dutch figures in,
the DOM contract out (SPEC 5.7, 5.10)."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from . import test_browser as shared
from .test_browser import Visit, assert_clean, type_into, wait_ready

pytestmark = pytest.mark.browser
# The same Chromium and per-test context (with its privacy checks) as tests/test_browser.py.
browser = shared.browser
visit = shared.visit
EUR = "€\u00a0"


def output(root, name: str):
    return root.locator(f'[data-output="{name}"]')


def test_video_with_dutch_figures(visit: Visit) -> None:
    page = visit.open("rekenhulpen/video/")
    root = wait_ready(page, "video")
    for field, text in {
        "media_spend": "€ 2.500",
        "production_cost": "1.250,50",
        "impressions": "1.250.000",
        "views": "250.000",
        "completed_views": "62.500",
        "clicks": "12.500",
        "conversions": "125",
        "revenue": "€ 10.000",
    }.items():
        type_into(root, field, text)
    # 2500 / 1250000 x 1000 = 2; 250000 / 1250000 = 20%; 2500 / 250000 = 0,01;
    # 62500 / 250000 = 25%; 12500 / 1250000 = 1%; 3750,50 / 125 = 30,004; 10000 / 3750,50
    for name, shown in {
        "total_cost": EUR + "3.750,50",
        "cpm": EUR + "2,00",
        "view_rate": "20%",
        "cpv": EUR + "0,01",
        "completion_rate": "25%",
        "ctr": "1%",
        "cpa": EUR + "30,00",
        "roas": "2,7:1",
    }.items():
        expect(output(root, name)).to_have_text(shown)
    assert_clean(root)

    # More views than impressions: a Dutch error on views, the rest keeps its value.
    type_into(root, "views", "1.500.000")
    views = root.locator('input[name="views"]')
    expect(views).to_have_attribute("aria-invalid", "true")
    expect(root.locator('[data-error-for="views"]')).to_have_text(
        "Het aantal views kan niet hoger zijn dan het aantal impressies"
    )
    expect(output(root, "view_rate")).to_have_text("n.v.t.")
    expect(output(root, "cpm")).to_have_text(EUR + "2,00")
    expect(output(root, "roas")).to_have_text("2,7:1")
    assert_clean(root)


def test_mer_with_dutch_figures_and_tones(visit: Visit) -> None:
    page = visit.open("rekenhulpen/mer/")
    root = wait_ready(page, "mer")
    for field, text in {
        "total_revenue": "1.250.000",
        "marketing_spend": "€ 250.000",
        "new_customer_revenue": "€ 500.000",
        "gross_margin": "12,5%",
    }.items():
        type_into(root, field, text)
    # 1250000 / 250000 = 5; 500000 / 250000 = 2; 20%; 100 / 12,5 = 8;
    # 1250000 x 0,125 - 250000 = -93750
    for name, shown in {
        "mer": "5:1",
        "amer": "2:1",
        "marketing_share": "20%",
        "break_even_mer": "8:1",
        "contribution": "\u2212" + EUR + "93.750,00",
    }.items():
        expect(output(root, name)).to_have_text(shown)
    expect(output(root, "mer")).to_have_attribute("data-tone", "bad")
    expect(output(root, "contribution")).to_have_attribute("data-tone", "bad")

    type_into(root, "gross_margin", "25")  # break-even 4:1, MER 5:1
    expect(output(root, "contribution")).to_have_text(EUR + "62.500,00")
    expect(output(root, "mer")).to_have_attribute("data-tone", "good")

    type_into(root, "new_customer_revenue", "1.250.000,01")
    expect(root.locator('[data-error-for="new_customer_revenue"]')).to_have_text(
        "De omzet van nieuwe klanten kan niet hoger zijn dan de totale omzet"
    )
    expect(output(root, "amer")).to_have_text("n.v.t.")
    expect(output(root, "mer")).to_have_text("5:1")
    assert_clean(root)


def test_incrementality_with_dutch_figures(visit: Visit) -> None:
    page = visit.open("rekenhulpen/incrementality/")
    root = wait_ready(page, "incrementality")
    for field, text in {
        "test_size": "1.250.000",
        "test_conversions": "12.500",
        "control_size": "250.000",
        "control_conversions": "2.000",
        "ad_spend": "€ 2.500",
        "value_per_conversion": "12,50",
    }.items():
        type_into(root, field, text)
    # 1% against 0,8%: lift 25%; 12500 - 0,008 x 1250000 = 2500; 2500 / 2500 = 1;
    # 2500 x 12,50 / 2500 = 12,5; z is about 9,6, so p is below 0,001
    for name, shown in {
        "test_rate": "1%",
        "control_rate": "0,8%",
        "lift": "25%",
        "incremental_conversions": "2.500",
        "cost_per_incremental": EUR + "1,00",
        "iroas": "12,5:1",
        "p_value": "< 0,001",
    }.items():
        expect(output(root, name)).to_have_text(shown)
    expect(output(root, "verdict")).to_have_text("Significant: waarschijnlijk geen toeval.")
    expect(output(root, "verdict")).to_have_attribute("data-tone", "good")
    expect(root).to_contain_text("geen garantie")  # the verdict's explanation

    type_into(root, "control_conversions", "250.001")
    expect(root.locator('[data-error-for="control_conversions"]')).to_have_text(
        "Het aantal conversies in de controlegroep kan niet hoger zijn dan de controlegroep"
    )
    expect(output(root, "test_rate")).to_have_text("1%")
    expect(output(root, "p_value")).to_have_text("n.v.t.")
    assert_clean(root)
