"""The frontmatter rules of SPEC §4, checked directly on the validation module."""

from __future__ import annotations

import datetime as dt
import subprocess
import sys
from dataclasses import replace
from pathlib import Path

import pytest

from kennisbank.posts import Problem, Schema, load_and_check

from .support import ROOT, copy_project

TODAY = dt.date(2026, 11, 23)
VALID = {
    "title": "Een titel",
    "description": "Een beschrijving van precies genoeg tekens om geldig te zijn, echt waar.",
    "date": "2025-06-10",
    "authors": "[redactie]",
    "categories": "[Strategie]",
}


@pytest.fixture
def docs(tmp_path: Path) -> Path:
    (tmp_path / "blog" / "posts").mkdir(parents=True)
    (tmp_path / "assets").mkdir()
    (tmp_path / "assets" / "foto.jpg").write_bytes(b"jpg")
    return tmp_path


def schema(docs: Path) -> Schema:
    return Schema(
        authors=frozenset({"redactie", "remco"}),
        categories=("Strategie", "Videomarketing"),
        calculators=frozenset({"roas", "cpl"}),
        docs_dir=docs,
        today=TODAY,
    )


def write_post(docs: Path, name: str, fields: dict[str, str] | None = None, raw: str | None = None):
    if raw is None:
        fields = {**VALID, **(fields or {})}
        lines = [f"{key}: {value}" for key, value in fields.items() if value is not None]
        raw = "---\n" + "\n".join(lines) + "\n---\n\nTekst.\n"
    path = docs / "blog" / "posts" / name
    path.write_text(raw, encoding="utf-8")
    return path


def problems(docs: Path) -> list[str]:
    files = sorted((docs / "blog" / "posts").glob("*.md"))
    _, found = load_and_check(docs, files, schema(docs))
    return [str(problem) for problem in found]


def test_a_valid_post_has_no_problems(docs: Path) -> None:
    write_post(docs, "ok.md", {"slug": "ok", "image": "assets/foto.jpg", "calculators": "[roas]"})
    assert problems(docs) == []


@pytest.mark.parametrize("key", ["title", "description", "date", "authors", "categories"])
def test_every_required_key_is_reported_when_missing(docs: Path, key: str) -> None:
    write_post(docs, "p.md", {key: None})
    assert problems(docs) == [f"blog/posts/p.md: {key}: ontbreekt; dit veld is verplicht"]


@pytest.mark.parametrize(
    ("fields", "expected"),
    [
        ({"title": '""'}, "title: ontbreekt; dit veld is verplicht"),
        ({"title": "42"}, "title: moet tekst zijn"),
        ({"description": "Kort."}, "description: is 5 tekens lang; gebruik 50 tot 160 tekens"),
        (
            {"description": "x" * 161},
            "description: is 161 tekens lang; gebruik 50 tot 160 tekens",
        ),
        ({"date": "2025-13-45"}, "date: is geen geldige datum; schrijf bijvoorbeeld 2025-06-10"),
        ({"date": "morgen"}, "date: is geen geldige datum; schrijf bijvoorbeeld 2025-06-10"),
        (
            {"date": "2026-11-24"},
            "date: 2026-11-24 ligt in de toekomst; gebruik een datum tot en met vandaag "
            "of zet draft: true",
        ),
        ({"authors": "redactie"}, "authors: moet een lijst zijn, bijvoorbeeld:\n    - redactie"),
        (
            {"authors": "[jan]"},
            "authors: 'jan' is geen bekende auteur; voeg hem toe aan blog/.authors.yml of kies "
            "uit: redactie, remco",
        ),
        (
            {"categories": "[Sport]"},
            "categories: 'Sport' is geen toegestane categorie; kies uit: Strategie, Videomarketing",
        ),
        (
            {"categories": "[Strategie, Strategie]"},
            "categories: noemt dezelfde waarde meer dan eens",
        ),
        (
            {"slug": "Mijn_Post"},
            "slug: mag alleen kleine letters a-z, cijfers en koppeltekens bevatten",
        ),
        ({"draft": "ja"}, "draft: moet true of false zijn"),
        (
            {"calculators": "[winst]"},
            "calculators: 'winst' is geen bekende rekenhulp; kies uit: cpl, roas",
        ),
        ({"image": "assets/weg.jpg"}, "image: bestand 'assets/weg.jpg' bestaat niet onder docs/"),
        ({"image": "../geheim.txt"}, "image: bestand '../geheim.txt' bestaat niet onder docs/"),
        (
            {"image": "https://cdn.example/x.jpg"},
            "image: moet een bestand van deze site zijn, geen externe URL",
        ),
        (
            {"titel": "Typfout"},
            "titel: is geen bekend veld; bedoel je 'title'? Toegestaan: title, description, "
            "date, updated, authors, categories, slug, draft, calculators, image",
        ),
    ],
)
def test_each_rule_gives_a_dutch_message_on_its_field(
    docs: Path, fields: dict[str, str], expected: str
) -> None:
    write_post(docs, "p.md", fields)
    assert problems(docs) == [f"blog/posts/p.md: {expected}"]


def test_a_post_without_excerpt_separator_is_reported_when_required(docs: Path) -> None:
    write_post(docs, "p.md")
    write_post(docs, "ok.md", raw=(docs / "blog/posts/p.md").read_text() + "<!-- more -->\n")
    files = sorted((docs / "blog" / "posts").glob("*.md"))
    strict = replace(schema(docs), excerpt_separator="<!-- more -->")
    _, found = load_and_check(docs, files, strict)
    assert [str(problem) for problem in found] == [
        "blog/posts/p.md: body: mist de regel <!-- more -->; zet die na de inleiding (wat "
        "erboven staat, is de samenvatting in de overzichten)"
    ]


def test_a_datetime_is_a_valid_date(docs: Path) -> None:
    write_post(docs, "p.md", {"date": "2021-08-16T08:01:30Z"})
    assert problems(docs) == []


def test_a_future_draft_is_allowed(docs: Path) -> None:
    write_post(docs, "p.md", {"date": "2999-01-01", "draft": "true"})
    assert problems(docs) == []


def test_duplicate_slugs_are_reported_on_every_post_that_shares_them(docs: Path) -> None:
    write_post(docs, "a.md", {"slug": "zelfde"})
    write_post(docs, "b.md", {"slug": "zelfde"})
    write_post(docs, "c.md", {"slug": "anders"})
    assert problems(docs) == [
        "blog/posts/a.md: slug: 'zelfde' wordt ook gebruikt door blog/posts/b.md",
        "blog/posts/b.md: slug: 'zelfde' wordt ook gebruikt door blog/posts/a.md",
    ]


def test_broken_yaml_names_the_line(docs: Path) -> None:
    write_post(docs, "p.md", raw='---\ntitle: "open\ndescription: x\n---\n\nTekst.\n')
    assert problems(docs) == [
        "blog/posts/p.md: frontmatter: is geen geldige YAML (regel 2; controleer "
        "aanhalingstekens en inspringing)"
    ]


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("Alleen tekst.\n", "frontmatter: ontbreekt; begin het bestand met een blok tussen ---"),
        (
            "---\n- een\n- lijst\n---\n",
            "frontmatter: moet bestaan uit regels als 'sleutel: waarde'",
        ),
    ],
)
def test_posts_without_usable_frontmatter_are_reported(docs: Path, raw: str, expected: str) -> None:
    write_post(docs, "p.md", raw=raw)
    assert problems(docs) == [f"blog/posts/p.md: {expected}"]


def test_all_problems_of_all_posts_are_reported_together(docs: Path) -> None:
    write_post(docs, "a.md", {"title": None, "date": "nooit"})
    write_post(docs, "b.md", {"authors": "[jan]"})
    found = problems(docs)
    assert [line.split(": ")[0:2] for line in found] == [
        ["blog/posts/a.md", "date"],
        ["blog/posts/a.md", "title"],
        ["blog/posts/b.md", "authors"],
    ]


def test_problem_renders_as_path_field_message() -> None:
    assert (
        str(Problem("blog/posts/x.md", "date", "ontbreekt")) == "blog/posts/x.md: date: ontbreekt"
    )


def test_editors_can_check_posts_without_building() -> None:
    """`python -m hooks.posts` checks the real posts and exits 0 when they are fine."""
    result = subprocess.run(
        [sys.executable, "-m", "hooks.posts"], cwd=ROOT, capture_output=True, text=True
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "gecontroleerd: alles in orde" in result.stdout


def test_the_command_reports_problems_of_the_given_file(tmp_path: Path) -> None:
    project = copy_project(tmp_path / "project")
    bad = project / "docs" / "blog" / "posts" / "kapot.md"
    bad.write_text("---\ntitle: Kapot\n---\n\nTekst.\n", encoding="utf-8")
    result = subprocess.run(
        [sys.executable, "-m", "hooks.posts", str(bad)],
        cwd=project,
        capture_output=True,
        text=True,
    )
    assert result.returncode == 1
    assert result.stdout.splitlines() == [
        "blog/posts/kapot.md: authors: ontbreekt; dit veld is verplicht",
        "blog/posts/kapot.md: body: mist de regel <!-- more -->; zet die na de inleiding (wat "
        "erboven staat, is de samenvatting in de overzichten)",
        "blog/posts/kapot.md: categories: ontbreekt; dit veld is verplicht",
        "blog/posts/kapot.md: date: ontbreekt; dit veld is verplicht",
        "blog/posts/kapot.md: description: ontbreekt; dit veld is verplicht",
    ]
