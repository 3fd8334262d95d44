"""The editorial standard of the published articles, checked on the real build (issue 10).

Only the article text is checked: what the post's Markdown produces. The byline at the
top, the calculators and the site's own blocks after the article (offer, related posts,
share links: `<aside>`/`<nav>`) are left out, so a link to LinkedIn in the share links is
not "a link in the article".
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import urljoin, urlsplit

import frontmatter
import pytest

from .support import ROOT, article_html

# Published posts only: drafts are not in the production build.
SOURCES = [
    source
    for source in sorted((ROOT / "docs" / "blog" / "posts").glob("*.md"))
    if frontmatter.load(source).metadata.get("draft") is not True
]
SLUGS = [frontmatter.load(source).metadata["slug"] for source in SOURCES]

# Promotion of other firms and offers that lead nowhere (issue 10).
PROMOTION = [
    "Growth Blocks",
    "gratis leadplan",
    "gratis leadsplan",
    "strategische intake",
    "Phil en Flo",
    "philenflo",
    "Vraag ons",
]
# Text that read unedited: split compounds, template leftovers, a first-person voice under
# an editorial byline, "herroeping" for recall (compared ignoring case).
UNEDITED = [
    "mijn ambachtelijke",
    "herroeping",
    "Website Verkeer",
    "Leads Generatie",
    "Korte termijn ROI",
    "lange termijn impact",
    "lange termijn merkwaarde",
    "kerninzicht",
    "Mijn persoonlijke lessen",
    "mede-ondernemer",
    "Ik spreek uit ervaring",
    "ikzelf",
    "video marketing",
    "influencer marketing",
    "marketing video",
    "performance marketing",
    "video views",
    "Veelgestelde vragen (FAQ)",
]
# English capitalisation and leftovers that are fine Dutch in lower case ("op korte termijn",
# "de stelling dat …"): compared exactly.
CAPITALISED = [
    "De Grote Misvatting",
    "Is het alleen maar bereik",
    "Korte termijn",
    "Lange termijn",
    "Directe Verkoop",
    "Engagement Rate",
    "De stelling",
]
# Firms a post is based on: named once, plainly, in a closing "Bron:" line and nowhere
# else on the site. A credit is not promotion; a recommendation or a link would be.
CREDITS = {
    "kpis-die-ertoe-doen": "Sendt Media",
    "slimme-videomarketing": "Phil & Flo",
}
CREDIT_RE = re.compile(r"^Bron: gebaseerd op een artikel van .+ \((?:19|20)\d\d\)\.$")
# External links in article text. Deliberately empty: tools and firms are named, not
# linked; a reader who wants them finds them. Add a non-commercial source (a law, a
# standard) here explicitly when an article needs one.
ALLOWED_EXTERNAL_LINKS: frozenset[str] = frozenset()
# Capitalised words allowed after the first word of a heading: names of products and
# platforms. Acronyms (two or more capitals, e.g. KPI’s, ROI, AI) are always allowed.
PROPER_NOUNS = frozenset({"Google", "Instagram", "LinkedIn", "TikTok", "YouTube", "Nederland"})
CLOSING_HEADINGS = frozenset({"tot slot", "afronding", "conclusie"})
# Posts whose own text has a call to action; it must lead to the contact page.
CTA_POSTS = [
    "kpis-die-ertoe-doen",
    "slimme-videomarketing",
    "strategisch-meedenken-vs-uitvoeren",
    "waarom-videos-geen-kpis-halen",
]
CTA_RE = re.compile(r"\bcontact\b|\bsparren\b|\bintake\b", re.IGNORECASE)
MAX_HEADING_WORDS = 12
VOID = frozenset(
    ("area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source", "wbr")
)
# Not article text: navigation and asides the templates add, the byline, the calculators
# and the headings' permalink signs.
SKIPPED_TAGS = frozenset({"aside", "nav", "script", "style"})
SKIPPED_CLASSES = frozenset({"kb-calculator", "md-meta", "headerlink"})
# Sections the build appends to a post's Markdown (kennisbank/calculator_pages.py): the article
# text ends where they begin.
GENERATED_SECTIONS = frozenset({"reken-het-zelf-uit"})
BLOCKS = frozenset({"h1", "h2", "h3", "h4", "h5", "h6", "p", "li", "th", "td"})


@dataclass
class Block:
    tag: str
    text: str = ""
    links: list[tuple[str, str]] = field(default_factory=list)


class ArticleText(HTMLParser):
    """The article text of a post page as blocks (headings, paragraphs, list items)."""

    def __init__(self) -> None:
        super().__init__()
        self.skipping = 0
        self.ended = False
        self.blocks: list[Block] = []
        self.open: list[Block] = []
        self.link: list[str] | None = None
        self.links: list[tuple[str, str]] = []
        self.parts: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in VOID or self.ended:
            return
        classes = set((dict(attrs).get("class") or "").split())
        if dict(attrs).get("id") in GENERATED_SECTIONS:
            self.ended = True
        elif self.skipping:
            self.skipping += 1
        elif tag in SKIPPED_TAGS or classes & SKIPPED_CLASSES:
            self.skipping = 1
        elif tag in BLOCKS:
            self.open.append(Block(tag))
        elif tag == "a":
            self.link = [dict(attrs).get("href") or "", ""]

    def handle_startendtag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        pass  # void elements carry no text

    def handle_endtag(self, tag: str) -> None:
        if tag in VOID or self.ended:
            return
        if self.skipping:
            self.skipping -= 1
        elif tag == "a" and self.link is not None:
            href, text = self.link
            self.links.append((href, text.strip()))
            if self.open:
                self.open[-1].links.append((href, text.strip()))
            self.link = None
        elif tag in BLOCKS and self.open and self.open[-1].tag == tag:
            block = self.open.pop()
            block.text = re.sub(r"\s+", " ", block.text).strip()
            self.blocks.append(block)
            if self.open:  # a list item's paragraph also counts for the list item
                self.open[-1].text += " " + block.text

    def handle_data(self, data: str) -> None:
        if self.skipping or self.ended:
            return
        self.parts.append(data)
        if self.open:
            self.open[-1].text += data
        if self.link is not None:
            self.link[1] += data

    @property
    def text(self) -> str:
        # Joined as written: a phrase split by inline markup ("gratis <em>leadplan</em>")
        # still reads as that phrase.
        return re.sub(r"\s+", " ", "".join(self.parts)).strip()

    @property
    def headings(self) -> list[Block]:
        return [b for b in self.blocks if b.tag in {"h1", "h2", "h3", "h4", "h5", "h6"}]


@dataclass
class Post:
    slug: str
    meta: dict
    url: str
    article: ArticleText


@pytest.fixture(scope="module")
def posts(site: Path) -> dict[str, Post]:
    result = {}
    for source in SOURCES:
        meta = frontmatter.load(source).metadata
        slug = meta["slug"]
        parser = ArticleText()
        page = (site / "blog" / slug / "index.html").read_text(encoding="utf-8")
        parser.feed(article_html(page))
        result[slug] = Post(slug, meta, f"http://site.invalid/blog/{slug}/", parser)
    return result


def site_file(site: Path, url: str) -> Path:
    path = urlsplit(url).path.lstrip("/")
    target = site / path
    return target / "index.html" if path.endswith("/") or not path else target


def test_every_post_is_checked(posts: dict[str, Post]) -> None:
    assert len(posts) >= 5
    for post in posts.values():
        assert len(post.article.headings) >= 4, post.slug
        assert len(post.article.text) > 2000, f"{post.slug}: the article text was found"
        # The checks see the article, not the calculators' forms or the blocks after it.
        assert "Deel dit artikel" not in post.article.text
        assert "Lees ook" not in post.article.text


@pytest.mark.parametrize("slug", SLUGS)
def test_no_promotion_and_no_unedited_phrases(posts: dict[str, Post], slug: str) -> None:
    text = posts[slug].article.text.casefold()
    for phrase in PROMOTION + UNEDITED:
        assert phrase.casefold() not in text, f"{slug}: {phrase!r} is still in the article"
    for phrase in CAPITALISED:
        assert phrase not in posts[slug].article.text, f"{slug}: {phrase!r} is still in the article"


@pytest.mark.parametrize("slug", SLUGS)
def test_article_text_links_to_no_other_site(posts: dict[str, Post], slug: str) -> None:
    for href, text in posts[slug].article.links:
        parts = urlsplit(href)
        if parts.netloc or parts.scheme:
            assert href in ALLOWED_EXTERNAL_LINKS, f"{slug}: [{text}]({href}) leads off the site"


@pytest.mark.parametrize("slug", SLUGS)
def test_links_in_article_text_lead_to_pages_that_exist(
    site: Path, posts: dict[str, Post], slug: str
) -> None:
    post = posts[slug]
    for href, text in post.article.links:
        parts = urlsplit(href)
        if href.startswith("#") or parts.netloc or parts.scheme:
            continue  # other sites are the test above
        target = site_file(site, urljoin(post.url, href))
        assert target.is_file(), f"{slug}: [{text}]({href}) leads to a missing page"


@pytest.mark.parametrize("slug", SLUGS)
def test_every_call_to_action_leads_to_the_contact_page(
    site: Path, posts: dict[str, Post], slug: str
) -> None:
    post = posts[slug]
    contact = site / "contact" / "index.html"
    assert contact.is_file(), "the site has its own contact page"
    calls = [b for b in post.article.blocks if b.tag == "p" and CTA_RE.search(b.text)]
    if slug in CTA_POSTS:
        assert calls, f"{slug}: the article keeps its own call to action"
    for block in calls:
        targets = {site_file(site, urljoin(post.url, href)) for href, _ in block.links}
        assert contact in targets, f"{slug}: call to action without the contact link: {block.text}"


@pytest.mark.parametrize("slug", SLUGS)
def test_headings_are_dutch_sentence_case_and_short(posts: dict[str, Post], slug: str) -> None:
    for heading in posts[slug].article.headings:
        words = re.findall(r"[\w’'-]+", heading.text)
        for word in words[1:]:
            acronym = sum(c.isupper() for c in word) >= 2
            assert not word[0].isupper() or acronym or word in PROPER_NOUNS, (
                f"{slug}: heading in English capitalisation: {heading.text!r} ({word})"
            )
        lowered = heading.text.casefold()
        assert "stelling" not in lowered and "kerninzicht" not in lowered, heading.text
        if heading.tag != "h1":
            assert len(words) <= MAX_HEADING_WORDS, f"{slug}: heading too long: {heading.text!r}"


@pytest.mark.parametrize("slug", SLUGS)
def test_readers_are_addressed_as_je(posts: dict[str, Post], slug: str) -> None:
    formal = re.findall(r"\b(?:u|uw|uzelf)\b", posts[slug].article.text, re.IGNORECASE)
    assert not formal, f"{slug}: formal address ({formal}) next to 'je'"


@pytest.mark.parametrize("slug", SLUGS)
def test_editorial_posts_are_not_written_in_the_first_person(
    posts: dict[str, Post], slug: str
) -> None:
    post = posts[slug]
    if post.meta["authors"] != ["redactie"]:
        return
    # Quoted thoughts ("‘Móét ik nu ook…?’") are the reader's voice, not the byline's.
    narration = re.sub(r"‘[^’]*’|“[^”]*”|\"[^\"]*\"", " ", post.article.text)
    first_person = re.findall(r"\b(?:ik|mijn|mij|ikzelf)\b", narration, re.IGNORECASE)
    assert not first_person, f"{slug}: first person ({first_person}) under an editorial byline"


@pytest.mark.parametrize("slug", SLUGS)
def test_nothing_but_a_source_credit_follows_the_closing_section(
    posts: dict[str, Post], slug: str
) -> None:
    article = posts[slug].article
    sections = [h.text.casefold() for h in article.headings if h.tag == "h2"]
    closing = [i for i, text in enumerate(sections) if text in CLOSING_HEADINGS]
    assert len(closing) <= 1, f"{slug}: more than one closing section"
    if closing:
        assert closing[0] == len(sections) - 1, f"{slug}: sections after {sections[closing[0]]!r}"
    credits = [b for b in article.blocks if b.tag == "p" and b.text.startswith("Bron:")]
    assert len(credits) <= 1, f"{slug}: the source is credited once"
    if credits:
        assert article.blocks[-1] is credits[0], f"{slug}: the source credit comes last"


@pytest.mark.parametrize("slug", SLUGS)
def test_known_sources_are_credited_once_plainly_at_the_end(
    posts: dict[str, Post], slug: str
) -> None:
    article = posts[slug].article
    for other, firm in CREDITS.items():
        mentions = article.text.count(firm)
        if other != slug:
            assert mentions == 0, f"{slug} names {firm}"
            continue
        last = article.blocks[-1]
        assert CREDIT_RE.match(last.text), f"{slug}: ends with a plain credit: {last.text!r}"
        assert firm in last.text
        assert not last.links, f"{slug}: the credit carries no link"
        assert mentions == 1, f"{slug}: {firm} is named {mentions} times"


# Calculators placed next to the passage that names what they compute: (post, calculator,
# text of that passage). The calculator comes after the passage, in the same section.
EMBEDS = [
    ("waarom-videos-geen-kpis-halen", "video", "zet ze af tegen wat de video kost"),
    ("kpis-die-ertoe-doen", "mer", "Marketing Efficiency Ratio (MER)"),
    (
        "kpis-die-ertoe-doen",
        "incrementality",
        "incrementaliteitsmeting (incrementality measurement)",
    ),
]


@pytest.mark.parametrize(("slug", "calculator", "passage"), EMBEDS)
def test_calculators_sit_next_to_the_passage_that_names_them(
    site: Path, slug: str, calculator: str, passage: str
) -> None:
    page = article_html((site / "blog" / slug / "index.html").read_text(encoding="utf-8"))
    named = page.index(passage)
    section_end = page.find("<h2", named)
    embedded = page.find(f'data-calculator="{calculator}"', named)
    assert 0 < embedded < section_end, f"{slug}: {calculator} is not in the section of {passage!r}"
    source = ROOT / "docs" / "blog" / "posts" / f"{slug}.md"
    assert calculator in frontmatter.load(source).metadata["calculators"]
