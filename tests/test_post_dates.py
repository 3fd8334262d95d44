"""Dates in frontmatter: the checker and the build agree, in Dutch (SPEC §4, `updated`)."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from .support import ROOT, build, copy_project
from .test_post_schema import docs, problems, write_post  # noqa: F401 (fixture)

INVALID = "is geen geldige datum; schrijf bijvoorbeeld 2025-06-10"
QUOTED = (
    "date: staat tussen aanhalingstekens en is dan tekst; schrijf de datum zonder "
    "aanhalingstekens: date: 2025-06-11"
)


@pytest.mark.parametrize(
    ("fields", "expected"),
    [
        ({"date": '"2025-06-11"'}, QUOTED),
        ({"date": "'2025-06-11'"}, QUOTED),
        (
            {"updated": '"2025-07-01"'},
            "updated: staat tussen aanhalingstekens en is dan tekst; schrijf de datum zonder "
            "aanhalingstekens: updated: 2025-07-01",
        ),
        ({"updated": "gisteren"}, f"updated: {INVALID}"),
        ({"updated": ""}, f"updated: {INVALID}"),
        (
            {"updated": "2025-06-01"},
            "updated: 2025-06-01 ligt voor de publicatiedatum 2025-06-10; een bijwerking komt "
            "op of na date",
        ),
        (
            {"updated": "2026-12-01"},
            "updated: 2026-12-01 ligt in de toekomst; gebruik een datum tot en met vandaag "
            "of zet draft: true",
        ),
    ],
)
def test_dates_that_the_build_cannot_read_are_reported_in_dutch(
    docs: Path,  # noqa: F811
    fields: dict[str, str],
    expected: str,
) -> None:
    write_post(docs, "p.md", fields)
    assert problems(docs) == [f"blog/posts/p.md: {expected}"]


@pytest.mark.parametrize("updated", ["2025-06-10", "2025-08-01", "2025-08-01 09:30:00"])
def test_an_update_on_or_after_the_date_is_valid(docs: Path, updated: str) -> None:  # noqa: F811
    write_post(docs, "p.md", {"updated": updated})
    assert problems(docs) == []


def check_command(project: Path, *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "hooks.posts", *args],
        cwd=project,
        capture_output=True,
        text=True,
    )


def test_checker_and_build_both_reject_a_quoted_date_in_dutch(tmp_path: Path) -> None:
    project = copy_project(tmp_path / "project")
    post = project / "docs/blog/posts/kpis-die-ertoe-doen.md"
    post.write_text(post.read_text().replace("date: 2025-06-10", 'date: "2025-06-11"', 1))
    line = f"blog/posts/kpis-die-ertoe-doen.md: {QUOTED}"

    checked = check_command(project, str(post))
    assert checked.returncode == 1
    assert checked.stdout.splitlines() == [line]

    built = build(project, tmp_path / "site")
    output = built.stdout + built.stderr
    assert built.returncode == 1
    assert line in output
    assert "Expected type" not in output and "Traceback" not in output


def test_the_checker_says_when_a_path_is_not_a_post() -> None:
    result = check_command(ROOT, "docs/index.md")
    assert result.returncode == 64
    message = "docs/index.md: is geen blogpost; posts staan in docs/blog/posts/"
    assert result.stderr.strip() == message
    assert "in orde" not in result.stdout
