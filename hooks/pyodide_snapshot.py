"""A Pyodide memory snapshot with the calculators already imported.

The browser's worker restores it instead of starting Python and loading the
wheel (docs/assets/javascripts/calculator-worker.mjs): the wasm still has to be
compiled, but Python's own start-up and every import are already done. It is
made at build time with Node.js from the vendored runtime (hooks/make_snapshot.mjs);
a restore that fails for any reason falls back to the normal start.

The file holds, after an 8-byte magic and a 4-byte header length, a JSON header
(the calculators' sources, which the worker writes into site-packages before
Python starts, exactly as when the snapshot was made, the Pyodide version and
the SHA-256 of the rest)
padded to 16 bytes, then Pyodide's own snapshot. Its name carries a hash of
everything it is made from (sources, runtime, maker), so it can be cached for good.
"""

from __future__ import annotations

import hashlib
import json
import shutil
import struct
import subprocess
import tempfile
import zipfile
from functools import cache
from pathlib import Path

from mkdocs.exceptions import Abort

MAGIC = b"KBSNAP01"
MAKER = Path(__file__).with_name("make_snapshot.mjs")


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


@cache
def _file_digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def snapshot_key(source_digest: str, runtime: Path) -> str:
    """Changes whenever the sources, the Pyodide build or the way it is made change."""
    digest = hashlib.sha256(MAGIC)
    digest.update(source_digest.encode())
    for path in (
        runtime / "package.json",
        runtime / "pyodide.asm.mjs",
        runtime / "pyodide.asm.wasm",
        runtime / "python_stdlib.zip",
        MAKER,
        Path(__file__),
    ):
        digest.update(_file_digest(path).encode())
    return digest.hexdigest()[:16]


def file_name(key: str) -> str:
    return f"snapshot.{key}.bin"


def pack(sources: dict[str, str], version: str, snapshot: bytes) -> bytes:
    # The digest lets the worker refuse a damaged snapshot rather than run it.
    sha256 = hashlib.sha256(snapshot).hexdigest()
    header = {"pyodide": version, "sha256": sha256, "files": sources}
    header = json.dumps(header, separators=(",", ":")).encode()
    # Pyodide reads its snapshot through a Uint32Array: keep it aligned.
    header += b" " * (-(len(MAGIC) + 4 + len(header)) % 16)
    return MAGIC + struct.pack("<I", len(header)) + header + snapshot


def unpack(data: bytes) -> tuple[dict, bytes]:
    """(header, Pyodide snapshot) — the worker's reading, for tests."""
    if data[: len(MAGIC)] != MAGIC:
        raise ValueError("not a Kennisbank snapshot")
    (length,) = struct.unpack_from("<I", data, len(MAGIC))
    start = len(MAGIC) + 4
    return json.loads(data[start : start + length]), data[start + length :]


def make_snapshot(cache_root: Path, key: str, wheel: Path, runtime: Path, version: str) -> Path:
    """The snapshot file, made with Node.js only when its key is new."""
    out_dir = cache_root / "snapshots" / key
    made = out_dir / file_name(key)
    if made.is_file():
        return made
    node = shutil.which("node")
    if node is None:
        raise Abort("Node.js is nodig om de Pyodide-snapshot te maken (apt-get install nodejs).")
    # Builds run side by side (tests, `make serve`): each makes its own, the first wins.
    out_dir.parent.mkdir(parents=True, exist_ok=True)
    staging = Path(tempfile.mkdtemp(prefix=f"{key}.", suffix=".tmp", dir=out_dir.parent))
    sources = wheel_sources(wheel)
    (staging / "files.json").write_text(json.dumps(sources), encoding="utf-8")
    raw = staging / "pyodide.snapshot"
    result = subprocess.run(
        [node, str(MAKER), str(runtime), str(staging / "files.json"), str(raw)],
        capture_output=True,
        text=True,
        timeout=300,
    )
    if result.returncode != 0 or not raw.is_file():
        shutil.rmtree(staging, ignore_errors=True)
        raise Abort(f"De Pyodide-snapshot kon niet gemaakt worden:\n{result.stderr[-4000:]}")
    (staging / file_name(key)).write_bytes(pack(sources, version, raw.read_bytes()))
    raw.unlink()
    (staging / "files.json").unlink()
    try:
        staging.rename(out_dir)
    except OSError:  # another build finished first: its file is as good
        shutil.rmtree(staging, ignore_errors=True)
    return made
