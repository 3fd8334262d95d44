"""A second build compresses only what changed (kennisbank/compression.py).

`make build` cleans the site folder, so without the content cache every build
compressed every file again at brotli's best. A small site with the real
compression hook is built twice, with one page changed in between: the second
build may encode only files whose bytes changed, and takes the rest from the
cache. The hook logs each file it encodes (`mkdocs build --verbose`).
"""

from __future__ import annotations

import gzip
import os
import re
import shutil
from pathlib import Path

from kennisbank.compression import Cache, compress_runtime, compress_site
from kennisbank.pyodide.bundle import RUNTIME_FILES

from .support import ROOT, mkdocs

ENCODED_RE = re.compile(r"DEBUG\s+-\s+Gecomprimeerd: (\S+)")
# Enough text that every page is worth compressing (at least 1 KiB).
FILLER = "Een alinea over kosten per lead en over wat een campagne oplevert. " * 40


def make_project(folder: Path) -> Path:
    (folder / "docs").mkdir(parents=True)
    (folder / "mkdocs.yml").write_text(
        "site_name: Proef\n"
        "theme:\n  name: material\n"
        "plugins: []\n"
        f"hooks:\n  - {ROOT / 'hooks' / 'precompress.py'}\n",
        encoding="utf-8",
    )
    for name in ("index", "een", "twee", "drie"):
        (folder / "docs" / f"{name}.md").write_text(f"# {name}\n\n{FILLER}\n", encoding="utf-8")
    return folder


def build(project: Path, site: Path) -> list[str]:
    """The site paths whose compressed copies this build encoded."""
    result = mkdocs(project, "build", "--clean", "--verbose", "--site-dir", str(site))
    assert result.returncode == 0, result.stderr
    return ENCODED_RE.findall(result.stdout + result.stderr)


def contents(site: Path) -> dict[str, bytes]:
    return {
        path.relative_to(site).as_posix(): path.read_bytes()
        for path in site.rglob("*")
        if path.is_file() and path.suffix not in (".br", ".gz")
    }


def test_unchanged_files_are_not_compressed_again(tmp_path: Path) -> None:
    project = make_project(tmp_path / "project")
    site = tmp_path / "site"
    first = build(project, site)
    before = contents(site)
    assert "een/index.html" in first and len(first) > 10

    page = project / "docs" / "een.md"
    page.write_text(page.read_text(encoding="utf-8") + "\nEen nieuwe zin.\n", encoding="utf-8")
    second = build(project, site)
    after = contents(site)
    changed = {name for name in after if before.get(name) != after[name]}

    assert "een/index.html" in changed
    assert "een/index.html" in second, "a changed page is compressed again"
    assert set(second) <= changed, "unchanged files were compressed again"
    # The copies taken from the cache are those of the files' current bytes.
    for name in after.keys() - changed:
        if (site / f"{name}.gz").exists():
            assert gzip.decompress((site / f"{name}.gz").read_bytes()) == after[name]
    # Everything the last build wrote is in the cache.
    cached = {path.read_bytes() for path in (project / ".cache" / "compressed").iterdir()}
    ours = [*site.rglob("*.br"), *site.rglob("*.gz")]
    ours.remove(site / "sitemap.xml.gz")  # MkDocs' own
    assert {path.read_bytes() for path in ours} <= cached


def test_the_cache_keeps_the_last_builds_copies_and_recent_others_to_a_bound(
    tmp_path: Path,
) -> None:
    folder = tmp_path / "compressed"
    folder.mkdir()
    for age, name in enumerate(["used", "newest", "newer", "older", "oldest"]):
        (folder / name).write_bytes(bytes(100))
        os.utime(folder / name, (1_000_000 - age, 1_000_000 - age))
    (folder / "left.tmp").write_bytes(b"")  # a write cut short long ago
    os.utime(folder / "left.tmp", (0, 0))
    cache = Cache(folder, used={"used"})
    cache.prune(keep_bytes=300)
    assert sorted(path.name for path in folder.iterdir()) == ["newer", "newest", "used"]


def test_the_runtime_compressed_at_set_up_is_taken_by_the_build(tmp_path: Path) -> None:
    """`make setup` compresses the Pyodide runtime once: a build then encodes none of it."""
    runtime = tmp_path / "node_modules" / "pyodide"
    runtime.mkdir(parents=True)
    for name in RUNTIME_FILES:  # small stand-ins: brotli's best on the real ones takes 30 s
        (runtime / name).write_text(f"{name}: {FILLER}", encoding="utf-8")
    cache = tmp_path / ".cache" / "compressed"
    assert sorted(compress_runtime(runtime, cache)) == sorted(
        f"assets/pyodide/{name}" for name in RUNTIME_FILES
    )
    site = tmp_path / "site"
    shutil.copytree(runtime, site / "assets" / "pyodide" / "0.29.0")
    built = compress_site(site, cache)
    assert built.encoded == [] and built.reused == len(RUNTIME_FILES)
    assert (site / "assets/pyodide/0.29.0/pyodide.asm.wasm.br").is_file()
