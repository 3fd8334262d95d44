"""A Pyodide memory snapshot with the calculators already imported.

The browser's worker restores it instead of starting Python and loading the
wheel (docs/assets/javascripts/calculator/worker/restore.mjs): the wasm still has to be
compiled, but Python's own start-up and every import are already done. It is
made at build time with Node.js from the vendored runtime (kennisbank/pyodide/make_snapshot.mjs);
a restore that fails for any reason falls back to the normal start.

The file holds, after an 8-byte magic and a 4-byte header length, a JSON header
padded to 16 bytes, then the non-zero 4 kB pages of Pyodide's own snapshot, run
after run. The header has the calculators' sources (the worker writes them into
site-packages before Python starts, exactly as when the snapshot was made), the
Pyodide version, the snapshot's full length, where its stored runs of pages go,
and the pages left out because a fresh runtime already holds them. Three
quarters of Python's 31 MB are zeros: leaving them out makes the file quicker
to check and to read back from the browser's cache.
It is made again only when anything it is made from changes (sources, runtime,
maker: `snapshot_key`), and made the same way every time (make_snapshot.mjs
fixes Python's hash seed, its random numbers and the clock), so the same commit
gives the same bytes. In the site it is named after its own SHA-256, so it can
be cached for good and the worker can check it whole.
"""

from __future__ import annotations

import hashlib
import json
import os
import shutil
import struct
import subprocess
import tempfile
import zipfile
from functools import cache
from pathlib import Path

from mkdocs.exceptions import Abort

MAGIC = b"KBSNAP02"
PAGE = 4096  # the unit of the stored runs; Pyodide's snapshot is a multiple of it
MAKER = Path(__file__).with_name("make_snapshot.mjs")
# Run by Python before Pyodide's start-up, as site-packages/sitecustomize.py:
# keeps asyncio and two more modules out of the snapshot until they are used.
DEFERRED_IMPORTS = Path(__file__).with_name("deferred_imports.py")
KEEP = 4  # snapshots kept in .cache/snapshots/


def wheel_sources(wheel: Path) -> dict[str, str]:
    """The package's files from the wheel, by path inside site-packages.

    The .dist-info is left out: Pyodide would register the package as loaded
    from an unknown source, a JavaScript object that cannot be snapshotted.
    """
    with zipfile.ZipFile(wheel) as archive:
        return {
            name: archive.read(name).decode("utf-8")
            for name in sorted(archive.namelist())
            if not name.split("/", 1)[0].endswith(".dist-info") and not name.endswith("/")
        }


def snapshot_sources(wheel: Path) -> dict[str, str]:
    """What is written into site-packages before Python starts, when the snapshot
    is made and again when it is restored (the file system is not in a snapshot)."""
    deferring = DEFERRED_IMPORTS.read_text(encoding="utf-8")
    return {**wheel_sources(wheel), "sitecustomize.py": deferring}


def file_digest(path: Path) -> str:
    """SHA-256 of a file, read again only when it changed (`mkdocs serve` rebuilds)."""
    stat = path.stat()
    return _digest(path, stat.st_mtime_ns, stat.st_size)


@cache
def _digest(path: Path, mtime_ns: int, size: int) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def snapshot_key(source_digest: str, runtime: Path) -> str:
    """Changes whenever the sources, the Pyodide build or the way it is made change.

    It names the snapshot in the build cache; in the site, the file is named
    after its own bytes (`file_name`), which the same key reproduces.
    """
    digest = hashlib.sha256(MAGIC)
    digest.update(source_digest.encode())
    for path in (
        runtime / "package.json",
        runtime / "pyodide-lock.json",
        runtime / "pyodide.asm.mjs",
        runtime / "pyodide.asm.wasm",
        runtime / "python_stdlib.zip",
        MAKER,
        DEFERRED_IMPORTS,
        Path(__file__),
    ):
        digest.update(file_digest(path).encode())
    return digest.hexdigest()[:16]


def file_name(name: str) -> str:
    return f"snapshot.{name}.bin"


def stored_runs(snapshot: bytes) -> list[tuple[int, int]]:
    """(first page, number of pages) of each run of pages that are not all zeros."""
    zero = bytes(PAGE)
    runs: list[tuple[int, int]] = []
    for page in range(-(-len(snapshot) // PAGE)):
        chunk = snapshot[page * PAGE : (page + 1) * PAGE]
        if chunk == zero[: len(chunk)]:
            continue
        if runs and sum(runs[-1]) == page:
            runs[-1] = (runs[-1][0], runs[-1][1] + 1)
        else:
            runs.append((page, 1))
    return runs


def pack(sources: dict[str, str], version: str, snapshot: bytes, pages: dict) -> bytes:
    runs = stored_runs(snapshot)
    if runs and sum(runs[-1]) * PAGE > len(snapshot):
        # Readers take whole pages: a partial last page would read as missing bytes.
        raise ValueError("snapshot: its last, partial page holds data")
    body = b"".join(snapshot[first * PAGE : (first + count) * PAGE] for first, count in runs)
    header = {
        "pyodide": version,
        "length": len(snapshot),
        "runs": runs,
        "pages": pages,
        "files": sources,
    }
    header = json.dumps(header, separators=(",", ":")).encode()
    # The stored pages are read through 32-bit views: keep them aligned.
    header += b" " * (-(len(MAGIC) + 4 + len(header)) % 16)
    return MAGIC + struct.pack("<I", len(header)) + header + body


def unpack(data: bytes) -> tuple[dict, bytes]:
    """(header, Pyodide snapshot with its zeros back) — the worker's reading, for tests."""
    if data[: len(MAGIC)] != MAGIC:
        raise ValueError("not a Kennisbank snapshot")
    (length,) = struct.unpack_from("<I", data, len(MAGIC))
    start = len(MAGIC) + 4
    header = json.loads(data[start : start + length])
    body = memoryview(data)[start + length :]
    snapshot = bytearray(header["length"])
    for first, count in header["runs"]:
        size = count * PAGE
        snapshot[first * PAGE : first * PAGE + size] = body[:size]
        body = body[size:]
    if len(body):
        raise ValueError("snapshot: more pages stored than its header lists")
    return header, bytes(snapshot)


def made_snapshot(cache_root: Path, key: str) -> Path | None:
    """The snapshot file for `key` in the build cache, if it was made."""
    made = cache_root / "snapshots" / key / file_name(key)
    return made if made.is_file() else None


def make_snapshot(cache_root: Path, key: str, wheel: Path, runtime: Path, version: str) -> Path:
    """The snapshot file, made with Node.js only when its key is new."""
    out_dir = cache_root / "snapshots" / key
    made = out_dir / file_name(key)
    if made.is_file():
        os.utime(out_dir)  # recently used: not pruned
        return made
    node = shutil.which("node")
    if node is None:
        raise Abort("Node.js is nodig om de Pyodide-snapshot te maken (apt-get install nodejs).")
    # Builds run side by side (tests, `make serve`): each makes its own, the first wins.
    out_dir.parent.mkdir(parents=True, exist_ok=True)
    staging = Path(tempfile.mkdtemp(prefix=f"{key}.", suffix=".tmp", dir=out_dir.parent))
    sources = snapshot_sources(wheel)
    (staging / "files.json").write_text(json.dumps(sources), encoding="utf-8")
    raw = staging / "pyodide.snapshot"
    pages = staging / "pages.json"
    result = subprocess.run(
        [node, str(MAKER), str(runtime), str(staging / "files.json"), str(raw), str(pages)],
        capture_output=True,
        text=True,
        timeout=300,
    )
    if result.returncode != 0 or not raw.is_file():
        shutil.rmtree(staging, ignore_errors=True)
        raise Abort(f"De Pyodide-snapshot kon niet gemaakt worden:\n{result.stderr[-4000:]}")
    skipped = json.loads(pages.read_text(encoding="utf-8"))
    (staging / file_name(key)).write_bytes(pack(sources, version, raw.read_bytes(), skipped))
    for temporary in (raw, pages, staging / "files.json"):
        temporary.unlink()
    try:
        staging.rename(out_dir)
    except OSError:  # another build finished first: its file is as good
        shutil.rmtree(staging, ignore_errors=True)
    prune(out_dir.parent)
    return made


def prune(folder: Path, keep: int = KEEP) -> None:
    """Remove all but the newest snapshots: each is 31 MB, and sources change often."""
    made = sorted(
        (path for path in folder.iterdir() if path.is_dir() and not path.name.endswith(".tmp")),
        key=lambda path: path.stat().st_mtime,
        reverse=True,
    )
    for old in made[keep:]:
        shutil.rmtree(old, ignore_errors=True)
