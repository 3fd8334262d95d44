"""A static file server for the built site, as a real host would serve it.

Used by the browser tests and the benchmark: loopback only, correct MIME types
for ES modules and WebAssembly (browsers refuse to stream-compile `.wasm`
without `application/wasm`), the caching headers handbook/deploying.md recommends, and
the build's `.br`/`.gz` files served by `Accept-Encoding` as nginx's
`brotli_static`/`gzip_static` do. An optional throttle (total bandwidth shared
by all connections plus a delay per request) imitates a slow line for the
benchmark; it slows the Web Worker's downloads as much as the page's.

    python -m scripts.static_server [SITE_DIR] [PORT] [--mbit 9 --delay-ms 80]
"""

from __future__ import annotations

import argparse
import email.utils
import functools
import os
import re
import shutil
import sys
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from http import HTTPStatus
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import BinaryIO, ClassVar

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

# Pre-compressed files next to the original, best first (kennisbank/compression.py).
ENCODINGS = (("br", ".br"), ("gzip", ".gz"))

# Paths that never change, read from the nginx config in deploy/ (its `map` of
# URL patterns to Cache-Control), so this server and nginx cannot disagree:
# the runtime's folder carries its version, the calculators' folder the hash of
# what its files are made from, the glue's folder the hash of its modules, and
# Material's and our own other scripts and styles a content hash in the file
# name. The rest is revalidated.
NGINX_CONF = Path(__file__).resolve().parent.parent / "deploy" / "nginx.conf"
CACHE_RULE_RE = re.compile(r'^\s*"~(?P<pattern>[^"]+)"\s+"(?P<value>[^"]+)";', re.MULTILINE)
IMMUTABLE_CACHE = "public, max-age=31536000, immutable"


def immutable_paths(nginx_conf: Path = NGINX_CONF) -> re.Pattern[str]:
    rules = CACHE_RULE_RE.finditer(nginx_conf.read_text(encoding="utf-8"))
    patterns = [rule["pattern"] for rule in rules if rule["value"] == IMMUTABLE_CACHE]
    assert patterns, f"{nginx_conf}: no immutable paths in its map"
    return re.compile("|".join(f"(?:{pattern})" for pattern in patterns))


IMMUTABLE = immutable_paths()
CHUNK = 16 * 1024


@dataclass
class Throttle:
    """A slow line: `mbit` per second in total, shared by every connection,
    and `delay_ms` before each response (a round trip)."""

    mbit: float | None = None
    delay_ms: float = 0.0
    _lock: threading.Lock = field(default_factory=threading.Lock, repr=False)
    _free_at: float = 0.0  # when the line has sent everything booked so far

    def wait_for_line(self, size: int) -> None:
        """Block until `size` more bytes fit through the line."""
        if not self.mbit:
            return
        with self._lock:
            start = max(time.monotonic(), self._free_at)
            self._free_at = start + size * 8 / (self.mbit * 1_000_000)
            done = self._free_at
        time.sleep(max(0.0, done - time.monotonic()))


def accepted(header: str) -> set[str]:
    """Content codings an Accept-Encoding header allows (q=0 excluded)."""
    codings = set()
    for part in header.split(","):
        name, _, params = part.strip().partition(";")
        q = re.search(r"q\s*=\s*([0-9.]+)", params)
        if name and not (q and float(q.group(1) or 0) == 0):
            codings.add(name.strip().lower())
    return codings


def site_headers(site_dir: str, path: str) -> list[tuple[str, str]]:
    """The headers `site_dir/_headers` (Netlify / Cloudflare Pages format) sets for `path`.

    Rules are a path pattern (`*` matches anything) followed by indented
    `Name: value` lines; every matching rule applies, as on those hosts, and
    `! Name` removes what an earlier rule set.
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
        elif matches and line.strip().startswith("!"):
            # `! Name` detaches a header a broader rule set (Cloudflare Pages).
            detached = line.strip()[1:].strip().lower()
            found = [(name, value) for name, value in found if name.lower() != detached]
        elif matches and ":" in line:
            name, value = line.split(":", 1)
            found.append((name.strip(), value.strip()))
    return found


class SiteHandler(SimpleHTTPRequestHandler):
    # A request line it cannot read gets a real status line (400, 414), not an
    # HTTP/0.9 reply without one.
    default_request_version = "HTTP/1.0"
    extensions_map: ClassVar[dict[str, str]] = {
        **SimpleHTTPRequestHandler.extensions_map,
        **MIME_TYPES,
    }

    @property
    def throttle(self) -> Throttle | None:
        return getattr(self.server, "throttle", None)

    def send_head(self) -> BinaryIO | None:
        if self.throttle and self.throttle.delay_ms:
            time.sleep(self.throttle.delay_ms / 1000)
        self.vary = False
        path = self.translate_path(self.path)
        # A page's address is its folder: nginx serves the folder's index.html
        # (its `index` directive), compressed copies and all. (A folder named
        # without its slash is redirected first, as http.server does.)
        index = os.path.join(path, "index.html")
        if self.path.split("?", 1)[0].endswith("/") and os.path.isfile(index):
            path = index
        variants = [
            (coding, path + suffix)
            for coding, suffix in ENCODINGS
            if os.path.isfile(path) and os.path.isfile(path + suffix)
        ]
        if not variants:
            return super().send_head()
        self.vary = True
        wanted = accepted(self.headers.get("Accept-Encoding", ""))
        for coding, variant in variants:
            if coding in wanted or "*" in wanted:
                return self._send_file(variant, self.guess_type(path), coding)
        return super().send_head()

    def _send_file(self, file: str, content_type: str, coding: str) -> BinaryIO | None:
        try:
            handle = open(file, "rb")  # noqa: SIM115 (closed by the caller, as in http.server)
        except OSError:
            self.send_error(HTTPStatus.NOT_FOUND, "File not found")
            return None
        stat = os.fstat(handle.fileno())
        self.send_response(HTTPStatus.OK)
        self.send_header("Content-Type", content_type)
        self.send_header("Content-Encoding", coding)
        self.send_header("Content-Length", str(stat.st_size))
        self.send_header("Last-Modified", email.utils.formatdate(stat.st_mtime, usegmt=True))
        self.end_headers()
        return handle

    def copyfile(self, source: BinaryIO, outputfile: BinaryIO) -> None:
        if not (self.throttle and self.throttle.mbit):
            shutil.copyfileobj(source, outputfile)
            return
        while chunk := source.read(CHUNK):
            self.throttle.wait_for_line(len(chunk))
            outputfile.write(chunk)

    def end_headers(self) -> None:
        # No path when the request line could not be read (400, 414).
        path = getattr(self, "path", "").split("?", 1)[0]
        if getattr(self, "vary", False):
            self.send_header("Vary", "Accept-Encoding")
        if IMMUTABLE.search(path):
            self.send_header("Cache-Control", IMMUTABLE_CACHE)
        else:
            self.send_header("Cache-Control", "no-cache")
        for name, value in site_headers(self.directory, path):
            self.send_header(name, value)
        super().end_headers()

    def log_message(self, format: str, *args: object) -> None:
        pass  # quiet: tests and the benchmark print what matters


class SiteServer(ThreadingHTTPServer):
    daemon_threads = True
    throttle: Throttle | None = None

    def handle_error(self, request: object, client_address: object) -> None:
        # A browser that closes mid-download (a test ending, a reader leaving)
        # is normal for a static server, not an error worth a traceback.
        if isinstance(sys.exc_info()[1], ConnectionError):
            return
        super().handle_error(request, client_address)


@contextmanager
def serve(site_dir: Path, port: int = 0, throttle: Throttle | None = None) -> Iterator[str]:
    """Serve `site_dir` on 127.0.0.1 in a background thread; yields the base URL."""
    handler = functools.partial(SiteHandler, directory=str(site_dir))
    server = SiteServer(("127.0.0.1", port), handler)
    server.throttle = throttle
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}/"
    finally:
        server.shutdown()
        server.server_close()


def main() -> None:
    parser = argparse.ArgumentParser(description="Serve the built site on 127.0.0.1.")
    parser.add_argument("site", nargs="?", default="site", type=Path)
    parser.add_argument("port", nargs="?", default=8000, type=int)
    parser.add_argument("--mbit", type=float, help="total bandwidth in Mbit/s (a slow line)")
    parser.add_argument("--delay-ms", type=float, default=0.0, help="delay before each response")
    args = parser.parse_args()
    throttle = Throttle(args.mbit, args.delay_ms) if args.mbit or args.delay_ms else None
    with serve(args.site, args.port, throttle) as url:
        print(f"Serving {args.site} at {url} (Ctrl+C to stop)")
        threading.Event().wait()


if __name__ == "__main__":
    main()
