"""Reproducible builds: the same commit gives the same bytes, file for file.

Content-named files are cached by browsers for a year (deploy/nginx.conf), so
two builds of the same sources must not put different bytes under one name;
and a site that builds the same everywhere can be checked against its sources.
The first build uses the project's build cache; the second starts from an empty
one, so the wheel, the Pyodide memory snapshot and every compressed copy are
really made again. Only the feeds' build dates may differ.
"""

from __future__ import annotations

from pathlib import Path

from .builds import differences, site_files
from .support import build, copy_project


def test_two_builds_of_the_same_sources_are_identical(tmp_path: Path) -> None:
    warm = copy_project(tmp_path / "warm")
    cold = copy_project(tmp_path / "cold")
    (cold / ".cache").unlink(missing_ok=True)  # its own, empty build cache
    sites = []
    for project in (warm, cold):
        result = build(project, project.parent / f"{project.name}-site")
        assert result.returncode == 0, result.stderr
        sites.append(site_files(project.parent / f"{project.name}-site"))
    assert any((cold / ".cache" / "snapshots").iterdir()), "the snapshot was made again"
    first, second = sites
    assert any(name.endswith(".bin") for name in first)
    assert differences(first, second) == []
