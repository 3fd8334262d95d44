"""The README stays short, and it and the handbook link to files and headings that exist."""

from __future__ import annotations

import re
from collections import Counter
from pathlib import Path

import pytest

from .support import ROOT

HANDBOOK = ROOT / "handbook"
DOCUMENTS = [ROOT / "README.md", *sorted(HANDBOOK.glob("*.md"))]

FENCE = re.compile(r"^(`{3,}|~{3,}).*?^\1[ \t]*$", re.MULTILINE | re.DOTALL)
INLINE_CODE = re.compile(r"(`+).+?\1", re.DOTALL)
HEADING = re.compile(r"^#{1,6}[ \t]+(.+?)[ \t]*#*[ \t]*$", re.MULTILINE)
# Inline links and images `[text](target "title")`, and reference definitions `[x]: target`.
INLINE_LINK = re.compile(r"!?\[[^\]]*\]\(\s*<?([^)\s>]+)>?(?:\s+\"[^\"]*\")?\s*\)")
REFERENCE = re.compile(r"^\s{0,3}\[[^\]]+\]:\s*<?(\S+?)>?(?:\s.*)?$", re.MULTILINE)
EXTERNAL = re.compile(r"^[a-z][a-z0-9+.-]*:", re.IGNORECASE)


def prose(markdown: str) -> str:
    """The text outside fenced code blocks and inline code spans."""
    return INLINE_CODE.sub("", FENCE.sub("", markdown))


def slug(heading: str) -> str:
    """GitHub's anchor for a heading: lower case, punctuation dropped, spaces as hyphens."""
    text = re.sub(r"[`*]|<[^>]+>", "", heading).strip().lower()
    text = re.sub(r"\[([^\]]*)\]\([^)]*\)", r"\1", text)
    return re.sub(r"[^\w\- ]", "", text).replace(" ", "-")


def anchors(path: Path) -> set[str]:
    """Every heading anchor in a Markdown file, numbered as GitHub numbers repeats."""
    seen: Counter[str] = Counter()
    found = set()
    for heading in HEADING.findall(FENCE.sub("", path.read_text(encoding="utf-8"))):
        base = slug(heading)
        found.add(f"{base}-{seen[base]}" if seen[base] else base)
        seen[base] += 1
    return found


def relative_links(path: Path) -> list[str]:
    text = prose(path.read_text(encoding="utf-8"))
    links = INLINE_LINK.findall(text) + REFERENCE.findall(text)
    return [link for link in links if not EXTERNAL.match(link)]


def test_the_readme_is_short() -> None:
    lines = (ROOT / "README.md").read_text(encoding="utf-8").splitlines()
    assert len(lines) <= 200


def test_the_handbook_has_its_parts() -> None:
    names = {path.name for path in HANDBOOK.glob("*.md")}
    assert {
        "README.md",
        "redacteuren.md",
        "calculators.md",
        "deploying.md",
        "architecture.md",
        "performance.md",
    } <= names


def test_the_slugs_are_githubs() -> None:
    assert slug("Why these choices") == "why-these-choices"
    assert slug("Een rekenhulp in een artikel zetten") == "een-rekenhulp-in-een-artikel-zetten"
    assert slug("Chromium's own pages are kept out") == "chromiums-own-pages-are-kept-out"
    assert slug("The `calculator` fence: één blok") == "the-calculator-fence-één-blok"


@pytest.mark.parametrize("document", DOCUMENTS, ids=lambda path: path.relative_to(ROOT).as_posix())
def test_every_relative_link_resolves(document: Path) -> None:
    broken = []
    for link in relative_links(document):
        target, _, anchor = link.partition("#")
        file = (document.parent / target).resolve() if target else document
        if not file.exists():
            broken.append(f"{link}: no such file")
        elif anchor and (file.suffix != ".md" or anchor not in anchors(file)):
            broken.append(f"{link}: no such heading")
    assert broken == []


def test_the_readme_leads_into_the_handbook() -> None:
    links = relative_links(ROOT / "README.md")
    linked = {(ROOT / link.partition("#")[0]).resolve() for link in links}
    assert set(HANDBOOK.glob("*.md")) <= linked


# Function words that occur in almost every sentence of their language and not in the other.
DUTCH = {"de", "het", "een", "en", "je", "van", "niet", "met", "voor", "wat", "hoe", "dat", "bij"}
ENGLISH = {"the", "and", "you", "your", "with", "for", "not", "what", "how", "that", "to"}


def words(text: str) -> list[str]:
    return re.findall(r"[^\W\d_]+", text.lower())


def test_the_editors_guide_is_in_dutch() -> None:
    text = prose((HANDBOOK / "redacteuren.md").read_text(encoding="utf-8"))
    counts = Counter(word for word in words(text) if word in DUTCH | ENGLISH)
    dutch = sum(counts[word] for word in DUTCH)
    english = sum(counts[word] for word in ENGLISH)
    assert dutch >= 200
    assert english * 20 <= dutch, counts

    headings = HEADING.findall(text)
    assert len(headings) >= 5
    english_headings = [h for h in headings if set(words(h)) & ENGLISH]
    assert english_headings == []
    assert sum(bool(set(words(h)) & DUTCH) for h in headings) * 2 >= len(headings)
