"""kennisbank/pyodide/deferred_imports.py in CPython, as Pyodide's start-up runs it.

Standard library only, so it runs the same way here; the snapshot's own tests
(test_snapshot_restored.py) check it in Pyodide.
"""

from __future__ import annotations

import subprocess
import sys

from kennisbank.pyodide.snapshot import DEFERRED_IMPORTS


def deferring(code: str) -> subprocess.CompletedProcess[str]:
    """`code` in a fresh Python that ran deferred_imports.py first, as its sitecustomize."""
    setup = f"import runpy; runpy.run_path({str(DEFERRED_IMPORTS)!r}, run_name='sitecustomize')\n"
    return subprocess.run(
        [sys.executable, "-I", "-S", "-c", setup + code],
        capture_output=True,
        text=True,
        timeout=60,
    )


def test_a_stand_in_called_during_the_start_up_calls_the_real_function() -> None:
    # Python's excepthook is traceback's stand-in from Pyodide's start-up on: an
    # error printed before the start-up is over must print, not recurse.
    result = deferring(
        "import traceback\n"
        "assert type(traceback).__name__ == '_Deferred'\n"
        "traceback.print_exception(ValueError('fout'))\n"
        "import io, zipfile\n"
        "print(type(zipfile.ZipFile(io.BytesIO(), 'w')).__name__, type(zipfile).__name__)\n"
    )
    assert result.returncode == 0, result.stderr
    assert result.stderr == "ValueError: fout\n"
    assert result.stdout == "ZipFile module\n"
