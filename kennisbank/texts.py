"""Text from mkdocs.yml and the authors file: XML-safe, and escaped once.

Material's templates and the RSS feed template print author names and
descriptions, the site name, description and copyright without escaping, so
"Bakker & Zonen" made both feeds invalid XML and `<img onerror>` in an author
name ran in every post page. This module (applied by hooks/site_text.py)

- rejects, before anything is built, characters that XML forbids (NUL, \\x0b,
  …) in that text, and category names with characters that would be markup,
  naming file and field in Dutch (`check_config`);
- turns the text into escaped `Markup` strings, the way `kennisbank/posts.py` does
  for frontmatter, so every template and the feed print it as text and never
  escape it twice (`escape_config`, `escape_authors`);
- writes an author's profile page heading as literal Markdown.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator, Mapping
from pathlib import Path
from typing import Any

from markupsafe import Markup, escape
from mkdocs.exceptions import Abort

from kennisbank.blog import blog_plugin
from kennisbank.markdown import markdown_text

# XML 1.0's `Char` production, as code point ranges: no feed may contain anything else.
# The web editor refuses the same characters (kennisbank/editor.py writes its class).
XML_ALLOWED = (
    (0x9, 0x9),
    (0xA, 0xA),
    (0xD, 0xD),
    (0x20, 0xD7FF),
    (0xE000, 0xFFFD),
    (0x10000, 0x10FFFF),
)
XML_FORBIDDEN = re.compile(
    "[^" + "".join(f"{re.escape(chr(a))}-{re.escape(chr(b))}" for a, b in XML_ALLOWED) + "]"
)
# Category names become Markdown headings, URLs and feed elements: plain words only.
CATEGORY_FORBIDDEN = re.compile(r"[<>&\"`*_\[\]{}#\\|]")
# mkdocs.yml text that templates or the feeds print; copyright is text here, not HTML.
CONFIG_TEXT_KEYS = ("site_name", "site_description", "site_author", "copyright")
FEED_TEXT_KEYS = ("feed_title", "feed_description")
AUTHOR_TEXT_KEYS = ("name", "description", "avatar", "slug", "url")
SCHEME_RE = re.compile(r"^\s*[a-z][a-z0-9+.-]*:", re.IGNORECASE)
WEB_URL_RE = re.compile(r"^https?://", re.IGNORECASE)


def forbidden_character_message(text: str) -> str | None:
    """A Dutch message when `text` holds a character XML forbids, else None."""
    found = XML_FORBIDDEN.search(text)
    if found is None:
        return None
    return control_character_message(f"U+{ord(found.group()):04X}")


def control_character_message(code: str) -> str:
    return (
        f"bevat een onzichtbaar stuurteken ({code}) dat niet in een pagina of feed mag; "
        "haal het weg"
    )


def strings(value: object, path: str) -> Iterator[tuple[str, str]]:
    """Every string inside a YAML value, with a dotted path for the message."""
    if isinstance(value, str):
        yield path, value
    elif isinstance(value, Mapping):
        for key, item in value.items():
            yield from strings(item, f"{path}.{key}" if path else str(key))
    elif isinstance(value, (list, tuple)):
        for index, item in enumerate(value):
            yield from strings(item, f"{path}[{index}]")


def text_problems(entries: Iterable[tuple[str, str]]) -> list[str]:
    """`<field>: <message>` for every string that XML could not carry."""
    return [
        f"{path}: {message}"
        for path, text in entries
        if (message := forbidden_character_message(text)) is not None
    ]


def _rss(config) -> Any | None:
    plugins = config["plugins"]
    return plugins.get("rss")


def config_problems(config) -> list[str]:
    """Problems in mkdocs.yml text and in the authors file, one line each."""
    problems = [
        f"mkdocs.yml: {line}"
        for line in text_problems(
            (key, config[key]) for key in CONFIG_TEXT_KEYS if isinstance(config.get(key), str)
        )
    ]
    rss = _rss(config)
    if rss is not None:
        feed = {key: rss.config.get(key) for key in FEED_TEXT_KEYS}
        problems += [f"mkdocs.yml: rss.{line}" for line in text_problems(strings(feed, ""))]
    blog = blog_plugin(config)
    if blog is None:
        return problems
    for name in blog.config.get("categories_allowed") or ():
        message = forbidden_character_message(name)
        if message is None and CATEGORY_FORBIDDEN.search(name):
            message = 'mag geen < > & " ` * _ [ ] { } # \\ of | bevatten; gebruik gewone woorden'
        if message:
            problems.append(f"mkdocs.yml: blog.categories_allowed: '{name}' {message}")
    authors_file = Path(config["docs_dir"]) / blog.config.get("authors_file", "").format(
        blog=blog.config.get("blog_dir", "blog")
    )
    if authors_file.is_file():
        import yaml

        rel = authors_file.relative_to(config["docs_dir"]).as_posix()
        try:
            data = yaml.safe_load(authors_file.read_text(encoding="utf-8-sig"))
        except yaml.YAMLError:
            return problems  # Material reports the broken YAML itself
        problems += [f"{rel}: {line}" for line in text_problems(strings(data, ""))]
        problems += [f"{rel}: {line}" for line in author_link_problems(data)]
    return problems


def author_link_problems(data: object) -> list[str]:
    """An avatar is a file of the site; a profile link is a page or an http(s) URL.

    Material writes both into src/href: `javascript:` would run, and an avatar
    on another host would tell that host who reads the site.
    """
    authors = data.get("authors") if isinstance(data, Mapping) else None
    problems = []
    for key, author in (authors or {}).items() if isinstance(authors, Mapping) else ():
        if not isinstance(author, Mapping):
            continue
        avatar, url = author.get("avatar"), author.get("url")
        if isinstance(avatar, str) and (SCHEME_RE.match(avatar) or avatar.startswith("//")):
            problems.append(
                f"authors.{key}.avatar: moet een bestand van deze site zijn, zoals "
                "assets/images/authors/naam.svg; geen adres op een andere site"
            )
        if isinstance(url, str) and SCHEME_RE.match(url) and not WEB_URL_RE.match(url):
            problems.append(
                f"authors.{key}.url: moet een pagina van de site of een http(s)-adres zijn"
            )
    return problems


def escaped(value: object) -> object:
    """Text as an escaped `Markup` string; anything else (None) unchanged."""
    if isinstance(value, str) and not isinstance(value, Markup):
        return escape(value)
    return value


# -- Applying it ---------------------------------------------------------------


def check_config(config) -> None:
    """Stop the build, in Dutch, on text in the settings that a page or feed cannot carry."""
    problems = config_problems(config)
    if problems:
        lines = "\n".join(f"  {problem}" for problem in problems)
        count = "1 fout" if len(problems) == 1 else f"{len(problems)} fouten"
        raise Abort(f"De tekst in de instellingen bevat {count}:\n{lines}")


def escape_config(config) -> None:
    """The site's and the feed's text as `Markup`, before any template or feed prints it."""
    for key in CONFIG_TEXT_KEYS:
        config[key] = escaped(config.get(key))
    rss = _rss(config)
    if rss is not None:
        for key in FEED_TEXT_KEYS:
            rss.config[key] = escaped(rss.config.get(key))


def escape_authors(config) -> None:
    """The blog plugin's authors as `Markup`, before it writes profiles and posts."""
    blog = blog_plugin(config)
    for author in (getattr(blog, "authors", None) or {}).values():
        for key in AUTHOR_TEXT_KEYS:
            if isinstance(author.get(key), str):
                author[key] = escaped(author[key])


def literal_profile_heading(markdown: str) -> str:
    """A profile page is `# <name>`: keep the (escaped) name out of Markdown's reach."""
    return re.sub(
        r"^# (.*)$",
        lambda match: "# " + markdown_text(Markup(match.group(1)).unescape()),
        markdown,
        count=1,
        flags=re.MULTILINE,
    )
