"""MkDocs event that ships self-hosted Pyodide and the calculators wheel (kennisbank/pyodide/)."""

from __future__ import annotations

from kennisbank.pyodide import bundle


def on_post_build(config):
    bundle.ship(config)
