"""A build for a public address refuses example contact details and template text (issue 16)."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from mkdocs.config import load_config

from kennisbank.deployment import placeholder_problems
from kennisbank.post_template import PLACEHOLDERS, post_text

from .support import ROOT, build, copy_project

PUBLIC = {"SITE_URL": "https://www.jouwbureau.nl/"}
POST = "docs/blog/posts/nieuw-artikel.md"


def with_own_contact(project: Path) -> Path:
    """The project with a real-looking address instead of mkdocs.yml's example."""
    config = project / "mkdocs.yml"
    text = config.read_text(encoding="utf-8")
    config.unlink()  # a symlink to the checkout's file
    config.write_text(text.replace("info@example.com", "hallo@jouwbureau.nl"), encoding="utf-8")
    return project


def template_post(draft: bool) -> str:
    text = post_text("Nieuw artikel", "nieuw-artikel", dt.date(2025, 1, 6), "redactie", "Strategie")
    return text.replace("draft: true", f"draft: {str(draft).lower()}")


def test_a_public_build_refuses_the_example_contact_address(tmp_path: Path) -> None:
    result = build(ROOT, tmp_path / "site", env=PUBLIC)
    output = result.stdout + result.stderr
    assert result.returncode == 1, output
    assert "Deze build is voor publicatie op https://www.jouwbureau.nl/" in output
    assert "extra.contact.email: 'info@example.com' is een voorbeeldadres" in output
    assert "Traceback" not in output
    assert not (tmp_path / "site" / "index.html").exists()


def test_a_public_build_refuses_a_published_post_with_the_template_text(tmp_path: Path) -> None:
    project = with_own_contact(copy_project(tmp_path / "project"))
    (project / POST).write_text(template_post(draft=False), encoding="utf-8")
    result = build(project, tmp_path / "site", env=PUBLIC)
    output = result.stdout + result.stderr
    assert result.returncode == 1, output
    assert "blog/posts/nieuw-artikel.md: description: bevat nog de voorbeeldtekst" in output
    assert "blog/posts/nieuw-artikel.md: body: bevat nog de voorbeeldtekst" in output
    assert "Vervang deze zin" in output and "Schrijf hier de inleiding" in output
    assert "voorbeeldadres" not in output, "the project's own address is accepted"


def test_drafts_and_finished_posts_pass(tmp_path: Path) -> None:
    project = with_own_contact(copy_project(tmp_path / "project"))
    (project / POST).write_text(template_post(draft=True), encoding="utf-8")
    assert placeholder_problems(load_config(str(project / "mkdocs.yml"))) == []
    finished = template_post(draft=False)
    for placeholder in PLACEHOLDERS:
        finished = finished.replace(placeholder, "Eigen tekst van de redactie")
    (project / POST).write_text(finished, encoding="utf-8")
    assert placeholder_problems(load_config(str(project / "mkdocs.yml"))) == []


def test_the_placeholders_are_the_text_make_new_post_writes() -> None:
    text = template_post(draft=True)
    assert PLACEHOLDERS and all(placeholder in text for placeholder in PLACEHOLDERS)
