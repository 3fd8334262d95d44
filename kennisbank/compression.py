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


ENCODERS: dict[str, Callable[[bytes], bytes]] = {".br": brotli_bytes, ".gz": gzip_bytes}


# Part of every cache key: a change to how files are compressed (this module)
# or to the brotli library must not reuse results made the old way.
RECIPE = hashlib.sha256(
    Path(__file__).read_bytes() + getattr(brotli, "__version__", "").encode()
).digest()


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


def candidates(site: Path) -> list[Path]:
    return sorted(
        path
        for path in site.rglob("*")
        if path.is_file()
        and path.suffix.lower() not in ALREADY_COMPRESSED
        and path.stat().st_size >= MIN_SIZE
    )


def is_fresh(variant: Path, original: Path) -> bool:
    return variant.exists() and variant.stat().st_mtime_ns >= original.stat().st_mtime_ns


def compressed(data: bytes, digest: str, suffix: str, cache: Cache) -> tuple[bytes, bool]:
    """`data` encoded for `suffix`, and whether it was taken from the content cache."""
    name = digest + suffix
    cached = cache.folder / name
    with cache.lock:
        cache.used.add(name)
    try:
        return cached.read_bytes(), True
    except FileNotFoundError:
        pass
    result = ENCODERS[suffix](data)
    cache.folder.mkdir(parents=True, exist_ok=True)
    partial = cache.folder / f"{name}.{os.getpid()}.{threading.get_ident()}.tmp"
    partial.write_bytes(result)
    partial.replace(cached)  # atomic: a concurrent build reads all of it or nothing
    return result, False


def compress_file(original: Path, cache: Cache, site: Path | None = None) -> None:
    """Write or remove `original.br` and `original.gz` so they match `original`."""
    variants = [original.with_name(original.name + suffix) for suffix in ENCODERS]
    data = original.read_bytes()
    digest = hashlib.sha256(RECIPE + data).hexdigest()
    if all(is_fresh(variant, original) for variant in variants):
        with cache.lock:  # still this build's: the cache keeps them
            cache.used.update(digest + suffix for suffix in ENCODERS)
            cache.reused += 1
        return
    # gzip first: when even it finds little to save (already compressed data),
    # brotli's slow best is not tried either.
    hopeless = False
    encoded = False
    for variant in sorted(variants, key=lambda variant: variant.suffix != ".gz"):
        result, hit = (b"", True) if hopeless else compressed(data, digest, variant.suffix, cache)
        encoded = encoded or not hit
        if result and len(result) <= len(data) * (1 - SAVES_AT_LEAST):
            variant.write_bytes(result)
        else:
            hopeless = hopeless or len(result) > len(data) * (1 - SAVES_AT_LEAST / 2)
            variant.unlink(missing_ok=True)  # not worth it: hosts send the original
    with cache.lock:
        if encoded:
            name = original.relative_to(site).as_posix() if site else original.name
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
