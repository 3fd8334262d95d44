"""Python as the worker restores it from the build's snapshot, run under Node.js.

Pyodide's start-up imports asyncio, shutil, zipfile, tempfile and traceback
(about 80 modules with what they import); the snapshot holds them unrun
(kennisbank/pyodide/deferred_imports.py), a third less to download. These tests
restore the built file and check that nothing of them ran, and that they work
as after a normal start once used.
"""

from __future__ import annotations

import json
import shutil
import subprocess
from pathlib import Path

import pytest

from .support import ROOT
from .test_pyodide_parity import lockfile
from .test_snapshot import snapshot_file

DEFERRED = ("asyncio", "pyodide.webloop", "shutil", "tempfile", "traceback", "zipfile")
# Imported only by those: not in a restored Python at all.
NOT_RUN = (
    "ssl",
    "socket",
    "subprocess",
    "logging",
    "selectors",
    "concurrent",
    "bz2",
    "lzma",
    "random",
    "pkgutil",
    "_colorize",
    "codeop",
)


def restored(site: Path, code: str, tmp_path: Path) -> object:
    """The JSON value of `code`'s last expression, in a Python restored from the site's snapshot."""
    node = shutil.which("node")
    if node is None:
        pytest.fail("Node.js >= 20 is needed for the Pyodide tests: apt-get install nodejs")
    runtime = next((site / "assets" / "pyodide").iterdir())
    code_file = tmp_path / "code.py"
    code_file.write_text(code, encoding="utf-8")
    result = subprocess.run(
        [
            node,
            str(ROOT / "tests" / "snapshot_runner.mjs"),
            str(runtime),
            str(lockfile(site)),
            str(snapshot_file(site)),
            str(code_file),
        ],
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert result.returncode == 0, result.stderr[-4000:]
    return json.loads(result.stdout)


def test_a_restored_python_has_not_run_what_pyodide_imports_for_others(
    site: Path, tmp_path: Path
) -> None:
    found = restored(
        site,
        f"""
import json
import sys
json.dumps({{
    "kinds": {{name: type(sys.modules[name]).__name__ for name in {DEFERRED!r}}},
    "ran": sorted(
        name for name in sys.modules
        if name.split(".")[0] in {NOT_RUN!r} or name.startswith(("asyncio.", "zipfile."))
    ),
    "calculators": len(__import__("calculators").registry),
    # Compiled without column positions (-X no_debug_ranges), line numbers kept.
    "positions": sorted({{
        (line is not None, column is not None)
        for function in (__import__("calculators").compute, json.dumps)
        for line, _, column, _ in function.__code__.co_positions()
    }}),
    "finders": [type(finder).__name__ for finder in sys.meta_path],
}})
""",
        tmp_path,
    )
    assert found["kinds"] == dict.fromkeys(DEFERRED, "_Deferred")
    assert found["ran"] == []
    assert found["calculators"] == 7
    assert found["positions"] == [[True, False]]
    # Done with the start-up: nothing imported later is deferred.
    assert "_DeferringFinder" not in found["finders"]


def test_they_work_as_after_a_normal_start_once_used(site: Path, tmp_path: Path) -> None:
    found = restored(
        site,
        f"DEFERRED = {DEFERRED!r}\n"
        """
import asyncio
import io
import json
import shutil
import sys
import tempfile
import time
import zipfile
import zipfile._path

import pyodide._package_loader
import pyodide.webloop

# Pyodide's start-up took a stand-in for ZipFile; it makes real ones.
buffer = io.BytesIO()
with pyodide._package_loader.ZipFile(buffer, "w") as archive:
    archive.writestr("groet.txt", "hallo")
with zipfile.ZipFile(buffer) as archive:
    text = archive.read("groet.txt").decode()
# Python's excepthook is traceback's, as Pyodide sets it, and prints through it.
printed = io.StringIO()
sys.stderr, stderr = printed, sys.stderr
try:
    sys.excepthook(ValueError, ValueError("fout"), None)
finally:
    sys.stderr = stderr
with tempfile.NamedTemporaryFile() as named:
    named.write(b"x")
    named.flush()
    size = len(open(named.name, "rb").read())
json.dumps({
    "zip": [text, [path.name for path in zipfile._path.Path(zipfile.ZipFile(buffer)).iterdir()]],
    "tempfile": size,
    "excepthook": printed.getvalue(),
    # Pyodide's start-up registered the wheel format with shutil before it ran.
    "wheel format": [f[1] for f in shutil.get_unpack_formats() if f[0] == "whl"],
    "event loop": type(asyncio.get_event_loop()).__name__,
    "run": asyncio.run is pyodide.webloop._run,
    "sleep": time.sleep is pyodide.webloop._sleep,
    "kinds": sorted({type(sys.modules[n]).__name__ for n in DEFERRED}),
})
""",
        tmp_path,
    )
    assert found == {
        "zip": ["hallo", ["groet.txt"]],
        "tempfile": 1,
        "excepthook": "ValueError: fout\n",
        "wheel format": [[".whl", ".wheel"]],
        "event loop": "WebLoop",
        "run": True,
        "sleep": True,
        "kinds": ["module"],
    }


def test_a_restored_python_can_grow_its_memory(site: Path, tmp_path: Path) -> None:
    # Zeroing free memory before the snapshot caps malloc at its size for a
    # moment; a cap left in place would be restored, and Python could not grow.
    assert (
        restored(site, "import json; json.dumps(len(bytearray(256 << 20)))", tmp_path) == 256 << 20
    )
