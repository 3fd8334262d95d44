"""MkDocs event that fills the generated lists into pages (kennisbank/listings.py)."""

from __future__ import annotations

from kennisbank.listings import expand_markers


def on_page_markdown(markdown, page, config, files):
    return expand_markers(markdown, config, page.file.src_uri)
