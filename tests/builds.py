"""Comparing two builds of the site file by file."""

from __future__ import annotations

import re
from pathlib import Path

# A feed's channel says when it was built; its items carry the posts' own dates.
FEED_BUILD_DATE_RE = re.compile(rb"<(pubDate|lastBuildDate)>[^<]*</\1>(?=.*?<item>)", re.DOTALL)
FEEDS = ("feed_rss_created.xml", "feed_rss_updated.xml")


def site_files(site: Path) -> dict[str, bytes]:
    """Every file of a built site by its path, the feeds without their build dates.

    The feeds' compressed copies are left out with them: they only repeat the dates.
    """
    files = {}
    for path in sorted(site.rglob("*")):
        name = path.relative_to(site).as_posix()
        original = name.removesuffix(".br").removesuffix(".gz")
        if not path.is_file() or (original != name and original in FEEDS):
            continue
        data = path.read_bytes()
        files[name] = FEED_BUILD_DATE_RE.sub(b"", data) if name in FEEDS else data
    return files


def differences(first: dict[str, bytes], second: dict[str, bytes]) -> list[str]:
    """The paths that only one build has, or that hold other bytes."""
    return sorted(
        name for name in first.keys() | second.keys() if first.get(name) != second.get(name)
    )
