"""Start a new blog post: `make new-post TITLE="Titel van het artikel"`.

Writes `docs/blog/posts/<slug>.md` as a draft with today's date, a slug made
from the title, every required frontmatter key and the `<!-- more -->` line.
The draft passes the frontmatter check as it is, so `make serve` shows it at
once; the editor then replaces the placeholders. An existing file or slug is
never overwritten.
"""

from __future__ import annotations

import argparse
import os
import re
import sys
import unicodedata

from kennisbank.post_template import post_text

SLUG_MAX = 60


def slugify(title: str) -> str:
    """`Wat kost een lead in 2026?` -> `wat-kost-een-lead-in-2026` (a-z, 0-9 and -)."""
    text = unicodedata.normalize("NFKD", title).encode("ascii", "ignore").decode("ascii")
    slug = re.sub(r"[^a-z0-9]+", "-", text.lower()).strip("-")
    if len(slug) > SLUG_MAX:
        slug = slug[:SLUG_MAX].rsplit("-", 1)[0]
    return slug


def main(argv: list[str] | None = None) -> int:
    from mkdocs.config import load_config

    from kennisbank import posts
    from kennisbank.blog import posts_dir_from_config

    parser = argparse.ArgumentParser(description="Maak een nieuw concept-artikel.")
    parser.add_argument("title", nargs="?", default=os.environ.get("TITLE", ""))
    parser.add_argument("-f", "--config-file", default="mkdocs.yml")
    args = parser.parse_args(argv)
    title = " ".join(args.title.split())
    if not title:
        print('Geef een titel: make new-post TITLE="Titel van het artikel"', file=sys.stderr)
        return 64
    slug = slugify(title)
    if not slug:
        print(
            f"Van '{title}' valt geen slug te maken; gebruik letters of cijfers.", file=sys.stderr
        )
        return 64

    config = load_config(args.config_file)
    schema = posts.schema_from_config(config)
    posts_dir = posts_dir_from_config(config)
    target = posts_dir / f"{slug}.md"
    if target.exists():
        print(f"{os.path.relpath(target)} bestaat al; er is niets overschreven.", file=sys.stderr)
        return 1
    existing, _ = posts.load_and_check(schema.docs_dir, posts.post_files(posts_dir), schema)
    taken = [post.path for post in existing if post.meta.get("slug") == slug]
    if taken:
        print(f"De slug '{slug}' is al van {taken[0]}; kies een andere titel.", file=sys.stderr)
        return 1

    author = "redactie" if "redactie" in schema.authors else sorted(schema.authors)[0]
    text = post_text(title, slug, schema.today, author, schema.categories[0])
    posts_dir.mkdir(parents=True, exist_ok=True)
    with target.open("x", encoding="utf-8") as file:  # "x": never overwrite
        file.write(text)
    shown = os.path.relpath(target)
    print(f"Nieuw concept: {shown}")
    host, port = os.environ.get("HOST", "127.0.0.1"), os.environ.get("PORT", "8000")
    print(f"Bekijk het met `make serve` op http://{host}:{port}/blog/{slug}/")
    return 0


if __name__ == "__main__":
    sys.exit(main())
