"""Validate the frontmatter of every blog post, and escape it for the templates.

The build (hooks/posts.py) checks all posts before anything is built and
stops with every problem of every post, one line each:

    blog/posts/roas.md: description: is 12 tekens lang; gebruik 50 tot 160 tekens

Editors can run the same check without building the site:

    python -m hooks.posts                      # all posts
    python -m hooks.posts docs/blog/posts/x.md # just these files
"""

from __future__ import annotations

import datetime as dt
import difflib
import re
import sys
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field, replace
from functools import lru_cache
from pathlib import Path
from typing import Any, NoReturn

import frontmatter
import yaml
from markupsafe import Markup, escape

from kennisbank.blog import (
    authors_file_from_config,
    blog_config,
    posts_dir_from_config,
    read_authors,
)
from kennisbank.fences import top_level_fences
from kennisbank.strict_yaml import StrictComposer
from kennisbank.texts import forbidden_character_message, strings

ALLOWED_KEYS = (
    "title",
    "description",
    "date",
    "updated",
    "authors",
    "categories",
    "slug",
    "draft",
    "calculators",
    "image",
)
REQUIRED_KEYS = ("title", "description", "date", "authors", "categories")
DESCRIPTION_LENGTH = (50, 160)
SLUG_RE = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")
# Messages the checker and the web editor (kennisbank/editor.py) both show.
SLUG_MESSAGE = "mag alleen kleine letters a-z, cijfers en koppeltekens bevatten"
# Frontmatter values that are free text and end up in HTML, meta tags and feeds.
TEXT_KEYS = ("title", "description")
# What `image` may be: the image formats browsers and link previews show.
IMAGE_SUFFIXES = (".png", ".jpg", ".jpeg", ".webp", ".gif", ".svg", ".avif")
CODE_SPAN_RE = re.compile(r"(`+)(?!`).+?(?<!`)\1(?!`)", re.DOTALL)
# Where a post's `image` is kept for the templates (see escape_frontmatter).
PREVIEW_IMAGE_KEY = "preview_image"


@dataclass(frozen=True, order=True)
class Problem:
    """One mistake in one post, reported as `<path>: <field>: <message>`."""

    path: str
    field: str
    message: str

    def __str__(self) -> str:
        return f"{self.path}: {self.field}: {self.message}"


@dataclass(frozen=True)
class Schema:
    """What a post may refer to: the authors file and the configured categories."""

    authors: frozenset[str]
    categories: tuple[str, ...]
    calculators: frozenset[str]
    docs_dir: Path
    today: dt.date = field(default_factory=dt.date.today)
    # The blog's excerpt separator when every post must have one (post_excerpt: required).
    excerpt_separator: str | None = None


@dataclass
class Post:
    """A post's source path (relative to docs/), its parsed frontmatter and body."""

    path: str
    meta: dict[str, Any]
    body: str = ""

    @property
    def draft(self) -> bool:
        return self.meta.get("draft") is True


# -- Reading ------------------------------------------------------------------


class _FrontmatterError(yaml.YAMLError):
    """A frontmatter mistake the YAML reader itself finds, reported on a field."""

    def __init__(self, field: str, message: str) -> None:
        super().__init__(message)
        self.field, self.message = field, message


class _Loader(StrictComposer, yaml.SafeLoader):
    """SafeLoader that keeps an impossible date (2025-13-45) as text.

    PyYAML raises a bare ValueError for those; as text, the date check below
    reports it on the right field instead. Anchors, aliases and a key given
    twice are refused (kennisbank/strict_yaml.py). Line numbers as in `_yaml_where`.
    """

    def refuse_alias(self, line: int) -> NoReturn:
        raise _FrontmatterError(
            "frontmatter",
            f"gebruikt een YAML-anker of -verwijzing (& of *) op regel {line}; "
            "schrijf de waarde uit",
        )

    def refuse_repeated_key(self, key: str, line: int) -> NoReturn:
        raise _FrontmatterError(
            key,
            f"staat meer dan eens in de frontmatter (regel {line}); "
            "houd er één, anders telt stilletjes de laatste",
        )


def _timestamp_or_text(loader: yaml.SafeLoader, node: yaml.Node) -> object:
    try:
        return yaml.SafeLoader.construct_yaml_timestamp(loader, node)
    except ValueError:
        return loader.construct_scalar(node)


_Loader.add_constructor("tag:yaml.org,2002:timestamp", _timestamp_or_text)


class _PostYAMLHandler(frontmatter.YAMLHandler):
    def load(self, fm: str, **kwargs: object) -> Any:
        return super().load(fm, Loader=_Loader)


def read_post(docs_dir: Path, path: Path) -> tuple[Post | None, list[Problem]]:
    """Parse one post; a broken file gives a problem instead of an exception."""
    stat = path.stat()
    post, problems = _read_post(docs_dir, path, stat.st_size, stat.st_mtime_ns)
    return (replace(post, meta=dict(post.meta)) if post else None), list(problems)


# Every build reads every post, and `mkdocs serve` builds on every save:
# a post is parsed again only when its file changed.
@lru_cache(maxsize=4096)
def _read_post(
    docs_dir: Path, path: Path, size: int, mtime_ns: int
) -> tuple[Post | None, tuple[Problem, ...]]:
    post, problems = _parse_post(docs_dir, path)
    return post, tuple(problems)


def _parse_post(docs_dir: Path, path: Path) -> tuple[Post | None, list[Problem]]:
    rel = path.relative_to(docs_dir).as_posix()
    try:
        text = path.read_text(encoding="utf-8").lstrip("\ufeff")
    except UnicodeDecodeError:
        return None, [Problem(rel, "bestand", "is geen UTF-8-tekst; sla het op als UTF-8")]
    handler = _PostYAMLHandler()
    if not handler.detect(text):
        return None, [
            Problem(rel, "frontmatter", "ontbreekt; begin het bestand met een blok tussen ---")
        ]
    try:
        block, body = handler.split(text)
    except ValueError:
        return None, [Problem(rel, "frontmatter", "wordt niet afgesloten met een regel ---")]
    try:
        meta = handler.load(block)
    except _FrontmatterError as error:
        return None, [Problem(rel, error.field, error.message)]
    except yaml.YAMLError as error:
        return None, [Problem(rel, "frontmatter", f"is geen geldige YAML ({_yaml_where(error)})")]
    if meta is None:
        meta = {}
    if not isinstance(meta, dict):
        return None, [Problem(rel, "frontmatter", "moet bestaan uit regels als 'sleutel: waarde'")]
    return Post(rel, meta, body), []


def _yaml_where(error: yaml.YAMLError) -> str:
    # The context mark points at where the broken value starts (an unclosed
    # quote, say); the problem mark at where the parser gave up.
    mark = getattr(error, "context_mark", None) or getattr(error, "problem_mark", None)
    if mark is None:
        return "controleer aanhalingstekens en inspringing"
    # The block starts with the newline that ends the opening `---`, so its
    # 0-based line numbers are one less than the file's 1-based ones.
    return f"regel {mark.line + 1}; controleer aanhalingstekens en inspringing"


def post_files(posts_dir: Path) -> list[Path]:
    return sorted(p for p in posts_dir.rglob("*.md") if p.is_file())


# -- Checking -----------------------------------------------------------------


def check_post(post: Post, schema: Schema) -> list[Problem]:
    """Every rule of the frontmatter schema that concerns a single post."""
    meta, problems = post.meta, []

    def report(key: str, message: str) -> None:
        problems.append(Problem(post.path, key, message))

    for key in meta:
        if key not in ALLOWED_KEYS:
            report(str(key), _unknown_key_message(str(key)))
    for key in REQUIRED_KEYS:
        if meta.get(key) in (None, "", []):
            report(key, "ontbreekt; dit veld is verplicht")

    title = meta.get("title")
    if title not in (None, "") and not (isinstance(title, str) and title.strip()):
        report("title", "moet tekst zijn")

    description = meta.get("description")
    if description not in (None, ""):
        if not isinstance(description, str):
            report("description", "moet tekst zijn")
        else:
            low, high = DESCRIPTION_LENGTH
            length = len(description.strip())
            if not low <= length <= high:
                report("description", f"is {length} tekens lang; {description_advice()}")

    draft = meta.get("draft")
    if "draft" in meta and not isinstance(draft, bool):
        report("draft", "moet true of false zijn")

    if meta.get("date") not in (None, ""):
        _check_date(meta["date"], post.draft, schema.today, report)
    if "updated" in meta:
        _check_updated(meta, post.draft, schema.today, report)

    _check_ids(
        meta.get("authors"),
        "authors",
        schema.authors,
        "is geen bekende auteur; voeg hem toe aan blog/.authors.yml of kies uit",
        report,
    )
    _check_ids(
        meta.get("categories"),
        "categories",
        frozenset(schema.categories),
        "is geen toegestane categorie; kies uit",
        report,
    )
    if "calculators" in meta:
        _check_ids(
            meta.get("calculators"),
            "calculators",
            schema.calculators,
            "is geen bekende rekenhulp; kies uit",
            report,
        )

    slug = meta.get("slug")
    if "slug" in meta and not (isinstance(slug, str) and SLUG_RE.match(slug)):
        report("slug", SLUG_MESSAGE)

    if "image" in meta:
        _check_image(meta.get("image"), schema.docs_dir, report)

    for key, value in meta.items():
        # Every frontmatter value is text that may reach a page or a feed.
        for _, text in strings(value, str(key)):
            if (message := forbidden_character_message(text)) is not None:
                report(str(key), message)
                break

    separator = schema.excerpt_separator
    if separator and separator not in outside_code(post.body):
        report("body", excerpt_message(separator))
    return problems


def description_advice() -> str:
    low, high = DESCRIPTION_LENGTH
    return f"gebruik {low} tot {high} tekens"


def excerpt_message(separator: str) -> str:
    return (
        f"mist de regel {separator}; zet die na de inleiding (wat erboven staat, "
        "is de samenvatting in de overzichten)"
    )


def future_date_message(day: str) -> str:
    return f"{day} ligt in de toekomst; gebruik een datum tot en met vandaag of zet draft: true"


def updated_too_early_message(updated: str, created: str) -> str:
    return f"{updated} ligt voor de publicatiedatum {created}; een bijwerking komt op of na date"


def _unknown_key_message(key: str) -> str:
    guess = difflib.get_close_matches(key.lower(), ALLOWED_KEYS, n=1, cutoff=0.6)
    hint = f"; bedoel je '{guess[0]}'?" if guess else ""
    return f"is geen bekend veld{hint} Toegestaan: {', '.join(ALLOWED_KEYS)}"


def _check_date(
    value: object, draft: bool, today: dt.date, report, key: str = "date"
) -> dt.date | None:
    """A date as the blog plugin reads it: a YAML date or date-time, never text."""
    day = as_date(value)
    if isinstance(value, str) and day is not None:
        # The blog plugin only takes real YAML dates; quoted, it is text.
        report(
            key,
            f"staat tussen aanhalingstekens en is dan tekst; schrijf de datum zonder "
            f"aanhalingstekens: {key}: {day.isoformat()}",
        )
        return None
    if day is None or isinstance(value, str):
        report(key, "is geen geldige datum; schrijf bijvoorbeeld 2025-06-10")
        return None
    if day > today and not draft:
        report(key, future_date_message(day.isoformat()))
    return day


def _check_updated(meta: Mapping[str, Any], draft: bool, today: dt.date, report) -> None:
    updated = _check_date(meta.get("updated"), draft, today, report, key="updated")
    created = as_date(meta.get("date"))
    if updated is not None and created is not None and updated < created:
        report("updated", updated_too_early_message(updated.isoformat(), created.isoformat()))


def as_date(value: object) -> dt.date | None:
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    if isinstance(value, str):
        try:
            return dt.datetime.fromisoformat(value.strip()).date()
        except ValueError:
            return None
    return None


def _check_ids(value: object, key: str, known: frozenset[str], message: str, report) -> None:
    if value in (None, "", []):
        return  # a missing required list is reported once, above
    if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
        report(key, "moet een lijst zijn, bijvoorbeeld:\n    - " + (sorted(known) or ["…"])[0])
        return
    for item in value:
        if item not in known:
            report(key, f"'{item}' {message}: {', '.join(sorted(known))}")
    if len(set(value)) != len(value):
        report(key, "noemt dezelfde waarde meer dan eens")


def _check_image(value: object, docs_dir: Path, report) -> None:
    if not isinstance(value, str) or not value.strip():
        report("image", "moet een pad naar een bestand onder docs/ zijn")
        return
    if re.match(r"^[a-z][a-z0-9+.-]*:", value, re.IGNORECASE) or value.startswith("//"):
        report("image", "moet een bestand van deze site zijn, geen externe URL")
        return
    target = (docs_dir / value.lstrip("/")).resolve()
    if not target.is_relative_to(docs_dir.resolve()) or not target.is_file():
        report("image", f"bestand '{value}' bestaat niet onder docs/")
    elif Path(value).suffix.lower() not in IMAGE_SUFFIXES:
        report(
            "image",
            f"'{value}' is geen afbeelding; gebruik een bestand op "
            + ", ".join(IMAGE_SUFFIXES[:-1])
            + f" of {IMAGE_SUFFIXES[-1]}",
        )


def outside_code(markdown: str) -> str:
    """The Markdown without fenced blocks and code spans: where a marker really counts.

    A `<!-- more -->` shown as an example in code is text, not the excerpt's end.
    """
    lines = markdown.split("\n")
    for fence in top_level_fences(markdown):
        # The fence's lines, from its opening line to its closing line.
        for index in range(fence.line - 1, fence.line + fence.body.count("\n") + 1):
            lines[index] = ""
    # Indented four spaces (not in a list), a line is a code block too.
    text = "\n".join("" if line.startswith(("    ", "\t")) else line for line in lines)
    return CODE_SPAN_RE.sub("", text)


def check_unique_slugs(posts: Iterable[Post]) -> list[Problem]:
    """Every post that shares its slug is reported, naming the others."""
    owners: dict[str, list[str]] = {}
    for post in posts:
        slug = post.meta.get("slug")
        if isinstance(slug, str):
            owners.setdefault(slug, []).append(post.path)
    return [
        Problem(path, "slug", slug_taken_message(slug, ", ".join(others)))
        for slug, paths in owners.items()
        if len(paths) > 1
        for path in paths
        if (others := [other for other in paths if other != path])
    ]


def slug_taken_message(slug: str, others: str) -> str:
    return f"'{slug}' wordt ook gebruikt door {others}"


def load_and_check(
    docs_dir: Path, files: Iterable[Path], schema: Schema
) -> tuple[list[Post], list[Problem]]:
    """Read and check the given post files; problems of all of them at once."""
    posts, problems = [], []
    for path in files:
        post, read_problems = read_post(docs_dir, path)
        problems += read_problems
        if post is not None:
            posts.append(post)
            problems += check_post(post, schema)
    problems += check_unique_slugs(posts)
    return posts, sorted(problems)


# -- Configuration ------------------------------------------------------------


def schema_from_config(config: Mapping[str, Any], today: dt.date | None = None) -> Schema:
    """Build the schema from a loaded MkDocs config (the blog plugin's settings)."""
    blog = blog_config(config)
    required = blog.get("post_excerpt") == "required"
    return Schema(
        authors=frozenset(read_authors(authors_file_from_config(config))),
        categories=tuple(blog.get("categories_allowed") or ()),
        calculators=frozenset(_calculator_ids()),
        docs_dir=Path(config["docs_dir"]),
        today=today or dt.date.today(),
        excerpt_separator=blog.get("post_excerpt_separator") if required else None,
    )


def _calculator_ids() -> list[str]:
    # Imported here so that the post checks work before the calculators exist.
    from calculators import registry

    return list(registry)


# -- During the build ---------------------------------------------------------


def check_all(config: Mapping[str, Any]) -> list[Problem]:
    """Every problem of every post, checked before the build starts."""
    schema = schema_from_config(config)
    _, problems = load_and_check(schema.docs_dir, post_files(posts_dir_from_config(config)), schema)
    return problems


def problems_title(problems: list[Problem]) -> str:
    count = "1 fout" if len(problems) == 1 else f"{len(problems)} fouten"
    return f"De frontmatter van de blogposts bevat {count}:"


def escape_frontmatter(meta: dict[str, Any]) -> None:
    """Frontmatter is text: escape it once so every template writes it safely.

    Material's templates print `page.title` and `page.meta.description` without
    escaping. A `Markup` string holds the escaped text and is not escaped again
    where a template or the feed does escape.
    """
    for key in TEXT_KEYS:
        value = meta.get(key)
        if isinstance(value, str) and not isinstance(value, Markup):
            meta[key] = escape(value)
    # `image` is relative to docs/. The RSS plugin would read it relative to the
    # post and write an enclosure without a length; the page's link preview
    # (overrides/main.html) is where it belongs.
    if isinstance(meta.get("image"), str):
        meta[PREVIEW_IMAGE_KEY] = meta.pop("image").lstrip("/")


# -- Command line -------------------------------------------------------------


def main(argv: list[str] | None = None) -> int:
    """`python -m hooks.posts [FILE …]`: check posts without building the site.

    All posts are read (slugs must be unique across them); problems are shown
    for the given files, or for every post when none are given.
    """
    from mkdocs.config import load_config

    args = sys.argv[1:] if argv is None else argv
    config = load_config("mkdocs.yml")
    schema = schema_from_config(config)
    docs_dir = schema.docs_dir.resolve()
    schema = replace(schema, docs_dir=docs_dir)
    posts_dir = posts_dir_from_config(config).resolve()
    files = post_files(posts_dir)
    wanted = set()
    for arg in args:
        path = Path(arg).resolve()
        if not path.is_relative_to(docs_dir) or not path.is_file():
            print(f"{arg}: geen bestand onder {config['docs_dir']}", file=sys.stderr)
            return 64
        if path not in files:
            # Only posts have this frontmatter; saying "in orde" would be a lie.
            where = posts_dir.relative_to(Path.cwd().resolve(), walk_up=True).as_posix()
            print(f"{arg}: is geen blogpost; posts staan in {where}/", file=sys.stderr)
            return 64
        wanted.add(path.relative_to(docs_dir).as_posix())
    posts, problems = load_and_check(docs_dir, files, schema)
    if wanted:
        problems = [p for p in problems if p.path in wanted]
    for problem in problems:
        print(problem)
    if problems:
        return 1
    checked = len(wanted) if wanted else len(posts)
    print(f"{checked} post(s) gecontroleerd: alles in orde.")
    return 0
