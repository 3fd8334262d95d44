"""MkDocs glue for pages with calculators.

- Before anything is built, every ```calculator block of every page is checked,
  and mistakes stop the build naming file and line (`on_files`).
- Posts that list `calculators:` in their frontmatter get a "Reken het zelf uit"
  section linking to those calculators (`on_page_markdown`).
- Only pages that contain a calculator load the browser glue; it is told where
  the self-hosted Pyodide runtime and the calculators package live
  (`on_page_content`). Pages without one load nothing of it.
- A post's reading time counts the article, not the calculator forms in it.
"""

from __future__ import annotations

import re
import textwrap

from material.plugins.blog.readtime import readtime
from mkdocs.exceptions import Abort
from mkdocs.plugins import event_priority
from mkdocs.utils import get_relative_url

from hooks import pyodide_bundle
from hooks.calculator_fence import FenceError, parse_block
from hooks.listings import calculator_page, markdown_text, relative_link
from hooks.posts import blog_config

# A fenced block whose info string is `calculator`, possibly indented (lists,
# admonitions); the closing fence has the same indentation and marker.
FENCE_RE = re.compile(
    r"^(?P<indent>[ \t]*)(?P<fence>`{3,}|~{3,})[ \t]*\{?[ \t]*\.?calculator\b[^\n]*\n"
    r"(?P<body>.*?)^(?P=indent)(?P=fence)[ \t]*$",
    re.MULTILINE | re.DOTALL,
)
GLUE = "assets/javascripts/calculator.mjs"
# The fence template marks each calculator so it can be left out of the reading time.
CALCULATOR_HTML_RE = re.compile(r"<!-- kb-calculator -->.*?<!-- /kb-calculator -->", re.DOTALL)


def fence_problems(markdown: str, path: str) -> list[str]:
    """`<path>:<line>: <message>` for every broken calculator block in a page."""
    problems = []
    for match in FENCE_RE.finditer(markdown):
        first_body_line = markdown.count("\n", 0, match.start("body")) + 1
        body = textwrap.dedent(match.group("body"))
        try:
            parse_block(body)
        except FenceError as error:
            problems.append(
                f"{path}:{first_body_line + error.line - 1}: rekenhulp: {error.message}"
            )
    return problems


def on_files(files, config):
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
    lockfile = get_relative_url(pyodide_bundle.PACKAGE_DIR + "pyodide-lock.json", url)
    glue = get_relative_url(GLUE, url)
    return (
        f"{html}\n"
        f'<script type="module" src="{glue}" data-kb-runtime="{runtime}" '
        f'data-kb-lockfile="{lockfile}"></script>\n'
    )
