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
import struct
import subprocess
from pathlib import Path

import pytest

from kennisbank.pyodide.snapshot import PAGE, unpack

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


def test_a_restored_python_holds_none_of_the_caches_it_fills_again(
    site: Path, tmp_path: Path
) -> None:
    # The maker drops them before the snapshot: 45 kB less for every reader,
    # most of it where the standard library zip keeps each of its files.
    found = restored(
        site,
        """
import json
import re
import sys
import typing
import zipimport
json.dumps({
    "zip directory": len(zipimport._zip_directory_cache),
    "zip finder": [path for path in sys.path_importer_cache if path.endswith(".zip")],
    "patterns": len(re._cache),
    "typing": sum(clear.__self__.cache_info().currsize for clear in typing._cleanups),
})
""",
        tmp_path,
    )
    assert found == {"zip directory": 0, "zip finder": [], "patterns": 0, "typing": 0}


def test_a_restored_python_still_imports_from_the_standard_library(
    site: Path, tmp_path: Path
) -> None:
    # Without the zip's cached directory, the first import reads it again.
    found = restored(
        site, "import json, colorsys; json.dumps(colorsys.rgb_to_hsv(1, 0, 0))", tmp_path
    )
    assert found == [0.0, 1.0, 1.0]


def test_the_snapshot_holds_no_dead_stack(site: Path, tmp_path: Path) -> None:
    # Below the stack pointer, deep calls at start-up left 64 kB of dead values.
    # The stack's bounds are the runtime's own, the same in every instance.
    end, base = restored(
        site,
        "import json, pyodide_js; module = pyodide_js._module\n"
        "json.dumps([module._emscripten_stack_get_end(), module._emscripten_stack_get_base()])",
        tmp_path,
    )
    _, snapshot = unpack(snapshot_file(site).read_bytes())
    (heap_offset,) = struct.unpack_from("<I", snapshot, 4)
    memory = memoryview(snapshot)[heap_offset:]
    in_use = base - PAGE  # a start-up leaves the pointer within a page of the base
    assert end < in_use and not any(memory[end:in_use])
