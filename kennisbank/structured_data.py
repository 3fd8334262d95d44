"""JSON-LD that search engines read: safe to put in a <script> element, whatever the text."""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Sequence
from typing import Any

from markupsafe import Markup


def json_ld(data: object) -> Markup:
    """JSON for a <script type="application/ld+json">; no text can end the element.

    `<`, `>` and `&` are written as JSON escapes, so a title with `</script>`
    stays data (the JSON parses to the same text).
    """
    text = json.dumps(data, ensure_ascii=False, separators=(",", ":"))
    for char in "<>&":
        text = text.replace(char, f"\\u{ord(char):04x}")
    return Markup(text)


def plain(value: object) -> str:
    """Frontmatter text as typed: kennisbank/posts.py may already have escaped it."""
    if isinstance(value, Markup):
        return value.unescape()
    return "" if value is None else str(value)


def breadcrumbs(items: Sequence[tuple[str, str]]) -> dict[str, Any]:
    return {
        "@context": "https://schema.org",
        "@type": "BreadcrumbList",
        "itemListElement": [
            {"@type": "ListItem", "position": index, "name": name, "item": url}
            for index, (name, url) in enumerate(items, start=1)
        ],
    }


def absolute(config, url: str) -> str:
    base = config.get("site_url") or "/"
    return base.rstrip("/") + "/" + url.lstrip("/")


def iso(value: dt.datetime) -> str:
    return value.date().isoformat() if value.time() == dt.time() else value.isoformat()
