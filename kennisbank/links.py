"""Where things live on the site, and links between them."""

from __future__ import annotations

import posixpath
import re


def relative_link(from_src: str, to_src: str) -> str:
    """A Markdown link target from one source file to another (both docs/-relative)."""
    return posixpath.relpath(to_src, posixpath.dirname(from_src) or ".")


def calculator_page(calculator_id: str) -> str:
    """The landing page of a calculator, relative to docs/ (by convention)."""
    return f"rekenhulpen/{calculator_id.replace('_', '-')}.md"


def phone_href(phone: str) -> str:
    return "tel:" + re.sub(r"[^0-9+]", "", phone)
