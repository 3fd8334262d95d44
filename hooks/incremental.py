"""MkDocs events that make `make serve` rebuild only what a saved post touches.

The decisions are in kennisbank/incremental.py.
"""

from __future__ import annotations

from mkdocs.plugins import event_priority

from kennisbank import incremental


def on_startup(command, dirty):
    incremental.start(command, dirty)


@event_priority(-100)  # after the checks, which report problems first
def on_config(config):
    incremental.decide(config)
    return config


@event_priority(-60)  # after the blog plugin made its listing pages (-50)
def on_files(files, config):
    incremental.plan(files, config)
    return files


@event_priority(-90)  # before the blog plugin renders a listing page's excerpts (-100)
def on_page_context(context, page, config, nav):
    incremental.read_listed_posts(page, config)
    return context


def on_post_page(output, page, config):
    incremental.written(page)
    return output


@event_priority(10)  # before the search and feed plugins write their files
def on_post_build(config):
    incremental.merge_search_and_feeds(config)


def on_build_error(error):
    incremental.failed()
