"""What a post page shows around the article, and what search engines read.

- The site owner's contact details and offer live in `mkdocs.yml` under
  `extra.contact`; they are checked before the build (`on_config`) and shown
  on the contact page and under every post.
- Under every post: the call to action, two or three related posts (shared
  categories and calculators) and share links. At the top: author, date,
  `updated` and reading time. The templates in `overrides/partials/` render
  them from `kb_post` in the page context (`on_page_context`).
- JSON-LD for posts (`BlogPosting`), calculator pages (`WebApplication`) and
  their breadcrumbs, as `kb_jsonld` for `overrides/main.html`.
- Footer links: blog listings (index, archive, categories, authors) get none,
  and no other page points into them except the blog index (`on_nav`).
- Tables of three or more columns label their cells, so they stack on phones
  (`on_page_content`); `updated` becomes Material's and the feed's update date.
"""

from __future__ import annotations

import datetime as dt
import json
import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any
from urllib.parse import quote

from markupsafe import Markup, escape
from mkdocs.plugins import event_priority

from hooks import posts as post_schema
from hooks.listings import calculator_page

CONTACT_PAGE = "contact.md"
CONTACT_REQUIRED = ("name", "email", "offer_title", "offer", "button")
CONTACT_OPTIONAL = ("phone",)
EMAIL_RE = re.compile(r"^[^@\s<>\"'&]+@[^@\s<>\"'&]+\.[a-z]{2,}$", re.IGNORECASE)
PHONE_RE = re.compile(r"^\+?[0-9][0-9 ()-]{5,}$")
# Example details that must not go live: the domains reserved for examples
# (RFC 2606 and RFC 6761), such as mkdocs.yml's own info@example.com.
PLACEHOLDER_EMAIL_DOMAINS = ("example.com", "example.org", "example.net")
PLACEHOLDER_EMAIL_SUFFIXES = (".example", ".test", ".invalid", ".localhost")
RELATED_MAX = 3
RELATED_MIN = 2

# Files of the current build, for the URL of the contact page.
_files = None


# -- Contact details ---------------------------------------------------------------


def contact_problems(contact: object) -> list[str]:
    """Dutch messages for a missing or malformed `extra.contact` in mkdocs.yml."""
    if not isinstance(contact, Mapping):
        return ["extra.contact: ontbreekt; zet er name, email, offer_title, offer en button in"]
    problems = []
    for key in contact:
        if key not in CONTACT_REQUIRED + CONTACT_OPTIONAL:
            allowed = ", ".join(CONTACT_REQUIRED + CONTACT_OPTIONAL)
            problems.append(f"extra.contact.{key}: is geen bekend veld. Toegestaan: {allowed}")
    for key in CONTACT_REQUIRED:
        value = contact.get(key)
        if not isinstance(value, str) or not value.strip():
            problems.append(f"extra.contact.{key}: ontbreekt; dit veld is verplicht (tekst)")
    email = contact.get("email")
    if isinstance(email, str) and email.strip() and not EMAIL_RE.match(email.strip()):
        problems.append(f"extra.contact.email: '{email}' is geen e-mailadres")
    phone = contact.get("phone")
    if phone not in (None, "") and not (isinstance(phone, str) and PHONE_RE.match(phone.strip())):
        problems.append(f"extra.contact.phone: '{phone}' is geen telefoonnummer")
    return problems


def is_placeholder_email(email: str) -> bool:
    domain = email.strip().rpartition("@")[2].lower()
    return (
        domain in PLACEHOLDER_EMAIL_DOMAINS
        or domain.endswith(tuple("." + name for name in PLACEHOLDER_EMAIL_DOMAINS))
        or domain.endswith(PLACEHOLDER_EMAIL_SUFFIXES)
    )


def placeholder_contact_problems(contact: object) -> list[str]:
    """Dutch messages for contact details that are still the examples."""
    if not isinstance(contact, Mapping):
        return []
    email = contact.get("email")
    if isinstance(email, str) and is_placeholder_email(email):
        return [
            f"extra.contact.email: '{email.strip()}' is een voorbeeldadres; "
            "vul het e-mailadres in waarop je bereikbaar bent"
        ]
    return []


def phone_href(phone: str) -> str:
    return "tel:" + re.sub(r"[^0-9+]", "", phone)


# -- Related posts -----------------------------------------------------------------


@dataclass(frozen=True)
class Candidate:
    """What the ranking needs to know of a post."""

    key: str  # the post's source path: unique, and a stable last tie-breaker
    categories: frozenset[str]
    calculators: frozenset[str]
    date: dt.date


def rank_related(post: Candidate, others: Sequence[Candidate]) -> list[Candidate]:
    """Two or three posts to read next: most shared categories and calculators first.

    Ties go to the newer post, then to the source path, so the choice never
    depends on the order files were found in. Posts sharing nothing only fill up
    to two, newest first.
    """

    def shared(other: Candidate) -> int:
        return len(post.categories & other.categories) + len(post.calculators & other.calculators)

    ranked = sorted(
        (other for other in others if other.key != post.key),
        key=lambda other: (-shared(other), -other.date.toordinal(), other.key),
    )
    related = [other for other in ranked if shared(other)][:RELATED_MAX]
    fillers = [other for other in ranked if other not in related]
    return related + fillers[: max(0, RELATED_MIN - len(related))]


def _candidate(post) -> Candidate:
    meta = post.meta
    return Candidate(
        key=post.file.src_uri,
        categories=frozenset(meta.get("categories") or ()),
        calculators=frozenset(meta.get("calculators") or ()),
        date=post.config.date.created.date(),
    )


# -- Tables on phones -------------------------------------------------------------

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


# -- JSON-LD -------------------------------------------------------------------------


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
    """Frontmatter text as typed: the posts hook may already have escaped it."""
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


def _absolute(config, url: str) -> str:
    base = config.get("site_url") or "/"
    return base.rstrip("/") + "/" + url.lstrip("/")


def _iso(value: dt.datetime) -> str:
    return value.date().isoformat() if value.time() == dt.time() else value.isoformat()


# -- MkDocs hooks ----------------------------------------------------------------


def on_config(config):
    from hooks import serve_errors

    problems = contact_problems(config["extra"].get("contact"))
    if problems:
        serve_errors.stop("De contactgegevens in mkdocs.yml bevatten een fout:", problems)
    return config


def on_files(files, config):
    global _files
    _files = files
    return files


@event_priority(-100)  # after the blog plugin has linked its pages
def on_nav(nav, config, files):
    """Footer links that lead somewhere a reader expects.

    The blog plugin chains its generated listings (archive years, categories,
    author pages) into the previous/next links: Blog -> "Redactie Kennisbank".
    Listings get no footer links; a page next to them points to the blog index.
    """
    from material.plugins.blog.structure import View

    plugin = _blog_plugin(config)
    blog = plugin.blog if plugin else None
    for page in nav.pages:
        if isinstance(page, View):
            page.previous_page = page.next_page = None
            continue
        for attribute in ("previous_page", "next_page"):
            if isinstance(getattr(page, attribute, None), View):
                setattr(page, attribute, blog)
    return nav


def on_page_markdown(markdown, page, config, files):
    """`updated` from the frontmatter becomes Material's own "updated" date.

    A post that was never revised was last updated on its date: the feed of
    updated posts reads `updated` (mkdocs.yml), and would use the build time.
    """
    from material.plugins.blog.structure import Post

    if not isinstance(page, Post):
        return markdown
    updated = page.meta.get("updated")
    day = post_schema.as_date(updated)
    if day is not None:
        moment = updated
        if not isinstance(moment, dt.datetime):
            moment = dt.datetime.combine(day, dt.time())
        page.config.date["updated"] = moment if moment.tzinfo else moment.replace(tzinfo=dt.UTC)
    elif "date" in page.meta:
        page.meta["updated"] = page.meta["date"]
    return markdown


def on_page_content(html, page, config, files):
    if "<table>" not in html:
        return html
    return label_table_cells(html)


def on_page_context(context, page, config, nav):
    from material.plugins.blog.structure import Post

    contact = config["extra"].get("contact")
    if contact_problems(contact):
        return context  # shown on the error page while serving (serve_errors)
    contact_file = _files.get_file_from_path(CONTACT_PAGE) if _files else None
    context["kb_contact"] = {
        **contact,
        "email_href": f"mailto:{contact['email'].strip()}",
        "phone_href": phone_href(contact["phone"]) if contact.get("phone") else "",
        "url": contact_file.url if contact_file else None,
    }
    if isinstance(page, Post):
        _post_context(context, page, config)
    elif _calculator_id(page) is not None:
        _calculator_context(context, page, config)
    return context


def _post_context(context, page, config) -> None:
    plugin = _blog_plugin(config)
    posts = list(plugin.blog.posts) if plugin else []
    by_key = {post.file.src_uri: post for post in posts}
    related = rank_related(_candidate(page), [_candidate(post) for post in posts])
    url = page.canonical_url or _absolute(config, page.url)
    title = plain(page.meta.get("title") or page.title)
    text = f"{title} {url}"
    context["kb_post"] = {
        "related": [by_key[candidate.key] for candidate in related],
        "share": [
            ("E-mail", f"mailto:?subject={quote(title)}&body={quote(text)}"),
            ("LinkedIn", f"https://www.linkedin.com/sharing/share-offsite/?url={quote(url)}"),
            ("WhatsApp", f"https://wa.me/?text={quote(text)}"),
        ],
    }
    dates = page.config.date
    authors = [{"@type": "Person", "name": plain(author.name)} for author in page.authors]
    posting = {
        "@context": "https://schema.org",
        "@type": "BlogPosting",
        "headline": title,
        "description": plain(page.meta.get("description")),
        "datePublished": _iso(dates.created),
        "dateModified": _iso(dates.get("updated") or dates.created),
        "author": authors,
        "publisher": {"@type": "Organization", "name": plain(config["site_name"])},
        "inLanguage": "nl-NL",
        "mainEntityOfPage": url,
        "url": url,
    }
    image = page.meta.get(post_schema.PREVIEW_IMAGE_KEY)
    if image:
        posting["image"] = _absolute(config, image)
    blog = plugin.blog if plugin else None
    trail = [("Home", _absolute(config, ""))]
    if blog is not None:
        trail.append((plain(blog.title), _absolute(config, blog.url)))
    trail.append((title, url))
    context["kb_jsonld"] = json_ld([posting, breadcrumbs(trail)])


def _calculator_context(context, page, config) -> None:
    from calculators import registry

    calculator = registry[_calculator_id(page)]
    url = page.canonical_url or _absolute(config, page.url)
    title = plain(page.meta.get("title") or page.title)
    application = {
        "@context": "https://schema.org",
        "@type": "WebApplication",
        "name": title,
        "description": plain(page.meta.get("description") or calculator.purpose),
        "applicationCategory": "BusinessApplication",
        "operatingSystem": "Elke moderne browser",
        "browserRequirements": "JavaScript en WebAssembly",
        "isAccessibleForFree": True,
        "offers": {"@type": "Offer", "price": "0", "priceCurrency": "EUR"},
        "inLanguage": "nl-NL",
        "url": url,
    }
    trail = [("Home", _absolute(config, ""))]
    parent = page.parent
    if parent is not None and getattr(parent, "children", None):
        index = next((child for child in parent.children if child.is_page and child.is_index), None)
        if index is not None and index is not page:
            trail.append((plain(index.title), _absolute(config, index.url)))
    trail.append((title, url))
    context["kb_jsonld"] = json_ld([application, breadcrumbs(trail)])


def _calculator_id(page) -> str | None:
    from calculators import registry

    for calculator_id in registry:
        if page.file.src_uri == calculator_page(calculator_id):
            return calculator_id
    return None


def _blog_plugin(config):
    plugins = config["plugins"]
    return plugins.get("material/blog") or plugins.get("blog")
