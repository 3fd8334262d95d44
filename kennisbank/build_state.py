"""What an incremental `make build` keeps on disk for the next one.

`make build` runs `mkdocs build --dirty`, so, as in `make serve`, a changed
post rebuilds only the pages it touches (kennisbank/incremental.py decides
which). A server keeps what its next rebuild needs in memory; a build keeps it
here, in `.cache/incremental/`, one file per site folder:

- the digests that decide between a full and an incremental build, and what
  only a build can change: the site's address, strict mode, the web editor's
  backend, the installed tools, the Pyodide runtime and Python itself;
- each post's source digest: a post is read again when its bytes changed,
  whatever its file time says (a checkout or a copy may keep old times);
- what plugins collect from every page they write, for the pages this build
  skips: the feeds' items and each page's CSP hashes;
- the size and time of every file in the site folder once the build is done.
  When the folder is not exactly as the last build left it (emptied, changed
  by hand, or written by another build), the next build is a full one.

A build that fails or logs a warning keeps nothing, so the next build is full
and reports every page's warnings again (`--strict` turns them into errors).
The search index needs no copy: the last one is in the site folder.
"""

from __future__ import annotations

import hashlib
import json
import logging
import os
import pickle
import sys
from dataclasses import dataclass, field
from importlib import metadata
from pathlib import Path
from typing import Any

from mkdocs.utils import CountHandler

from kennisbank import editor
from kennisbank.pyodide import bundle

log = logging.getLogger("mkdocs.kennisbank.build_state")
# A new format, or a new meaning of a field, must change this.
FORMAT = 1
FOLDER = ".cache/incremental"
# Other site folders' states kept besides this one (tests build into many).
KEPT_STATES = 16
SEARCH_INDEX = "search/search_index.json"


@dataclass
class Saved:
    # kennisbank/incremental.py's digests: a different one makes the build full.
    structure: str
    links: str
    # Per post: what other pages show of its frontmatter (title, description, updated).
    shown: dict[str, str]
    # Per post (its path under docs/): the SHA-256 of its file as this build read it.
    sources: dict[str, str]
    # The feed plugin's items (mkdocs-rss-plugin's PageInformation), one per post.
    feed_items: list[Any] = field(default_factory=list)
    # Per written file: its CSP hashes (kennisbank/csp.py).
    csp_pages: dict[str, Any] = field(default_factory=dict)
    # Per file in the site folder after the build: size and modification time.
    outputs: dict[str, tuple[int, int]] = field(default_factory=dict)
    format: int = FORMAT


def state_file(config) -> Path:
    site = os.path.realpath(config.site_dir)
    name = hashlib.sha256(site.encode()).hexdigest()[:24] + ".pickle"
    return Path(config.config_file_path).absolute().parent / FOLDER / name


def build_key(config) -> str:
    """What decides a whole build beyond the files `make serve` watches."""
    tools = sorted(f"{dist.metadata['Name']}={dist.version}" for dist in metadata.distributions())
    try:
        runtime = bundle.runtime_version(config)
    except (OSError, ValueError, KeyError):
        runtime = None
    backend = editor.backend_for(config, os.environ)
    parts = [
        FORMAT,
        sys.version,
        config.site_url,
        config.use_directory_urls,
        bool(config.strict),
        repr(backend),
        runtime,
        tools,
    ]
    return hashlib.sha256(json.dumps(parts, default=str).encode()).hexdigest()


def source_digest(path: str) -> str:
    return hashlib.sha256(Path(path).read_bytes()).hexdigest()


def outputs(site_dir: str) -> dict[str, tuple[int, int]]:
    """Every file of the site folder: size and modification time."""
    found = {}
    for folder, _, names in os.walk(site_dir):
        for name in names:
            path = os.path.join(folder, name)
            stat = os.stat(path)
            found[os.path.relpath(path, site_dir)] = (stat.st_size, stat.st_mtime_ns)
    return found


def load(config) -> Saved | None:
    """The last build's state, if the site folder is exactly as that build left it."""
    path = state_file(config)
    try:
        with path.open("rb") as stream:
            saved = pickle.load(stream)
    except FileNotFoundError:
        return None
    except Exception as error:  # an older format or a broken file: build everything
        log.info("Vorige buildtoestand onleesbaar (%s): alles opnieuw bouwen", error)
        return None
    if not isinstance(saved, Saved) or saved.format != FORMAT:
        return None
    if saved.outputs != outputs(config.site_dir):
        log.info("De uitvoermap is veranderd sinds de vorige build: alles opnieuw bouwen")
        return None
    return saved


def search_entries(config) -> list[dict[str, Any]] | None:
    """The entries of the search index in the site folder, as the last build wrote them."""
    try:
        data = json.loads(Path(config.site_dir, SEARCH_INDEX).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
    return data.get("docs")


def count_warnings() -> CountHandler:
    """Count this build's warnings (MkDocs counts them only with --strict)."""
    counter = CountHandler()
    counter.setLevel(logging.WARNING)
    logging.getLogger("mkdocs").addHandler(counter)
    return counter


def save(config, saved: Saved) -> None:
    path = state_file(config)
    path.parent.mkdir(parents=True, exist_ok=True)
    saved.outputs = outputs(config.site_dir)
    partial = path.with_suffix(".partial")
    with partial.open("wb") as stream:
        pickle.dump(saved, stream, protocol=pickle.HIGHEST_PROTOCOL)
    partial.replace(path)
    others = sorted(
        (other for other in path.parent.glob("*.pickle") if other != path),
        key=lambda other: other.stat().st_mtime,
        reverse=True,
    )
    for other in others[KEPT_STATES:]:
        other.unlink(missing_ok=True)


def forget(config) -> None:
    state_file(config).unlink(missing_ok=True)
