"""Write `.br` and `.gz` next to the large files of the built site.

Hosts serve these as they are (nginx `brotli_static`/`gzip_static`, the local
server in scripts/static_server.py), so readers download the Pyodide runtime,
the wheel and the memory snapshot compressed without the host compressing on
every request (see handbook/deploying.md).

Which files is a rule, not a list: every file of at least MIN_SIZE bytes whose
type is not compressed already, and only when compressing saves at least a
tenth (a zip of deflated entries such as the standard library gains nothing).
The output is deterministic (no names or dates in the gzip header), written
only when stale, and large results are cached by content in `.cache/`, so a
rebuild into a clean site directory does not compress the runtime again.
hooks/precompress.py runs it as the last post-build step; `mkdocs serve` skips it.
"""

from __future__ import annotations

import gzip
import hashlib
import os
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import brotli

MIN_SIZE = 1024
# Results of at least this size are kept in the content cache.
CACHED_SIZE = 256 * 1024
# Above this size brotli's best also gets a 16 MB window: the wasm and the
# snapshot are what a reader waits for, and quality 11 takes 0.36 MB off the
# wasm and 0.33 MB off the snapshot against quality 9. It costs ~25 s once per
# content: the copies are kept in the content cache.
BEST_UP_TO = 4 * 1024 * 1024
ALREADY_COMPRESSED = frozenset(
    {".br", ".gz", ".png", ".jpg", ".jpeg", ".gif", ".webp", ".avif", ".woff", ".woff2"}
)
SAVES_AT_LEAST = 0.1


def brotli_bytes(data: bytes) -> bytes:
    if len(data) <= BEST_UP_TO:
        return brotli.compress(data, quality=11)
    return brotli.compress(data, quality=11, lgwin=24)


def gzip_bytes(data: bytes) -> bytes:
    # Level 9 takes 8x as long as 6 on the snapshot for 1% fewer bytes.
    level = 9 if len(data) <= BEST_UP_TO else 6
    return gzip.compress(data, compresslevel=level, mtime=0)


ENCODERS: dict[str, Callable[[bytes], bytes]] = {".br": brotli_bytes, ".gz": gzip_bytes}


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


def compressed(data: bytes, suffix: str, cache: Path) -> bytes:
    """`data` encoded for `suffix`, from the content cache when it was done before."""
    if len(data) < CACHED_SIZE:
        return ENCODERS[suffix](data)
    cached = cache / (hashlib.sha256(data).hexdigest() + suffix)
    if cached.exists():
        return cached.read_bytes()
    result = ENCODERS[suffix](data)
    cache.mkdir(parents=True, exist_ok=True)
    partial = cached.with_suffix(f"{suffix}.{os.getpid()}.tmp")
    partial.write_bytes(result)
    partial.replace(cached)
    return result


def compress_file(original: Path, cache: Path) -> None:
    """Write or remove `original.br` and `original.gz` so they match `original`."""
    variants = [original.with_name(original.name + suffix) for suffix in ENCODERS]
    if all(is_fresh(variant, original) for variant in variants):
        return
    data = original.read_bytes()
    # gzip first: when even it finds little to save (already compressed data),
    # brotli's slow best is not tried either.
    hopeless = False
    for variant in sorted(variants, key=lambda variant: variant.suffix != ".gz"):
        result = b"" if hopeless else compressed(data, variant.suffix, cache)
        if result and len(result) <= len(data) * (1 - SAVES_AT_LEAST):
            variant.write_bytes(result)
        else:
            hopeless = hopeless or len(result) > len(data) * (1 - SAVES_AT_LEAST / 2)
            variant.unlink(missing_ok=True)  # not worth it: hosts send the original


def compress_site(site: Path, cache: Path) -> None:
    files = candidates(site)
    # Largest first, so the two slow ones do not end up last on one core.
    files.sort(key=lambda path: path.stat().st_size, reverse=True)
    with ThreadPoolExecutor(max_workers=os.cpu_count() or 2) as pool:
        for _ in pool.map(lambda path: compress_file(path, cache), files):
            pass
