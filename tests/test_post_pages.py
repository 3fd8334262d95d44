"""What surrounds an article on the built site: byline, offer, related reading, share
links, structured data, titles and footer links (issue 10)."""

from __future__ import annotations

import datetime as dt
import json
import random
import re
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest
import yaml

from kennisbank.contact import contact_problems
from kennisbank.related import Candidate, RelatedIndex, rank_related
from kennisbank.structured_data import json_ld
from kennisbank.tables import label_table_cells

from .support import ROOT, article_html, build, copy_project, elements, visible_text
from .test_site_build import POSTS, post_page, read


def contact_config() -> dict[str, str]:
    config = yaml.load((ROOT / "mkdocs.yml").read_text(), Loader=yaml.BaseLoader)
    return config["extra"]["contact"]


def json_ld_blocks(page: str) -> list[dict]:
    blocks = re.findall(r'<script type="application/ld\+json">(.*?)</script>', page, re.S)
    return [item for block in blocks for item in json.loads(block)]


def of_type(page: str, kind: str) -> dict:
    found = [item for item in json_ld_blocks(page) if item["@type"] == kind]
    assert len(found) == 1, f"one {kind} expected, found {len(found)}"
    return found[0]


# -- Byline at the top ----------------------------------------------------------------


@pytest.mark.parametrize("slug", POSTS)
def test_author_date_and_reading_time_come_before_the_first_paragraph(
    site: Path, slug: str
) -> None:
    article = article_html(post_page(site, slug))
    meta = re.search(r'<div class="kb-post-meta.*?</div>', article, re.S)
    assert meta, "the byline is in the article"
    assert meta.start() < article.index("<p>"), "before the first paragraph"
    text = visible_text(meta.group(0))
    assert re.search(r"\d+ min leestijd", text)
    assert re.search(r"\d{1,2} \w+ \d{4}", text), "a Dutch date"
    assert re.search(r"Remco|Redactie", text), "the author's name"


# -- After the article ----------------------------------------------------------------


@pytest.mark.parametrize("slug", POSTS)
def test_every_post_ends_with_the_offer_related_posts_and_share_links(
    site: Path, slug: str
) -> None:
    contact = contact_config()
    article = article_html(post_page(site, slug))
    cta = re.search(r'<aside class="kb-cta".*?</aside>', article, re.S)
    assert cta, "the call to action is under the post"
    cta_text = visible_text(cta.group(0))
    assert contact["offer_title"] in cta_text
    assert " ".join(contact["offer"].split()).replace("'", "&#39;") in cta.group(0)
    links = {values.get("href") for tag, values in elements(cta.group(0)) if tag == "a"}
    assert "../../contact/" in links, "the button leads to the contact page"
    assert (site / "contact/index.html").is_file()

    related = re.search(r'<nav class="kb-related".*?</nav>', article, re.S)
    assert related, "related reading is under the post"
    targets = [values["href"] for tag, values in elements(related.group(0)) if tag == "a"]
    assert 2 <= len(targets) <= 3
    assert f"../{slug}/" not in targets, "a post is not related to itself"
    for target in targets:
        assert (site / "blog" / target.removeprefix("../") / "index.html").is_file(), target

    share = re.search(r'<nav class="kb-share".*?</nav>', article, re.S)
    assert share
    hrefs = [values["href"] for tag, values in elements(share.group(0)) if tag == "a"]
    assert [href.split(":")[0] for href in hrefs] == ["mailto", "https", "https"]
    assert hrefs[1].startswith("https://www.linkedin.com/sharing/share-offsite/?url=")
    assert hrefs[2].startswith("https://wa.me/?text=")
    assert f"%2Fblog%2F{slug}%2F" in hrefs[1].replace("/", "%2F")
    # The post ends with them: after the offer comes nothing of the article.
    tail = article[cta.start() :]
    for block in (cta, related, share):
        tail = tail.replace(block.group(0), "")
    assert visible_text(tail).strip() == ""
    assert cta.start() < related.start() < share.start()


def test_related_posts_share_categories_or_calculators_first() -> None:
    day = dt.date(2025, 1, 1)

    def post(key: str, categories: set[str], calculators: frozenset[str] = frozenset(), days=0):
        when = day + dt.timedelta(days=days)
        return Candidate(key, frozenset(categories), frozenset(calculators), when)

    me = post("me", {"KPI"}, {"roas"})
    others = [
        post("nothing-new", {"Video"}, days=9),
        post("nothing-old", {"Video"}, days=1),
        post("category", {"KPI"}, days=2),
        post("both", {"KPI"}, {"roas"}, days=0),
        post("calculator", {"Video"}, {"roas"}, days=5),
        me,
    ]
    expected = ["both", "calculator", "category"]
    assert [c.key for c in rank_related(me, others)] == expected
    assert [c.key for c in rank_related(me, list(reversed(others)))] == expected
    # With fewer than two related posts, the newest others fill up to two.
    lonely = post("lonely", {"Strategie"})
    assert [c.key for c in rank_related(lonely, others)] == ["nothing-new", "calculator"]


def test_the_build_index_ranks_related_posts_as_rank_related_does() -> None:
    # The build ranks every post through an index (fast with 1,000 posts); it
    # must choose exactly what rank_related chooses, ties and fillers included.
    rng = random.Random(7)
    for _ in range(40):
        posts = [
            Candidate(
                key=f"p{number}",
                categories=frozenset(rng.sample("abcd", rng.randint(0, 2))),
                calculators=frozenset(rng.sample("xyz", rng.randint(0, 2))),
                date=dt.date(2024, 1, 1) + dt.timedelta(days=rng.randint(0, 20)),
            )
            for number in range(rng.randint(1, 40))
        ]
        index = RelatedIndex(posts)
        for post in posts:
            assert index.rank(post) == rank_related(post, posts)


def test_the_contact_page_shows_the_configured_details(site: Path) -> None:
    contact = contact_config()
    page = article_html(read(site, "contact/index.html"))
    assert f'href="mailto:{contact["email"]}"' in page
    assert contact["name"] in visible_text(page)
    assert contact["offer_title"] in visible_text(page)


@pytest.mark.parametrize(
    ("contact", "expected"),
    [
        (None, "extra.contact: ontbreekt; zet er name, email, offer_title, offer en button in"),
        (
            {"name": "K", "email": "geen-adres", "offer_title": "T", "offer": "O", "button": "B"},
            "extra.contact.email: 'geen-adres' is geen e-mailadres",
        ),
        (
            {"name": "K", "email": "a@b.nl", "offer_title": "T", "offer": "O"},
            "extra.contact.button: ontbreekt; dit veld is verplicht (tekst)",
        ),
    ],
)
def test_contact_configuration_mistakes_are_reported_in_dutch(contact, expected: str) -> None:
    assert expected in contact_problems(contact)


# -- Search engines and link previews -----------------------------------------------------


@pytest.mark.parametrize("slug", POSTS)
def test_each_post_describes_itself_as_a_blog_posting(site: Path, slug: str) -> None:
    page = post_page(site, slug)
    posting = of_type(page, "BlogPosting")
    source = next(
        p for p in (ROOT / "docs/blog/posts").glob("*.md") if f"slug: {slug}\n" in p.read_text()
    )
    meta = yaml.safe_load(source.read_text().split("---")[1])
    assert posting["headline"] == meta["title"]
    assert posting["description"] == meta["description"]
    assert posting["datePublished"] == str(meta["date"])[:10]
    assert posting["dateModified"] == str(meta.get("updated", meta["date"]))[:10]
    assert posting["author"] and all(author["name"] for author in posting["author"])
    assert posting["url"].endswith(f"/blog/{slug}/")
    trail = of_type(page, "BreadcrumbList")["itemListElement"]
    assert [item["name"] for item in trail] == ["Home", "Blog", meta["title"]]
    assert [item["position"] for item in trail] == [1, 2, 3]


def test_calculator_pages_describe_themselves_as_web_applications(site: Path) -> None:
    from calculators import registry

    for calculator_id in registry:
        page = read(site, f"rekenhulpen/{calculator_id.replace('_', '-')}/index.html")
        application = of_type(page, "WebApplication")
        assert application["name"] and application["description"]
        assert application["isAccessibleForFree"] is True
        description = re.search(r'<meta name="description" content="([^"]*)"', page).group(1)
        assert description != read(site, "index.html"), "its own meta description"
        trail = of_type(page, "BreadcrumbList")["itemListElement"]
        assert [item["name"] for item in trail][:2] == ["Home", "Rekenhulpen"]


def test_structured_data_cannot_end_its_script_element() -> None:
    title = "Q&A </script><script>alert(1)</script> <!-- x"
    text = str(json_ld({"headline": title}))
    assert "<" not in text and ">" not in text and "&" not in text
    assert json.loads(text) == {"headline": title}


def test_no_page_title_repeats_the_site_name(site: Path) -> None:
    titles = {}
    for page in site.rglob("*.html"):
        title = re.search(r"<title>(.*?)</title>", page.read_text(encoding="utf-8"), re.S)
        titles[page.relative_to(site).as_posix()] = title.group(1)
    assert titles["index.html"] == "Kennisbank"
    for path, title in titles.items():
        assert "Kennisbank - Kennisbank" not in title, f"{path}: {title}"
        assert title.endswith("Kennisbank"), path


# -- Footer links ---------------------------------------------------------------------


def footer_links(page: str) -> list[str]:
    return re.findall(r'class="md-footer__link md-footer__link--\w+" aria-label="([^"]*)"', page)


def test_footer_links_lead_to_pages_not_to_blog_listings(site: Path) -> None:
    listings = ["blog/index.html", "blog/archive/2025/index.html"]
    listings += [p.relative_to(site).as_posix() for p in site.glob("blog/category/*/index.html")]
    listings += [p.relative_to(site).as_posix() for p in site.glob("blog/author/*/index.html")]
    for listing in listings:
        assert footer_links(read(site, listing)) == [], listing
    names = {"Archief", "Categorieën", "Auteurs", "Redactie Kennisbank", "Remco", "2021", "2025"}
    for page in site.rglob("*.html"):
        for label in footer_links(page.read_text(encoding="utf-8")):
            assert label.split(": ", 1)[1] not in names, f"{page}: {label}"
    assert footer_links(read(site, "rekenhulpen/index.html"))[0] == "Vorige: Blog"


# -- A post with an update and markup in its title (a copy of the project) ------------


def test_an_updated_post_shows_and_declares_its_update(tmp_path: Path) -> None:
    project = copy_project(tmp_path / "project")
    post = project / "docs/blog/posts/kpis-die-ertoe-doen.md"
    text = post.read_text().replace("date: 2025-06-10\n", "date: 2025-06-10\nupdated: 2025-09-01\n")
    text = text.replace(
        'title: "KPI’s die er wel toe doen', 'title: "</script><b>KPI’s</b> die er wel toe doen', 1
    )
    post.write_text(text)
    site = tmp_path / "site"
    result = build(project, site)
    assert result.returncode == 0, result.stdout + result.stderr
    page = post_page(site, "kpis-die-ertoe-doen")
    meta = re.search(r'<div class="kb-post-meta.*?</div>', article_html(page), re.S).group(0)
    assert "bijgewerkt op" in visible_text(meta) and "1 september 2025" in visible_text(meta)
    posting = of_type(page, "BlogPosting")
    assert posting["dateModified"] == "2025-09-01"
    assert posting["datePublished"] == "2025-06-10"
    assert posting["headline"].startswith("</script><b>KPI’s</b>")
    # The feed of updated posts has the update; the feed of new posts the date.
    for feed, day in (("updated", "01 Sep 2025"), ("created", "10 Jun 2025")):
        items = ET.parse(site / f"feed_rss_{feed}.xml").getroot().findall("./channel/item")
        item = next(i for i in items if i.findtext("link").endswith("/kpis-die-ertoe-doen/"))
        assert day in item.findtext("pubDate"), feed
    assert "<b>KPI" not in page, "the title is text everywhere"


# -- Tables on phones -------------------------------------------------------------------


def test_wide_tables_label_every_cell_with_its_column() -> None:
    html = (
        "<table>\n<thead>\n<tr>\n<th>KPI</th>\n<th>Meten &amp; weten</th>\n<th>Tool</th>\n"
        '</tr>\n</thead>\n<tbody>\n<tr>\n<td>Omzet</td>\n<td align="right">UTM</td>\n'
        "<td>GA</td>\n</tr>\n</tbody>\n</table>"
    )
    labelled = label_table_cells(html)
    assert '<td data-label="KPI">Omzet</td>' in labelled
    assert '<td data-label="Meten &amp; weten" align="right">UTM</td>' in labelled
    assert '<td data-label="Tool">GA</td>' in labelled
    narrow = "<table><thead><tr><th>A</th><th>B</th></tr></thead><tbody><tr><td>1</td>"
    narrow += "<td>2</td></tr></tbody></table>"
    assert label_table_cells(narrow) == narrow, "two columns fit a phone as they are"


def test_the_kpi_table_of_the_influencer_post_stacks_on_phones(site: Path) -> None:
    article = article_html(post_page(site, "roi-influencermarketing-meten"))
    table = re.search(r"<table>.*?</table>", article, re.S).group(0)
    cells = re.findall(r"<td\b[^>]*>", table)
    assert cells and all("data-label=" in cell for cell in cells)
