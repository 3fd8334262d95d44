"""Generated lists in pages: the latest articles and the calculators.

A page asks for a list with a marker comment on its own line:

    <!-- kennisbank:latest-posts -->     the newest published posts
    <!-- kennisbank:calculators -->      every calculator, linking to its page
    <!-- kennisbank:example roas -->     a calculator's worked example, computed now
    <!-- kennisbank:contact -->          the offer and contact details (extra.contact)

The lists are written as Markdown links to the source files, so MkDocs turns
them into the right URLs and checks them like any other link.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Mapping
from pathlib import Path
from typing import Any

from babel.dates import format_date
from mkdocs.exceptions import PluginError

from kennisbank import posts as post_schema
from kennisbank.blog import authors_file_from_config, posts_dir_from_config, read_authors
from kennisbank.links import calculator_page, phone_href, relative_link
from kennisbank.markdown import markdown_text

LATEST_POSTS = 6
MARKER_RE = re.compile(
    r"^<!--\s*kennisbank:(?P<name>[a-z-]+)(?:\s+(?P<arg>[a-z0-9_]+))?\s*-->\s*$", re.MULTILINE
)


def dutch_date(day: dt.date) -> str:
    return format_date(day, format="long", locale="nl")


# -- The lists ------------------------------------------------------------------


def latest_posts_markdown(config: Mapping[str, Any], page_src: str) -> str:
    docs_dir = Path(config["docs_dir"])
    files = post_schema.post_files(posts_dir_from_config(config))
    authors = _author_names(config)
    published = []
    for path in files:
        post, problems = post_schema.read_post(docs_dir, path)
        if post is None or problems or post.draft:
            continue
        day = post_schema.as_date(post.meta.get("date"))
        published.append((day or dt.date.min, post))
    published.sort(key=lambda item: (item[0], item[1].path), reverse=True)

    cards = []
    for day, post in published[:LATEST_POSTS]:
        meta = post.meta
        names = ", ".join(authors.get(a, a) for a in meta.get("authors") or [])
        byline = " · ".join(part for part in (dutch_date(day), names) if part)
        cards.append(
            f"-   **[{markdown_text(meta.get('title', ''))}]"
            f"({relative_link(page_src, post.path)})**\n\n"
            f"    <small>{markdown_text(byline)}</small>\n\n"
            f"    {markdown_text(meta.get('description', ''))}\n"
        )
    if not cards:
        return "_Er zijn nog geen artikelen gepubliceerd._\n"
    return '<div class="grid cards kb-latest-posts" markdown>\n\n' + "\n".join(cards) + "\n</div>\n"


def calculators_markdown(page_src: str) -> str:
    from calculators import registry

    cards = []
    for calculator in registry.values():
        link = relative_link(page_src, calculator_page(calculator.id))
        cards.append(
            f"-   **[{markdown_text(calculator.title)}]({link})**\n\n"
            f"    {markdown_text(calculator.purpose)}\n"
        )
    return '<div class="grid cards kb-calculators" markdown>\n\n' + "\n".join(cards) + "\n</div>\n"


def example_markdown(calculator_id: str) -> str:
    """The calculator's example values and their outputs, as two tables."""
    from calculators import format_value, get

    calculator = get(calculator_id)
    result = calculator.compute(calculator.example_inputs())
    given = [
        (field.label, format_value(result.inputs[field.name], field.kind))
        for field in calculator.fields
        if result.inputs.get(field.name) is not None
    ]
    outputs = [(output.label, result.display[output.name]) for output in calculator.outputs]
    rows = ["| Invoer | Waarde |", "| --- | ---: |"]
    rows += [f"| {markdown_text(label)} | {markdown_text(value)} |" for label, value in given]
    rows += ["", "| Uitkomst | Waarde |", "| --- | ---: |"]
    rows += [f"| {markdown_text(label)} | {markdown_text(value)} |" for label, value in outputs]
    return "\n".join(rows) + "\n"


def contact_markdown(config: Mapping[str, Any]) -> str:
    """The site owner's offer and how to reach them, from mkdocs.yml `extra.contact`."""
    contact = config["extra"]["contact"]
    email = contact["email"].strip()
    lines = [
        f"## {markdown_text(contact['offer_title'])}",
        "",
        markdown_text(contact["offer"]),
        "",
        '<div class="kb-contact" markdown>',
        "",
        f"**{markdown_text(contact['name'])}**",
        "",
        f"- E-mail: [{markdown_text(email)}](mailto:{email})",
    ]
    if contact.get("phone"):
        phone = contact["phone"].strip()
        lines.append(f"- Telefoon: [{markdown_text(phone)}]({phone_href(phone)})")
    return "\n".join([*lines, "", "</div>", ""])


def _author_names(config: Mapping[str, Any]) -> dict[str, str]:
    authors = read_authors(authors_file_from_config(config))
    return {key: (entry or {}).get("name", key) for key, entry in authors.items()}


# -- The markers ------------------------------------------------------------------


def expand_markers(markdown: str, config: Mapping[str, Any], src: str) -> str:
    """Every marker comment of the page `src` replaced by its list."""
    if "kennisbank:" not in markdown:
        return markdown

    def expand(match: re.Match[str]) -> str:
        name = match.group("name")
        if name == "latest-posts":
            return latest_posts_markdown(config, src)
        if name == "calculators":
            return calculators_markdown(src)
        if name == "contact":
            return contact_markdown(config)
        if name == "example" and match.group("arg"):
            try:
                return example_markdown(match.group("arg"))
            except LookupError as error:  # an unknown calculator id
                raise PluginError(f"{src}: {match.group(0).strip()}: {error}") from None
        raise PluginError(f"{src}: onbekende lijst '{name}' in <!-- kennisbank:{name} -->")

    return MARKER_RE.sub(expand, markdown)
