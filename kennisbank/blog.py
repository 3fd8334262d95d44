"""The Material blog plugin's settings, read from the one loaded MkDocs config."""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path
from typing import Any

import yaml


def blog_plugin(config: Mapping[str, Any]) -> Any | None:
    plugins = config["plugins"]
    return plugins.get("material/blog") or plugins.get("blog")


def blog_config(config: Mapping[str, Any]) -> Mapping[str, Any]:
    plugin = blog_plugin(config)
    if plugin is None:
        raise LookupError("the Material blog plugin is not configured in mkdocs.yml")
    return plugin.config


def _blog_path(config: Mapping[str, Any], key: str, default: str) -> Path:
    blog = blog_config(config)
    return Path(config["docs_dir"]) / blog.get(key, default).format(
        blog=blog.get("blog_dir", "blog")
    )


def posts_dir_from_config(config: Mapping[str, Any]) -> Path:
    return _blog_path(config, "post_dir", "{blog}/posts")


def authors_file_from_config(config: Mapping[str, Any]) -> Path:
    return _blog_path(config, "authors_file", "{blog}/.authors.yml")


def read_authors(path: Path) -> dict[str, dict[str, Any]]:
    """Author id -> its entry in the authors file (name, description, avatar)."""
    if not path.is_file():
        return {}
    data = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
    return dict(data.get("authors") or {})
