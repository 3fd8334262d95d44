"""MkDocs event that ships self-hosted Pyodide and the calculators wheel (kennisbank/pyodide/)."""

from __future__ import annotations

from kennisbank.pyodide import bundle

_serving = False


def on_startup(command, dirty):
    global _serving
    _serving = command == "serve"


def on_post_build(config):
    # The local server shows a page at once and adds the snapshot when it is made.
    bundle.ship(config, snapshot_later=_serving)
