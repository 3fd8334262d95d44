"""A static file server for the built site, as a real host would serve it.

Used by the browser tests and the benchmark: loopback only, correct MIME types
for ES modules and WebAssembly (browsers refuse to stream-compile `.wasm`
without `application/wasm`), and the caching headers the README recommends.

    python -m scripts.static_server [SITE_DIR] [PORT]
"""

from __future__ import annotations

import functools
import re
import sys
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import ClassVar

MIME_TYPES = {
    ".wasm": "application/wasm",
    ".mjs": "text/javascript",
    ".js": "text/javascript",
    ".json": "application/json",
    ".whl": "application/zip",
    ".zip": "application/zip",
    ".xml": "application/xml",
    ".svg": "image/svg+xml",
}


# Paths that never change: the runtime's folder carries its version, the
# calculators' folder the hash of their sources, and Material's and our own
# scripts and styles a content hash in the file name. The rest is revalidated.
IMMUTABLE = re.compile(
    r"/assets/(pyodide|calculators)/[^/]+/"
    r"|/assets/(javascripts|stylesheets)/[^/]+\.[0-9a-f]{8}(\.min)?\.(m?js|css)$"
)


def site_headers(site_dir: str, path: str) -> list[tuple[str, str]]:
    """The headers `site_dir/_headers` (Netlify / Cloudflare Pages format) sets for `path`.

    Rules are a path pattern (`*` matches anything) followed by indented
    `Name: value` lines; every matching rule applies, as on those hosts.
    """
    rules = Path(site_dir, "_headers")
    if not rules.is_file():
        return []
    found, matches = [], False
    for line in rules.read_text(encoding="utf-8").splitlines():
        if not line.strip() or line.lstrip().startswith("#"):
            continue
        if not line[0].isspace():
            pattern = re.escape(line.strip()).replace(r"\*", ".*")
            matches = re.fullmatch(pattern, path) is not None
        elif matches and ":" in line:
            name, value = line.split(":", 1)
            found.append((name.strip(), value.strip()))
    return found


class SiteHandler(SimpleHTTPRequestHandler):
    extensions_map: ClassVar[dict[str, str]] = {
        **SimpleHTTPRequestHandler.extensions_map,
        **MIME_TYPES,
    }

    def end_headers(self) -> None:
        path = self.path.split("?", 1)[0]
        if IMMUTABLE.search(path):
            self.send_header("Cache-Control", "public, max-age=31536000, immutable")
        else:
            self.send_header("Cache-Control", "no-cache")
        for name, value in site_headers(self.directory, path):
            self.send_header(name, value)
        super().end_headers()

    def log_message(self, format: str, *args: object) -> None:
        pass  # quiet: tests and the benchmark print what matters


class SiteServer(ThreadingHTTPServer):
    daemon_threads = True

    def handle_error(self, request: object, client_address: object) -> None:
        # A browser that closes mid-download (a test ending, a reader leaving)
        # is normal for a static server, not an error worth a traceback.
        if isinstance(sys.exc_info()[1], ConnectionError):
            return
        super().handle_error(request, client_address)


@contextmanager
def serve(site_dir: Path, port: int = 0) -> Iterator[str]:
    """Serve `site_dir` on 127.0.0.1 in a background thread; yields the base URL."""
    handler = functools.partial(SiteHandler, directory=str(site_dir))
    server = SiteServer(("127.0.0.1", port), handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}/"
    finally:
        server.shutdown()
        server.server_close()


def main() -> None:
    site = Path(sys.argv[1] if len(sys.argv) > 1 else "site")
    port = int(sys.argv[2]) if len(sys.argv) > 2 else 8000
    with serve(site, port) as url:
        print(f"Serving {site} at {url} (Ctrl+C to stop)")
        threading.Event().wait()


if __name__ == "__main__":
    main()
