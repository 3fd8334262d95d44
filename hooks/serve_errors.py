"""MkDocs events that show build problems in the browser during `make serve`.

`mkdocs serve` would stop on a mistake and leave every request waiting; the
problems collected in kennisbank/problems.py are shown on a Dutch error page at
each page's URL instead, and the site returns once the file is fixed.
"""

from __future__ import annotations

from mkdocs.plugins import event_priority

from kennisbank import problems
from kennisbank.fences import FENCE_PROBLEMS_TITLE, site_fence_problems


def on_startup(command, dirty):
    problems.start(command)


@event_priority(100)  # before the checks, which report into a fresh list
def on_config(config):
    problems.clear()
    return config


@event_priority(100)  # before the calculator pages and the blog read the pages
def on_files(files, config):
    if not problems.serving:
        return files
    fences = site_fence_problems(files.documentation_pages())
    if fences:
        problems.report(FENCE_PROBLEMS_TITLE, fences)
    if not problems.problems:
        return files
    return problems.placeholders(files, config)


# After every other hook, the CSP meta included: the page is replaced as a whole,
# and the live-reload script the server adds to it must be allowed to run.
@event_priority(-200)
def on_post_page(output, page, config):
    if not problems.problems:
        return output
    return problems.error_page(problems.problems, config["site_name"])
