"""Quick rebuilds for `make serve` and `make build`: rebuild only what a changed post touches.

Both run MkDocs with `--dirty`: it then reads and writes only the pages whose
source is newer than their output. On its own that gives wrong navigation,
listings, search and feeds, so this hook decides per rebuild:

- A *full* rebuild (every page) when anything but the text of posts changed:
  mkdocs.yml, the templates, hooks or calculators, any file that is not a post,
  a post added, removed or renamed, a post's frontmatter other than its title,
  description and `updated` (the date, categories, authors, … decide which
  listing pages and navigation there are), or when the previous build showed
  problems (hooks/serve_errors.py) or failed. The output of the previous
  build is removed (`make serve` keeps the content-addressed Pyodide files),
  so MkDocs builds every page again.
- Otherwise, an *incremental* rebuild: the changed posts, the listing pages
  (blog index, archive, category and author pages) that show one of them, and
  the pages whose source names one (their links to it are checked again).
  A changed title or description is shown elsewhere too: then also the pages
  with the latest articles, the posts that list it as related, and its
  neighbours (whose footer links name it). Other pages keep their output.
  Posts listed next to a changed one are read again so their excerpts are
  there, and so are the pages of the navigation, which shows their titles;
  while serving, excerpts are cached per post version and listing page, so
  the blog plugin renders only changed ones (it renders every excerpt again on
  every build otherwise, which is most of a build's time with hundreds of posts).

Search and feeds: the search index keeps the previous entries of pages that
were not rebuilt and replaces those that were; the feeds are made from every
post's latest version; both in the order a full build gives them. A server
keeps what the next rebuild needs in memory; `make build` keeps it on disk
(kennisbank/build_state.py), where a post counts as changed when its bytes did.
"""

from __future__ import annotations

import hashlib
import logging
import os
import re
import shutil
from collections.abc import Iterable
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from typing import Any

from mkdocs.commands.build import _populate_page

from kennisbank import build_state, csp, posts, problems
from kennisbank.blog import blog_plugin, posts_dir_from_config
from kennisbank.excerpts import render_once
from kennisbank.related import candidate, rank_related

log = logging.getLogger("mkdocs.kennisbank.incremental")
# Site folders that are content-addressed: a full rebuild keeps them.
KEPT_OUTPUT = ("assets/pyodide", "assets/calculators")
FRONTMATTER_END = "\n---"
SLUG_RE = re.compile(r"^slug:.*$", re.MULTILINE)
# Frontmatter that other pages show, but that changes no listing or navigation.
SHOWN_ELSEWHERE = ("title", "description", "updated")
MKDOCS_DIRTY_NOTES = ("'dirty' build", "contains stale files")
# Pages that list the latest articles by title and description (kennisbank/listings.py).
LATEST_POSTS_MARKER = "kennisbank:latest-posts"


@dataclass
class State:
    """What one rebuild leaves for the next (the hook module lives as long as the server)."""

    enabled: bool = False
    structure: str | None = None
    links: str | None = None
    failed: bool = True
    full: bool = True
    changed: set[str] = field(default_factory=set)
    rebuilt: set[str] = field(default_factory=set)
    files: Any = None
    # Per post: its frontmatter that other pages show, in the last build and this one.
    shown: dict[str, str] = field(default_factory=dict)
    shown_before: dict[str, str] = field(default_factory=dict)
    excerpts: dict[tuple[str, str], tuple[str, Any, Any, Any]] = field(default_factory=dict)
    # `mkdocs build --dirty` (make build): the state is kept on disk between
    # processes (kennisbank/build_state.py); each post's source digest decides.
    persisted: bool = False
    saved: build_state.Saved | None = None
    digests: dict[str, str] = field(default_factory=dict)
    search_entries: list[dict[str, Any]] | None = None
    warnings: Any = None
    state_file: Path | None = None
    why: str = ""


state = State()


# -- What changed --------------------------------------------------------------------


@lru_cache(maxsize=4096)
def frontmatter_text(path: Path, size: int, mtime_ns: int) -> str:
    """The frontmatter block of a post as written (the body is left out), per file version."""
    text = path.read_text(encoding="utf-8", errors="replace")
    end = text.find(FRONTMATTER_END, 3)
    return text if end < 0 else text[: end + len(FRONTMATTER_END)]


def structure_key(config, posts_dir: Path) -> tuple[str, str, dict[str, str]]:
    """(everything but post bodies, the posts' paths and slugs) as two digests.

    The first changes whenever a rebuild must be full; the second whenever
    links between pages may change (cached excerpts link to other pages).
    The third value is, per post, what other pages show of its frontmatter.
    """
    shown: dict[str, str] = {}
    docs_dir = Path(config.docs_dir)
    digest, links = hashlib.sha256(), hashlib.sha256()
    config_file = config.config_file_path
    if config_file:
        digest.update(Path(config_file).read_bytes())
        links.update(Path(config_file).read_bytes())
    roots = [Path(config.docs_dir), *(Path(path) for path in config.watch)]
    for root in roots:
        for path in sorted(root.rglob("*")):
            if "__pycache__" in path.parts or not path.is_file():
                continue
            digest.update(str(path).encode())
            links.update(str(path).encode())
            stat = path.stat()
            if path.suffix == ".md" and path.is_relative_to(posts_dir):
                frontmatter = frontmatter_text(path, stat.st_size, stat.st_mtime_ns)
                post, _ = posts.read_post(docs_dir, path)
                if post is None:  # unreadable: the checks report it, and all is rebuilt
                    digest.update(frontmatter.encode())
                    continue
                meta = post.meta
                structural = {key: meta[key] for key in meta if key not in SHOWN_ELSEWHERE}
                digest.update(repr(sorted(structural.items(), key=str)).encode())
                shown[post.path] = repr([meta.get(key) for key in SHOWN_ELSEWHERE])
                links.update("".join(SLUG_RE.findall(frontmatter)).encode())
            else:
                stamp = f"{stat.st_size}:{stat.st_mtime_ns}".encode()
                digest.update(stamp)
                links.update(stamp)
    return digest.hexdigest(), links.hexdigest(), shown


def clear_output(folder: Path, kept: frozenset[Path]) -> None:
    """Remove the previous build from `folder`, except the `kept` paths below it."""
    for entry in folder.iterdir():
        if entry in kept:
            continue
        if entry.is_dir() and any(path.is_relative_to(entry) for path in kept):
            clear_output(entry, kept)
        elif entry.is_dir():
            shutil.rmtree(entry)
        else:
            entry.unlink()


# -- Listing pages -------------------------------------------------------------------


def listing_pages(plugin) -> Iterable[tuple[Any, list[Any]]]:
    """Every listing page of the blog with the posts it shows."""
    for view in plugin._resolve_views(plugin.blog):
        pages = view.pages or [view]
        step = plugin._config_pagination_per_page(view) if view.pages else len(view.posts)
        for index, page in enumerate(pages):
            yield page, view.posts[index * step : (index + 1) * step] if step else view.posts


def rebuild_output(file, rebuild: bool) -> None:
    """Make MkDocs' --dirty build write a page again, or skip it, whatever its source says.

    The blog plugin writes the source of its listing pages anew on every build,
    and the source of the blog index (blog/index.md), of the home page or of a
    related post does not change when the post they show does.
    """
    keep = not rebuild and os.path.exists(file.abs_dest_path)
    file.is_modified = lambda: not keep


def pages_showing(renamed: set[str], plugin, files) -> Iterable[Any]:
    """The pages other than listings that show these posts' titles or descriptions."""
    ordered = plugin.blog.posts
    post_sources = {post.file.src_uri for post in ordered}
    for file in files.documentation_pages():
        if file.src_uri not in post_sources and LATEST_POSTS_MARKER in file.content_string:
            yield file
    for index, post in enumerate(ordered):
        if post.file.src_uri in renamed:  # its neighbours' footer links name it
            yield from (other.file for other in ordered[max(0, index - 1) : index + 2])
    candidates = [candidate(post) for post in ordered]
    for post, own in zip(ordered, candidates, strict=True):
        if any(other.key in renamed for other in rank_related(own, candidates)):
            yield post.file


def source_stamp(file) -> str:
    stat = os.stat(file.abs_src_path)
    return f"{stat.st_size}:{stat.st_mtime_ns}"


def cached_render_post(plugin, original):
    """The blog plugin's excerpt rendering, remembered per post version and listing page."""

    # A single build: each post's latest rendering, reused where its links read
    # the same (kennisbank/excerpts.py); keeping every rendering held 250 MB.
    once = render_once(original, lambda post: source_stamp(post.file), plugin._config_toc)

    def render_post(excerpt, view):
        if not state.enabled or state.persisted:  # one build per process
            return once(excerpt, view)
        post = excerpt.post
        # One entry per post and listing page: a new version replaces the old one.
        key, version = (post.file.src_uri, view.url), source_stamp(post.file)
        cached = state.excerpts.get(key)
        if cached is None or cached[0] != version:
            original(excerpt, view)
            state.excerpts[key] = (version, excerpt.content, excerpt.more, excerpt.toc)
            return excerpt
        _, excerpt.content, excerpt.more, excerpt.toc = cached
        toc = plugin._config_toc(view)
        if toc and excerpt.toc.items and view.toc.items:
            view.toc.items[0].children.append(excerpt.toc.items[0])
        return excerpt

    return render_post


# -- One rebuild, step by step --------------------------------------------------------


def start(command: str, dirty: bool) -> None:
    state.enabled = dirty and command in ("serve", "build")
    state.persisted = dirty and command == "build"
    if state.enabled:
        # MkDocs warns that plain --dirty gives wrong pages and may leave stale
        # files; here it does neither (a full rebuild empties the site folder).
        logging.getLogger("mkdocs.commands.build").addFilter(
            lambda record: not any(text in record.getMessage() for text in MKDOCS_DIRTY_NOTES)
        )
    if state.persisted:
        state.warnings = build_state.count_warnings()


def decide(config) -> None:
    """Full or incremental: compare everything but the post bodies with the last build."""
    plugin = blog_plugin(config)
    if plugin is not None and "_render_post" not in vars(plugin):
        plugin._render_post = cached_render_post(plugin, plugin._render_post)
    if not state.enabled:
        state.excerpts.clear()  # a single build: nothing to remember
        return
    structure, links, shown = structure_key(config, posts_dir_from_config(config))
    if state.persisted:
        # A new process: the last build's state is on disk, if it is still true.
        structure = hashlib.sha256((structure + build_state.build_key(config)).encode()).hexdigest()
        state.state_file = build_state.state_file(config)
        state.saved = saved = build_state.load(config)
        state.failed = saved is None
        if saved is not None:
            state.structure, state.links, state.shown = saved.structure, saved.links, saved.shown
    state.shown_before, state.shown = state.shown, shown
    state.full = state.failed or structure != state.structure
    if state.persisted and not state.full and search_plugin(config) is not None:
        # The search entries of the pages kept come from the index in the site folder.
        state.search_entries = build_state.search_entries(config)
        if state.search_entries is None:
            state.saved, state.failed, state.full = None, True, True
    # Said with "Alles opnieuw bouwen", so a slow build explains itself.
    if state.persisted and state.saved is None:
        state.why = "geen bruikbare vorige build in deze map"
    elif state.structure is None:
        state.why = "eerste build"
    elif state.failed:
        state.why = "de vorige build mislukte"
    else:
        state.why = "er veranderde meer dan de tekst van posts"
    if links != state.links:
        state.excerpts.clear()
    state.structure, state.links = structure, links
    state.rebuilt.clear()


def plan(files, config) -> None:
    """Clear the last build for a full rebuild, or choose the listing pages to write again."""
    if not state.enabled:
        return
    shows_problems = bool(problems.problems)
    if shows_problems:
        state.full, state.why = True, "de site heeft problemen"
    state.failed = shows_problems
    state.files = files
    plugin = blog_plugin(config)
    site_dir = Path(config.site_dir)
    if state.persisted:
        # Taken before any post is read: a post saved during the build is new next time.
        state.digests = {
            post.file.src_uri: build_state.source_digest(post.file.abs_src_path)
            for post in plugin.blog.posts
        }
    if state.full:
        if site_dir.is_dir():
            # A build keeps no older runtime: its site holds what a clean build holds.
            kept = () if state.persisted else KEPT_OUTPUT
            clear_output(site_dir, frozenset(site_dir / path for path in kept))
        rss = config.plugins.get("rss")
        if rss is not None:
            rss.pages_to_filter.clear()
        log.info("Alles opnieuw bouwen (%s)", state.why)
        return
    if state.persisted:
        keep_last_build(files, config, plugin)
    state.changed = {post.file.src_uri for post in plugin.blog.posts if post.file.is_modified()}
    for page, listed in listing_pages(plugin):
        rebuild_output(page.file, any(post.file.src_uri in state.changed for post in listed))
    renamed = {src for src in state.changed if state.shown.get(src) != state.shown_before.get(src)}
    if renamed:
        for file in pages_showing(renamed, plugin, files):
            rebuild_output(file, True)
    # Their links to a changed post are checked again (its headings may be gone).
    for file in pages_linking_to(state.changed, plugin, files):
        rebuild_output(file, True)
    log.info("Alleen opnieuw bouwen: %s", ", ".join(sorted(state.changed)) or "niets")


def keep_last_build(files, config, plugin) -> None:
    """A post is new when its bytes are; what plugins saw of the pages kept comes back."""
    saved = state.saved
    assert saved is not None
    for post in plugin.blog.posts:
        file = post.file
        changed = saved.sources.get(file.src_uri) != state.digests[file.src_uri]
        rebuild_output(file, changed)
    rss = config.plugins.get("rss")
    if rss is not None:
        rss.pages_to_filter[:0] = saved.feed_items
    csp.restore(saved.csp_pages)
    search = search_plugin(config)
    if search is not None:
        search.search_index_prev = PreviousIndex(state.search_entries or [])


def pages_linking_to(changed: set[str], plugin, files) -> Iterable[Any]:
    """Pages other than the changed posts whose source names one of them.

    The blog plugin holds its posts apart from `files` until the navigation is made.
    """
    names = {Path(src).name for src in changed}
    if not names:
        return
    for file in [*files.documentation_pages(), *(post.file for post in plugin.blog.posts)]:
        if file.src_uri not in changed and any(name in file.content_string for name in names):
            yield file


def read_nav_pages(nav, config) -> None:
    """Read the unchanged pages of the navigation: it shows their titles on every page.

    A page's title comes from reading it (its frontmatter or first heading);
    one MkDocs skips would be named "None" in the navigation of the pages this
    rebuild writes. Read before any page, so a listing's later pages, whose
    heading is the first page's title, find it.
    """
    if not state.enabled or state.full:
        return
    # Unread: no Markdown yet (the navigation holds no posts, which have it from the start).
    unread = [page for page in nav.pages if page.markdown is None]
    read_skipped([page for page in unread if not page.file.is_modified()], config)


def read_listed_posts(page, config) -> None:
    """Read the unchanged posts a rebuilt listing page shows, for their excerpts."""
    if not state.enabled or state.full:
        return
    for listing, shown_posts in listing_pages(blog_plugin(config)):
        if listing is page:
            # A post not read in this build (its source is unchanged) has no excerpt.
            read_skipped([post for post in shown_posts if post.excerpt is None], config)


def read_skipped(pages: Iterable[Any], config) -> None:
    """Read pages this build skipped (their sources are unchanged), without writing them."""
    current = config._current_page
    for page in pages:
        _populate_page(page, config, state.files)
    config._current_page = current


def written(page) -> None:
    state.rebuilt.add(page.url)


@dataclass
class PreviousIndex:
    """The search plugin's view of the last build's index (its `search_index_prev`)."""

    entries: list[dict[str, Any]]


def search_plugin(config) -> Any | None:
    return config.plugins.get("material/search") or config.plugins.get("search")


def merge_search_and_feeds(config) -> None:
    """Keep the search entries and feed items of the pages this rebuild did not write.

    Both come in the order of the pages, as a full build writes them.
    """
    if not state.enabled:
        return
    pages = [file.page for file in state.files.documentation_pages() if file.page is not None]
    order = {page.url: index for index, page in enumerate(pages)}
    sources = {page.file.abs_src_path: index for index, page in enumerate(pages)}
    search = search_plugin(config)
    if search is not None and getattr(search, "search_index_prev", None) is not None:
        if not state.full:
            kept = [
                entry
                for entry in search.search_index_prev.entries
                if entry["location"].split("#", 1)[0] not in state.rebuilt
            ]
            search.search_index.entries = kept + search.search_index.entries
        search.search_index_prev = None  # the plugin's own merge assumes one page
    if search is not None:
        # Stable: a page's own entries keep their order.
        search.search_index.entries.sort(
            key=lambda entry: order.get(entry["location"].split("#", 1)[0], len(order))
        )
    rss = config.plugins.get("rss")
    if rss is not None:
        latest = {page.link: page for page in rss.pages_to_filter}
        items = sorted(
            latest.values(), key=lambda page: sources.get(str(page.abs_path), len(sources))
        )
        rss.pages_to_filter[:] = items


def finish(config) -> None:
    """Keep this build's state for the next `make build`, if it went well."""
    if not state.persisted:
        return
    if state.warnings.get_counts() or problems.problems:
        build_state.forget(config)  # the next build is full, and warns again
        return
    rss = config.plugins.get("rss")
    saved = build_state.Saved(
        structure=state.structure or "",
        links=state.links or "",
        shown=state.shown,
        sources=state.digests,
        feed_items=list(rss.pages_to_filter) if rss is not None else [],
        csp_pages=csp.page_hashes(),
    )
    build_state.save(config, saved)


def failed() -> None:
    state.failed = True
    if state.persisted and state.state_file is not None:
        state.state_file.unlink(missing_ok=True)
