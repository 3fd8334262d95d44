"""Restoring Python from the build's memory snapshot, in real Chromium (SPEC §5.11).

The worker restores the snapshot made at build time (kennisbank/pyodide/snapshot.py)
instead of starting Python and loading the wheel; whatever goes wrong with the
snapshot, it starts Python the normal way instead. Which path was taken shows in
what the worker fetched: the snapshot path needs neither the standard library nor
the wheel, the normal start needs both.
"""

from __future__ import annotations

import hashlib
import json
import re
import shutil
import struct
from collections.abc import Iterator
from pathlib import Path

import pytest
from playwright.sync_api import Page, expect

import calculators
from kennisbank.pyodide.snapshot import pack, unpack

from . import test_browser as shared
from .support import PAGE_GLUE_URL
from .test_browser import (
    Visit,
    browser,  # noqa: F401  (the session's one Chromium)
    type_into,
    wait_ready,
)
from .test_pyodide_parity import CASES, jsonable

# A fresh context per test, as in test_browser.py: nothing foreign, no page error.
visit = shared.visit

SNAPSHOT = "**/snapshot.*.bin"
NORMAL_START = ("python_stdlib.zip", ".whl")

# Starts the page's own worker script in a second worker with the page's start
# message, then sends every case through the worker protocol (call → answer).
RUN_CASES = """async (cases) => {
  const config = document.querySelector("script[data-kb-runtime]").dataset;
  const url = (value) => new URL(value, document.baseURI).href;
  const worker = new Worker(url(config.kbWorker), { type: "module" });
  const next = (type) => new Promise((resolve) => {
    const listener = ({ data }) => {
      if (type.includes(data.type)) {
        worker.removeEventListener("message", listener);
        resolve(data);
      }
    };
    worker.addEventListener("message", listener);
  });
  const started = next(["ready", "failed"]);
  worker.postMessage({
    type: "start",
    runtimeUrl: url(config.kbRuntime),
    lockfileUrl: url(config.kbLockfile),
    snapshotUrl: url(config.kbSnapshot),
  });
  const status = await started;
  const responses = [];
  for (const [seq, { calculator, inputs }] of cases.entries()) {
    const answer = next(["answer"]);
    worker.postMessage({ type: "call", seq, request: { op: "compute", calculator, inputs } });
    responses.push((await answer).response);
  }
  worker.terminate();
  return { status, responses };
}"""


def snapshot_file(site: Path) -> Path:
    (path,) = (site / "assets" / "calculators").glob("*/snapshot.*.bin")
    return path


def requested(visit: Visit, part: str) -> list[str]:
    return [url for url in visit.requests if part in url.rsplit("/", 1)[-1]]


def run_cases(page: Page, cases: list[dict]) -> dict:
    # The page's own glue is kept out, so only the worker under test runs.
    return page.evaluate(RUN_CASES, cases)


def in_cpython(cases: list[dict]) -> list[dict]:
    return [
        json.loads(json.dumps(calculators.compute(c["calculator"], c["inputs"]).to_dict()))
        for c in cases
    ]


# -- The snapshot path ---------------------------------------------------------------


def test_the_snapshot_path_gives_cpython_results(visit: Visit) -> None:
    visit.context.route(PAGE_GLUE_URL, lambda route: route.abort())
    page = visit.open("rekenhulpen/roas/")
    cases = [{"calculator": cid, "inputs": jsonable(inputs)} for cid, inputs in CASES]
    outcome = run_cases(page, cases)
    assert outcome["status"] == {"type": "ready", "path": "snapshot"}
    results = [response["result"] for response in outcome["responses"]]
    assert results == in_cpython(cases)
    # Restored, not started: no standard library, no wheel.
    assert requested(visit, "snapshot.")
    for part in NORMAL_START:
        assert requested(visit, part) == []
    # Compiled ahead by the worker, fetched once: Pyodide's own request is answered.
    assert len(requested(visit, "pyodide.asm.wasm")) == 1


def test_a_calculator_page_goes_live_from_the_snapshot(visit: Visit) -> None:
    page = visit.open("rekenhulpen/roas/")
    root = wait_ready(page, "roas")
    type_into(root, "revenue", "5.000")
    expect(root.locator('[data-output="roas"]')).to_have_text("2:1")
    assert len(requested(visit, "snapshot.")) == 1
    for part in NORMAL_START:
        assert requested(visit, part) == []


def test_the_snapshot_names_its_content_and_carries_the_sources(site: Path) -> None:
    path = snapshot_file(site)
    header, memory = unpack(path.read_bytes())
    runtime = next((site / "assets" / "pyodide").iterdir()).name
    assert header["pyodide"] == runtime
    assert "calculators/__init__.py" in header["files"]
    assert not any(".dist-info/" in name for name in header["files"])
    # Next to the wheel and the lock file, named after its own bytes.
    assert path.parent == next((site / "assets" / "calculators").glob("*/pyodide-lock.json")).parent
    assert path.name == f"snapshot.{hashlib.sha256(path.read_bytes()).hexdigest()}.bin"
    assert len(memory) % 16 == 0 and len(memory) > 1_000_000
    # Only the pages that are not all zeros are stored: well under half of it.
    assert path.stat().st_size < len(memory) / 2
    assert pack(header["files"], header["pyodide"], memory, header["pages"]) == path.read_bytes()


def test_python_s_free_memory_is_neither_stored_nor_sent(site: Path) -> None:
    """The maker zeroes what malloc holds free, and the big copies get brotli's best.

    Without the zeroing a third of the memory was stored (37 %); without quality
    11 and its 16 MB window the brotli copy was a tenth of it (3.0 MB of 31 MB).
    """
    path = snapshot_file(site)
    _, memory = unpack(path.read_bytes())
    assert path.stat().st_size < 0.35 * len(memory)
    assert path.with_name(path.name + ".br").stat().st_size < 0.095 * len(memory)


def test_a_partial_last_page_with_data_cannot_be_packed() -> None:
    # Readers take whole pages of the body; the last one would come up short.
    memory = bytes(2 * 4096) + b"data"
    with pytest.raises(ValueError, match="partial"):
        pack({}, "0", memory, {})
    assert unpack(pack({}, "0", bytes(2 * 4096) + bytes(4), {}))[1] == bytes(2 * 4096 + 4)


# -- Whatever goes wrong with the snapshot, the normal start follows --------------------


def corrupt(data: bytes) -> bytes:
    """One bit flipped in the middle of Python's memory."""
    damaged = bytearray(data)
    damaged[len(damaged) // 2] ^= 1
    return bytes(damaged)


def mismatched(data: bytes) -> bytes:
    """A snapshot of another Pyodide build: another build id, a correct digest."""
    header, memory = unpack(data)
    build_id = bytearray(memory)
    build_id[16:48] = bytes(32)  # Pyodide's header: magic, offset, length, pad, build id
    return pack(header["files"], header["pyodide"], bytes(build_id), header["pages"])


@pytest.fixture
def damaged_dir(site: Path) -> Iterator[Path]:
    """A folder in the served site for damaged copies (served as fast as the real one)."""
    folder = site / "damaged-snapshots"
    folder.mkdir()
    yield folder
    shutil.rmtree(folder)


@pytest.mark.parametrize("damage", ["missing", "corrupt", "mismatched"])
def test_a_broken_snapshot_falls_back_to_the_normal_start(
    visit: Visit, site: Path, damaged_dir: Path, damage: str
) -> None:
    if damage == "missing":
        visit.context.route(SNAPSHOT, lambda route: route.fulfill(status=404, body="weg"))
    else:
        damaging = {"corrupt": corrupt, "mismatched": mismatched}[damage]
        served = damaged_dir / f"{damage}.bin"
        served.write_bytes(damaging(snapshot_file(site).read_bytes()))
        url = f"{visit.base_url}{served.relative_to(site).as_posix()}"
        visit.context.route(SNAPSHOT, lambda route: route.continue_(url=url))
    page = visit.open("rekenhulpen/roas/")
    root = wait_ready(page, "roas")
    type_into(root, "revenue", "5.000")
    expect(root.locator('[data-output="roas"]')).to_have_text("2:1")
    for part in NORMAL_START:
        assert requested(visit, part), f"{part} fetched by the normal start"
    # The wasm compiled for the failed restore serves the normal start too.
    assert len(requested(visit, "pyodide.asm.wasm")) == 1


# -- Across pages -------------------------------------------------------------------------


def test_python_keeps_running_across_instant_navigation(visit: Visit) -> None:
    page = visit.open("rekenhulpen/roas/")
    root = wait_ready(page, "roas")
    page.evaluate("window.kennisbankMarker = 1")
    page.locator(".md-sidebar--primary a", has_text="Kosten per lead").first.click()
    expect(page).to_have_url(re.compile(r"/rekenhulpen/cpl/$"))
    root = wait_ready(page, "cpl")
    type_into(root, "leads", "250")
    expect(root.locator('[data-output="cpl"]')).to_have_text("€ 20,00")
    assert page.evaluate("window.kennisbankMarker") == 1, "navigation was instant"
    # One worker, started once.
    assert len(requested(visit, "snapshot.")) == 1
    assert len(requested(visit, "pyodide.asm.wasm")) == 1


# -- Kept copies: the next page load asks the server for no runtime at all ----------------

KEPT = "kennisbank-python"

# The URLs kept in Cache Storage, once the worker has kept the wasm and the snapshot.
KEPT_URLS = """async (name) => {
  for (let tries = 0; tries < 300; tries++) {
    const urls = (await (await caches.open(name)).keys()).map((request) => request.url);
    if (urls.length >= 2) return urls.sort();
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  return [];
}"""

# Replaces a kept copy in Cache Storage with `body` (the page shares the worker's origin).
SPOIL = """async ([name, part, body, type]) => {
  const cache = await caches.open(name);
  const request = (await cache.keys()).find((r) => r.url.includes(part));
  await cache.put(request, new Response(body, { headers: { "Content-Type": type } }));
}"""


def kept_urls(page: Page) -> list[str]:
    return page.evaluate(KEPT_URLS, KEPT)


def test_the_wasm_and_the_snapshot_are_kept_after_a_good_start(visit: Visit) -> None:
    page = visit.open("rekenhulpen/roas/")
    wait_ready(page, "roas")
    names = sorted(url.rsplit("/", 1)[-1] for url in kept_urls(page))
    assert names[0] == "pyodide.asm.wasm"
    assert re.fullmatch(r"snapshot\.[0-9a-f]{64}\.bin", names[1])
    # Kept decompressed, with the type a wasm compile needs.
    kept = page.evaluate(
        """async (name) => {
          const cache = await caches.open(name);
          const out = {};
          for (const request of await cache.keys()) {
            const response = await cache.match(request);
            const bytes = new Uint8Array(await response.arrayBuffer());
            out[request.url.split("/").pop().split(".")[0]] = {
              type: response.headers.get("Content-Type"),
              start: Array.from(bytes.subarray(0, 8)),
            };
          }
          return out;
        }""",
        KEPT,
    )
    assert kept["pyodide"] == {"type": "application/wasm", "start": [0, 97, 115, 109, 1, 0, 0, 0]}
    assert bytes(kept["snapshot"]["start"]) == b"KBSNAP02"


def test_a_full_load_of_the_next_page_restores_from_the_kept_copies(visit: Visit) -> None:
    page = visit.open("rekenhulpen/roas/")
    wait_ready(page, "roas")
    assert len(kept_urls(page)) == 2
    page.goto(visit.base_url + "rekenhulpen/cpl/")
    root = wait_ready(page, "cpl")
    type_into(root, "leads", "250")
    expect(root.locator('[data-output="cpl"]')).to_have_text("€ 20,00")
    # The second page asked the server for no wasm and no snapshot, and started nothing anew.
    assert len(requested(visit, "snapshot.")) == 1
    assert len(requested(visit, "pyodide.asm.wasm")) == 1
    for part in NORMAL_START:
        assert requested(visit, part) == []


def test_kept_copies_do_not_start_python_before_a_calculator_is_seen(visit: Visit) -> None:
    page = visit.open("rekenhulpen/roas/")
    wait_ready(page, "roas")
    assert len(kept_urls(page)) == 2
    # The influencer calculator is far down the article: nothing is fetched or started.
    page.goto(visit.base_url + "blog/roi-influencermarketing-meten/")
    page.wait_for_load_state("networkidle")
    root = page.locator('[data-calculator="influencer"]')
    expect(root).to_have_attribute("data-state", "static")
    assert len(requested(visit, "snapshot.")) == 1
    assert len(requested(visit, "pyodide.asm.wasm")) == 1
    root.scroll_into_view_if_needed()
    root = wait_ready(page, "influencer")
    type_into(root, "fee_per_post", "1.000")
    type_into(root, "posts", "3")
    expect(root.locator('[data-output="fees"]')).to_have_text("€ 3.000,00")


@pytest.mark.parametrize("spoiled", ["wasm", "snapshot"])
def test_a_damaged_kept_copy_is_replaced_by_the_servers(visit: Visit, spoiled: str) -> None:
    page = visit.open("rekenhulpen/roas/")
    wait_ready(page, "roas")
    assert len(kept_urls(page)) == 2
    part, type_ = {
        "wasm": ("pyodide.asm.wasm", "application/wasm"),
        "snapshot": ("snapshot.", "application/octet-stream"),
    }[spoiled]
    page.evaluate(SPOIL, [KEPT, part, "KBSNAP02 not what was kept", type_])
    page.reload()
    root = wait_ready(page, "roas")
    type_into(root, "revenue", "5.000")
    expect(root.locator('[data-output="roas"]')).to_have_text("2:1")
    if spoiled == "wasm":
        # Compiled from the server's copy instead, and Python restored as before.
        assert len(requested(visit, "pyodide.asm.wasm")) == 2
        for part_ in NORMAL_START:
            assert requested(visit, part_) == []
    else:
        # A kept snapshot is checked against its name like a download: a damaged
        # one fails the restore, and the normal start takes over.
        for part_ in NORMAL_START:
            assert requested(visit, part_), f"{part_} fetched by the normal start"
    # Whatever was damaged is no longer kept.
    sizes = page.evaluate(
        """async ([name, part]) => {
          const cache = await caches.open(name);
          const request = (await cache.keys()).find((r) => r.url.includes(part));
          return request ? (await (await cache.match(request)).arrayBuffer()).byteLength : 0;
        }""",
        [KEPT, part],
    )
    assert sizes != len("KBSNAP02 not what was kept")


def test_an_older_builds_kept_snapshot_cache_is_removed(visit: Visit) -> None:
    page = visit.open("404.html")
    page.evaluate(
        """async () => (await caches.open("kennisbank-snapshot")).put(
             "/old.bin", new Response("old"))"""
    )
    page.goto(visit.base_url + "rekenhulpen/roas/")
    wait_ready(page, "roas")
    assert len(kept_urls(page)) == 2
    assert not page.evaluate("""() => caches.has("kennisbank-snapshot")""")


def test_a_blocked_snapshot_download_falls_back_and_says_so(visit: Visit) -> None:
    visit.context.route(SNAPSHOT, lambda route: route.abort())
    visit.context.route(PAGE_GLUE_URL, lambda route: route.abort())
    page = visit.open("rekenhulpen/roas/")
    case = {"calculator": "roas", "inputs": {"ad_spend": "2.500", "revenue": "10.000"}}
    outcome = run_cases(page, [case])
    assert outcome["status"] == {"type": "ready", "path": "fallback"}
    assert outcome["responses"][0]["result"] == in_cpython([case])[0]


def test_the_snapshot_header_fits_pyodides_alignment(site: Path) -> None:
    data = snapshot_file(site).read_bytes()
    (length,) = struct.unpack_from("<I", data, 8)
    assert (12 + length) % 16 == 0
