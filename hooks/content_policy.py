"""MkDocs events for the Content-Security-Policy (the policy itself: kennisbank/csp.py).

Every built page gets a meta tag with the hashes of its own inline scripts and
styles; `_headers` (Netlify, Cloudflare Pages) and `_headers.nginx` (included by
deploy/nginx.conf) get the site-wide policy and the other security headers, and
the web editor's own policy for /admin/ when the build has one.
"""

from __future__ import annotations

import os

from mkdocs.plugins import event_priority

from kennisbank import csp, editor

# `mkdocs serve` adds its live-reload script to every page as it serves it,
# with a number that changes on each request: no hash can allow it, so the
# local server gets no policy (the built site is what the tests check).
_serving = False


def on_startup(command, dirty):
    global _serving
    _serving = command == "serve"


def on_config(config):
    csp.reset()
    return config


# Last: hash the page exactly as it is written, after every other hook changed it.
@event_priority(-100)
def on_post_page(output, page, config):
    return output if _serving else csp.add_meta(output, page.file.dest_uri)


@event_priority(-100)
def on_post_template(output_content, template_name, config):
    # 404.html is a theme template rather than a page; sitemap.xml is no HTML.
    if template_name.endswith(".html") and not _serving:
        return csp.add_meta(output_content, template_name)
    return output_content


def on_post_build(config):
    if not _serving:
        # /admin/ (only there with a hosted backend) has its own, looser policy.
        chosen = editor.backend_for(config, os.environ)
        own = {} if chosen is None else {"/admin/*": editor.admin_policy(chosen, header=True)}
        csp.write_headers_file(config["site_dir"], own)
