"""Cache names that cannot go stale: an immutable URL always serves the same bytes.

deploy/nginx.conf (and the local server, which reads its patterns) tell browsers
to keep content-named URLs for a year without asking again. So every such URL
must be named after everything its bytes depend on: a build in which one input
changed (a calculator, the Pyodide runtime or its lock file, the snapshot maker,
the browser glue) may reuse a URL of the build before only for the very same
bytes. Otherwise returning readers keep the old file: after a Pyodide upgrade,
an old lock file stops every calculator with "Lock file ABI version doesn't match".
"""

from __future__ import annotations

import json
import shutil
from collections.abc import Callable
from pathlib import Path

import pytest

from scripts.static_server import IMMUTABLE

from .support import ROOT, build, copy_project


def project_copy(destination: Path) -> Path:
    """A copy whose build code and Pyodide runtime may be changed too.

    The build code is copied (Python imports it from the project folder first);
    the runtime's files are links, each replaced by a file when it is changed.
    The build cache stays shared: what it holds is keyed by content.
    """
    project = copy_project(destination)
    for folder in ("hooks", "kennisbank"):
        if (ROOT / folder).is_dir():
            (project / folder).unlink()
            shutil.copytree(
                ROOT / folder, project / folder, ignore=shutil.ignore_patterns("__pycache__")
            )
    (project / "node_modules").unlink()
    for package in (ROOT / "node_modules").iterdir():
        (project / "node_modules" / package.name).parent.mkdir(exist_ok=True)
        if package.name == "pyodide":
            (project / "node_modules" / "pyodide").mkdir()
            for file in package.iterdir():
                (project / "node_modules" / "pyodide" / file.name).symlink_to(file)
        else:
            (project / "node_modules" / package.name).symlink_to(package)
    return project


def rewrite(path: Path, change: Callable[[str], str]) -> None:
    """Change a file of the copy (a link is replaced, the project's file stays)."""
    text = path.read_text(encoding="utf-8")
    path.unlink()
    new = change(text)
    assert new != text, f"{path.name}: the change did nothing"
    path.write_text(new, encoding="utf-8")


def build_code(project: Path, name: str) -> Path:
    found = [path for folder in ("kennisbank", "hooks") for path in (project / folder).rglob(name)]
    assert found, name
    return found[0]


def change_calculator(project: Path) -> None:
    rewrite(project / "calculators" / "roas.py", lambda text: text + "\n# A new release.\n")


def change_pyodide_lock(project: Path) -> None:
    # What a Pyodide upgrade brings along: a lock file made for another build.
    def newer_platform(text: str) -> str:
        lock = json.loads(text)
        lock["info"]["platform"] += "_1"
        return json.dumps(lock)

    rewrite(project / "node_modules" / "pyodide" / "pyodide-lock.json", newer_platform)


def change_pyodide_version(project: Path) -> None:
    def next_version(text: str) -> str:
        package = json.loads(text)
        package["version"] += "-1"
        return json.dumps(package)

    rewrite(project / "node_modules" / "pyodide" / "package.json", next_version)


def change_snapshot_maker(project: Path) -> None:
    # Something more in Python's memory when it is saved.
    rewrite(
        build_code(project, "make_snapshot.mjs"),
        lambda text: text.replace("import importlib\n", "import importlib\n_release = 2\n", 1),
    )


def change_glue(project: Path) -> None:
    # One module of the worker: the page imports the others by relative name.
    module = project / "docs" / "assets" / "javascripts" / "calculator" / "worker" / "restore.mjs"
    rewrite(module, lambda text: text + "\n// A new release.\n")


CHANGES = {
    "calculator": change_calculator,
    "pyodide-lock": change_pyodide_lock,
    "pyodide-version": change_pyodide_version,
    "snapshot-maker": change_snapshot_maker,
    "glue": change_glue,
}


def immutable_files(site: Path) -> dict[str, bytes]:
    """Every file served as immutable, by URL path (compressed copies are the same URL)."""
    return {
        url: path.read_bytes()
        for path in site.rglob("*")
        if path.is_file()
        and path.suffix not in (".br", ".gz")
        and IMMUTABLE.search(url := "/" + path.relative_to(site).as_posix())
    }


@pytest.fixture(scope="module")
def before(tmp_path_factory: pytest.TempPathFactory) -> dict[str, bytes]:
    root = tmp_path_factory.mktemp("before")
    project = project_copy(root / "project")
    result = build(project, root / "site")
    assert result.returncode == 0, result.stderr
    return immutable_files(root / "site")


@pytest.mark.parametrize("changed", CHANGES)
def test_a_changed_input_never_reuses_an_immutable_url_for_other_bytes(
    changed: str, before: dict[str, bytes], tmp_path: Path
) -> None:
    project = project_copy(tmp_path / "project")
    CHANGES[changed](project)
    result = build(project, tmp_path / "site")
    assert result.returncode == 0, result.stderr
    after = immutable_files(tmp_path / "site")
    assert after != before, "the change reached the immutable files"
    stale = sorted(url for url in before.keys() & after.keys() if before[url] != after[url])
    assert stale == [], f"same URL, other bytes after changing the {changed}"
