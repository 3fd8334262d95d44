"""The production site, built with the real `mkdocs build --strict` (SPEC §1, §4, §6)."""

from __future__ import annotations

import json
import re
import xml.etree.ElementTree as ET
from pathlib import Path

import frontmatter
import pytest
from markupsafe import escape

from .support import CSS_URL_RE, ROOT, article_html, fetched_urls, is_foreign, visible_text

# slug -> (title, a sentence from the start and from the end of the article body)
POSTS = {
    "waarom-videos-geen-kpis-halen": (
        "Waarom veel video’s geen KPI’s halen",
        "Veel marketing- en communicatiebureaus zetten video in met een helder doel",
        "Geen verkooppraatje, wel een eerlijk gesprek over wat wel en niet werkt.",
    ),
    "slimme-videomarketing": (
        "Wat is slimme videomarketing?",
        "Je merk, start-up of organisatie gooit halsoverkop video in de digitale marketingmix",
        "we denken graag met je mee over de inzet van videomarketing",
    ),
    "strategisch-meedenken-vs-uitvoeren": (
        "Strategisch meedenken vs uitvoeren",
        "Veel marketing- en communicatiebureaus herkennen het moment",
        "geen pitch, maar een gesprek over verwachtingen, keuzes en samenwerking.",
    ),
    "kpis-die-ertoe-doen": (
        "KPI’s die er wel toe doen en de KPI’s die je moet schrappen",
        "Performancemarketing draait steeds minder om hoeveel je doet",
        "Bron: gebaseerd op een artikel van Remco",
    ),
    "roi-influencermarketing-meten": (
        "Influencer",
        "Als ondernemer voel je vaak die druk",
        "Authenticiteit, heldere communicatie en continue analyse zijn de sleutels tot succes.",
    ),
}

# Scraped-page debris that must never be published (SPEC §1).
DEBRIS = [
    "alt text for",
    "Hoofdkantoor",
    "Nieuwstraat 81",
    "K.v.K",
    "61050520",
    "NL854182469B01",
    "hello@sendtmedia.nl",
    "Meld je aan voor onze nieuwsbrief",
    "Door op aanmelden te klikken",
    "Volg ons op",
    "Meer informatie >",
    "Referenties",
    "Wikipedia Encyclopedia",
    "구글",
    "Auteur: Remco",
    "4 min leestijd",
    "Interne videomaker of externe videopartner?",
    "Waarom korte lijnen belangrijker zijn dan grote teams",
    "Wanneer video niet de juiste oplossing is",
    "seo:",
    "color: red",
]


def read(site: Path, path: str) -> str:
    return (site / path).read_text(encoding="utf-8")


def post_page(site: Path, slug: str) -> str:
    return read(site, f"blog/{slug}/index.html")


@pytest.mark.parametrize("slug", POSTS)
def test_each_article_is_published_on_its_own_page_in_full(site: Path, slug: str) -> None:
    title, first, last = POSTS[slug]
    article = visible_text(article_html(post_page(site, slug)))
    assert title in article
    assert first in article
    assert last in article


@pytest.mark.parametrize("slug", POSTS)
def test_articles_carry_no_scraped_debris(site: Path, slug: str) -> None:
    article = article_html(post_page(site, slug))
    # The byline at the top is the site's own ("4 min leestijd"), not scraped text.
    article = re.sub(r'<div class="kb-post-meta.*?</div>', "", article, count=1, flags=re.S)
    text = visible_text(article)
    for debris in DEBRIS:
        assert debris not in text, f"{slug}: debris {debris!r} published"
    # Site navigation of the source ("Vorige"/"Volgende") is not article text.
    assert not re.search(r"\b(Vorige|Volgende)\b", text)
    # No paragraph is published twice (the influencer article repeats its intro).
    paragraphs = [visible_text(p).strip() for p in re.findall(r"<p>(.*?)</p>", article, re.S)]
    paragraphs = [p for p in paragraphs if len(p) > 40]
    assert len(paragraphs) == len(set(paragraphs)), f"{slug}: duplicated paragraph"


def test_articles_are_structured_markdown(site: Path) -> None:
    influencer = article_html(post_page(site, "roi-influencermarketing-meten"))
    table = re.search(r"<table>.*?</table>", influencer, re.S)
    assert table, "the KPI table of the influencer article is a real table"
    headers = re.findall(r"<th[^>]*>(.*?)</th>", table.group(0))
    assert len(headers) == 4
    assert "Directe verkoop" in table.group(0)
    assert len(re.findall(r"<tr>", table.group(0))) == 6  # header + 5 KPI rows
    for slug in POSTS:
        article = article_html(post_page(site, slug))
        assert "<h2" in article, f"{slug} has section headings"
        if slug != "slimme-videomarketing":  # the one source without lists
            assert "<ul>" in article or "<ol>" in article, f"{slug} has lists"


def test_every_page_is_dutch(site: Path) -> None:
    pages = list(site.rglob("*.html"))
    assert len(pages) > 10
    for page in pages:
        assert '<html lang="nl"' in page.read_text(encoding="utf-8"), page


def test_posts_have_meta_description_reading_time_and_neighbours(site: Path) -> None:
    for source in (ROOT / "docs/blog/posts").glob("*.md"):
        meta = frontmatter.load(source).metadata
        page = post_page(site, meta["slug"])
        description = re.search(r'<meta name="description" content="([^"]*)"', page)
        assert description, source
        assert description.group(1) == str(escape(meta["description"]))
        assert re.search(r"\d+ min(?:uten|uut)? lees", page), "reading time is shown"
    # Posts link to their neighbours (previous/next) in the footer.
    middle = post_page(site, "strategisch-meedenken-vs-uitvoeren")
    assert "md-footer__link--prev" in middle
    assert "md-footer__link--next" in middle


def test_home_page_lists_latest_articles_and_calculators(site: Path) -> None:
    home = read(site, "index.html")
    links = re.findall(r'href="([^"]+)"', article_html(home))
    for slug in POSTS:
        assert f"blog/{slug}/" in links, f"home links to {slug}"
    assert "Nieuwste artikelen" in home
    assert "Rekenhulpen" in home
    # Newest first: an article of 2026 comes before the one of 2021.
    assert home.index("blog/waarom-videos-geen-kpis-halen/") < home.index(
        "blog/slimme-videomarketing/"
    )


def test_blog_index_category_and_archive_pages(site: Path) -> None:
    blog = read(site, "blog/index.html")
    for slug in POSTS:
        assert f"{slug}/" in blog, f"blog index lists {slug}"
    categories = {
        "videomarketing": ["waarom-videos-geen-kpis-halen", "slimme-videomarketing"],
        "kpis-en-meten": ["kpis-die-ertoe-doen", "roi-influencermarketing-meten"],
        "influencermarketing": ["roi-influencermarketing-meten"],
        "strategie": ["strategisch-meedenken-vs-uitvoeren"],
    }
    for category, slugs in categories.items():
        page = read(site, f"blog/category/{category}/index.html")
        for slug in slugs:
            assert f"{slug}/" in page, f"category {category} lists {slug}"
    assert "slimme-videomarketing/" in read(site, "blog/archive/2021/index.html")
    assert "kpis-die-ertoe-doen/" in read(site, "blog/archive/2025/index.html")


def test_rss_feed_lists_every_post(site: Path) -> None:
    feed = ET.parse(site / "feed_rss_created.xml").getroot()
    items = feed.findall("./channel/item")
    assert len(items) == len(POSTS)
    links = {item.findtext("link") for item in items}
    for slug in POSTS:
        assert any(link.endswith(f"/blog/{slug}/") for link in links), slug
    assert all(item.findtext("description") for item in items)
    # Every page announces the feed.
    assert 'type="application/rss+xml"' in read(site, "index.html")


def test_sitemap_lists_every_post(site: Path) -> None:
    namespace = {"s": "http://www.sitemaps.org/schemas/sitemap/0.9"}
    sitemap = ET.parse(site / "sitemap.xml").getroot()
    locations = [loc.text for loc in sitemap.findall("./s:url/s:loc", namespace)]
    for slug in POSTS:
        assert any(loc.endswith(f"/blog/{slug}/") for loc in locations), slug


def test_404_page_is_dutch(site: Path) -> None:
    page = read(site, "404.html")
    assert "Pagina niet gevonden" in page
    assert "<title>Pagina niet gevonden - Kennisbank</title>" in page
    assert "Not found" not in page


def test_no_page_stylesheet_or_script_requests_another_host(site: Path) -> None:
    for page in site.rglob("*.html"):
        for tag, url in fetched_urls(page.read_text(encoding="utf-8")):
            assert not is_foreign(url), f"{page.relative_to(site)}: <{tag}> fetches {url}"
    for stylesheet in site.rglob("*.css"):
        css = stylesheet.read_text(encoding="utf-8")
        for url in CSS_URL_RE.findall(css):
            assert not is_foreign(url), f"{stylesheet.relative_to(site)} fetches {url}"
    # Our own browser code takes every URL from the page (same origin): no address in it.
    for script in (site / "assets" / "javascripts").glob("calculator*.mjs"):
        assert not re.search(r"\w+://|//[\w.-]+\.\w", script.read_text(encoding="utf-8")), script


def test_search_index_is_dutch(site: Path) -> None:
    index = json.loads(read(site, "search/search_index.json"))
    assert index["config"]["lang"] == ["nl"]
    assert any("blog/kpis-die-ertoe-doen/" in doc["location"] for doc in index["docs"])


def test_reading_time_counts_the_article_not_the_calculator_forms(site: Path) -> None:
    from material.plugins.blog.readtime import readtime

    page = post_page(site, "kpis-die-ertoe-doen")
    shown = int(re.search(r"(\d+) min leestijd", page).group(1))
    assert shown < readtime(article_html(page), 265), "the forms' words are not counted"
    assert shown >= 4, "the article itself is still counted"


def test_an_unknown_list_marker_stops_the_build_naming_the_page(tmp_path: Path) -> None:
    from .support import build, copy_project

    project = copy_project(tmp_path / "project")
    page = project / "docs" / "rekenhulpen" / "index.md"
    page.write_text(page.read_text() + "\n<!-- kennisbank:example winst -->\n")
    result = build(project, tmp_path / "site")
    assert result.returncode == 1
    assert "rekenhulpen/index.md: <!-- kennisbank:example winst -->: Onbekende rekenhulp" in (
        result.stdout + result.stderr
    )
