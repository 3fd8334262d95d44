"""The feeds and the sitemap stay well-formed XML for any text an editor can write.

Random text (control characters, markup, quotes, ampersands) goes in as a post's
title and description and as an author's name and description, through the real
build. Text with a character XML forbids must stop the build with a Dutch
message on its field; any other text must come out of every feed as itself.
"""

from __future__ import annotations

import xml.etree.ElementTree as ET
from pathlib import Path

import yaml
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from kennisbank.texts import XML_FORBIDDEN

from .support import build, copy_project

FORBIDDEN = ["\x00", "\x0b", "\x1f", "\ufffe", "\ud800"]
NASTY = ["<", ">", "&", '"', "'", "&amp;", "<script>", "]]>", "\x7f", "\x85", "\u2028", "\t"]
NASTY += ["\n", "{{", "{%", "*", "_", "[", "`", "#", "<!-- more -->", "\\"]
CLEAN = st.characters(codec="utf-8").filter(lambda c: not XML_FORBIDDEN.match(c))
TEXT = st.lists(st.one_of(st.sampled_from(NASTY), CLEAN), min_size=1, max_size=12).map("".join)
# Half of the examples carry one character XML forbids, in one of the three fields.
SPOILER = st.one_of(
    st.none(),
    st.tuples(st.sampled_from(["title", "description", "author"]), *[st.sampled_from(FORBIDDEN)]),
)
FEEDS = ("feed_rss_created.xml", "feed_rss_updated.xml", "sitemap.xml")


def words(text: str) -> str:
    """Text as XML gives it back: line ends normalised; compared word by word."""
    return " ".join(text.replace("\r", "\n").split())


def write_project(root: Path, title: str, description: str, author: str) -> Path:
    project = copy_project(root / "project")
    authors_file = project / "docs" / "blog" / ".authors.yml"
    authors = yaml.safe_load(authors_file.read_text(encoding="utf-8"))
    authors["authors"]["gast"] = {
        "name": author,
        "description": author,
        "avatar": "assets/images/authors/remco.svg",
    }
    authors_file.write_text(yaml.safe_dump(authors, allow_unicode=True), encoding="utf-8")
    meta = {
        "title": title,
        "description": description,
        "date": "2025-06-12",
        "authors": ["gast"],
        "categories": ["Strategie"],
        "slug": "willekeurige-tekst",
    }
    post = yaml.safe_dump(meta, allow_unicode=True).replace(
        "date: '2025-06-12'", "date: 2025-06-12"
    )
    (project / "docs" / "blog" / "posts" / "willekeurig.md").write_text(
        f"---\n{post}---\n\nInleiding.\n\n<!-- more -->\n\nDe rest.\n", encoding="utf-8"
    )
    return project


@settings(
    max_examples=6,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(title=TEXT, description=TEXT, author=TEXT, spoiler=SPOILER)
@example(
    title="Q&A <b>vet</b>",
    description='"KPI\'s" & <img src=x onerror=alert(1)>',
    author="Bakker & Zonen",
    spoiler=None,
)
@example(title="Nul", description="stuurteken", author="<script>", spoiler=("title", "\x00"))
def test_every_feed_and_the_sitemap_parse_as_xml(
    tmp_path_factory, title: str, description: str, author: str, spoiler
) -> None:
    if spoiler is not None:
        field, character = spoiler
        title += character if field == "title" else ""
        description += character if field == "description" else ""
        author += character if field == "author" else ""
    root = tmp_path_factory.mktemp("feeds")
    title = f"Titel {title}"
    description = f"Een beschrijving die lang genoeg is om geldig te zijn: {description}"
    project = write_project(root, title, description, author)
    result = build(project, root / "site")
    output = result.stdout + result.stderr
    assert "Traceback" not in output

    if any(XML_FORBIDDEN.search(text) for text in (title, description, author)):
        assert result.returncode == 1, output
        assert "bevat een onzichtbaar stuurteken" in output
        # The authors file is checked first; the posts once it is right.
        if XML_FORBIDDEN.search(author):
            assert "blog/.authors.yml: authors.gast.name: bevat een onzichtbaar" in output
        elif XML_FORBIDDEN.search(title):
            assert "blog/posts/willekeurig.md: title: bevat een onzichtbaar stuurteken" in output
        assert not (root / "site" / "index.html").exists()
        return

    assert result.returncode == 0, output
    for name in FEEDS:
        ET.parse(root / "site" / name)  # raises on anything that is not well-formed XML
    for name in FEEDS[:2]:
        channel = ET.parse(root / "site" / name).getroot().find("channel")
        item = next(
            i for i in channel.findall("item") if "willekeurige-tekst" in i.findtext("link")
        )
        assert words(item.findtext("title")) == words(title)
        assert words(description) in words(item.findtext("description"))
        assert [words(a.text or "") for a in item.findall("author")] == [words(author)]
