"""Tables on phones: cells labelled with their column, so rows can stack."""

from __future__ import annotations

import re

from markupsafe import Markup, escape

TABLE_RE = re.compile(r"<table>(?P<body>.*?)</table>", re.DOTALL)
HEADER_CELL_RE = re.compile(r"<th\b[^>]*>(?P<text>.*?)</th>", re.DOTALL)
ROW_RE = re.compile(r"<tr>(?P<cells>.*?)</tr>", re.DOTALL)
CELL_RE = re.compile(r"<td\b")
STACKED_FROM_COLUMNS = 3


def label_table_cells(html: str) -> str:
    """Tables of three or more columns stack their rows on a phone.

    Each body cell gets its column header as `data-label`; the stylesheet shows
    that label before the cell when the rows are stacked (narrow screens).
    """

    def label(match: re.Match[str]) -> str:
        body = match.group("body")
        headers = [_text(cell.group("text")) for cell in HEADER_CELL_RE.finditer(body)]
        if len(headers) < STACKED_FROM_COLUMNS:
            return match.group(0)

        def row(row_match: re.Match[str]) -> str:
            labels = iter(headers)
            return CELL_RE.sub(
                lambda cell: f'<td data-label="{escape(next(labels, ""))}"', row_match.group(0)
            )

        return f"<table>{ROW_RE.sub(row, body)}</table>"

    return TABLE_RE.sub(label, html)


def _text(html: str) -> str:
    return Markup(re.sub(r"<[^>]+>", "", html)).unescape().strip()
