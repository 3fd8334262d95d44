"""MkDocs event for the web editor at /admin/ (the editor itself: kennisbank/editor.py)."""

from __future__ import annotations

import os

from mkdocs.exceptions import Abort

from kennisbank import editor


def on_post_build(config):
    chosen = editor.backend_for(config, os.environ)
    if chosen is None:
        return
    try:
        editor.write_admin(config, chosen)
    except editor.EditorMissing as error:
        raise Abort(str(error)) from None
