"""MkDocs events that keep the settings' and authors' text XML-safe and escaped once.

The rules and messages are in kennisbank/texts.py.
"""

from __future__ import annotations

from mkdocs.plugins import event_priority

from kennisbank import texts


# Before the RSS plugin copies the site's and feed's text into its feed.
@event_priority(100)
def on_config(config):
    texts.check_config(config)
    texts.escape_config(config)
    return config


# Before the blog plugin writes profile pages and attaches authors to posts.
def on_files(files, config):
    texts.escape_authors(config)
    return files


def on_page_markdown(markdown, page, config, files):
    from material.plugins.blog.structure import Profile

    if not isinstance(page, Profile):
        return markdown
    return texts.literal_profile_heading(markdown)
