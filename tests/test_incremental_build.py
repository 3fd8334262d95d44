"""`make build` is incremental (kennisbank/incremental.py, kennisbank/build_state.py).

A post whose text changed rewrites only the pages that show it, and the site
is then the same, file for file, as a clean build of the same sources (the
feeds' build dates aside): pages, navigation, search index, feeds, CSP
headers and compressed copies. Anything a text edit cannot explain makes the
next build a full one.
"""

from __future__ import annotations

import os
import re
import shutil
from pathlib import Path

from .builds import differences, site_files
from .support import build, copy_project, mkdocs

FULL = "Alles opnieuw bouwen"
ONLY = "Alleen opnieuw bouwen: "
POST = "blog/posts/roi-influencermarketing-meten.md"
POST_PAGE = "blog/roi-influencermarketing-meten/index.html"
OLD_TIME = 946_684_800  # 2000-01-01
SENTENCE = "Deze zin kwam er bij de tweede build bij."


def built(project: Path, site: Path, env: dict[str, str] | None = None) -> str:
    result = build(project, site, env)
    assert result.returncode == 0, result.stderr
    return result.stderr


def clean_build(project: Path, site: Path) -> dict[str, bytes]:
    """The same sources built from nothing, as `mkdocs build --clean` does."""
    result = mkdocs(
        project,
        "build",
        "--strict",
        "--clean",
        "--site-dir",
        str(site),
        env={"SITE_URL": "http://127.0.0.1:8000/"},
    )
    assert result.returncode == 0, result.stderr
    return site_files(site)


def mtimes(site: Path) -> dict[str, int]:
    return {
        path.relative_to(site).as_posix(): path.stat().st_mtime_ns for path in site.rglob("*.html")
    }


def edit(project: Path, source: str, old: str, new: str) -> None:
    path = project / "docs" / source
    text = path.read_text(encoding="utf-8")
    assert old in text
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


def test_a_changed_post_rewrites_only_what_shows_it_and_matches_a_clean_build(
    tmp_path: Path,
) -> None:
    project = copy_project(tmp_path / "project")
    site = tmp_path / "site"
    assert FULL in built(project, site)
    before = mtimes(site)

    # Text below the excerpt: the post and nothing else. Its file time is older than
    # the site's (as a copy that keeps times may leave it): its bytes decide.
    path = project / "docs" / POST
    path.write_text(path.read_text(encoding="utf-8") + f"\n{SENTENCE}\n", encoding="utf-8")
    os.utime(path, (OLD_TIME, OLD_TIME))
    assert ONLY + POST in built(project, site)
    after = mtimes(site)
    rewritten = {name for name in before if after[name] != before[name]}
    # The post, the listings that show it, and pages that link to it (their links are checked).
    assert POST_PAGE in rewritten
    assert SENTENCE in (site / POST_PAGE).read_text(encoding="utf-8")
    kept = {"index.html", "contact/index.html", "blog/kpis-die-ertoe-doen/index.html"}
    assert not kept & rewritten
    assert len(rewritten) <= len(before) / 3, sorted(rewritten)
    assert differences(site_files(site), clean_build(project, tmp_path / "clean-1")) == []

    # A new title shows on listings, the home page and in other posts' links too.
    edit(project, POST, 'title: "', 'title: "Nieuw: ')
    assert ONLY + POST in built(project, site)
    rewritten = {name for name, stamp in mtimes(site).items() if stamp != after[name]}
    assert {"index.html", "blog/index.html", POST_PAGE} <= rewritten
    assert len(rewritten) < len(after) / 2
    home = (site / "index.html").read_text(encoding="utf-8")
    assert "Nieuw: " in home
    assert differences(site_files(site), clean_build(project, tmp_path / "clean-2")) == []

    # The same sources again: no page to rewrite (MkDocs always writes the 404 page).
    stamps = mtimes(site)
    assert ONLY + "niets" in built(project, site)
    assert {name for name, stamp in mtimes(site).items() if stamp != stamps[name]} == {"404.html"}


def test_whatever_a_text_edit_cannot_explain_rebuilds_the_whole_site(tmp_path: Path) -> None:
    project = copy_project(tmp_path / "project")
    site = tmp_path / "site"
    assert FULL in built(project, site)

    # A new post changes listings, navigation and neighbours.
    source = project / "docs" / POST
    shutil.copy(source, source.with_name("een-nieuwe-post.md"))
    edit(project, "blog/posts/een-nieuwe-post.md", "slug: ", "slug: nieuw-")
    log = built(project, site)
    assert f"{FULL} (er veranderde meer dan de tekst van posts)" in log and ONLY not in log
    assert (site / "blog" / "nieuw-roi-influencermarketing-meten" / "index.html").is_file()

    # The site folder changed by hand: the missing page comes back.
    (site / "contact" / "index.html").unlink()
    log = built(project, site)
    assert "De uitvoermap is veranderd sinds de vorige build" in log
    assert f"{FULL} (geen bruikbare vorige build in deze map)" in log
    assert (site / "contact" / "index.html").is_file()

    # Another address: every canonical link changes.
    address = "http://127.0.0.1:8123/"
    assert FULL in built(project, site, {"SITE_URL": address})
    assert address + "contact/" in (site / "contact" / "index.html").read_text(encoding="utf-8")


DESCRIPTION = (
    "Een oudere post over strategie, die in de lijsten op een latere pagina staat dan de nieuwe."
)
ANCHOR = "de-grote-misvatting-is-het-alleen-maar-bereik"


def filler_post(number: int, day: str, link: str = "") -> str:
    return f"""---
title: "Een oudere post {number}"
description: "{DESCRIPTION}"
date: {day}
authors:
  - redactie
categories:
  - Strategie
slug: oudere-post-{number}
---

Een korte inleiding over strategie.

<!-- more -->

Meer over strategie.{link}
"""


def test_a_heading_removed_from_a_changed_post_is_a_broken_link_elsewhere(
    tmp_path: Path,
) -> None:
    """Pages linking to a changed post are read again, so `--strict` sees a broken anchor.

    The linking post shares no listing page with the changed one (another
    year, category and page of the blog), so only that rule has it read.
    """
    project = copy_project(tmp_path / "project")
    posts = project / "docs" / "blog" / "posts"
    for number in range(1, 12):
        (posts / f"oudere-post-{number}.md").write_text(
            filler_post(number, f"2020-03-{number:02d}"), encoding="utf-8"
        )
    link = f"\n\nMeer in [de misvatting]({Path(POST).name}#{ANCHOR}).\n"
    (posts / "oudere-post-0.md").write_text(filler_post(0, "2019-03-01", link), encoding="utf-8")
    site = tmp_path / "site"
    assert FULL in built(project, site)

    edit(project, POST, "## De grote misvatting: is het alleen maar bereik?", "## Bereik")
    result = build(project, site)
    assert result.returncode != 0, result.stderr
    assert ONLY + POST in result.stderr
    linking = "blog/posts/oudere-post-0.md"
    assert re.search(rf"'{linking}' contains a link '{Path(POST).name}#", result.stderr)

    # Nothing of a failed build is kept: the next one is full, and fails the same way.
    result = build(project, site)
    assert FULL in result.stderr and result.returncode != 0
