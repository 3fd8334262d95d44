"""Write `.br` and `.gz` next to the files of the built site, reusing earlier results.

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
clean site directory (a full build empties it) compresses only the files
whose bytes are new; each build keeps what it used and, up to KEEP_BYTES, the
most recently used other entries. The work runs in worker processes: brotli
holds Python's lock while it compresses, so threads gave no parallelism and
slowed MkDocs' own thread. hooks/precompress.py runs compress_site as the last
post-build step, and a Warmup during the build; `mkdocs serve` skips both.
"""

from __future__ import annotations

import argparse
import gzip
import hashlib
import multiprocessing
import os
import threading
import time
from collections.abc import Callable
from concurrent.futures import Future, ProcessPoolExecutor
from contextlib import suppress
from dataclasses import dataclass, field
from itertools import repeat
from pathlib import Path

import brotli

MIN_SIZE = 1024
# Above this size brotli's best also gets a 16 MB window: the wasm and the
# snapshot are what a reader waits for, and quality 11 takes 0.36 MB off the
# wasm and 0.33 MB off the snapshot against quality 9. It costs ~25 s once per
# content: the copies are kept in the content cache.
BEST_UP_TO = 4 * 1024 * 1024
ALREADY_COMPRESSED = frozenset(
    {".br", ".gz", ".png", ".jpg", ".jpeg", ".gif", ".webp", ".avif", ".woff", ".woff2"}
)
SAVES_AT_LEAST = 0.1
# The content cache keeps the last build's copies and, within this size, the
# most recently used others (a cold build of 1,000 posts stores ~55 MB).
KEEP_BYTES = 256 * 1024 * 1024


def brotli_bytes(data: bytes) -> bytes:
    if len(data) <= BEST_UP_TO:
        return brotli.compress(data, quality=11)
    return brotli.compress(data, quality=11, lgwin=24)


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

    def prune(self, keep_bytes: int = KEEP_BYTES) -> None:
        """Keep what this build used, and other entries, most recently used first, to a bound.

        Other entries are what another build of the same checkout uses: the
        tests build variants side by side, and a snapshot's best copy takes 20 s.
        """
        if not self.folder.is_dir():
            return
        stale_partial = time.time() - 3600  # a concurrent build may be writing newer ones
        others = []
        total = 0
        for entry in self.folder.iterdir():
            try:
                stat = entry.stat()
            except FileNotFoundError:
                continue  # pruned by a concurrent build
            if entry.name in self.used:
                total += stat.st_size
            elif not entry.name.endswith(".tmp"):
                others.append((stat.st_mtime, stat.st_size, entry))
            elif stat.st_mtime < stale_partial:
                entry.unlink(missing_ok=True)
        for _, size, entry in sorted(others, key=lambda other: other[0], reverse=True):
            total += size
            if total > keep_bytes:
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
            with suppress(FileNotFoundError):  # pruned since by a concurrent build
                os.utime(cached)  # recently used: pruned last
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


def compress_file(original: str, name: str, folder: str) -> tuple[str, list[str], bool]:
    """Write or remove `original.br` and `original.gz` so they match `original`.

    Returns the site path, the cache entries it used, and whether it encoded
    anything (rather than taking it all from the cache). Runs in a worker process.
    """
    path = Path(original)
    variants = {suffix: path.with_name(path.name + suffix) for suffix in ORDER}
    data = path.read_bytes()
    page = is_page(name)
    if all(is_fresh(variant, path) for variant in variants.values()):
        # Still this build's: the cache keeps them.
        return name, [content_key(data, page) + suffix for suffix in ORDER], False
    used: list[str] = []
    results, new = encode(data, page, Path(folder), used.append)
    for suffix, variant in variants.items():
        result = results[suffix]
        if result is None:
            variant.unlink(missing_ok=True)  # not worth it: hosts send the original
        else:
            variant.write_bytes(result)
    return name, used, new


def workers(count: int) -> ProcessPoolExecutor:
    # "spawn": a fork of a process with threads (MkDocs' own, the warm-up's) may hang.
    return ProcessPoolExecutor(max_workers=count, mp_context=multiprocessing.get_context("spawn"))


def compress_site(site: Path, cache_folder: Path) -> Cache:
    """Compress the site's files, reusing the cache, then prune it to its bound (Cache.prune)."""
    cache = Cache(cache_folder)
    files = candidates(site)
    # Largest first, so the slow ones do not end up last on one core.
    files.sort(key=lambda path: path.stat().st_size, reverse=True)
    names = [path.relative_to(site).as_posix() for path in files]
    with workers(os.cpu_count() or 2) as pool:
        done = pool.map(
            compress_file, map(str, files), names, repeat(str(cache_folder)), chunksize=8
        )
        for name, used, new in done:
            cache.used.update(used)
            if new:
                cache.encoded.append(name)
            else:
                cache.reused += 1
    cache.prune()
    cache.encoded.sort()
    return cache


def fill(source: bytes | str, name: str, folder: str) -> tuple[str, bool]:
    """Put `source` (its bytes, or the path of a file) into the cache; True if encoded."""
    data = Path(source).read_bytes() if isinstance(source, str) else source
    if not worth_compressing(name, len(data)):
        return name, False
    _, new = encode(data, is_page(name), Path(folder), _ignore)
    return name, new


def fill_all(sources: list[tuple[str, bytes | str]], folder: str) -> list[tuple[str, bool]]:
    return [fill(source, name, folder) for name, source in sources]


def _ignore(_: str) -> None:
    pass


class Warmup:
    """Fill the cache while MkDocs still renders, in one worker process.

    MkDocs renders in one thread, on one core; the other compresses meanwhile.
    What is handed in is only a guess of a file's final bytes (the page as
    rendered, a runtime file about to be copied): compress_site still reads
    every file, and a guess that was wrong is an entry no build uses, pruned
    first once the cache is over its bound.
    """

    # Pages are handed over in batches: one by one, the hand-over cost MkDocs'
    # thread 0.5 ms a page.
    BATCH = 20

    def __init__(self, folder: Path) -> None:
        self.folder = str(folder)
        self.pool = workers(1)
        self.jobs: list[Future] = []
        self.batch: list[tuple[str, bytes | str]] = []

    def add(self, name: str, data: bytes) -> None:
        if worth_compressing(name, len(data)):
            self.batch.append((name, data))
            if len(self.batch) >= self.BATCH:
                self.jobs.append(self.pool.submit(fill_all, self.batch, self.folder))
                self.batch = []

    def add_file(self, name: str, path: Path) -> None:
        with suppress(RuntimeError):  # stopped already: compress_site does it
            self.jobs.append(self.pool.submit(fill_all, [(name, str(path))], self.folder))

    def stop(self) -> list[str]:
        """Drop what has not started (compress_site does it on every core); the names encoded."""
        self.pool.shutdown(wait=True, cancel_futures=True)
        return [
            name
            for job in self.jobs
            if not job.cancelled() and job.exception() is None
            for name, new in job.result()
            if new
        ]


def compress_runtime(runtime: Path, cache_folder: Path) -> list[str]:
    """Put the Pyodide runtime's copies into the cache; the names of those encoded.

    Its files change only with the pinned Pyodide version, and brotli's best
    takes ~30 s on them: `make setup` runs this once when the runtime is
    installed, so that no build waits for it. The copies are those a build
    would make (the same keys): a build without them makes them itself.
    """
    from kennisbank.pyodide.bundle import RUNTIME_FILES

    sources = [(f"assets/pyodide/{name}", str(runtime / name)) for name in RUNTIME_FILES]
    with workers(os.cpu_count() or 2) as pool:
        done = pool.map(
            fill,
            [source for _, source in sources],
            [name for name, _ in sources],
            repeat(str(cache_folder)),
        )
        return [name for name, new in done if new]


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="python -m kennisbank.compression", description=compress_runtime.__doc__
    )
    parser.add_argument("--runtime", type=Path, required=True, help="node_modules/pyodide")
    parser.add_argument("--cache", type=Path, required=True, help=".cache/compressed")
    args = parser.parse_args(argv)
    started = time.monotonic()
    encoded = compress_runtime(args.runtime, args.cache)
    print(
        f"Pyodide-runtime gecomprimeerd: {len(encoded)} bestanden opnieuw "
        f"in {time.monotonic() - started:.1f} s"
    )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
