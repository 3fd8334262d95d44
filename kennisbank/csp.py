"""A strict Content-Security-Policy for every page, computed at build time.

Scripts run only from the site itself or when they are exactly the inline
scripts the build wrote (their sha256 is in the policy): no 'unsafe-inline',
no 'unsafe-eval'. WebAssembly needs 'wasm-unsafe-eval' (Pyodide compiles its
runtime), workers come from the site itself.

Delivery:
- every page gets `<meta http-equiv="Content-Security-Policy">` with the
  hashes of its own inline scripts and styles (`add_meta`);
- `_headers` (Netlify / Cloudflare Pages format) gives the same policy as a
  response header for every path, with the hashes of all pages together: a
  header is what a Web Worker obeys (it never sees the page's meta tag), and
  what can forbid framing (`frame-ancestors` is ignored in a meta tag). One
  site-wide rule instead of one rule per page: hosts limit the number of rules
  (Cloudflare Pages: 100), and the meta tag narrows each page to its own
  hashes anyway, since a browser enforces both policies.
- `_headers.nginx` gives the very same headers as nginx `add_header` lines,
  which deploy/nginx.conf includes.

Both files also carry the other security headers (SECURITY_HEADERS), so every
host sends one set of headers from one source.
"""

from __future__ import annotations

import base64
import hashlib
import re
from collections.abc import Iterable, Mapping
from pathlib import Path

# Inline <script> elements the browser runs: no src, and a JavaScript type.
SCRIPT_RE = re.compile(r"<script(?P<attrs>(?:\s[^>]*)?)>(?P<body>.*?)</script>", re.DOTALL)
SCRIPT_TYPE_RE = re.compile(r"""\btype\s*=\s*["']?(?P<type>[^"'\s>]+)""", re.IGNORECASE)
RUNNABLE_TYPES = frozenset({"", "text/javascript", "application/javascript", "module"})
STYLE_ELEMENT_RE = re.compile(r"<style(?:\s[^>]*)?>(?P<body>.*?)</style>", re.DOTALL)
# Markdown's table alignment and other generated markup put styles in attributes.
STYLE_ATTRIBUTE_RE = re.compile(r"""<[a-zA-Z][^>]*?\sstyle=(?P<q>["'])(?P<body>.*?)(?P=q)""")
META_CHARSET = '<meta charset="utf-8">'
HEADERS_FILE = "_headers"
NGINX_HEADERS_FILE = "_headers.nginx"

# Only the site's own origin, for everything; nothing may frame or be framed.
BASE_DIRECTIVES = {
    "default-src": ["'self'"],
    "script-src": ["'self'", "'wasm-unsafe-eval'"],
    "style-src": ["'self'"],
    # Material's icons and the calculators' charts are inline SVG; its CSS
    # draws a few icons as data: URLs (mask-image).
    "img-src": ["'self'", "data:"],
    "font-src": ["'self'"],
    # data: lets the worker read the empty zip Pyodide is given as its standard
    # library when it restores the memory snapshot (fetch of a data: URL never
    # leaves the device); everything else it fetches comes from the site.
    "connect-src": ["'self'", "data:"],
    "worker-src": ["'self'"],
    "manifest-src": ["'self'"],
    "object-src": ["'none'"],
    "base-uri": ["'self'"],
    "form-action": ["'self'"],
}
# Directives a meta tag cannot carry (browsers ignore them there, with a warning).
HEADER_ONLY_DIRECTIVES = {"frame-ancestors": ["'none'"]}

# Sent with every response, next to the policy.
SECURITY_HEADERS = {
    # A file is what its Content-Type says: no script guessed out of a text file.
    "X-Content-Type-Options": "nosniff",
    # A calculator's URL carries the reader's inputs: other sites get the origin only.
    "Referrer-Policy": "strict-origin-when-cross-origin",
    # frame-ancestors 'none' for browsers that predate it.
    "X-Frame-Options": "DENY",
    # A window opened from another site shares nothing with the site's pages;
    # windows the site opens keep their link (the editor's login popup).
    "Cross-Origin-Opener-Policy": "same-origin-allow-popups",
    # The site uses none of these.
    "Permissions-Policy": "camera=(), microphone=(), geolocation=(), payment=(), usb=()",
}

# Per written file (its path in the site): its inline scripts' and styles'
# hashes, and whether it has style attributes. Kept per file, not as one set,
# so an incremental build (kennisbank/incremental.py) replaces a rewritten
# page's hashes and keeps those of the pages it did not write.
PageHashes = tuple[frozenset[str], frozenset[str], bool]
_pages: dict[str, PageHashes] = {}


def sha256(text: str) -> str:
    digest = base64.b64encode(hashlib.sha256(text.encode("utf-8")).digest()).decode("ascii")
    return f"'sha256-{digest}'"


def inline_hashes(html: str) -> tuple[set[str], set[str], bool]:
    """Hashes of a page's inline scripts and styles, and whether styles sit in attributes."""
    scripts = {
        sha256(match["body"])
        for match in SCRIPT_RE.finditer(html)
        if "src=" not in match["attrs"] and _runnable(match["attrs"])
    }
    styles = {sha256(match["body"]) for match in STYLE_ELEMENT_RE.finditer(html)}
    # The attribute pattern tries every tag (0.3 ms a page); most pages have none.
    found = STYLE_ATTRIBUTE_RE.finditer(html) if "style=" in html else ()
    attributes = {sha256(match["body"]) for match in found}
    return scripts, styles | attributes, bool(attributes)


def _runnable(attrs: str) -> bool:
    found = SCRIPT_TYPE_RE.search(attrs)
    return (found["type"].lower() if found else "") in RUNNABLE_TYPES


def policy(
    scripts: Iterable[str], styles: Iterable[str], style_attributes: bool, header: bool = False
) -> str:
    directives = {name: list(values) for name, values in BASE_DIRECTIVES.items()}
    directives["script-src"] += sorted(scripts)
    if style_attributes:
        # A hash may allow a style="" attribute only together with 'unsafe-hashes'.
        directives["style-src"].append("'unsafe-hashes'")
    directives["style-src"] += sorted(styles)
    if header:
        directives.update(HEADER_ONLY_DIRECTIVES)
    return "; ".join(" ".join([name, *values]) for name, values in directives.items())


def add_meta(html: str, name: str) -> str:
    """The page `name` with its own policy as the first element of <head>."""
    scripts, styles, attributes = inline_hashes(html)
    _pages[name] = (frozenset(scripts), frozenset(styles), attributes)
    content = policy(scripts, styles, attributes)
    meta = f'<meta http-equiv="Content-Security-Policy" content="{content}">'
    if META_CHARSET not in html:
        return html
    # Right after the charset: a policy only covers what comes after it.
    return html.replace(META_CHARSET, f"{META_CHARSET}\n    {meta}", 1)


def site_headers() -> dict[str, str]:
    """Every response's security headers: the site-wide policy and SECURITY_HEADERS."""
    scripts = set().union(*(page[0] for page in _pages.values()))
    styles = set().union(*(page[1] for page in _pages.values()))
    attributes = any(page[2] for page in _pages.values())
    site_policy = policy(scripts, styles, attributes, header=True)
    return {"Content-Security-Policy": site_policy, **SECURITY_HEADERS}


def headers_file(own_rules: Mapping[str, str] | None = None) -> str:
    """`_headers` for Netlify and Cloudflare Pages: the site-wide rule, then paths
    with a policy of their own (path pattern -> policy).

    A request matching several rules gets the headers of all of them, and two
    policies are both enforced; `! Content-Security-Policy` (Cloudflare Pages)
    detaches the site-wide one first. Netlify serves the most specific rule.
    """
    text = "/*\n" + "".join(f"  {name}: {value}\n" for name, value in site_headers().items())
    for path, own in (own_rules or {}).items():
        text += f"{path}\n  ! Content-Security-Policy\n  Content-Security-Policy: {own}\n"
    return text


def _add_header(name: str, value: str) -> str:
    assert '"' not in value and "\\" not in value, f"{name}: no quoting in nginx"
    # `always`: on error pages (the 404) too.
    return f'add_header {name} "{value}" always;'


def nginx_headers_file(own_rules: Mapping[str, str] | None = None) -> str:
    """The same headers for nginx, included at server level by deploy/nginx.conf.

    A path with a policy of its own (`/admin/*`) gets a location with every
    header again: nginx drops the server's add_header lines in a location that
    has its own. Its pages are revalidated, like every page.
    """
    lines = ["# Written by each build (kennisbank/csp.py); deploy/nginx.conf includes it."]
    lines += [_add_header(name, value) for name, value in site_headers().items()]
    for path, own in (own_rules or {}).items():
        assert path.endswith("/*"), f"{path}: a folder pattern"
        lines.append(f"location ^~ {path.removesuffix('*')} {{")
        headers = {**site_headers(), "Content-Security-Policy": own, "Cache-Control": "no-cache"}
        lines += ["    " + _add_header(name, value) for name, value in headers.items()]
        lines.append("}")
    return "\n".join(lines) + "\n"


def reset() -> None:
    """Forget the hashes of the previous build: `mkdocs serve` rebuilds in one process."""
    _pages.clear()


def page_hashes() -> dict[str, PageHashes]:
    return dict(_pages)


def restore(pages: Mapping[str, PageHashes]) -> None:
    """Take the hashes of pages an earlier build wrote and this one keeps."""
    _pages.update(pages)


def write_headers_file(site_dir: str, own_rules: Mapping[str, str] | None = None) -> None:
    Path(site_dir, HEADERS_FILE).write_text(headers_file(own_rules), encoding="utf-8")
    Path(site_dir, NGINX_HEADERS_FILE).write_text(nginx_headers_file(own_rules), encoding="utf-8")
