"""Shared fixtures: the real site, built once per test session with `mkdocs build`."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from scripts.static_server import serve

from .support import ROOT, build, free_port


@pytest.fixture(scope="session")
def site_port() -> int:
    """The loopback port the built site is served on in the browser tests."""
    return free_port()


@pytest.fixture(scope="session")
def site(tmp_path_factory: pytest.TempPathFactory, site_port: int) -> Path:
    """The production site, built from this checkout exactly as `make build` does.

    Its `site_url` is the address the browser tests serve it on, as in a real
    deployment: Material's instant navigation only follows links of its own site.
    """
    site_dir = tmp_path_factory.mktemp("site")
    result = build(ROOT, site_dir, env={"SITE_URL": f"http://127.0.0.1:{site_port}/"})
    assert result.returncode == 0, f"mkdocs build failed:\n{result.stdout}\n{result.stderr}"
    return site_dir


@pytest.fixture(scope="session")
def base_url(site: Path, site_port: int) -> Iterator[str]:
    with serve(site, site_port) as url:
        yield url
