"""Pages with calculators: their scripts, their links, their reading time.

- Posts that list `calculators:` in their frontmatter get a "Reken het zelf uit"
  section linking to those calculators.
- Only pages that contain a calculator load the browser glue; it is told where
  the self-hosted Pyodide runtime and the calculators package live. Pages
  without one load nothing of it. The glue's URLs carry a content hash, like
  Material's own assets, so browsers may cache them for good.
- A post's reading time counts the article, not the calculator forms in it.
"""

from __future__ import annotations

import hashlib
import logging
import re
import threading
from collections.abc import Callable
from pathlib import Path

from material.plugins.blog.readtime import readtime
from mkdocs.exceptions import Abort
from mkdocs.utils import get_relative_url

from kennisbank import fence
from kennisbank.blog import blog_config
from kennisbank.glue_bundle import bundled, esbuild_version
from kennisbank.links import calculator_page, relative_link
from kennisbank.markdown import markdown_text
from kennisbank.pyodide import bundle

# The browser glue: ES modules that import each other by relative URL.
GLUE_FOLDER = "assets/javascripts/calculator/"
GLUE = GLUE_FOLDER + "calculator.mjs"  # the page's entry; the others in the folder it imports
WORKER = GLUE_FOLDER + "worker/worker.mjs"
ENTRIES = (GLUE, WORKER)  # served bundled with all they import (kennisbank/glue_bundle.py)
# Whole-line comments, which the served glue goes without (see hash_glue()).
JS_COMMENT_LINE_RE = re.compile(rb"^[ \t]*//.*$", re.MULTILINE)
# Material's search worker, held back until Python is live (see that file).
SEARCH_AFTER_PYTHON = "assets/javascripts/workers/search-after-python.js"
# Material's page config names its search worker, next to which ours lies.
MATERIAL_SEARCH_RE = re.compile(r'("search": ")([^"]*/workers/)(search\.[0-9a-f]+\.min\.js)(")')
# The fence template marks each calculator so it can be left out of the reading time.
CALCULATOR_HTML_RE = re.compile(r"<!-- kb-calculator -->.*?<!-- /kb-calculator -->", re.DOTALL)

# Source path -> content-hashed path of this build's own scripts (fingerprint_scripts).
_fingerprinted: dict[str, str] = {}
# The site paths of the glue's two entries, the page's and its worker's (fingerprint_scripts).
_page_modules: list[str] = []
# Source path -> served path of every glue module of this build (hash_glue).
_glue_paths: dict[str, str] = {}


def fingerprint(file) -> None:
    """Give a static file a content-hashed name: x.js -> x.1a2b3c4d.js."""
    digest = hashlib.sha256(file.content_bytes).hexdigest()[:8]
    stem, dot, extension = file.dest_uri.rpartition(".")
    file.dest_uri = f"{stem}.{digest}{dot}{extension}"
    file.url = file.dest_uri
    _fingerprinted[file.src_uri] = file.dest_uri


def hash_glue(files, root: Path) -> list[str]:
    """Serve the glue under one folder named by a hash of all its modules.

    `calculator/live.mjs` becomes `calculator/1a2b3c4d/live.mjs`: relative imports
    keep working, and every module's URL changes whenever any module (or the
    esbuild that bundles them) does. The two entries are served bundled, each
    with every module it imports (kennisbank/glue_bundle.py). Whole-line comments
    are left out of the served copies (a line stays, empty, so line numbers hold):
    most of the glue's bytes, and none of what the browser runs. Returns the URLs
    of the two entries, which is all a page loads of it: its own, and its
    worker's, which it creates as soon as its own runs.
    """
    glue = sorted((f for f in files if f.src_uri.startswith(GLUE_FOLDER)), key=lambda f: f.src_uri)
    digest = hashlib.sha256(esbuild_version(root).encode() + b"\0")
    for file in glue:
        digest.update(file.src_uri.encode() + b"\0" + file.content_bytes + b"\0")
    name = digest.hexdigest()
    folder = f"{GLUE_FOLDER}{name[:8]}/"
    for file in glue:
        served = file.content_bytes
        if file.src_uri in ENTRIES:
            served = bundled(root, Path(file.abs_src_path), name)
        file.content_bytes = JS_COMMENT_LINE_RE.sub(b"", served)
        file.dest_uri = file.url = folder + file.src_uri.removeprefix(GLUE_FOLDER)
        _glue_paths[file.src_uri] = file.dest_uri
    return [_glue_paths[GLUE], _glue_paths[WORKER]]


def fingerprint_scripts(files, config) -> None:
    global _page_modules
    _page_modules = hash_glue(files, bundle.project_root(config))
    fingerprint(files.get_file_from_path(SEARCH_AFTER_PYTHON))


# -- Where this build's Python lives ---------------------------------------------------

# Site paths of the runtime and the package, worked out once per build (each
# is a digest of sources: 1.5 s of a build with 1,000 posts when asked per page).
_python: dict[str, str] = {}
# The memory snapshot is made by a Node process (3–4 s when its inputs are new)
# while MkDocs reads and writes the pages; pages get its name when written.
log = logging.getLogger("mkdocs.kennisbank.calculator_pages")
_snapshot_job: dict[str, object] = {}
_snapshot_lock = threading.Lock()
SNAPSHOT_PENDING = "kb-snapshot-pending"


def start_build(config) -> None:
    """Forget the last build's paths and blocks, and start on the snapshot (not when serving)."""
    _python.clear()
    fence.forget_blocks()
    _snapshot_job.clear()
    if bundle.snapshots_in_background:
        return  # `mkdocs serve` names a snapshot still being made by its key instead

    def make() -> None:
        try:
            site_path = bundle.snapshot_path(config)
            file = bundle.snapshot_file(config)  # made: only looked up
            with _snapshot_lock:
                _snapshot_job["file"] = file
                _python["snapshot"] = site_path
                listeners = _snapshot_job.pop("listeners", [])
        except BaseException as error:  # raised again where the name is needed
            _snapshot_job["error"] = error
            return
        for listener in listeners:  # type: ignore[union-attr]
            try:
                listener(site_path, file)
            except Exception as error:  # only a head start: the build does it anyway
                log.debug("Snapshot listener failed: %s", error)

    job = threading.Thread(target=make, name="kb-snapshot", daemon=True)
    _snapshot_job["thread"] = job
    job.start()


def when_snapshot_made(listener: Callable[[str, Path], None]) -> None:
    """Call `listener(site path, file)` once this build's snapshot is made: at once if it is."""
    with _snapshot_lock:
        made = made_snapshot()
        if made is None:
            if "thread" in _snapshot_job:  # being made in the background
                _snapshot_job.setdefault("listeners", []).append(listener)  # type: ignore[union-attr]
            return
    listener(*made)


def made_snapshot() -> tuple[str, Path] | None:
    """(site path, file in the build cache) of this build's snapshot, once it is made."""
    made = _snapshot_job.get("file")
    if isinstance(made, Path) and "snapshot" in _python:
        return _python["snapshot"], made
    return None


def snapshot_site_path(config) -> str:
    """The snapshot's site path, once it is made."""
    job = _snapshot_job.pop("thread", None)
    if isinstance(job, threading.Thread):
        job.join()
    error = _snapshot_job.get("error")
    if isinstance(error, BaseException):
        raise error
    if "snapshot" not in _python:
        _python["snapshot"] = bundle.snapshot_path(config)
    return _python["snapshot"]


def python_site_paths(config) -> tuple[str, str]:
    """Site paths of Pyodide's loader and of the package's lock file."""
    if "runtime" not in _python:
        _python["runtime"] = bundle.runtime_path(config) + "pyodide.mjs"
        _python["lockfile"] = bundle.package_path(config) + "pyodide-lock.json"
    return _python["runtime"], _python["lockfile"]


def python_paths(config) -> dict[str, str]:
    """Site paths of this build's worker, its page-side module and Python, for /admin/."""
    runtime, lockfile = python_site_paths(config)
    return {
        "worker": _glue_paths[WORKER],
        "runtimeModule": _glue_paths[GLUE_FOLDER + "runtime.mjs"],
        "protocol": _glue_paths[GLUE_FOLDER + "protocol.mjs"],
        "runtimeUrl": runtime,
        "lockfileUrl": lockfile,
        "snapshotUrl": snapshot_site_path(config),
    }


def with_calculator_links(markdown: str, ids: list[str], source: str) -> str:
    """The post, then a "Reken het zelf uit" section linking to its calculators."""
    from calculators import registry

    links = "\n".join(
        f"- [{markdown_text(registry[i].title)}]({relative_link(source, calculator_page(i))})"
        f" — {markdown_text(registry[i].purpose)}"
        for i in ids
    )
    return f"{markdown}\n\n## Reken het zelf uit {{ #reken-het-zelf-uit }}\n\n{links}\n"


def python_first(output: str, url: str, config) -> str:
    """On a page with a calculator, give Python's start-up the first turn.

    The browser fetches Pyodide's 18 kB loader while it parses the page: the
    worker imports the same URL once a calculator is reached and finds it in
    the HTTP cache, so the 13 MB runtime download starts one round trip sooner.
    The glue's two files are preloaded too: the worker created from the page's
    finds its own in the HTTP cache as well. And Material builds its search
    index only once Python is live.
    """
    if "data-kb-runtime=" not in output:
        return output
    if SNAPSHOT_PENDING in output:
        snapshot = get_relative_url(snapshot_site_path(config), url)
        pending = f'data-kb-snapshot="{SNAPSHOT_PENDING}"'
        output = output.replace(pending, f'data-kb-snapshot="{snapshot}"')
    runtime = get_relative_url(python_site_paths(config)[0], url)
    modules = [get_relative_url(path, url) for path in _page_modules]
    links = "".join(f'<link rel="modulepreload" href="{href}">\n' for href in [runtime, *modules])
    output = output.replace("</head>", f"{links}</head>", 1)
    return search_after_python(output, url)


def search_after_python(output: str, url: str) -> str:
    """Point Material's config at our search worker, which loads Material's later."""
    later = _fingerprinted[SEARCH_AFTER_PYTHON].rpartition("/")[2]  # in the same folder
    output, count = MATERIAL_SEARCH_RE.subn(rf"\g<1>\g<2>{later}?worker=\g<3>\g<4>", output, 1)
    if count != 1:
        raise Abort(f"{url}: Material's search worker is not named in the page's config")
    return output


def count_article_readtime(html: str, page, config) -> None:
    """A post's reading time without its calculator forms (set before the blog plugin's)."""
    post_config = getattr(page, "config", None)
    if post_config is not None and hasattr(post_config, "readtime") and not post_config.readtime:
        words_per_minute = blog_config(config).get("post_readtime_words_per_minute", 265)
        post_config.readtime = readtime(CALCULATOR_HTML_RE.sub("", html), words_per_minute)


def with_glue(html: str, page, config, files) -> str:
    """The page's content, led by the browser glue and where to find Python."""
    url = page.url
    runtime_path, lockfile_path = python_site_paths(config)
    runtime = get_relative_url(runtime_path, url)
    lockfile = get_relative_url(lockfile_path, url)
    # Named when the page is written (python_first): the snapshot is still being made.
    pending = "thread" in _snapshot_job
    snapshot = SNAPSHOT_PENDING if pending else get_relative_url(snapshot_site_path(config), url)
    glue = files.get_file_from_path(GLUE).url_relative_to(page.file)
    worker = files.get_file_from_path(WORKER).url_relative_to(page.file)
    # First in the content: the async module then runs while the rest of the page
    # is parsed. Inside the content, Material's instant navigation runs it too.
    return (
        f'<script type="module" async src="{glue}" data-kb-worker="{worker}" '
        f'data-kb-runtime="{runtime}" data-kb-lockfile="{lockfile}" '
        f'data-kb-snapshot="{snapshot}"></script>\n{html}'
    )
