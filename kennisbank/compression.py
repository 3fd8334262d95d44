"""Write `.br` and `.gz` next to the large files of the built site.

Hosts serve these as they are (nginx `brotli_static`/`gzip_static`, the local
server in scripts/static_server.py), so readers download the Pyodide runtime,
the wheel and the memory snapshot compressed without the host compressing on
every request (see handbook/deploying.md).

Which files is a rule, not a list: every file of at least MIN_SIZE bytes whose
type is not compressed already, and only when compressing saves at least a
tenth (a zip of deflated entries such as the standard library gains nothing).
The output is deterministic (no names or dates in the gzip header) and written
only when stale. Every result is kept in a content cache (`.cache/compressed/`,
named by a hash of the bytes and of this module's source), so a build into a
clean site directory (`make build` uses `--clean`) compresses only the files
whose bytes are new; each build removes the entries it did not use, so the
cache holds one build's worth. hooks/precompress.py runs it as the last
post-build step; `mkdocs serve` skips it.
"""

from __future__ import annotations

import gzip
import hashlib
import os
import threading
import time
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path

import brotli

MIN_SIZE = 1024
# Brotli's best is slow on megabytes (the 9.6 MB wasm takes ~50 s, for 12%
# fewer bytes than quality 9), and the content cache only helps from the
# second build on.
BEST_UP_TO = 4 * 1024 * 1024
ALREADY_COMPRESSED = frozenset(
    {".br", ".gz", ".png", ".jpg", ".jpeg", ".gif", ".webp", ".avif", ".woff", ".woff2"}
)
SAVES_AT_LEAST = 0.1


def brotli_bytes(data: bytes) -> bytes:
    if len(data) <= BEST_UP_TO:
        return brotli.compress(data, quality=11)
    return brotli.compress(data, quality=9, lgwin=24)


def gzip_bytes(data: bytes) -> bytes:
    # Level 9 takes 8x as long as 6 on the snapshot for 1% fewer bytes.
    level = 9 if len(data) <= BEST_UP_TO else 6
    return gzip.compress(data, compresslevel=level, mtime=0)


# Pages, the search index, the sitemap and the feeds are written anew from the
# posts on every build: with 1,000 posts there are ~1,500 pages, and brotli's
# best (71 ms a page) took a minute of a cold build for 9% fewer bytes than
# quality 8 (1 ms a page); see handbook/performance.md. Assets (the theme, the
# runtime, the calculators) are the same build after build and get the best.
PAGE_QUALITY = 8


def page_brotli_bytes(data: bytes) -> bytes:
    return brotli.compress(data, quality=PAGE_QUALITY, lgwin=24 if len(data) > BEST_UP_TO else 22)


def page_gzip_bytes(data: bytes) -> bytes:
    return gzip.compress(data, compresslevel=6, mtime=0)


ENCODERS: dict[str, Callable[[bytes], bytes]] = {".br": brotli_bytes, ".gz": gzip_bytes}
PAGE_ENCODERS: dict[str, Callable[[bytes], bytes]] = {
    ".br": page_brotli_bytes,
    ".gz": page_gzip_bytes,
}
# gzip first: when even it finds little to save (already compressed data),
# brotli's slow best is not tried either.
ORDER = (".gz", ".br")


def is_page(name: str) -> bool:
    """Whether a site path (relative, with /) is rebuilt from the posts, not an asset."""
    return not name.startswith("assets/")


def worth_compressing(name: str, size: int) -> bool:
    return size >= MIN_SIZE and Path(name).suffix.lower() not in ALREADY_COMPRESSED


# Part of every cache key: a change to how files are compressed (this module)
# or to the brotli library must not reuse results made the old way.
RECIPE = hashlib.sha256(
    Path(__file__).read_bytes() + getattr(brotli, "__version__", "").encode()
).digest()


def content_key(data: bytes, page: bool) -> str:
    return hashlib.sha256(RECIPE + (b"page" if page else b"asset") + data).hexdigest()


@dataclass
class Cache:
    """The content cache of compressed copies, and what one build did with it."""

    folder: Path
    used: set[str] = field(default_factory=set)
    # Site paths (relative) whose copies were encoded, not taken from the cache.
    encoded: list[str] = field(default_factory=list)
    reused: int = 0
    lock: threading.Lock = field(default_factory=threading.Lock)

    def prune(self) -> None:
        """Remove the entries this build did not use: the cache stays one build's size."""
        if not self.folder.is_dir():
            return
        stale_partial = time.time() - 3600  # a concurrent build may be writing newer ones
        for entry in self.folder.iterdir():
            if entry.name in self.used:
                continue
            if entry.name.endswith(".tmp") and entry.stat().st_mtime > stale_partial:
                continue
            entry.unlink(missing_ok=True)


def encode(data: bytes, page: bool, folder: Path, used: Callable[[str], None]) -> tuple[dict, bool]:
    """Every worthwhile encoding of `data` by suffix (None: not worth it), and if any was new.

    Results come from the cache in `folder` when they were made before, and
    are stored there when not; `used` is told each cache entry's name.
    """
    digest = content_key(data, page)
    encoders = PAGE_ENCODERS if page else ENCODERS
    results: dict[str, bytes | None] = {}
    new = False
    hopeless = False
    for suffix in ORDER:
        if hopeless:
            results[suffix] = None
            continue
        name = digest + suffix
        used(name)
        cached = folder / name
        try:
            result = cached.read_bytes()
        except FileNotFoundError:
            result = encoders[suffix](data)
            new = True
            folder.mkdir(parents=True, exist_ok=True)
            partial = folder / f"{name}.{os.getpid()}.{threading.get_ident()}.tmp"
            partial.write_bytes(result)
            partial.replace(cached)  # atomic: a concurrent build reads all of it or nothing
        worth = len(result) <= len(data) * (1 - SAVES_AT_LEAST)
        results[suffix] = result if worth else None
        hopeless = len(result) > len(data) * (1 - SAVES_AT_LEAST / 2)
    return results, new


def candidates(site: Path) -> list[Path]:
    return sorted(
        path
        for path in site.rglob("*")
        if path.is_file() and worth_compressing(path.name, path.stat().st_size)
    )


def is_fresh(variant: Path, original: Path) -> bool:
    return variant.exists() and variant.stat().st_mtime_ns >= original.stat().st_mtime_ns


def compress_file(original: Path, cache: Cache, site: Path) -> None:
    """Write or remove `original.br` and `original.gz` so they match `original`."""
    name = original.relative_to(site).as_posix()
    variants = {suffix: original.with_name(original.name + suffix) for suffix in ORDER}
    data = original.read_bytes()
    page = is_page(name)
    if all(is_fresh(variant, original) for variant in variants.values()):
        with cache.lock:  # still this build's: the cache keeps them
            cache.used.update(content_key(data, page) + suffix for suffix in ORDER)
            cache.reused += 1
        return
    results, new = encode(data, page, cache.folder, lambda entry: cache.used.add(entry))
    for suffix, variant in variants.items():
        if results[suffix] is None:
            variant.unlink(missing_ok=True)  # not worth it: hosts send the original
        else:
            variant.write_bytes(results[suffix])
    with cache.lock:
        if new:
            cache.encoded.append(name)
        else:
            cache.reused += 1


def compress_site(site: Path, cache_folder: Path) -> Cache:
    """Compress the site's files, reusing the cache; the cache then holds only this build's."""
    cache = Cache(cache_folder)
    files = candidates(site)
    # Largest first, so the two slow ones do not end up last on one core.
    files.sort(key=lambda path: path.stat().st_size, reverse=True)
    with ThreadPoolExecutor(max_workers=os.cpu_count() or 2) as pool:
        for _ in pool.map(lambda path: compress_file(path, cache, site), files):
            pass
    cache.prune()
    cache.encoded.sort()
    return cache


class Warmup:
    """Fill the cache while MkDocs still renders, on the core it leaves idle.

    MkDocs renders on one core; brotli and hashlib let go of Python's lock, so
    one thread compressing next to it costs the build little. What is handed in
    is only a guess of a file's final bytes (the page as rendered, a runtime
    file about to be copied): compress_site still reads every file, and a
    guess that was wrong is an unused cache entry, removed after the build.
    """

    def __init__(self, folder: Path) -> None:
        self.folder = folder
        self.pool = ThreadPoolExecutor(max_workers=1, thread_name_prefix="kb-warmup")
        # Site paths whose copies it encoded (not found in the cache).
        self.encoded: list[str] = []

    def add(self, name: str, data: bytes) -> None:
        if worth_compressing(name, len(data)):
            self.pool.submit(self._encode, name, data)

    def add_file(self, name: str, path: Path) -> None:
        self.pool.submit(lambda: self._encode(name, path.read_bytes()))

    def _encode(self, name: str, data: bytes) -> None:
        if worth_compressing(name, len(data)):
            _, new = encode(data, is_page(name), self.folder, lambda _: None)
            if new:
                self.encoded.append(name)

    def stop(self) -> None:
        """Drop what has not started: compress_site does it with every core."""
        self.pool.shutdown(wait=True, cancel_futures=True)
