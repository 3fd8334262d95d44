"""A post's excerpt rendered once per build, for every listing page it reads the same on.

Material's blog plugin converts a post's whole Markdown again for each listing
page that shows its excerpt (the index pages, the archive, its categories and
authors): 4.6 times per post with 1,000 posts, and half of a build's time. The
HTML differs between those pages only in its relative links (MkDocs makes
links relative to the page, and the plugin points anchors at the post). So the
last rendering of a post is reused for another listing page when every
relative `href` and `src` in it, taken back to the address it stands for,
reads the same from that page; otherwise the post is rendered again.
"""

from __future__ import annotations

import posixpath
import re
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from mkdocs.utils import get_relative_url

# Attributes MkDocs and the blog plugin rewrite; a srcset is not checked, so never reused.
LINK_RE = re.compile(r'\s(?:href|src)="([^"]*)"')
NOT_RELATIVE_RE = re.compile(r"^(?:[a-zA-Z][a-zA-Z0-9+.-]*:|/|#)")


@dataclass
class Rendered:
    version: str
    view_url: str
    content: str
    more: str | None
    toc: Any


def reads_the_same(html: str, rendered_for: str, view_url: str) -> bool:
    """Whether every relative link in `html`, made for page `rendered_for`, fits `view_url`."""
    if " srcset=" in html:
        return False
    base = directory(rendered_for)
    for link in LINK_RE.findall(html):
        if NOT_RELATIVE_RE.match(link):
            continue
        path = re.split(r"[?#]", link, maxsplit=1)[0]
        if not path:
            return False  # the page itself: another page for another view
        target = posixpath.normpath(posixpath.join(base, path)) + (
            "/" if path.endswith("/") else ""
        )
        if get_relative_url(target, view_url) != path:
            return False
    return True


def directory(url: str) -> str:
    """The folder a page's relative links start from (as mkdocs.utils.get_relative_url)."""
    head, tail = posixpath.split(url)
    return head if "." in tail else url


def render_once(
    render: Callable[[Any, Any], Any], version: Callable[[Any], str], toc: Callable[[Any], bool]
) -> Callable[[Any, Any], Any]:
    """Wrap the blog plugin's `_render_post(excerpt, view)` to reuse renderings.

    `version(post)` changes whenever the post's source does; `toc(view)` says
    whether the plugin adds the excerpt's headings to the page's contents.
    Only the latest rendering of each post is kept.
    """
    latest: dict[str, Rendered] = {}

    def render_post(excerpt, view):
        post = excerpt.post
        now = version(post)
        last = latest.get(post.file.src_uri)
        if (
            last is None
            or last.version != now
            or not reads_the_same(last.content + (last.more or ""), last.view_url, view.url)
        ):
            render(excerpt, view)
            latest[post.file.src_uri] = Rendered(
                now, view.url, excerpt.content, getattr(excerpt, "more", None), excerpt.toc
            )
            return excerpt
        excerpt.content, excerpt.more, excerpt.toc = last.content, last.more, last.toc
        if toc(view) and excerpt.toc.items and view.toc.items:
            view.toc.items[0].children.append(excerpt.toc.items[0])
        return excerpt

    render_post.clear = latest.clear  # type: ignore[attr-defined]
    return render_post
