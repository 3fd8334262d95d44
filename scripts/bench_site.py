"""The site as the benchmark serves it: the built pages plus a generated naive page.

The naive page is the ROAS page with our glue replaced by the straightforward
alternative: Pyodide loaded on the main thread as soon as the page loads. The
rest of its HTML is ours, Material's search worker held back included: with no
glue to say Python is live, that one starts after its 5 s, so the naive page
does not share the CPU with the search index either. It is
written into a temporary folder that mirrors the built site with symlinks, so
the real `site/` is never changed and nothing is left behind.

A second generated page, the fallback page, is the ROAS page without the
snapshot's address: its worker starts Python the normal way (wheel and standard
library), as it does when a snapshot cannot be restored.

The server is scripts/static_server.py's (the build's `.br`/`.gz` files served
by Accept-Encoding, for every page alike), optionally throttled like a slow
line. It counts the bytes it sends (headers and body) per request path: on
loopback that is exactly what the browser receives, including the requests a
Web Worker makes.
"""

from __future__ import annotations

import functools
import html
import json
import re
import tempfile
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from kennisbank.compression import PAGE_ENCODERS
from scripts.static_server import SiteHandler, SiteServer, Throttle

CALCULATOR_PAGE = "rekenhulpen/roas/"
# The next calculator, reached from the ROAS page by its link in the navigation.
NEXT_PAGE = "rekenhulpen/cpl/"
NEXT_LINK_TEXT = "Kosten per lead"
FALLBACK_PAGE = "bench-fallback/roas/"
_SNAPSHOT_ATTRIBUTE = re.compile(r' data-kb-snapshot="[^"]*"')
ARTICLE_PAGE = "blog/slimme-videomarketing/"
# Same depth as the calculator page, so every relative URL in its HTML still works.
NAIVE_PAGE = "bench-naive/roas/"

_GLUE_TAG = re.compile(r'<script type="module"[^>]* src="[^"]*/calculator\.mjs"[^>]*></script>')
_ATTRIBUTE = r'{}="([^"]*)"'

# The naive page's own script. Same Python entry point and JSON round trip as
# the glue's worker, but everything happens on the main thread, and every
# change is computed synchronously in the input handler.
_NAIVE_SCRIPT = """<script type="module">
import { loadPyodide } from __RUNTIME__;

const root = document.querySelector("[data-calculator]");
root.dataset.state = "loading";
const pyodide = await loadPyodide({
  indexURL: new URL(".", new URL(__RUNTIME__, document.baseURI)).href,
  lockFileURL: new URL(__LOCKFILE__, document.baseURI).href,
  packages: ["kennisbank-calculators"],
  stdout: () => {},
});
pyodide.runPython(`
import json
from calculators import compute

def _kennisbank_compute(calculator_id, inputs_json):
    return json.dumps(compute(calculator_id, json.loads(inputs_json)).to_dict())
`);
const computeJson = pyodide.globals.get("_kennisbank_compute");
const inputs = () => [...root.querySelectorAll("input[name]")];

function render() {
  const values = Object.fromEntries(inputs().map((input) => [input.name, input.value]));
  const result = JSON.parse(computeJson(root.dataset.calculator, JSON.stringify(values)));
  for (const input of inputs()) {
    const slot = root.querySelector(`[data-error-for="${input.name}"]`);
    if (slot) slot.textContent = result.errors[input.name] ?? "";
  }
  for (const [name, text] of Object.entries(result.display)) {
    const output = root.querySelector(`[data-output="${name}"]`);
    if (output) output.textContent = text;
  }
}

render();
root.dataset.state = "ready";
root.addEventListener("input", render);
</script>"""


def naive_page(calculator_html: str) -> str:
    """The calculator page with its glue swapped for main-thread Pyodide."""
    tag = _GLUE_TAG.search(calculator_html)
    if tag is None:
        raise ValueError(f"{CALCULATOR_PAGE}: no calculator.mjs <script> tag found")
    urls = {}
    for name in ("data-kb-runtime", "data-kb-lockfile"):
        match = re.search(_ATTRIBUTE.format(name), tag.group(0))
        if match is None:
            raise ValueError(f"{CALCULATOR_PAGE}: the glue <script> has no {name}")
        urls[name] = json.dumps(html.unescape(match.group(1)))
    script = _NAIVE_SCRIPT.replace("__RUNTIME__", urls["data-kb-runtime"]).replace(
        "__LOCKFILE__", urls["data-kb-lockfile"]
    )
    return calculator_html[: tag.start()] + script + calculator_html[tag.end() :]


def fallback_page(calculator_html: str) -> str:
    """The calculator page without a snapshot to restore: the normal start."""
    page, count = _SNAPSHOT_ATTRIBUTE.subn("", calculator_html)
    if count != 1:
        raise ValueError(f"{CALCULATOR_PAGE}: no data-kb-snapshot attribute found")
    return page


# -- Byte counting ---------------------------------------------------------------


@dataclass(frozen=True)
class Sent:
    """One response: request path, bytes sent, and when the request arrived."""

    path: str
    size: int
    arrived: float  # time.perf_counter() when the request was read


class TransferLog:
    """Responses the server sent since the last `take()`."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._sent: list[Sent] = []

    def add(self, sent: Sent) -> None:
        with self._lock:
            self._sent.append(sent)

    def take(self) -> list[Sent]:
        with self._lock:
            sent, self._sent = self._sent, []
        return sent


class _CountingWriter:
    """Wraps the handler's socket writer; everything else is delegated."""

    def __init__(self, raw: Any) -> None:
        self._raw = raw
        self.count = 0

    def write(self, data: bytes) -> int:
        self.count += len(data)
        return self._raw.write(data)

    def __getattr__(self, name: str) -> Any:
        return getattr(self._raw, name)


class CountingHandler(SiteHandler):
    """SiteHandler (same MIME types and cache headers) that logs bytes sent.

    The server's throttle (if any) delays every response, like a round trip, and
    shares its bandwidth among all connections; requests still run in parallel.
    """

    def __init__(self, *args: Any, transfer_log: TransferLog, **kwargs: Any) -> None:
        self.transfer_log = transfer_log
        super().__init__(*args, **kwargs)

    def send_head(self) -> Any:
        # Not at connection time: Chromium opens spare connections ahead of need.
        self.arrived = time.perf_counter()
        return super().send_head()

    def setup(self) -> None:
        self.arrived = time.perf_counter()
        super().setup()
        self.wfile = _CountingWriter(self.wfile)

    def finish(self) -> None:
        # HTTP/1.0 (the handler's default): one request per connection.
        self.transfer_log.add(Sent(getattr(self, "path", "?"), self.wfile.count, self.arrived))
        super().finish()


# -- The served site ---------------------------------------------------------------


@dataclass
class BenchSite:
    base_url: str
    transfer_log: TransferLog = field(repr=False)
    server: SiteServer = field(repr=False)  # set `server.throttle` to change the line

    def url(self, page: str) -> str:
        return self.base_url + page


def _mirror(site_dir: Path, into: Path) -> None:
    """Symlink the built site's top level into `into` and add the naive page."""
    for entry in site_dir.iterdir():
        (into / entry.name).symlink_to(entry.resolve(), target_is_directory=entry.is_dir())
    source = (site_dir / CALCULATOR_PAGE / "index.html").read_text(encoding="utf-8")
    for path, make in ((NAIVE_PAGE, naive_page), (FALLBACK_PAGE, fallback_page)):
        page = into / path / "index.html"
        page.parent.mkdir(parents=True)
        page.write_text(make(source), encoding="utf-8")
        # Compressed as the build compresses ours: the pages differ in scripts only.
        for suffix, encode in PAGE_ENCODERS.items():
            page.with_name(page.name + suffix).write_bytes(encode(page.read_bytes()))


@contextmanager
def bench_site(
    site_dir: Path, throttle: Throttle | None = None, port: int = 0
) -> Iterator[BenchSite]:
    """Serve `site_dir` plus the generated pages on 127.0.0.1; removed again afterwards."""
    for page in (CALCULATOR_PAGE, NEXT_PAGE, ARTICLE_PAGE):
        if not (site_dir / page / "index.html").is_file():
            raise FileNotFoundError(f"{site_dir / page / 'index.html'} missing: run `make build`")
    log = TransferLog()
    with tempfile.TemporaryDirectory(prefix="kennisbank-bench-") as root:
        _mirror(site_dir, Path(root))
        handler = functools.partial(CountingHandler, directory=root, transfer_log=log)
        server = SiteServer(("127.0.0.1", port), handler)
        server.throttle = throttle
        thread = threading.Thread(target=server.serve_forever, daemon=True)
        thread.start()
        try:
            yield BenchSite(f"http://127.0.0.1:{server.server_address[1]}/", log, server)
        finally:
            server.shutdown()
            server.server_close()
