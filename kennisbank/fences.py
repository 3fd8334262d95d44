"""Find the ```calculator blocks of a page and name every mistake by file and line."""

from __future__ import annotations

import re
import textwrap
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from functools import lru_cache

from kennisbank.fence import FenceError, echo_value, parse_block

# An opening fence, possibly indented (lists, admonitions), as SuperFences reads
# it: the closing fence has the same indentation and the very same marker.
OPENING_FENCE_RE = re.compile(r"^(?P<indent>[ \t]*)(?P<fence>`{3,}|~{3,})(?P<info>.*)$")
# The info string of a calculator block: `calculator` or `{.calculator}`, and
# whatever follows it on the opening line (which must be nothing).
CALCULATOR_INFO_RE = re.compile(r"^\s*(?P<brace>\{)?\s*\.?calculator(?![\w-])(?P<rest>.*)$")
FENCE_PROBLEMS_TITLE = "Een rekenhulp-blok bevat een fout:"


@dataclass(frozen=True)
class Fence:
    """A fenced block that is not inside another one; `line` is its opening line (1-based)."""

    line: int
    info: str
    body: str


def top_level_fences(markdown: str) -> Iterator[Fence]:
    """The fenced blocks SuperFences renders: a fence inside another one is just text.

    A ```calculator example inside a ````markdown block is therefore not live.
    An opening fence that is never closed is no fence, as for SuperFences.
    """
    lines = markdown.split("\n")
    index = 0
    while index < len(lines):
        opening = OPENING_FENCE_RE.match(lines[index])
        index += 1
        if opening is None or (opening["fence"][0] == "`" and "`" in opening["info"]):
            continue
        closing = opening["indent"] + opening["fence"]
        end = next((i for i in range(index, len(lines)) if lines[i].rstrip(" \t") == closing), None)
        if end is None:
            continue
        yield Fence(index, opening["info"], "\n".join(lines[index:end]) + "\n")
        index = end + 1


def fence_problems(markdown: str, path: str) -> list[str]:
    """`<path>:<line>: <message>` for every broken calculator block in a page."""
    return list(_fence_problems(markdown, path))


# Every build checks every page, and `mkdocs serve` builds on every save:
# remembered by the page's text.
@lru_cache(maxsize=4096)
def _fence_problems(markdown: str, path: str) -> tuple[str, ...]:
    problems = []
    for fence in top_level_fences(markdown):
        info = CALCULATOR_INFO_RE.match(fence.info)
        if info is None:
            continue
        rest = info["rest"].strip()
        if info["brace"] and rest.endswith("}"):
            rest = rest[:-1].strip()
        if rest:
            problems.append(
                f"{path}:{fence.line}: rekenhulp: onbekende instelling op de openingsregel "
                f"('{echo_value(rest)}'); schrijf alleen ```calculator en zet id en defaults "
                "in het blok"
            )
            continue
        try:
            parse_block(textwrap.dedent(fence.body))
        except FenceError as error:
            problems.append(f"{path}:{fence.line + error.line}: rekenhulp: {error.message}")
    return tuple(problems)


def site_fence_problems(pages: Iterable) -> list[str]:
    """The problems of every calculator block in these MkDocs documentation files."""
    return [
        problem
        for file in pages
        if "calculator" in (source := file.content_string)
        for problem in fence_problems(source, file.src_uri)
    ]
