"""MkDocs events for blog posts: check every post first, escape frontmatter text.

The schema, reading and checking are in kennisbank/posts.py. Editors run the
same check without building the site:

    python -m hooks.posts                      # all posts
    python -m hooks.posts docs/blog/posts/x.md # just these files
"""

from __future__ import annotations

import sys

from kennisbank import posts, problems


def on_config(config):
    """Stop with every problem of every post; while serving, show them in the browser."""
    found = posts.check_all(config)
    if found:
        problems.stop(posts.problems_title(found), [str(problem) for problem in found])
    return config


def on_page_markdown(markdown, page, config, files):
    posts.escape_frontmatter(page.meta)
    return markdown


if __name__ == "__main__":
    sys.exit(posts.main())
