"""Helpers for tests that run the real MkDocs build on the project or a copy of it."""

from __future__ import annotations

import os
import re
import shutil
import socket
import subprocess
import sys
from decimal import Decimal
from fractions import Fraction
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import urlsplit

import calculators
from calculators import Result

ROOT = Path(__file__).resolve().parent.parent
# Top-level entries a copied project must not carry along (generated or private).
_NOT_COPIED = {
    ".git",
    ".venv",
    "site",
    ".pytest_cache",
    ".ruff_cache",
    ".hypothesis",
    "build",
    "dist",
}
_COPIED_DIRS = {"docs", "calculators"}
_COPIED_FILES = {"pyproject.toml"}


def mkdocs(
    project: Path, *args: str, timeout: float = 600, env: dict[str, str] | None = None
) -> subprocess.CompletedProcess[str]:
    """Run the real MkDocs CLI on a project, as `make build` does."""
    env = {**os.environ, "NO_MKDOCS_2_WARNING": "1", **(env or {})}
    return subprocess.run(
        [sys.executable, "-m", "mkdocs", *args, "-f", str(project / "mkdocs.yml")],
        cwd=project,
        capture_output=True,
        text=True,
        env=env,
        timeout=timeout,
    )


# The address test builds are made for, unless a test names its own; a build
# without any SITE_URL stops (kennisbank/deployment.py).
TEST_SITE_URL = "http://127.0.0.1:8000/"
# The glue's two entry modules as the browser requests them (hooks/calculator_pages.py).
PAGE_GLUE_URL = "**/assets/javascripts/calculator/*/calculator.mjs"
WORKER_GLUE_URL = "**/assets/javascripts/calculator/*/worker/worker.mjs"


def build(
    project: Path, site_dir: Path, env: dict[str, str] | None = None
) -> subprocess.CompletedProcess[str]:
    """Build as `make build` does: incremental when `site_dir` holds this project's last build."""
    env = {"SITE_URL": TEST_SITE_URL, **(env or {})}
    return mkdocs(project, "build", "--strict", "--dirty", "--site-dir", str(site_dir), env=env)


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def copy_project(destination: Path) -> Path:
    """A throw-away copy of the project whose docs/ may be changed freely.

    Everything but docs/ and the packaged sources is a symlink to the real
    project, so the copy builds with the same hooks, calculators, templates and
    Pyodide runtime. The wheel's sources are real copies: flit refuses to
    package files that resolve outside the project.
    """
    destination.mkdir(parents=True, exist_ok=True)
    for entry in ROOT.iterdir():
        if entry.name in _NOT_COPIED:
            continue
        target = destination / entry.name
        if entry.name in _COPIED_DIRS:
            shutil.copytree(entry, target, ignore=shutil.ignore_patterns("__pycache__"))
        elif entry.name in _COPIED_FILES:
            shutil.copy2(entry, target)
        else:
            target.symlink_to(entry)
    return destination


class _StartTags(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.elements: list[tuple[str, dict[str, str]]] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.elements.append((tag, {name: value or "" for name, value in attrs}))


def elements(html: str) -> list[tuple[str, dict[str, str]]]:
    """Every start tag of a page, with its attributes, in document order."""
    parser = _StartTags()
    parser.feed(html)
    return parser.elements


CSS_URL_RE = re.compile(r"""(?:url\(\s*['"]?|@import\s+['"])([^'")\s]+)""")
# Links that are navigation (a[href], link rel=canonical/alternate) are not fetched.
FETCHED_LINK_RELS = frozenset(
    {"stylesheet", "icon", "preload", "modulepreload", "manifest", "prefetch"}
)


def fetched_urls(html: str) -> list[tuple[str, str]]:
    """Every URL a browser would fetch while rendering a page."""
    urls = []
    for tag, values in elements(html):
        if tag == "link" and set(values.get("rel", "").lower().split()) & FETCHED_LINK_RELS:
            urls.append((tag, values.get("href", "")))
        for name in ("src", "srcset", "poster", "data", "action"):
            if name in values and tag != "a":
                urls += [(tag, url.strip().split(" ")[0]) for url in values[name].split(",")]
        if "style" in values:
            urls += [(tag, url) for url in CSS_URL_RE.findall(values["style"])]
    return urls


def is_foreign(url: str) -> bool:
    """True for a URL on another host (absolute or protocol-relative)."""
    parts = urlsplit(url)
    return bool(parts.netloc) or parts.scheme not in ("", "data", "blob")


def article_html(page: str) -> str:
    """The article body of a built page: Material's `md-content__inner`."""
    start = page.index('<article class="md-content__inner')
    return page[start : page.index("</article>", start)]


def visible_text(html: str) -> str:
    class Text(HTMLParser):
        def __init__(self) -> None:
            super().__init__()
            self.parts: list[str] = []

        def handle_data(self, data: str) -> None:
            self.parts.append(data)

    parser = Text()
    parser.feed(html)
    return re.sub(r"\s+", " ", " ".join(parser.parts))


def exactly(value: object, fraction: Fraction) -> None:
    """Hand-checked: the Decimal equals the exact fraction to 28 significant digits."""
    assert isinstance(value, Decimal)
    assert abs(Fraction(value) - fraction) <= abs(fraction) * Fraction(1, 10**27)


def check_outputs(result: Result, expected: dict[str, tuple[object, str]]) -> None:
    """Every output's exact value and display string, in definition order."""
    assert result.ok, result.errors
    assert list(result.values) == list(expected)
    for name, (value, display) in expected.items():
        assert result.values[name] == value, name
        assert result.display[name] == display, name


def example_text(calculator_id: str) -> dict[str, object]:
    """A calculator's worked example, typed the Dutch way ("1.500", "160.000")."""
    calculator = calculators.get(calculator_id)
    return {f.name: calculators.format_input(f.example, f.kind) for f in calculator.fields}


def run_cli(*args: str) -> subprocess.CompletedProcess[str]:
    """`python -m calculators ...` as a real subprocess, its output read as UTF-8."""
    env = {**os.environ, "PYTHONIOENCODING": "utf-8"}
    return subprocess.run(
        [sys.executable, "-m", "calculators", *args],
        cwd=ROOT,
        capture_output=True,
        text=True,
        encoding="utf-8",
        env=env,
        timeout=60,
    )
