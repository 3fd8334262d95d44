"""What a deployed site needs beyond its pages: its own address, robots.txt, no tool banner.

- `mkdocs.yml` falls back to the local address `make serve` uses; building
  without `SITE_URL` would publish canonical links, og:url, the sitemap and the
  feeds pointing at 127.0.0.1, so the build stops and says so in Dutch
  (`check_site_url`). The local server (`mkdocs serve`) sets its own address.
- `robots.txt` points crawlers to the sitemap at the configured address
  (`write_robots_txt`).
- Material writes `<meta name="generator">` with the exact tool versions in
  every page (`extra.generator: false` only hides the footer notice); it tells
  an attacker which known bugs to try, so it is removed (`without_generator`).
"""

from __future__ import annotations

import os
import re
from pathlib import Path
from urllib.parse import urlsplit

from mkdocs.exceptions import Abort

LOCAL_HOSTS = frozenset({"127.0.0.1", "localhost", "::1", "0.0.0.0"})
GENERATOR_RE = re.compile(r"[ \t]*<meta name=\"generator\"[^>]*>\n?")


def check_site_url(config) -> None:
    """Stop a build for publication that has no public address (SITE_URL)."""
    if os.environ.get("SITE_URL"):
        return
    site_url = config.get("site_url") or ""
    if urlsplit(site_url).hostname in LOCAL_HOSTS or not site_url:
        raise Abort(
            "SITE_URL ontbreekt. Zonder het publieke adres van de site wijzen de canonieke "
            f"links, og:url, de sitemap, robots.txt en de feeds naar {site_url or '(niets)'}. "
            "Bouw voor publicatie met het adres van de site, bijvoorbeeld:\n"
            "  SITE_URL=https://www.jouwdomein.nl/ make build\n"
            "Alleen lokaal kijken? Gebruik make serve."
        )


def without_generator(html: str) -> str:
    return GENERATOR_RE.sub("", html, count=1)


def robots_txt(site_url: str) -> str:
    """Everything may be crawled; the sitemap lists every page."""
    base = site_url if site_url.endswith("/") else site_url + "/"
    return f"User-agent: *\nAllow: /\n\nSitemap: {base}sitemap.xml\n"


def write_robots_txt(config) -> None:
    if config.get("site_url"):
        Path(config["site_dir"], "robots.txt").write_text(
            robots_txt(config["site_url"]), encoding="utf-8"
        )
