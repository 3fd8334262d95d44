"""Pages with calculators: their scripts, their links, their reading time.

- Posts that list `calculators:` in their frontmatter get a "Reken het zelf uit"
  section linking to those calculators.
- Only pages that contain a calculator load the browser glue; it is told where
  the self-hosted Pyodide runtime and the calculators package live. Pages
  without one load nothing of it. The glue's file names carry a content hash,
  like Material's own assets, so browsers may cache them for good.
- A post's reading time counts the article, not the calculator forms in it.
"""

from __future__ import annotations

import hashlib
import re

from material.plugins.blog.readtime import readtime
from mkdocs.exceptions import Abort
from mkdocs.utils import get_relative_url

from kennisbank.blog import blog_config
from kennisbank.links import calculator_page, relative_link
from kennisbank.markdown import markdown_text
from kennisbank.pyodide import bundle

GLUE = "assets/javascripts/calculator.mjs"
WORKER = "assets/javascripts/calculator-worker.mjs"
# Material's search worker, held back until Python is live (see that file).
SEARCH_AFTER_PYTHON = "assets/javascripts/workers/search-after-python.js"
# Material's page config names its search worker, next to which ours lies.
MATERIAL_SEARCH_RE = re.compile(r'("search": ")([^"]*/workers/)(search\.[0-9a-f]+\.min\.js)(")')
# The fence template marks each calculator so it can be left out of the reading time.
CALCULATOR_HTML_RE = re.compile(r"<!-- kb-calculator -->.*?<!-- /kb-calculator -->", re.DOTALL)

# Source path -> content-hashed path of this build's own scripts (fingerprint_scripts).
_fingerprinted: dict[str, str] = {}


def fingerprint(file) -> None:
    """Give a static file a content-hashed name: calculator.mjs -> calculator.1a2b3c4d.mjs."""
    digest = hashlib.sha256(file.content_bytes).hexdigest()[:8]
    stem, dot, extension = file.dest_uri.rpartition(".")
    file.dest_uri = f"{stem}.{digest}{dot}{extension}"
    file.url = file.dest_uri
    _fingerprinted[file.src_uri] = file.dest_uri


def fingerprint_scripts(files) -> None:
    for script in (GLUE, WORKER, SEARCH_AFTER_PYTHON):
        fingerprint(files.get_file_from_path(script))


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
    And Material builds its search index only once Python is live.
    """
    if "data-kb-runtime=" not in output:
        return output
    runtime = get_relative_url(bundle.runtime_path(config) + "pyodide.mjs", url)
    output = output.replace("</head>", f'<link rel="modulepreload" href="{runtime}">\n</head>', 1)
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
    runtime = get_relative_url(bundle.runtime_path(config) + "pyodide.mjs", url)
    lockfile = get_relative_url(bundle.package_path(config) + "pyodide-lock.json", url)
    snapshot = get_relative_url(bundle.snapshot_path(config), url)
    glue = files.get_file_from_path(GLUE).url_relative_to(page.file)
    worker = files.get_file_from_path(WORKER).url_relative_to(page.file)
    # First in the content: the async module then runs while the rest of the page
    # is parsed. Inside the content, Material's instant navigation runs it too.
    return (
        f'<script type="module" async src="{glue}" data-kb-worker="{worker}" '
        f'data-kb-runtime="{runtime}" data-kb-lockfile="{lockfile}" '
        f'data-kb-snapshot="{snapshot}"></script>\n{html}'
    )
