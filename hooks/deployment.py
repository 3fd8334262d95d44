"""What a deployed site needs beyond its pages: its own address, robots.txt, no tool banner.

- `mkdocs.yml` falls back to the local address `make serve` uses; building
  without `SITE_URL` would publish canonical links, og:url, the sitemap and the
  feeds pointing at 127.0.0.1, so the build stops and says so in Dutch
  (`on_config`). The local server (`mkdocs serve`) sets its own address.
- A build for a public address (not 127.0.0.1 or localhost) also stops while
  `extra.contact` still has the example details of mkdocs.yml, or a published
  post still has the template text of `make new-post` (`on_config`).
- `robots.txt` points crawlers to the sitemap at the configured address
  (`on_post_build`).
- Material writes `<meta name="generator">` with the exact tool versions in
  every page (`extra.generator: false` only hides the footer notice); it tells
  an attacker which known bugs to try, so it is removed (`on_post_page`).
"""

from __future__ import annotations

import os
import re
from pathlib import Path
from urllib.parse import urlsplit

from mkdocs.exceptions import Abort

LOCAL_HOSTS = frozenset({"127.0.0.1", "localhost", "::1", "0.0.0.0"})
GENERATOR_RE = re.compile(r"[ \t]*<meta name=\"generator\"[^>]*>\n?")

_serving = False


def on_startup(command, dirty):
    global _serving
    _serving = command == "serve"


def on_config(config):
    if _serving:
        return config
    site_url = config.get("site_url") or ""
    if os.environ.get("SITE_URL"):
        if urlsplit(site_url).hostname not in LOCAL_HOSTS:
            refuse_placeholders(config, site_url)
        return config
    if urlsplit(site_url).hostname in LOCAL_HOSTS or not site_url:
        raise Abort(
            "SITE_URL ontbreekt. Zonder het publieke adres van de site wijzen de canonieke "
            f"links, og:url, de sitemap, robots.txt en de feeds naar {site_url or '(niets)'}. "
            "Bouw voor publicatie met het adres van de site, bijvoorbeeld:\n"
            "  SITE_URL=https://www.jouwdomein.nl/ make build\n"
            "Alleen lokaal kijken? Gebruik make serve."
        )
    return config


def placeholder_problems(config) -> list[str]:
    """What a published site must not show: example contact details, template text."""
    from hooks import post_template, posts
    from hooks.post_extras import placeholder_contact_problems

    problems = [
        f"mkdocs.yml: {problem}"
        for problem in placeholder_contact_problems(config["extra"].get("contact"))
    ]
    docs_dir = Path(config["docs_dir"])
    for path in posts.post_files(posts.posts_dir_from_config(config)):
        post, _ = posts.read_post(docs_dir, path)
        if post is None or post.draft:
            continue  # a broken post is reported by the post check itself
        for key, text in (
            ("description", str(post.meta.get("description", ""))),
            ("body", post.body),
        ):
            for placeholder in post_template.placeholders_in(text):
                problems.append(
                    f"{post.path}: {key}: bevat nog de voorbeeldtekst van make new-post "
                    f"('{placeholder} …'); schrijf je eigen tekst of zet draft: true"
                )
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


def on_post_page(output, page, config):
    return GENERATOR_RE.sub("", output, count=1)


def on_post_template(output_content, template_name, config):
    # 404.html is a theme template, not a page.
    return GENERATOR_RE.sub("", output_content, count=1)


def robots_txt(site_url: str) -> str:
    """Everything may be crawled; the sitemap lists every page."""
    base = site_url if site_url.endswith("/") else site_url + "/"
    return f"User-agent: *\nAllow: /\n\nSitemap: {base}sitemap.xml\n"


def on_post_build(config):
    if config.get("site_url"):
        Path(config["site_dir"], "robots.txt").write_text(
            robots_txt(config["site_url"]), encoding="utf-8"
        )
