"""Frontmatter is text: escaped in every page, meta tag, listing and feed (SPEC §4)."""

from __future__ import annotations

import json
import re
import shutil
import xml.etree.ElementTree as ET
from pathlib import Path

import frontmatter
import pytest

from .support import ROOT, build, copy_project

POST = ROOT / "tests" / "fixtures" / "escaping-post.md"
META = frontmatter.load(POST).metadata
TITLE, DESCRIPTION = META["title"], META["description"]
# Loopback: a public address would also require the owner's own contact details.
SITE_URL = "http://127.0.0.1:8765/"
ESCAPED_TITLE = (
    "&lt;script&gt;alert(&#39;titel&#39;)&lt;/script&gt; Q&amp;A over &#34;KPI&#39;s&#34;"
)


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    tmp = tmp_path_factory.mktemp("escaping")
    project = copy_project(tmp / "project")
    shutil.copy(POST, project / "docs" / "blog" / "posts" / POST.name)
    result = build(project, tmp / "site", env={"SITE_URL": SITE_URL})
    assert result.returncode == 0, result.stdout + result.stderr
    return tmp / "site"


def text_of(html: str) -> str:
    """What a reader sees: entities decoded, tags removed."""
    import html as html_module

    return html_module.unescape(re.sub(r"<[^>]+>", "", html))


def test_no_page_or_feed_contains_the_raw_markup(site: Path) -> None:
    files = [*site.rglob("*.html"), *site.rglob("*.xml"), site / "search/search_index.json"]
    for path in files:
        text = path.read_text(encoding="utf-8")
        assert "<script>alert" not in text, path
        assert "<img src=x" not in text, path
        # Escaped as HTML text, or as JSON text in structured data (\u003e is ">").
        escaped = text.replace("onerror=alert(1)&gt;", "").replace("onerror=alert(1)\\u003e", "")
        assert "onerror=alert" not in escaped, path


def test_post_page_escapes_title_and_description(site: Path) -> None:
    page = (site / "blog/ontsnapping/index.html").read_text(encoding="utf-8")
    assert f"<title>{ESCAPED_TITLE} - Kennisbank</title>" in page
    description = re.search(r'<meta name="description" content="([^"]*)">', page)
    assert description and text_of(description.group(1)) == DESCRIPTION
    og_title = re.search(r'<meta property="og:title" content="([^"]*)">', page)
    assert og_title and text_of(og_title.group(1)) == TITLE
    assert (
        '<meta property="og:image" content="http://127.0.0.1:8765/assets/images/favicon.svg">'
        in (page)
    )
    heading = re.search(r"<h1[^>]*>(.*?)</h1>", page, re.S)
    assert heading and text_of(heading.group(1)).strip() == TITLE


@pytest.mark.parametrize(
    "listing", ["index.html", "blog/index.html", "blog/category/strategie/index.html"]
)
def test_listings_show_the_title_as_text(site: Path, listing: str) -> None:
    page = (site / listing).read_text(encoding="utf-8")
    assert "&lt;script&gt;alert(" in page, listing
    assert TITLE in text_of(page), listing


def test_home_listing_shows_the_description_as_text(site: Path) -> None:
    assert DESCRIPTION in text_of((site / "index.html").read_text(encoding="utf-8"))


def test_feed_carries_title_and_description_as_text(site: Path) -> None:
    feed = ET.parse(site / "feed_rss_created.xml").getroot()
    item = next(i for i in feed.findall("./channel/item") if "ontsnapping" in i.findtext("link"))
    assert item.findtext("title") == TITLE
    assert DESCRIPTION in (item.findtext("description") or "")
    for enclosure in item.findall("enclosure"):  # a valid feed has numeric lengths
        assert enclosure.get("length", "").isdigit()


def test_search_index_holds_the_title_as_escaped_text(site: Path) -> None:
    docs = json.loads((site / "search/search_index.json").read_text(encoding="utf-8"))["docs"]
    entry = next(d for d in docs if d["location"] == "blog/ontsnapping/")
    assert text_of(entry["title"]) == TITLE
