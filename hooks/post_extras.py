"""MkDocs events for what a page shows around its content (the logic: kennisbank/).

- `extra.contact` is checked before the build (kennisbank/contact.py) and
  given to the templates as `kb_contact`.
- Posts get related posts, share links and JSON-LD, calculator pages their
  JSON-LD (kennisbank/post_pages.py); blog listings get no footer links.
- Tables of three or more columns label their cells (kennisbank/tables.py).
"""

from __future__ import annotations

from mkdocs.plugins import event_priority

from kennisbank import contact, post_pages, problems
from kennisbank.tables import label_table_cells

# Files of the current build, for the URL of the contact page.
_files = None


def on_config(config):
    found = contact.contact_problems(config["extra"].get("contact"))
    if found:
        problems.stop(contact.PROBLEMS_TITLE, found)
    return config


def on_files(files, config):
    global _files
    _files = files
    return files


@event_priority(-100)  # after the blog plugin has linked its pages
def on_nav(nav, config, files):
    post_pages.fix_footer_links(nav, config)
    return nav


def on_page_markdown(markdown, page, config, files):
    post_pages.apply_updated(page)
    return markdown


def on_page_content(html, page, config, files):
    if "<table>" not in html:
        return html
    return label_table_cells(html)


def on_page_context(context, page, config, nav):
    from material.plugins.blog.structure import Post

    details = config["extra"].get("contact")
    if contact.contact_problems(details):
        return context  # shown on the error page while serving (serve_errors)
    context["kb_contact"] = contact.contact_context(details, _files)
    if isinstance(page, Post):
        post_pages.post_context(context, page, config)
    elif post_pages.calculator_id(page) is not None:
        post_pages.calculator_context(context, page, config)
    return context
