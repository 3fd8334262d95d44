"""MkDocs event that writes `.br` and `.gz` next to large built files (kennisbank/compression)."""

from __future__ import annotations

import logging
from pathlib import Path

from mkdocs.plugins import event_priority

from kennisbank.compression import compress_site

log = logging.getLogger("mkdocs.kennisbank.precompress")
_command = "build"


def on_startup(command, dirty):
    global _command
    _command = command


# After every other post-build step (the runtime copy, the snapshot, any
# rewrite of the pages), so nothing changes a file after it was compressed.
@event_priority(-100)
def on_post_build(config):
    if _command == "serve":
        return  # the development server does not serve them
    root = Path(config.config_file_path).absolute().parent
    cache = compress_site(Path(config.site_dir), root / ".cache" / "compressed")
    for name in cache.encoded:
        log.debug("Gecomprimeerd: %s", name)
    log.info(
        "Gecomprimeerd: %d bestanden opnieuw, %d uit de cache", len(cache.encoded), cache.reused
    )
