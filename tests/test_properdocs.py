"""The same site under ProperDocs, the community fork of MkDocs 1.x.

MkDocs 1.x is no longer developed; ProperDocs (installed with
mkdocs-rss-plugin) keeps its configuration, plugins and hooks. The site must
build with `properdocs build --strict` as it does with `mkdocs build`: the same
pages, the same feeds and the same build-time results of the calculators.
"""

from __future__ import annotations

import os
import re
import subprocess
import sys
from pathlib import Path

from .builds import differences, site_files
from .support import ROOT


def properdocs_build(site_dir: Path, site_url: str) -> subprocess.CompletedProcess[str]:
    command = ["properdocs", "build", "--strict", "--clean", "-f", str(ROOT / "mkdocs.yml")]
    return subprocess.run(
        [sys.executable, "-m", *command, "--site-dir", str(site_dir)],
        cwd=ROOT,
        capture_output=True,
        text=True,
        env={**os.environ, "SITE_URL": site_url, "NO_MKDOCS_2_WARNING": "1"},
        timeout=600,
    )


def test_properdocs_builds_the_same_site_as_mkdocs(
    site: Path, site_port: int, tmp_path: Path
) -> None:
    built = tmp_path / "site"
    result = properdocs_build(built, f"http://127.0.0.1:{site_port}/")
    assert result.returncode == 0, f"properdocs build failed:\n{result.stdout}\n{result.stderr}"
    mkdocs_files, properdocs_files = site_files(site), site_files(built)
    pages = {name for name in mkdocs_files if name.endswith(".html")}
    assert len(pages) > 20 and pages <= properdocs_files.keys()
    for feed in ("feed_rss_created.xml", "feed_rss_updated.xml"):
        assert b"<item>" in properdocs_files[feed]
    # A calculator page carries its result computed at build time.
    roas = properdocs_files["rekenhulpen/roas/index.html"].decode("utf-8")
    assert re.search(r'data-output="roas"[^>]*>\s*4:1\s*<', roas)
    assert differences(mkdocs_files, properdocs_files) == []
