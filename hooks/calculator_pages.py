"""MkDocs glue for pages with calculators.

- Before anything is built, every ```calculator block of every page is checked,
  and mistakes stop the build naming file and line (`on_files`).
- Posts that list `calculators:` in their frontmatter get a "Reken het zelf uit"
  section linking to those calculators (`on_page_markdown`).
- Only pages that contain a calculator load the browser glue; it is told where
  the self-hosted Pyodide runtime and the calculators package live
  (`on_page_content`). Pages without one load nothing of it. The glue's file
  names carry a content hash, like Material's own assets, so browsers may
  cache them for good (`on_files`).
- A post's reading time counts the article, not the calculator forms in it.
"""

from __future__ import annotations

import hashlib
import re
import textwrap
from collections.abc import Iterator
from dataclasses import dataclass
from functools import lru_cache

from material.plugins.blog.readtime import readtime
from mkdocs.exceptions import Abort
from mkdocs.plugins import event_priority
from mkdocs.utils import get_relative_url

from hooks import pyodide_bundle
from hooks.calculator_fence import FenceError, echo_value, parse_block
from hooks.listings import calculator_page, markdown_text, relative_link
from hooks.posts import blog_config

# An opening fence, possibly indented (lists, admonitions), as SuperFences reads
# it: the closing fence has the same indentation and the very same marker.
OPENING_FENCE_RE = re.compile(r"^(?P<indent>[ \t]*)(?P<fence>`{3,}|~{3,})(?P<info>.*)$")
# The info string of a calculator block: `calculator` or `{.calculator}`, and
# whatever follows it on the opening line (which must be nothing).
CALCULATOR_INFO_RE = re.compile(r"^\s*(?P<brace>\{)?\s*\.?calculator(?![\w-])(?P<rest>.*)$")
GLUE = "assets/javascripts/calculator.mjs"
WORKER = "assets/javascripts/calculator-worker.mjs"
# Material's search worker, held back until Python is live (see that file).
SEARCH_AFTER_PYTHON = "assets/javascripts/workers/search-after-python.js"
# Material's page config names its search worker, next to which ours lies.
MATERIAL_SEARCH_RE = re.compile(r'("search": ")([^"]*/workers/)(search\.[0-9a-f]+\.min\.js)(")')
# The fence template marks each calculator so it can be left out of the reading time.
CALCULATOR_HTML_RE = re.compile(r"<!-- kb-calculator -->.*?<!-- /kb-calculator -->", re.DOTALL)


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


# Every build checks every page (`mkdocs serve` rebuilds on each save): remembered by text.
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


# Source path -> content-hashed path of this build's own scripts (on_files).
_fingerprinted: dict[str, str] = {}


def fingerprint(file) -> None:
    """Give a static file a content-hashed name: calculator.mjs -> calculator.1a2b3c4d.mjs."""
    digest = hashlib.sha256(file.content_bytes).hexdigest()[:8]
    stem, dot, extension = file.dest_uri.rpartition(".")
    file.dest_uri = f"{stem}.{digest}{dot}{extension}"
    file.url = file.dest_uri
    _fingerprinted[file.src_uri] = file.dest_uri


def on_files(files, config):
    for glue in (GLUE, WORKER, SEARCH_AFTER_PYTHON):
        fingerprint(files.get_file_from_path(glue))
    problems = []
    for file in files.documentation_pages():
        source = file.content_string
        if "calculator" in source:
            problems += fence_problems(source, file.src_uri)
    if problems:
        lines = "\n".join(f"  {problem}" for problem in problems)
        raise Abort(f"Een rekenhulp-blok bevat een fout:\n{lines}")
    return files


def on_page_markdown(markdown, page, config, files):
    ids = page.meta.get("calculators")
    if not ids:
        return markdown
    from calculators import registry

    source = page.file.src_uri
    links = "\n".join(
        f"- [{markdown_text(registry[i].title)}]({relative_link(source, calculator_page(i))})"
        f" — {markdown_text(registry[i].purpose)}"
        for i in ids
    )
    return f"{markdown}\n\n## Reken het zelf uit {{ #reken-het-zelf-uit }}\n\n{links}\n"


def on_post_page(output, page, config):
    """On a page with a calculator, give Python's start-up the first turn.

    The browser fetches Pyodide's 18 kB loader while it parses the page: the
    worker imports the same URL once a calculator is reached and finds it in
    the HTTP cache, so the 13 MB runtime download starts one round trip sooner.
    And Material builds its search index only once Python is live.
    """
    if "data-kb-runtime=" not in output:
        return output
    runtime = get_relative_url(pyodide_bundle.runtime_path(config) + "pyodide.mjs", page.url)
    output = output.replace("</head>", f'<link rel="modulepreload" href="{runtime}">\n</head>', 1)
    return search_after_python(output, page.url)


def search_after_python(output: str, url: str) -> str:
    """Point Material's config at our search worker, which loads Material's later."""
    later = _fingerprinted[SEARCH_AFTER_PYTHON].rpartition("/")[2]  # in the same folder
    output, count = MATERIAL_SEARCH_RE.subn(rf"\g<1>\g<2>{later}?worker=\g<3>\g<4>", output, 1)
    if count != 1:
        raise Abort(f"{url}: Material's search worker is not named in the page's config")
    return output


# Before the blog plugin, which computes a reading time only when none is set.
@event_priority(50)
def on_page_content(html, page, config, files):
    if 'data-calculator="' not in html:
        return html
    post_config = getattr(page, "config", None)
    if post_config is not None and hasattr(post_config, "readtime") and not post_config.readtime:
        words_per_minute = blog_config(config).get("post_readtime_words_per_minute", 265)
        post_config.readtime = readtime(CALCULATOR_HTML_RE.sub("", html), words_per_minute)
    url = page.url
    runtime = get_relative_url(pyodide_bundle.runtime_path(config) + "pyodide.mjs", url)
    lockfile = get_relative_url(pyodide_bundle.package_path(config) + "pyodide-lock.json", url)
    snapshot = get_relative_url(pyodide_bundle.snapshot_path(config), url)
    glue = files.get_file_from_path(GLUE).url_relative_to(page.file)
    worker = files.get_file_from_path(WORKER).url_relative_to(page.file)
    # First in the content: the async module then runs while the rest of the page
    # is parsed. Inside the content, Material's instant navigation runs it too.
    return (
        f'<script type="module" async src="{glue}" data-kb-worker="{worker}" '
        f'data-kb-runtime="{runtime}" data-kb-lockfile="{lockfile}" '
        f'data-kb-snapshot="{snapshot}"></script>\n{html}'
    )
