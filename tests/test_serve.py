"""`mkdocs serve` (what `make serve` runs): the site locally, drafts included (SPEC §3, §4)."""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
import time
import urllib.error
import urllib.request
from pathlib import Path

from .support import ROOT, copy_project, free_port


def fetch(url: str) -> tuple[int, str]:
    try:
        with urllib.request.urlopen(url, timeout=5) as response:
            return response.status, response.read().decode("utf-8")
    except urllib.error.HTTPError as error:
        return error.code, ""


def test_the_local_server_shows_the_site_and_drafts(tmp_path: Path) -> None:
    project = copy_project(tmp_path / "project")
    shutil.copy(ROOT / "tests/fixtures/draft-post.md", project / "docs/blog/posts/")
    port = free_port()
    server = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "mkdocs",
            "serve",
            "--no-livereload",
            "--dev-addr",
            f"127.0.0.1:{port}",
            "-f",
            str(project / "mkdocs.yml"),
        ],
        cwd=project,
        env={**os.environ, "NO_MKDOCS_2_WARNING": "1"},
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )
    base = f"http://127.0.0.1:{port}/"
    try:
        deadline = time.monotonic() + 120
        status, home = 0, ""
        while time.monotonic() < deadline and status != 200:
            try:
                status, home = fetch(base)
            except (urllib.error.URLError, ConnectionError):
                time.sleep(0.5)
        assert status == 200, "mkdocs serve did not answer"
        assert '<html lang="nl"' in home
        status, draft = fetch(base + "blog/concept-in-de-maak/")
        assert status == 200
        assert "Concept in de maak" in draft
        status, page = fetch(base + "rekenhulpen/roas/")
        lock = re.search(r'data-kb-lockfile="\.\./\.\./([^"]+)"', page)
        assert status == 200 and lock, "calculator pages point at their lock file"
        status, _ = fetch(base + lock.group(1))
        assert status == 200, "the calculators work in the local server too"
    finally:
        server.terminate()
        output, _ = server.communicate(timeout=30)
    assert "Traceback" not in output
