"""`mkdocs serve` (what `make serve` runs) shows build problems in the browser (issue 10).

With a broken post or calculator block the local server used to hang every
request. Now the browser shows the Dutch problem list, and the page comes back
by itself (live reload) once the files are fixed.
"""

from __future__ import annotations

import os
import subprocess
import sys
import time
import urllib.error
import urllib.request
from pathlib import Path

import pytest
from playwright.sync_api import Browser, expect

from kennisbank.problems import error_page
from tests import test_browser as shared

from .support import copy_project, free_port

POST_PATH = "blog/posts/kpis-die-ertoe-doen.md"
POST = f"docs/{POST_PATH}"
MKDOCS = [sys.executable, "-m", "mkdocs"]
CALCULATOR_PAGE = "docs/rekenhulpen/roas.md"
REBUILD_TIMEOUT = 90_000  # ms; a rebuild on a busy 2-core machine
# One Chromium for the whole session, shared with the calculator tests: Playwright's
# sync API cannot run twice at once.
browser = shared.browser


def wait_for_server(url: str, server: subprocess.Popen[str]) -> None:
    deadline = time.monotonic() + 120
    while time.monotonic() < deadline:
        assert server.poll() is None, "mkdocs serve stopped:\n" + server.communicate()[0]
        try:
            with urllib.request.urlopen(url, timeout=5) as response:
                if response.status == 200:
                    return
        except (urllib.error.URLError, ConnectionError, TimeoutError):
            time.sleep(0.5)
    pytest.fail("mkdocs serve did not answer")


def test_problems_show_in_the_browser_and_the_page_recovers_by_itself(
    tmp_path: Path, browser: Browser
) -> None:
    project = copy_project(tmp_path / "project")
    post, calculator_page = project / POST, project / CALCULATOR_PAGE
    good_post, good_page = post.read_text(), calculator_page.read_text()
    post.write_text(
        good_post.replace("date: 2025-06-10\n", 'date: "2025-06-10"\nauteur: Remco\n', 1)
    )
    broken_page = good_page.replace("```calculator\nid: roas\n", "```calculator\nid: winst\n", 1)
    assert broken_page != good_page
    calculator_page.write_text(broken_page)
    fence_line = broken_page.splitlines().index("id: winst") + 1

    port = free_port()
    server = subprocess.Popen(
        [*MKDOCS, "serve", "--dev-addr", f"127.0.0.1:{port}", "-f", str(project / "mkdocs.yml")],
        cwd=project,
        env={**os.environ, "NO_MKDOCS_2_WARNING": "1"},
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )
    base = f"http://127.0.0.1:{port}/"
    page = browser.new_page()
    try:
        wait_for_server(base, server)
        page.goto(base + "blog/kpis-die-ertoe-doen/", timeout=60_000)
        problems = page.locator("main li")
        expect(problems).to_have_count(3, timeout=REBUILD_TIMEOUT)
        listed = problems.all_inner_texts()
        assert listed[0].startswith(
            "blog/posts/kpis-die-ertoe-doen.md: auteur: is geen bekend veld"
        )
        assert listed[1].startswith(f"{POST_PATH}: date: staat tussen aanhalingstekens")
        assert listed[2].startswith(f"rekenhulpen/roas.md:{fence_line}: rekenhulp: ")
        assert "winst" in listed[2]
        expect(page.locator("h1")).to_contain_text("De site kan niet worden gebouwd: 3 fouten")

        # Fixed files: the same tab shows the article again, without a manual reload.
        post.write_text(good_post)
        calculator_page.write_text(good_page)
        expect(page.locator("article h1")).to_contain_text(
            "KPI’s die er wel toe doen", timeout=REBUILD_TIMEOUT
        )
        assert page.locator(".kb-post-meta").count() == 1

        # Broken again while the article is open: the open page turns into the list.
        post.write_text(good_post.replace("title:", "titel:", 1))
        expect(page.locator("main li")).to_contain_text(
            [f"{POST_PATH}: titel: is geen bekend veld", f"{POST_PATH}: title: ontbreekt"],
            timeout=REBUILD_TIMEOUT,
        )
    finally:
        page.close()
        server.terminate()
        output, _ = server.communicate(timeout=30)
    assert "Traceback" not in output
    assert "appear stuck" not in output
    assert "blog/posts/kpis-die-ertoe-doen.md: date: staat tussen aanhalingstekens" in output


def test_the_error_page_escapes_what_it_repeats() -> None:
    page = error_page([("Fout:", ["blog/posts/x.md: title: <script>alert(1)</script>"])], "K&B")
    assert "<script>alert" not in page
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in page
    assert "<title>Fout in de site - K&amp;B</title>" in page
    assert '<html lang="nl">' in page
