"""The landing pages of video, mer and incrementality in the real build: listed like the
others, with the formula, how to read it, a computed worked example and the calculator."""

from __future__ import annotations

from pathlib import Path

import pytest

from .support import article_html, elements, visible_text

PAGES = {
    "video": "rekenhulpen/video/index.html",
    "mer": "rekenhulpen/mer/index.html",
    "incrementality": "rekenhulpen/incrementality/index.html",
}
EUR = "€ "  # visible_text() folds the no-break space into a space


def text_of(site: Path, path: str) -> str:
    return visible_text(article_html((site / path).read_text(encoding="utf-8")))


@pytest.mark.parametrize("calculator_id", list(PAGES))
def test_each_landing_page_has_its_calculator_and_sections(site: Path, calculator_id: str) -> None:
    html = (site / PAGES[calculator_id]).read_text(encoding="utf-8")
    roots = [a for tag, a in elements(html) if "data-calculator" in a]
    assert [a["data-calculator"] for a in roots] == [calculator_id]
    assert roots[0]["data-state"] == "static"
    assert 'role="img"' in html and 'class="kb-chart"' in html  # the chart, built in
    text = visible_text(article_html(html))
    for heading in ("Wat de rekenhulp uitrekent", "Zo lees je de uitkomst", "Rekenvoorbeeld"):
        assert heading in text
    assert "NaN" not in text and "Infinity" not in text


def test_the_worked_examples_are_computed_into_the_pages(site: Path) -> None:
    video = text_of(site, PAGES["video"])
    assert f"Kosten per conversie (CPA) {EUR}93,75" in video
    assert "ROAS 1,6:1" in video
    mer = text_of(site, PAGES["mer"])
    assert "MER (Marketing Efficiency Ratio) 5:1" in mer
    assert f"Bijdrage na marketing {EUR}50.000,00" in mer
    incrementality = text_of(site, PAGES["incrementality"])
    assert "Lift 20%" in incrementality and "p-waarde 0,002" in incrementality
    # The prose example states the same figures as the computed table.
    for figure in ("100 extra bestellingen", "lift van 20%", "€ 50", "1,6:1", "0,002"):
        assert figure in incrementality


def test_significance_is_explained_in_plain_dutch(site: Path) -> None:
    text = text_of(site, PAGES["incrementality"])
    assert "kleiner dan 0,05" in text and "significant" in text
    assert "geen garantie" in text
    assert "niet aangetoond" in text


@pytest.mark.parametrize("page", ["index.html", "rekenhulpen/index.html"])
def test_home_and_calculators_index_list_the_new_calculators(site: Path, page: str) -> None:
    html = (site / page).read_text(encoding="utf-8")
    prefix = "rekenhulpen/" if page == "index.html" else ""
    for slug, title in [
        ("video", "Videocampagne doorrekenen"),
        ("mer", "Marketing Efficiency Ratio (MER) berekenen"),
        ("incrementality", "Incrementaliteit berekenen"),
    ]:
        links = [
            a for tag, a in elements(html) if tag == "a" and a.get("href") == f"{prefix}{slug}/"
        ]
        assert links, (page, slug)
        assert title in html


def test_the_navigation_lists_the_new_pages(site: Path) -> None:
    html = (site / "rekenhulpen/index.html").read_text(encoding="utf-8")
    nav = html[html.index('<nav class="md-nav md-nav--primary') :]
    for slug in ("video/", "mer/", "incrementality/"):
        assert f'<a href="{slug}" class="md-nav__link">' in nav
