"""Editors' mistakes stop the real build with exact Dutch messages (SPEC §4)."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from .support import ROOT, build, copy_project

FIXTURES = ROOT / "tests" / "fixtures"
ALLOWED = "Influencermarketing, KPI's en meten, Strategie, Videomarketing"

# Every message the corpus of broken posts must produce, exactly.
EXPECTED = [
    "blog/posts/broken-yaml.md: frontmatter: is geen geldige YAML (regel 2; controleer "
    "aanhalingstekens en inspringing)",
    "blog/posts/duplicate-slug.md: slug: 'kpis-die-ertoe-doen' wordt ook gebruikt door "
    "blog/posts/kpis-die-ertoe-doen.md",
    "blog/posts/future-date.md: date: 2999-01-01 ligt in de toekomst; gebruik een datum tot "
    "en met vandaag of zet draft: true",
    "blog/posts/invalid-date.md: date: is geen geldige datum; schrijf bijvoorbeeld 2025-06-10",
    "blog/posts/kpis-die-ertoe-doen.md: slug: 'kpis-die-ertoe-doen' wordt ook gebruikt door "
    "blog/posts/duplicate-slug.md",
    "blog/posts/many-problems.md: calculators: 'winst' is geen bekende rekenhulp; kies uit: "
    "cpl, incrementality, influencer, ltv_cac, mer, roas, video",
    "blog/posts/many-problems.md: description: is 8 tekens lang; gebruik 50 tot 160 tekens",
    "blog/posts/many-problems.md: draft: moet true of false zijn",
    "blog/posts/many-problems.md: image: moet een bestand van deze site zijn, geen externe URL",
    "blog/posts/many-problems.md: slug: mag alleen kleine letters a-z, cijfers en "
    "koppeltekens bevatten",
    "blog/posts/missing-date.md: date: ontbreekt; dit veld is verplicht",
    "blog/posts/missing-more.md: body: mist de regel <!-- more -->; zet die na de inleiding "
    "(wat erboven staat, is de samenvatting in de overzichten)",
    "blog/posts/missing-title.md: title: ontbreekt; dit veld is verplicht",
    "blog/posts/misspelled-key.md: description: ontbreekt; dit veld is verplicht",
    "blog/posts/misspelled-key.md: descripton: is geen bekend veld; bedoel je 'description'? "
    "Toegestaan: title, description, date, updated, authors, categories, slug, draft, "
    "calculators, image",
    "blog/posts/text-date.md: date: is geen geldige datum; schrijf bijvoorbeeld 2025-06-10",
    "blog/posts/unknown-author.md: authors: 'jan' is geen bekende auteur; voeg hem toe aan "
    "blog/.authors.yml of kies uit: redactie, remco",
    f"blog/posts/unknown-category.md: categories: 'Sport' is geen toegestane categorie; kies "
    f"uit: {ALLOWED}",
]


def project_with(tmp_path: Path, *posts: Path) -> Path:
    project = copy_project(tmp_path / "project")
    for post in posts:
        shutil.copy(post, project / "docs" / "blog" / "posts" / post.name)
    return project


def reported(output: str) -> list[str]:
    return [line.strip() for line in output.splitlines() if line.strip().startswith("blog/")]


def test_broken_posts_stop_the_build_with_every_problem_at_once(tmp_path: Path) -> None:
    corpus = sorted((FIXTURES / "broken-posts").glob("*.md"))
    project = project_with(tmp_path, *corpus)
    result = build(project, tmp_path / "site")
    output = result.stdout + result.stderr
    assert result.returncode != 0
    assert reported(output) == EXPECTED, output
    assert f"{len(EXPECTED)} fouten" in output
    assert "Traceback" not in output
    assert not (tmp_path / "site" / "index.html").exists(), "nothing is published half-right"


@pytest.mark.parametrize("name", ["missing-title.md", "unknown-author.md", "broken-yaml.md"])
def test_a_single_broken_post_fails_the_build(tmp_path: Path, name: str) -> None:
    project = project_with(tmp_path, FIXTURES / "broken-posts" / name)
    result = build(project, tmp_path / "site")
    assert result.returncode == 1
    assert len(reported(result.stdout + result.stderr)) == 1
    assert "1 fout" in result.stdout + result.stderr


def test_a_draft_is_never_in_the_production_build(tmp_path: Path) -> None:
    project = project_with(tmp_path, FIXTURES / "draft-post.md")
    site = tmp_path / "site"
    result = build(project, site)
    assert result.returncode == 0, result.stdout + result.stderr
    assert not (site / "blog" / "concept-in-de-maak").exists()
    for path in [*site.rglob("*.html"), site / "feed_rss_created.xml", site / "sitemap.xml"]:
        text = path.read_text(encoding="utf-8")
        assert "concept-in-de-maak" not in text, path
        assert "Concept in de maak" not in text, path
