"""Text written into generated Markdown: literal, never markup."""

from __future__ import annotations

import html
import re

# Python-Markdown's escapable characters, plus `<`/`&` which html.escape handles.
_MARKDOWN_SPECIAL = re.compile(r"([\\`*_{}\[\]()#+\-.!|>])")


def markdown_text(text: str) -> str:
    """Frontmatter text as literal Markdown: no HTML, no emphasis, no links."""
    return _MARKDOWN_SPECIAL.sub(r"\\\1", html.escape(str(text), quote=False))
