"""MkDocs events that write `.br` and `.gz` next to built files (kennisbank/compression).

While MkDocs renders, a worker process already compresses what the site
will hold (the Pyodide runtime, the theme's files, each page as rendered)
into the content cache; after the build, compress_site writes the copies of
the files as they are, mostly from that cache.
"""

from __future__ import annotations

import logging
from pathlib import Path

from mkdocs.exceptions import Abort
from mkdocs.plugins import event_priority

from kennisbank import calculator_pages
from kennisbank.compression import Warmup, compress_site
from kennisbank.pyodide import bundle

log = logging.getLogger("mkdocs.kennisbank.precompress")
_command = "build"
_warmup: Warmup | None = None
# Files to compress once pages are written: the runtime, the theme's files.
_files: list[tuple[str, Path]] = []
# The slowest first: brotli's best on the 1.25 MB runtime module takes seconds.
RUNTIME = sorted(bundle.RUNTIME_FILES, key=lambda name: name != "pyodide.asm.mjs")


def cache_folder(config) -> Path:
    return Path(config.config_file_path).absolute().parent / ".cache" / "compressed"


def on_startup(command, dirty):
    global _command
    _command = command


@event_priority(-100)
def on_config(config):
    global _warmup, _files
    if _command == "serve":
        return config  # the development server does not serve them
    _warmup, _files = Warmup(cache_folder(config)), []
    return config


@event_priority(-100)  # after other hooks added their files
def on_files(files, config):
    if _warmup is not None:
        _files.clear()
        try:  # copied only after the build (hooks/ship_pyodide.py)
            source = bundle.runtime_source(config)
            runtime = [(bundle.runtime_path(config) + name, source / name) for name in RUNTIME]
        except Abort:  # a site without calculators, or hooks/ship_pyodide.py reports it
            runtime = []
        theme = [
            (file.dest_uri, Path(file.abs_src_path))
            for file in files.media_files()
            if file.abs_src_path  # not one generated from content
        ]
        _files.extend([*runtime, *theme])
        # The memory snapshot, made while pages are read, is copied into the site
        # after the build. Its brotli copy takes 20 s: begun as soon as it is made,
        # it is done by the time the pages are.
        calculator_pages.when_snapshot_made(_warmup.add_file)
    return files


# After every other change to the page (the CSP hashes its final form).
@event_priority(-200)
def on_post_page(output, page, config):
    if _warmup is None:
        return output
    # Only once pages are written: while they are read, the snapshot's Node
    # process may use the other core.
    for name, path in _files:
        _warmup.add_file(name, path)
    _files.clear()
    # As MkDocs writes it (mkdocs.commands.build._build_page).
    _warmup.add(page.file.dest_uri, output.encode("utf-8", errors="xmlcharrefreplace"))
    return output


def on_build_error(error):
    global _warmup
    if _warmup is not None:
        _warmup.stop()
        _warmup = None


# After every other post-build step (the runtime copy, the snapshot, any
# rewrite of the pages), so nothing changes a file after it was compressed.
@event_priority(-100)
def on_post_build(config):
    global _warmup
    if _command == "serve":
        return
    early: list[str] = []
    if _warmup is not None:
        early, _warmup = _warmup.stop(), None
    cache = compress_site(Path(config.site_dir), cache_folder(config))
    encoded = sorted({*early, *cache.encoded})
    for name in encoded:
        log.debug("Gecomprimeerd: %s", name)
    log.info(
        "Gecomprimeerd: %d bestanden opnieuw, %d uit de cache",
        len(encoded),
        cache.reused + len(cache.encoded) - len(encoded),
    )
