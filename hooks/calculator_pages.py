"""MkDocs events for pages with calculators (the logic: kennisbank/calculator_pages.py).

- Before anything is built, every ```calculator block of every page is checked,
  and mistakes stop the build naming file and line (`on_files`).
- Posts that list `calculators:` get a "Reken het zelf uit" section (`on_page_markdown`).
- Only pages with a calculator load the browser glue (`on_page_content`), and
  give Python's start-up the first turn (`on_post_page`).
"""

from __future__ import annotations

from mkdocs.exceptions import Abort
from mkdocs.plugins import event_priority

from kennisbank import calculator_pages
from kennisbank.fences import FENCE_PROBLEMS_TITLE, site_fence_problems


def on_files(files, config):
    calculator_pages.start_build(config)
    calculator_pages.fingerprint_scripts(files, config)
    problems = site_fence_problems(files.documentation_pages())
    if problems:
        lines = "\n".join(f"  {problem}" for problem in problems)
        raise Abort(f"{FENCE_PROBLEMS_TITLE}\n{lines}")
    return files


def on_page_markdown(markdown, page, config, files):
    ids = page.meta.get("calculators")
    if not ids:
        return markdown
    return calculator_pages.with_calculator_links(markdown, ids, page.file.src_uri)


def on_post_page(output, page, config):
    return calculator_pages.python_first(output, page.url, config)


# Before the blog plugin, which computes a reading time only when none is set.
@event_priority(50)
def on_page_content(html, page, config, files):
    if 'data-calculator="' not in html:
        return html
    calculator_pages.count_article_readtime(html, page, config)
    return calculator_pages.with_glue(html, page, config, files)


@event_priority(50)  # before hooks/ship_pyodide.py puts the snapshot into the site
def on_post_build(config):
    calculator_pages.snapshot_site_path(config)  # made, whether a page named it or not
