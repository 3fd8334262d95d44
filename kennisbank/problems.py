"""Build problems in the browser during `make serve`, not a server that hangs.

`mkdocs build` stops on a frontmatter or calculator-block mistake, as it should.
`mkdocs serve` would stop too, and then every request waits for a build that
never comes ("The server will appear stuck until build errors are resolved").
While serving, the checks hand their problems to `stop()` instead; then
hooks/serve_errors.py builds the site from harmless placeholders for every
page and writes a Dutch page listing every problem (file and field or line) at each page's URL.
The local server's live reload stays in those pages, so the browser shows
the real site again as soon as the file is fixed and saved.
"""

from __future__ import annotations

import html
import logging
import re
import tempfile
from pathlib import Path

from markupsafe import escape
from mkdocs.exceptions import Abort
from mkdocs.structure.files import File, Files

from kennisbank import posts
from kennisbank.blog import blog_config, posts_dir_from_config

log = logging.getLogger("mkdocs.hooks.serve_errors")

# The one place of this state: every check reports here, the error page reads it.
serving = False
problems: list[tuple[str, list[str]]] = []
_stub_dir: str | None = None


def stop(title: str, lines: list[str]) -> None:
    """Stop the build with these problems; while serving, show them in the browser."""
    if not serving:
        raise Abort(title + "\n" + "\n".join(f"  {line}" for line in lines))
    report(title, lines)


def report(title: str, lines: list[str]) -> None:
    """Collect problems for the error page (while serving), and say them in the terminal."""
    problems.append((title, list(lines)))
    log.error("%s\n%s", title, "\n".join(f"  {line}" for line in lines))


def start(command: str) -> None:
    global serving
    serving = command == "serve"


def clear() -> None:
    """A fresh list for each build: `mkdocs serve` rebuilds in one process."""
    problems.clear()


# -- Placeholders and the error page ------------------------------------------------------


def placeholders(files: Files, config) -> Files:
    """The same pages at the same URLs, with content that cannot fail to build."""
    global _stub_dir
    if _stub_dir is None:
        _stub_dir = tempfile.mkdtemp(prefix="kennisbank-fouten-")
    stub_dir = Path(_stub_dir)
    docs_dir = Path(config["docs_dir"])
    posts_prefix = posts_dir_from_config(config).relative_to(docs_dir).as_posix() + "/"
    separator = blog_config(config).get("post_excerpt_separator", "<!-- more -->")
    slugs: set[str] = set()
    placeholder = Files([])
    for file in files:
        if not file.is_documentation_page():
            placeholder.append(file)
            continue
        if file.src_uri.startswith(posts_prefix):
            text = _post_stub(docs_dir, file, slugs, separator)
        else:
            text = "# Fout in de site\n"
        target = stub_dir / file.src_uri
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text(text, encoding="utf-8")
        stub = File(file.src_uri, str(stub_dir), config["site_dir"], config["use_directory_urls"])
        stub.inclusion = file.inclusion
        placeholder.append(stub)
    return placeholder


def _post_stub(docs_dir: Path, file: File, slugs: set[str], separator: str) -> str:
    """A valid post at the broken post's URL (its slug, when that can be read)."""
    post, _ = posts.read_post(docs_dir, Path(file.abs_src_path))
    slug = post.meta.get("slug") if post else None
    if not (isinstance(slug, str) and posts.SLUG_RE.match(slug)) or slug in slugs:
        slug = re.sub(r"[^a-z0-9]+", "-", Path(file.src_uri).stem.lower()).strip("-") or "post"
    while slug in slugs:
        slug += "-1"
    slugs.add(slug)
    return (
        "---\ntitle: Fout in de site\ndate: 2000-01-01\n"
        f"slug: {slug}\n---\n\nFout.\n\n{separator}\n"
    )


def error_page(found: list[tuple[str, list[str]]], site_name: str) -> str:
    """A plain Dutch page with every problem; the local server adds its live reload."""
    sections = "\n".join(
        f"<h2>{html.escape(title)}</h2>\n<ul>\n"
        + "\n".join(f"<li><code>{html.escape(line)}</code></li>" for line in lines)
        + "\n</ul>"
        for title, lines in found
    )
    count = sum(len(lines) for _, lines in found)
    summary = "1 fout" if count == 1 else f"{count} fouten"
    return f"""<!doctype html>
<html lang="nl">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width,initial-scale=1">
<title>Fout in de site - {escape(site_name)}</title>
</head>
<body>
<main>
<h1>De site kan niet worden gebouwd: {summary}</h1>
<p>Verbeter het bestand en sla het op: deze pagina ververst vanzelf en toont
dan de site weer. Dezelfde meldingen staan in het venster waarin
<code>make serve</code> draait.</p>
{sections}
</main>
</body>
</html>
"""
