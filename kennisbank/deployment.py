"""What a deployed site needs beyond its pages: its own address, robots.txt, no tool banner.

- `mkdocs.yml` falls back to the local address `make serve` uses; building
  without `SITE_URL` would publish canonical links, og:url, the sitemap and the
  feeds pointing at 127.0.0.1, so the build stops and says so in Dutch
  (`check_site_url`). The local server (`mkdocs serve`) sets its own address.
- A build for a public address (not 127.0.0.1 or localhost) stops as well
  while `extra.contact` still has an example address, or a published post
  still has the template text of `make new-post` (`check_site_url`).
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

from kennisbank import contact, posts
from kennisbank.blog import posts_dir_from_config
from kennisbank.post_template import placeholders_in

LOCAL_HOSTS = frozenset({"127.0.0.1", "localhost", "::1", "0.0.0.0"})
GENERATOR_RE = re.compile(r"[ \t]*<meta name=\"generator\"[^>]*>\n?")


def check_site_url(config) -> None:
    """Stop a build for publication without a public address (SITE_URL) or with placeholders."""
    site_url = config.get("site_url") or ""
    if os.environ.get("SITE_URL"):
        if urlsplit(site_url).hostname not in LOCAL_HOSTS:
            refuse_placeholders(config, site_url)
        return
    if urlsplit(site_url).hostname in LOCAL_HOSTS or not site_url:
        raise Abort(
            "SITE_URL ontbreekt. Zonder het publieke adres van de site wijzen de canonieke "
            f"links, og:url, de sitemap, robots.txt en de feeds naar {site_url or '(niets)'}. "
            "Bouw voor publicatie met het adres van de site, bijvoorbeeld:\n"
            "  SITE_URL=https://www.jouwdomein.nl/ make build\n"
            "Alleen lokaal kijken? Gebruik make serve."
        )


def placeholder_problems(config) -> list[str]:
    """What a published site must not show: example contact details, template text."""
    problems = [
        f"mkdocs.yml: {problem}"
        for problem in contact.placeholder_problems(config["extra"].get("contact"))
    ]
    docs_dir = Path(config["docs_dir"])
    for path in posts.post_files(posts_dir_from_config(config)):
        post, _ = posts.read_post(docs_dir, path)
        if post is None or post.draft:
            continue  # a broken post is reported by the post check itself
        texts = (("description", str(post.meta.get("description", ""))), ("body", post.body))
        for key, text in texts:
            problems += [
                f"{post.path}: {key}: bevat nog de voorbeeldtekst van make new-post "
                f"('{placeholder} …'); schrijf je eigen tekst of zet draft: true"
                for placeholder in placeholders_in(text)
            ]
    return problems


def refuse_placeholders(config, site_url: str) -> None:
    problems = placeholder_problems(config)
    if problems:
        lines = "\n".join(f"  {problem}" for problem in problems)
        raise Abort(
            f"Deze build is voor publicatie op {site_url}, maar de site bevat nog "
            f"voorbeeldtekst:\n{lines}\n"
            "Vul je eigen gegevens in (zie handbook/redacteuren.md). Alleen lokaal kijken? "
            "Gebruik make serve."
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
