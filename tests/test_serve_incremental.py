"""`make serve` rebuilds only what a saved post touches, and shows it correctly (issue 16).

The server runs with the Makefile's own SERVE_OPTIONS (`--dirty`, completed by
hooks/incremental.py). Each step saves a file as an editor would and polls the
served pages until the change is there; the server's log says how it rebuilt.
Timings are in `make bench-serve`, not here.
"""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
import time
import urllib.error
import urllib.request
from collections.abc import Callable
from pathlib import Path
from urllib.parse import urljoin

import pytest

from kennisbank.build_timing import ENV_VAR, PREFIX

from .support import ROOT, copy_project, free_port

EDITED = "docs/blog/posts/slimme-videomarketing.md"
EDITED_URL = "blog/slimme-videomarketing/"
INTRO_START = "Je merk, start-up of organisatie"
BODY_SENTENCE = "Dit is waar het allemaal begint."
# Lists the edited post under "Lees ook" (related posts).
NEIGHBOUR_URL = "blog/strategisch-meedenken-vs-uitvoeren/"
CATEGORY_URL = "blog/category/videomarketing/"
REBUILD_TIMEOUT = 180  # s; a rebuild on a busy 2-core machine
BUNDLE_LOG = "Rekenhulpen klaarzetten voor de browser"
CALCULATOR_URL = "rekenhulpen/roas/"
SNAPSHOT_RE = re.compile(r'data-kb-snapshot="([^"]+)"')


def serve_options() -> list[str]:
    makefile = (ROOT / "Makefile").read_text(encoding="utf-8")
    found = re.search(r"^SERVE_OPTIONS := (.*)$", makefile, re.MULTILINE)
    assert found, "the Makefile names the options of make serve"
    return found.group(1).split()


def fetch(url: str) -> str:
    try:
        with urllib.request.urlopen(url, timeout=REBUILD_TIMEOUT) as response:
            return response.read().decode("utf-8", errors="replace")
    except (urllib.error.URLError, ConnectionError, TimeoutError):
        return ""


class Served:
    def __init__(self, project: Path) -> None:
        self.project = project
        self.base = f"http://127.0.0.1:{free_port()}/"
        self.log = project / "serve.log"
        port = self.base.rsplit(":", 1)[1].strip("/")
        address = ["--dev-addr", f"127.0.0.1:{port}", "-f", str(project / "mkdocs.yml")]
        with self.log.open("w") as output:
            self.process = subprocess.Popen(
                [sys.executable, "-m", "mkdocs", "serve", *serve_options(), *address],
                cwd=project,
                env={**os.environ, "NO_MKDOCS_2_WARNING": "1", ENV_VAR: "1"},
                stdout=output,
                stderr=subprocess.STDOUT,
            )

    def output(self) -> str:
        return self.log.read_text(encoding="utf-8", errors="replace")

    def page(self, url: str) -> str:
        return fetch(self.base + url)

    def wait_for(self, url: str, shown: Callable[[str], bool]) -> str:
        deadline = time.monotonic() + REBUILD_TIMEOUT
        while time.monotonic() < deadline:
            assert self.process.poll() is None, self.output()
            page = self.page(url)
            if shown(page):
                return page
            time.sleep(0.2)
        pytest.fail(f"{url} did not change:\n{self.output()}")

    def edit(self, path: str, old: str, new: str) -> None:
        file = self.project / path
        text = file.read_text(encoding="utf-8")
        assert old in text
        file.write_text(text.replace(old, new, 1), encoding="utf-8")

    def rebuilds_since(self, mark: int) -> str:
        return self.output()[mark:]

    def stop(self) -> None:
        self.process.terminate()
        self.process.wait(timeout=30)


def search_locations(served: Served) -> list[str]:
    index = json.loads(served.page("search/search_index.json"))
    return [entry["location"] for entry in index["docs"]]


def test_a_saved_post_rebuilds_only_what_it_touches(tmp_path: Path) -> None:
    served = Served(copy_project(tmp_path / "project"))
    try:
        home = served.wait_for("", lambda page: "Kennisbank" in page)
        assert BUNDLE_LOG in served.output(), "the first build puts the calculators in place"
        listed = served.page("blog/").count("md-post--excerpt")
        locations = search_locations(served)

        # Text only, in the introduction: the post, its listings and search change.
        mark = len(served.output())
        served.edit(EDITED, INTRO_START, "Eerste bewerking. " + INTRO_START)
        served.wait_for(EDITED_URL, lambda page: "Eerste bewerking." in page)
        log = served.rebuilds_since(mark)
        assert "Alleen opnieuw bouwen: blog/posts/slimme-videomarketing.md" in log
        assert BUNDLE_LOG not in log, "no wheel, lock file or snapshot for a text edit"
        index = served.page("blog/")
        assert "Eerste bewerking." in index
        assert index.count("md-post--excerpt") == listed, "every post is still listed"
        assert "Eerste bewerking." in served.page(CATEGORY_URL)
        assert "'dirty' build" not in log
        # Pages not rebuilt keep their titles in the rebuilt pages' navigation.
        rebuilt = served.page(EDITED_URL)
        assert not re.search(r">\s*None\s*<", rebuilt)
        assert "Kosten per lead berekenen" in rebuilt and "2025" in rebuilt
        timing = json.loads(log.split(PREFIX, 1)[1].splitlines()[0])
        stages = timing["stages"]
        assert set(stages) == {"config", "files", "read", "write", "post_build", "total"}
        parts = sum(value for name, value in stages.items() if name != "total")
        assert stages["total"] == pytest.approx(parts, abs=0.01)
        assert sorted(search_locations(served)) == sorted(locations)
        index = json.loads(served.page("search/search_index.json"))
        assert any(
            "Eerste bewerking." in entry["text"] and entry["location"].startswith(EDITED_URL)
            for entry in index["docs"]
        )

        # The title is shown on other pages too: those are rebuilt with it.
        mark = len(served.output())
        served.edit(EDITED, 'title: "Wat is slimme videomarketing?"', 'title: "Nieuwe titel"')
        served.wait_for("", lambda page: "Nieuwe titel" in page and page != home)
        assert "Alleen opnieuw bouwen" in served.rebuilds_since(mark)
        assert "Nieuwe titel" in served.page(EDITED_URL)
        assert "Nieuwe titel" in served.page(NEIGHBOUR_URL), "related posts show the new title"
        assert "Nieuwe titel" in served.page("blog/")
        feed = served.page("feed_rss_created.xml")
        assert "Nieuwe titel" in feed and "Wat is slimme videomarketing?" not in feed
        guids = re.findall(r"<guid[^>]*>([^<]*)</guid>", feed)
        assert guids and len(guids) == len(set(guids)), "the feed lists each post once"

        # A new category changes the listing pages and navigation: everything is rebuilt.
        mark = len(served.output())
        served.edit(EDITED, "categories:\n", "categories:\n  - Strategie\n")
        served.wait_for("blog/category/strategie/", lambda page: "Nieuwe titel" in page)
        assert "Alles opnieuw bouwen" in served.rebuilds_since(mark)

        # A mistake shows the problems page everywhere; fixing it brings the site back.
        served.edit(EDITED, "description: ", "description: Te kort.\nomschrijving: ")
        served.wait_for(NEIGHBOUR_URL, lambda page: "De site kan niet worden gebouwd" in page)
        served.edit(EDITED, "description: Te kort.\nomschrijving: ", "description: ")
        served.wait_for(NEIGHBOUR_URL, lambda page: "Lees ook" in page)
        assert "Eerste bewerking." in served.page(EDITED_URL)
        assert served.page("blog/").count("md-post--excerpt") == listed

        # A later text edit further down the post is incremental again.
        mark = len(served.output())
        served.edit(EDITED, BODY_SENTENCE, BODY_SENTENCE + " Tweede bewerking.")
        served.wait_for(EDITED_URL, lambda page: "Tweede bewerking." in page)
        assert "Alleen opnieuw bouwen" in served.rebuilds_since(mark)
        assert served.page("blog/").count("md-post--excerpt") == listed

        # A calculator's source changed: the page comes first, its snapshot follows.
        roas = SNAPSHOT_RE.search(served.page(CALCULATOR_URL))
        mark = len(served.output())
        calculator = served.project / "calculators/roas.py"
        calculator.write_text(calculator.read_text(encoding="utf-8") + "\n# gewijzigd\n")
        page = served.wait_for(
            CALCULATOR_URL,
            lambda page: (found := SNAPSHOT_RE.search(page)) is not None and found[1] != roas[1],
        )
        log = served.rebuilds_since(mark)
        assert "Alles opnieuw bouwen" in log and "op de achtergrond gemaakt" in log
        snapshot = urljoin(served.base + CALCULATOR_URL, SNAPSHOT_RE.search(page)[1])
        served.wait_for(snapshot.removeprefix(served.base), lambda data: data.startswith("KBSNAP"))
    finally:
        served.stop()
