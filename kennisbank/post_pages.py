"""What a post or calculator page shows around its content, and what search engines read.

- Under every post: the call to action, two or three related posts (shared
  categories and calculators) and share links. At the top: author, date,
  `updated` and reading time. The templates in `overrides/partials/` render
  them from `kb_post` in the page context.
- JSON-LD for posts (`BlogPosting`), calculator pages (`WebApplication`) and
  their breadcrumbs, as `kb_jsonld` for `overrides/main.html`.
- Footer links: blog listings (index, archive, categories, authors) get none,
  and no other page points into them except the blog index.
- `updated` becomes Material's and the feed's update date.
"""

from __future__ import annotations

import datetime as dt
from urllib.parse import quote

from kennisbank import posts as post_schema
from kennisbank.blog import blog_plugin
from kennisbank.links import calculator_page
from kennisbank.related import RelatedIndex, candidate
from kennisbank.structured_data import absolute, breadcrumbs, iso, json_ld, plain


def fix_footer_links(nav, config) -> None:
    """Footer links that lead somewhere a reader expects.

    The blog plugin chains its generated listings (archive years, categories,
    author pages) into the previous/next links: Blog -> "Redactie Kennisbank".
    Listings get no footer links; a page next to them points to the blog index.
    """
    from material.plugins.blog.structure import View

    plugin = blog_plugin(config)
    blog = plugin.blog if plugin else None
    for page in nav.pages:
        if isinstance(page, View):
            page.previous_page = page.next_page = None
            continue
        for attribute in ("previous_page", "next_page"):
            if isinstance(getattr(page, attribute, None), View):
                setattr(page, attribute, blog)


def apply_updated(page) -> None:
    """`updated` from the frontmatter becomes Material's own "updated" date.

    A post that was never revised was last updated on its date: the feed of
    updated posts reads `updated` (mkdocs.yml), and would use the build time.
    """
    from material.plugins.blog.structure import Post

    if not isinstance(page, Post):
        return
    updated = page.meta.get("updated")
    day = post_schema.as_date(updated)
    if day is not None:
        moment = updated
        if not isinstance(moment, dt.datetime):
            moment = dt.datetime.combine(day, dt.time())
        page.config.date["updated"] = moment if moment.tzinfo else moment.replace(tzinfo=dt.UTC)
    elif "date" in page.meta:
        page.meta["updated"] = page.meta["date"]


# The ranking's view of every post, made once per build (the blog's posts are
# made anew for each build): per post it cost 4 s of a build with 1,000 posts.
_ranked_posts: tuple[object, RelatedIndex, dict] | None = None


def related_index(plugin) -> tuple[RelatedIndex, dict]:
    """Every post indexed for the related-posts ranking, and the posts by source path."""
    global _ranked_posts
    blog = plugin.blog if plugin else None
    if _ranked_posts is None or _ranked_posts[0] is not blog:
        posts = list(blog.posts) if blog else []
        by_key = {post.file.src_uri: post for post in posts}
        _ranked_posts = (blog, RelatedIndex([candidate(post) for post in posts]), by_key)
    return _ranked_posts[1], _ranked_posts[2]


def post_context(context, page, config) -> None:
    plugin = blog_plugin(config)
    index, by_key = related_index(plugin)
    related = index.rank(candidate(page))
    url = page.canonical_url or absolute(config, page.url)
    title = plain(page.meta.get("title") or page.title)
    text = f"{title} {url}"
    context["kb_post"] = {
        "related": [by_key[other.key] for other in related],
        "share": [
            ("E-mail", f"mailto:?subject={quote(title)}&body={quote(text)}"),
            ("LinkedIn", f"https://www.linkedin.com/sharing/share-offsite/?url={quote(url)}"),
            ("WhatsApp", f"https://wa.me/?text={quote(text)}"),
        ],
    }
    dates = page.config.date
    authors = [{"@type": "Person", "name": plain(author.name)} for author in page.authors]
    posting = {
        "@context": "https://schema.org",
        "@type": "BlogPosting",
        "headline": title,
        "description": plain(page.meta.get("description")),
        "datePublished": iso(dates.created),
        "dateModified": iso(dates.get("updated") or dates.created),
        "author": authors,
        "publisher": {"@type": "Organization", "name": plain(config["site_name"])},
        "inLanguage": "nl-NL",
        "mainEntityOfPage": url,
        "url": url,
    }
    image = page.meta.get(post_schema.PREVIEW_IMAGE_KEY)
    if image:
        posting["image"] = absolute(config, image)
    blog = plugin.blog if plugin else None
    trail = [("Home", absolute(config, ""))]
    if blog is not None:
        trail.append((plain(blog.title), absolute(config, blog.url)))
    trail.append((title, url))
    context["kb_jsonld"] = json_ld([posting, breadcrumbs(trail)])


def calculator_context(context, page, config) -> None:
    from calculators import registry

    calculator = registry[calculator_id(page)]
    url = page.canonical_url or absolute(config, page.url)
    title = plain(page.meta.get("title") or page.title)
    application = {
        "@context": "https://schema.org",
        "@type": "WebApplication",
        "name": title,
        "description": plain(page.meta.get("description") or calculator.purpose),
        "applicationCategory": "BusinessApplication",
        "operatingSystem": "Elke moderne browser",
        "browserRequirements": "JavaScript en WebAssembly",
        "isAccessibleForFree": True,
        "offers": {"@type": "Offer", "price": "0", "priceCurrency": "EUR"},
        "inLanguage": "nl-NL",
        "url": url,
    }
    trail = [("Home", absolute(config, ""))]
    parent = page.parent
    if parent is not None and getattr(parent, "children", None):
        index = next((child for child in parent.children if child.is_page and child.is_index), None)
        if index is not None and index is not page:
            trail.append((plain(index.title), absolute(config, index.url)))
    trail.append((title, url))
    context["kb_jsonld"] = json_ld([application, breadcrumbs(trail)])


def calculator_id(page) -> str | None:
    from calculators import registry

    for calculator_id in registry:
        if page.file.src_uri == calculator_page(calculator_id):
            return calculator_id
    return None
