"""MkDocs events that make `make serve` and `make build` rebuild only what a changed post touches.

The decisions are in kennisbank/incremental.py; what a build keeps for the
next one is in kennisbank/build_state.py.
"""

from __future__ import annotations

from mkdocs.plugins import CombinedEvent, event_priority

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


@event_priority(-150)  # after the blog plugin and hooks/post_extras.py completed it
def on_nav(nav, config, files):
    incremental.read_nav_pages(nav, config)
    return nav


@event_priority(-90)  # before the blog plugin renders a listing page's excerpts (-100)
def on_page_context(context, page, config, nav):
    incremental.read_listed_posts(page, config)
    return context


def on_post_page(output, page, config):
    incremental.written(page)
    return output


@event_priority(10)  # before the search and feed plugins write their files
def _merge_search_and_feeds(config):
    incremental.merge_search_and_feeds(config)


@event_priority(-300)  # after every file is written and compressed (hooks/precompress.py)
def _keep_state(config):
    incremental.finish(config)


on_post_build = CombinedEvent(_merge_search_and_feeds, _keep_state)


def on_build_error(error):
    incremental.failed()
