"""The set-up finds a suitable Python by itself, or says what is missing (SPEC §3)."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

from .support import ROOT

FIND_PYTHON = ROOT / "scripts" / "find-python"


def run(tmp_path: Path, pyenv_versions: dict[str, Path]) -> subprocess.CompletedProcess[str]:
    """Run scripts/find-python on a PATH whose only python3 is too old (3.11)."""
    bin_dir = tmp_path / "bin"
    bin_dir.mkdir()
    old = bin_dir / "python3"
    old.write_text("#!/bin/sh\nexit 1\n")  # fails the `>= 3.12` check like a 3.11 would
    old.chmod(0o755)
    for tool in ("ls", "sort"):  # all the finder needs besides the shell
        (bin_dir / tool).symlink_to(shutil.which(tool))
    pyenv = tmp_path / "pyenv"
    for version, target in pyenv_versions.items():
        (pyenv / "versions" / version / "bin").mkdir(parents=True)
        (pyenv / "versions" / version / "bin" / "python3").symlink_to(target)
    return subprocess.run(
        ["/bin/sh", str(FIND_PYTHON)],
        capture_output=True,
        text=True,
        env={"PATH": str(bin_dir), "HOME": str(tmp_path), "PYENV_ROOT": str(pyenv)},
    )


def test_a_pyenv_python_is_found_when_path_has_none(tmp_path: Path) -> None:
    result = run(tmp_path, {"3.13.0": Path(sys.executable)})
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == str(tmp_path / "pyenv/versions/3.13.0/bin/python3")


def test_missing_python_is_explained(tmp_path: Path) -> None:
    result = run(tmp_path, {"3.11.7": tmp_path / "bin" / "python3"})
    assert result.returncode == 1
    assert "Python 3.12 or newer is required" in result.stderr
    assert "PYTHON=" in result.stderr


def test_python_variable_wins(tmp_path: Path) -> None:
    result = subprocess.run(
        ["/bin/sh", str(FIND_PYTHON)],
        capture_output=True,
        text=True,
        env={**os.environ, "PYTHON": sys.executable},
    )
    assert result.stdout.strip() == sys.executable
