"""Ship the calculators to the browser: self-hosted Pyodide plus our own wheel.

After each build, `ship()`

1. builds `calculators/` as a pure-Python wheel (`python -m build`, cached by
   content, reproducible through SOURCE_DATE_EPOCH),
2. copies the Pyodide runtime of the exactly pinned npm package `pyodide`
   into `site/assets/pyodide/<version>/` (a versioned, immutable path), and
3. registers the wheel in the site's `pyodide-lock.json` with the Pyodide
   toolchain's `pyodide lockfile add-wheels`, so Pyodide verifies it (sha256)
   and loads it by name — no CDN, no micropip, and
4. puts a memory snapshot of Python with the calculators imported next to it
   (kennisbank/pyodide/snapshot.py): what the browser restores instead of starting.

The lock file is then reduced to the packages the site actually ships (our
wheel and its dependencies): the runtime's full list names hundreds of
packages that are not on this site and would only cost readers bytes.
"""

from __future__ import annotations

import hashlib
import json
import logging
import os
import shutil
import subprocess
import sys
import tempfile
import threading
from functools import lru_cache
from pathlib import Path

from mkdocs.exceptions import Abort

from kennisbank.pyodide import snapshot as pyodide_snapshot

log = logging.getLogger("mkdocs.kennisbank.pyodide")
PACKAGE_NAME = "kennisbank-calculators"
RUNTIME_FILES = ("pyodide.mjs", "pyodide.asm.mjs", "pyodide.asm.wasm", "python_stdlib.zip")
# Wheels carry file dates; a fixed one makes the wheel (and its sha256) reproducible.
SOURCE_DATE_EPOCH = "1735689600"  # 2025-01-01


def project_root(config) -> Path:
    return Path(config.config_file_path).absolute().parent


def runtime_source(config) -> Path:
    source = project_root(config) / "node_modules" / "pyodide"
    missing = [
        name
        for name in (*RUNTIME_FILES, "package.json", "pyodide-lock.json")
        if not (source / name).is_file()
    ]
    if missing:
        raise Abort(
            f"De Pyodide-runtime ontbreekt in {source} ({', '.join(missing)}). "
            "Installeer hem met 'make build' of 'npm ci'."
        )
    return source


def runtime_version(config) -> str:
    package = json.loads((runtime_source(config) / "package.json").read_text(encoding="utf-8"))
    return package["version"]


def runtime_path(config) -> str:
    """Site-relative folder of the runtime; versioned so it can be cached forever."""
    return f"assets/pyodide/{runtime_version(config)}/"


def package_path(config) -> str:
    """Site-relative folder of the wheel and lock file, named after the sources.

    The wheel is reproducible, so the same sources give the same bytes: the
    folder can be cached forever and a new release gets a new folder.
    """
    return f"assets/calculators/{source_digest(project_root(config))}/"


def snapshot_path(config) -> str:
    """Site-relative path of the memory snapshot, named after what it is made from."""
    key = pyodide_snapshot.snapshot_key(source_digest(project_root(config)), runtime_source(config))
    return package_path(config) + pyodide_snapshot.file_name(key)


# -- The wheel ------------------------------------------------------------------


def source_digest(root: Path) -> str:
    paths = [root / "pyproject.toml", *sorted((root / "calculators").rglob("*.py"))]
    stamps = tuple((path, path.stat().st_size, path.stat().st_mtime_ns) for path in paths)
    return _digest_of(root, stamps)


@lru_cache(maxsize=8)
def _digest_of(root: Path, stamps: tuple[tuple[Path, int, int], ...]) -> str:
    """The digest of the sources; every page with a calculator asks, so remembered per version."""
    digest = hashlib.sha256()
    for path, _, _ in stamps:
        digest.update(path.relative_to(root).as_posix().encode())
        digest.update(path.read_bytes())
    return digest.hexdigest()[:16]


def build_wheel(root: Path) -> Path:
    """The calculators wheel, rebuilt only when its sources change."""
    out_dir = root / ".cache" / "wheels" / source_digest(root)
    wheels = sorted(out_dir.glob("*.whl"))
    if wheels:
        return wheels[0]
    # Builds run side by side (tests, `make serve`): each builds its own, the first wins.
    out_dir.parent.mkdir(parents=True, exist_ok=True)
    staging = Path(tempfile.mkdtemp(suffix=".tmp", dir=out_dir.parent))
    result = subprocess.run(
        [
            sys.executable,
            "-m",
            "build",
            "--wheel",
            "--no-isolation",
            "--outdir",
            str(staging),
            str(root),
        ],
        capture_output=True,
        text=True,
        env={**os.environ, "SOURCE_DATE_EPOCH": SOURCE_DATE_EPOCH},
    )
    if result.returncode != 0:
        shutil.rmtree(staging, ignore_errors=True)
        raise Abort(f"Het pakket met rekenhulpen kon niet gebouwd worden:\n{result.stderr}")
    try:
        staging.rename(out_dir)
    except OSError:  # another build finished first: the same sources, the same wheel
        shutil.rmtree(staging, ignore_errors=True)
    return next(out_dir.glob("*.whl"))


# -- The lock file ----------------------------------------------------------------


def pyodide_cli() -> str:
    local = Path(sys.executable).with_name("pyodide")
    found = str(local) if local.exists() else shutil.which("pyodide")
    if not found:
        raise Abort("Het commando 'pyodide' (pyodide-cli met pyodide-lock) is niet geïnstalleerd.")
    return found


def register_wheel(wheel: Path, runtime_lock: Path, package_dir: Path) -> Path:
    """Copy the wheel into the site and register it with `pyodide lockfile add-wheels`."""
    package_dir.mkdir(parents=True, exist_ok=True)
    shipped = package_dir / wheel.name
    shutil.copy2(wheel, shipped)
    lockfile = package_dir / "pyodide-lock.json"
    result = subprocess.run(
        [
            pyodide_cli(),
            "lockfile",
            "add-wheels",
            "--input",
            str(runtime_lock),
            "--output",
            str(lockfile),
            "--base-path",
            str(package_dir),
            str(shipped),
        ],
        capture_output=True,
        text=True,
    )
    if result.returncode != 0:
        raise Abort(f"'pyodide lockfile add-wheels' is mislukt:\n{result.stdout}{result.stderr}")
    keep_only_shipped(lockfile, PACKAGE_NAME)
    return lockfile


def keep_only_shipped(lockfile: Path, package: str) -> None:
    """Reduce the lock file to `package` and everything it depends on."""
    lock = json.loads(lockfile.read_text(encoding="utf-8"))
    packages = lock["packages"]
    wanted, todo = set(), [package]
    while todo:
        name = todo.pop()
        if name not in wanted:
            wanted.add(name)
            todo += packages[name].get("depends", [])
    lock["packages"] = {name: packages[name] for name in sorted(wanted)}
    lockfile.write_text(json.dumps(lock, separators=(",", ":")), encoding="utf-8")


# -- Shipping ---------------------------------------------------------------------


def is_copy(source: Path, target: Path) -> bool:
    """`target` is what shutil.copy2 made of `source` (same size and time)."""
    if not target.is_file():
        return False
    theirs, ours = source.stat(), target.stat()
    return theirs.st_size == ours.st_size and theirs.st_mtime_ns == ours.st_mtime_ns


def ship(config, snapshot_later: bool = False) -> None:
    """Put the runtime, the wheel, its lock file and the snapshot into the built site.

    What is there already is skipped: the folders are named after their content,
    so a rebuild by `mkdocs serve` for an edited post copies and registers nothing.
    With `snapshot_later` (`mkdocs serve`), a new snapshot is made in the
    background: until it is there, calculators start the normal way.
    """
    site = Path(config.site_dir)
    source = runtime_source(config)
    runtime_dir = site / runtime_path(config)
    runtime_dir.mkdir(parents=True, exist_ok=True)
    for name in RUNTIME_FILES:
        if not is_copy(source / name, runtime_dir / name):
            shutil.copy2(source / name, runtime_dir / name)
    root = project_root(config)
    package_dir = site / package_path(config)
    snapshot = site / snapshot_path(config)
    registered = (package_dir / "pyodide-lock.json").is_file()
    key = pyodide_snapshot.snapshot_key(source_digest(root), source)
    if registered and (snapshot.is_file() or key in _snapshots_in_progress):
        return
    log.info("Rekenhulpen klaarzetten voor de browser (wheel en snapshot)")
    wheel = build_wheel(root)
    if not registered:
        register_wheel(wheel, source / "pyodide-lock.json", package_dir)
    if not snapshot_later:
        place_snapshot(root, key, wheel, source, runtime_version(config), snapshot)
    elif key not in _snapshots_in_progress:
        _snapshots_in_progress.add(key)
        log.info("De snapshot wordt op de achtergrond gemaakt; tot dan starten rekenhulpen zonder")
        arguments = (root, key, wheel, source, runtime_version(config), snapshot)
        threading.Thread(target=place_snapshot, args=arguments, daemon=True).start()


# Snapshots being made in the background, by key: a rebuild meanwhile waits for it.
_snapshots_in_progress: set[str] = set()


def place_snapshot(
    root: Path, key: str, wheel: Path, runtime: Path, version: str, target: Path
) -> None:
    """Make (or reuse) the snapshot and put it into the site whole: a reader never gets half."""
    try:
        made = pyodide_snapshot.make_snapshot(root / ".cache", key, wheel, runtime, version)
        partial = target.with_name(f"{target.name}.{os.getpid()}.tmp")
        shutil.copy2(made, partial)
        partial.replace(target)
    except Abort as error:
        if threading.current_thread() is threading.main_thread():
            raise
        log.error(str(error))
    finally:
        _snapshots_in_progress.discard(key)
