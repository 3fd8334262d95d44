"""`make new-post TITLE="…"`: a draft that passes the checks and builds (README)."""

from __future__ import annotations

import datetime as dt
import os
import subprocess
import sys
from pathlib import Path

import frontmatter
import pytest

from scripts.new_post import slugify

from .support import ROOT, build, copy_project, visible_text

TITLE = 'Wat kost een lead: "écht" in 2026?'
SLUG = "wat-kost-een-lead-echt-in-2026"


def top_level_make_env() -> dict[str, str]:
    """The environment of a make typed in a terminal, also when the tests run under make."""
    return {k: v for k, v in os.environ.items() if k not in ("MAKELEVEL", "MAKEFLAGS", "MFLAGS")}


def new_post(project: Path, title: str, *options: str) -> subprocess.CompletedProcess[str]:
    """The Makefile target itself, with this checkout's virtual environment."""
    venv = ROOT / ".venv"
    make = ["make", "-s", "-C", str(project), f"VENV={venv}", "-o", f"{venv}/.installed"]
    return subprocess.run(
        [*make, *options, "new-post"],
        env={**top_level_make_env(), "TITLE": title},
        capture_output=True,
        text=True,
        timeout=120,
    )


@pytest.mark.parametrize(
    ("title", "slug"),
    [
        (TITLE, SLUG),
        ("KPI’s & ROAS — café-tips", "kpis-roas-cafe-tips"),
        ("  Veel   spaties  ", "veel-spaties"),
        ("Een " + "heel " * 20 + "lange titel", "een" + "-heel" * 11),
    ],
)
def test_the_slug_is_made_from_the_title(title: str, slug: str) -> None:
    assert slugify(title) == slug


def test_new_post_writes_a_draft_that_passes_the_checker_and_builds(tmp_path: Path) -> None:
    project = copy_project(tmp_path / "project")
    result = new_post(project, TITLE)
    assert result.returncode == 0, result.stdout + result.stderr
    path = project / "docs/blog/posts" / f"{SLUG}.md"
    assert f"docs/blog/posts/{SLUG}.md" in result.stdout

    post = frontmatter.load(path)
    assert post["title"] == TITLE
    assert post["slug"] == SLUG
    assert post["draft"] is True
    assert post["date"] == dt.date.today()
    for key in ("description", "authors", "categories"):
        assert post[key], key
    assert "<!-- more -->" in post.content

    checked = subprocess.run(
        [sys.executable, "-m", "hooks.posts", str(path)],
        cwd=project,
        capture_output=True,
        text=True,
    )
    assert checked.returncode == 0, checked.stdout + checked.stderr

    # Published (draft: false), it builds with --strict and shows its title.
    path.write_text(path.read_text().replace("draft: true", "draft: false"))
    built = build(project, tmp_path / "site")
    assert built.returncode == 0, built.stdout + built.stderr
    page = (tmp_path / "site/blog" / SLUG / "index.html").read_text(encoding="utf-8")
    assert TITLE in visible_text(page).replace("&#34;", '"')


def test_new_post_never_overwrites_and_needs_a_title(tmp_path: Path) -> None:
    project = copy_project(tmp_path / "project")
    assert new_post(project, TITLE).returncode == 0
    path = project / "docs/blog/posts" / f"{SLUG}.md"
    path.write_text("mijn werk")
    again = new_post(project, TITLE)
    assert again.returncode != 0
    assert "bestaat al; er is niets overschreven" in again.stderr
    assert path.read_text() == "mijn werk"

    empty = new_post(project, "")
    assert empty.returncode != 0
    assert 'make new-post TITLE="Titel van het artikel"' in empty.stderr
    assert "make: ***" not in empty.stderr, "the Dutch message is the last word"
    assert "make: ***" not in again.stderr


def test_a_failed_make_build_ends_with_the_dutch_message(tmp_path: Path) -> None:
    project = copy_project(tmp_path / "project")
    venv = ROOT / ".venv"
    installed = ["-o", f"{venv}/.installed", "-o", "node_modules/.installed"]
    result = subprocess.run(
        ["make", "-C", str(project), f"VENV={venv}", *installed, "build"],
        env={**top_level_make_env(), "SITE_URL": ""},
        capture_output=True,
        text=True,
        timeout=300,
    )
    output = result.stdout + result.stderr  # MkDocs prints its stop message on stdout
    assert result.returncode != 0
    assert "SITE_URL ontbreekt" in output
    assert "make: ***" not in output


def test_new_post_names_the_address_of_make_serve_on_its_port(tmp_path: Path) -> None:
    project = copy_project(tmp_path / "project")
    result = new_post(project, TITLE, "PORT=8123")
    assert result.returncode == 0, result.stdout + result.stderr
    assert f"http://127.0.0.1:8123/blog/{SLUG}/" in result.stdout
