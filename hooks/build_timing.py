"""MkDocs event that times a build's stages on request (kennisbank/build_timing.py)."""

from __future__ import annotations

from mkdocs.plugins import event_priority

from kennisbank import build_timing


@event_priority(10_000)  # first: the rest of the build runs through the timed events
def on_config(config):
    build_timing.instrument(config)
    return config
