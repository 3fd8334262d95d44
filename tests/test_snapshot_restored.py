"""Python as the worker restores it from the build's snapshot, run under Node.js."""

from __future__ import annotations

import json
import shutil
import subprocess
from pathlib import Path

import pytest

from .support import ROOT
from .test_pyodide_parity import lockfile
from .test_snapshot import snapshot_file


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


def test_a_restored_python_can_grow_its_memory(site: Path, tmp_path: Path) -> None:
    # Zeroing free memory before the snapshot caps malloc at its size for a
    # moment; a cap left in place would be restored, and Python could not grow.
    assert (
        restored(site, "import json; json.dumps(len(bytearray(256 << 20)))", tmp_path) == 256 << 20
    )
