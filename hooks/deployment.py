"""MkDocs events for a deployable site: its own address, robots.txt, no tool banner.

The rules are in kennisbank/deployment.py.
"""

from __future__ import annotations

from kennisbank import deployment

_serving = False


def on_startup(command, dirty):
    global _serving
    _serving = command == "serve"


def on_config(config):
    if not _serving:  # the local server sets its own address
        deployment.check_site_url(config)
    return config


def on_post_page(output, page, config):
    return deployment.without_generator(output)


def on_post_template(output_content, template_name, config):
    # 404.html is a theme template, not a page.
    return deployment.without_generator(output_content)


def on_post_build(config):
    deployment.write_robots_txt(config)
