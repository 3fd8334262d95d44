"""The snapshot is checked whole before use, downloaded or kept; two builds share one origin.

The site names the snapshot after the SHA-256 of all its bytes, header included
(kennisbank/pyodide/bundle.py). The worker checks the file it reads against that
name, also a copy read back from Cache Storage: a header that is not the
build's (its sources, its page map) must not be restored. And a reader with a
tab of the previous release and one of the new release open keeps the runtime
copies of both, rather than each tab deleting the other's.
"""

from __future__ import annotations

import hashlib
import json
import struct
import time
from pathlib import Path

from playwright.sync_api import Page, expect

from kennisbank.pyodide.snapshot import MAGIC

from . import test_browser as shared
from .test_browser import (
    Visit,
    browser,  # noqa: F401  (the session's one Chromium)
    type_into,
    wait_ready,
)
from .test_snapshot import (
    KEPT,
    NORMAL_START,
    SNAPSHOT,
    damaged_dir,  # noqa: F401  (a folder of the served site for damaged copies)
    kept_urls,
    requested,
    snapshot_file,
)

visit = shared.visit

KEPT_NOW = """async (name) =>
  (await (await caches.open(name)).keys()).map((request) => request.url).sort()"""


def kept_now(page: Page) -> list[str]:
    """The URLs in Cache Storage at this moment."""
    return page.evaluate(KEPT_NOW, KEPT)


def tampered_header(data: bytes) -> bytes:
    """The build's snapshot with one character changed in a source file its header carries."""
    (length,) = struct.unpack_from("<I", data, len(MAGIC))
    start = len(MAGIC) + 4
    header = data[start : start + length]
    files = header.index(b'"files":')
    at = header.index(b"# ", files)  # in a comment: Python would not even notice
    changed = header[:at] + b"#!" + header[at + 2 :]
    json.loads(changed)  # still a valid header: only the check can tell
    return data[:start] + changed + data[start + length :]


def expect_roas_works(visit: Visit) -> None:
    root = wait_ready(visit.page, "roas")
    type_into(root, "revenue", "5.000")
    expect(root.locator('[data-output="roas"]')).to_have_text("2:1")


def test_a_tampered_header_falls_back_to_the_normal_start(
    visit: Visit,
    site: Path,
    damaged_dir: Path,  # noqa: F811
) -> None:
    served = damaged_dir / "tampered.bin"
    served.write_bytes(tampered_header(snapshot_file(site).read_bytes()))
    url = f"{visit.base_url}{served.relative_to(site).as_posix()}"
    visit.context.route(SNAPSHOT, lambda route: route.continue_(url=url))
    visit.open("rekenhulpen/roas/")
    expect_roas_works(visit)
    for part in NORMAL_START:
        assert requested(visit, part), f"{part} fetched by the normal start"
    # Nothing that failed its check is kept.
    assert not any("/snapshot." in url for url in kept_now(visit.page))


# Changes the kept snapshot as tampered_header() does, as a damaged disk or another
# script might (the header is JSON in ASCII: a character is a byte).
TAMPER_KEPT = """async (name) => {
  const cache = await caches.open(name);
  const request = (await cache.keys()).find((r) => r.url.includes("/snapshot."));
  const kept = await cache.match(request);
  const bytes = new Uint8Array(await kept.arrayBuffer());
  const length = new DataView(bytes.buffer).getUint32(8, true);
  const header = new TextDecoder().decode(bytes.subarray(12, 12 + length));
  bytes[12 + header.indexOf("# ", header.indexOf('"files":')) + 1] = "!".charCodeAt(0);
  await cache.put(request, new Response(bytes, { headers: kept.headers }));
}"""


def test_a_kept_copy_with_a_tampered_header_is_not_restored(visit: Visit) -> None:
    page = visit.open("rekenhulpen/roas/")
    wait_ready(page, "roas")
    assert len(kept_urls(page)) == 2
    page.evaluate(TAMPER_KEPT, KEPT)
    page.reload()
    expect_roas_works(visit)
    for part in NORMAL_START:
        assert requested(visit, part), f"{part} fetched by the normal start"


# Two kept copies of other releases' snapshots, the older one first.
OTHER_RELEASES = """async ([name, urls]) => {
  const cache = await caches.open(name);
  for (const [i, url] of urls.entries()) {
    await cache.put(url, new Response("KBSNAP of another release", {
      headers: { "Content-Type": "application/octet-stream", "X-Kept-At": String(i + 1) },
    }));
  }
}"""


def other_release(base_url: str, number: int) -> str:
    digest = hashlib.sha256(str(number).encode()).hexdigest()
    return f"{base_url}assets/calculators/{digest[:16]}/snapshot.{digest}.bin"


def test_the_copies_of_the_newest_other_release_stay_for_its_open_tabs(visit: Visit) -> None:
    older, newer = other_release(visit.base_url, 1), other_release(visit.base_url, 2)
    page = visit.open("404.html")
    page.evaluate(OTHER_RELEASES, [KEPT, [older, newer]])
    page.goto(visit.base_url + "rekenhulpen/roas/")
    wait_ready(page, "roas")
    ours = page.evaluate(
        """() => new URL(document.querySelector("script[data-kb-runtime]").dataset.kbSnapshot,
                         document.baseURI).href"""
    )
    deadline = time.monotonic() + 10
    urls = kept_now(page)
    while not (ours in urls and older not in urls) and time.monotonic() < deadline:
        time.sleep(0.1)
        urls = kept_now(page)
    # This release's and the newest other one: an old tab still restores from it.
    assert [url for url in urls if "/snapshot." in url] == sorted([ours, newer])
    assert older not in urls
