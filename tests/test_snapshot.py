"""Restoring Python from the build's memory snapshot, in real Chromium (SPEC §5.11).

The worker restores the snapshot made at build time (hooks/pyodide_snapshot.py)
instead of starting Python and loading the wheel; whatever goes wrong with the
snapshot, it starts Python the normal way instead. Which path was taken shows in
what the worker fetched: the snapshot path needs neither the standard library nor
the wheel, the normal start needs both.
"""

from __future__ import annotations

import json
import re
import shutil
import struct
from collections.abc import Iterator
from pathlib import Path

import pytest
from playwright.sync_api import Browser, Page, expect

import calculators
from hooks.pyodide_snapshot import pack, unpack

from .test_browser import (
    Visit,
    browser,  # noqa: F401  (the session's one Chromium)
    type_into,
    wait_ready,
)
from .test_pyodide_parity import CASES, jsonable

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


@pytest.fixture
def visit(browser: Browser, base_url: str) -> Iterator[Visit]:  # noqa: F811
    """A fresh browser context, as in test_browser.py: nothing foreign, no page error."""
    context = browser.new_context()
    visit = Visit(context, base_url)
    yield visit
    assert visit.foreign_requests() == []
    assert visit.errors == []
    context.close()


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
    visit.context.route("**/assets/javascripts/calculator.*.mjs", lambda route: route.abort())
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
    # Next to the wheel, in the folder named after the calculators' sources.
    assert path.parent == next((site / "assets" / "calculators").glob("*/pyodide-lock.json")).parent
    assert re.fullmatch(r"snapshot\.[0-9a-f]{16}\.bin", path.name)
    assert len(memory) % 16 == 0 and len(memory) > 1_000_000
    # Only the pages that are not all zeros are stored: well under half of it.
    assert path.stat().st_size < len(memory) / 2
    assert pack(header["files"], header["pyodide"], memory, header["pages"]) == path.read_bytes()


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


def test_a_full_load_of_the_next_page_restores_the_kept_snapshot(visit: Visit) -> None:
    page = visit.open("rekenhulpen/roas/")
    wait_ready(page, "roas")
    page.wait_for_function(
        """async () => (await (await caches.open("kennisbank-snapshot")).keys()).length === 1""",
        polling=100,
        timeout=30_000,
    )
    page.goto(visit.base_url + "rekenhulpen/cpl/")
    root = wait_ready(page, "cpl")
    type_into(root, "leads", "250")
    expect(root.locator('[data-output="cpl"]')).to_have_text("€ 20,00")
    # The second page asked the server for no snapshot and started nothing anew.
    assert len(requested(visit, "snapshot.")) == 1
    for part in NORMAL_START:
        assert requested(visit, part) == []


def test_a_blocked_snapshot_download_falls_back_and_says_so(visit: Visit) -> None:
    visit.context.route(SNAPSHOT, lambda route: route.abort())
    visit.context.route("**/assets/javascripts/calculator.*.mjs", lambda route: route.abort())
    page = visit.open("rekenhulpen/roas/")
    case = {"calculator": "roas", "inputs": {"ad_spend": "2.500", "revenue": "10.000"}}
    outcome = run_cases(page, [case])
    assert outcome["status"] == {"type": "ready", "path": "fallback"}
    assert outcome["responses"][0]["result"] == in_cpython([case])[0]


def test_the_snapshot_header_fits_pyodides_alignment(site: Path) -> None:
    data = snapshot_file(site).read_bytes()
    (length,) = struct.unpack_from("<I", data, 8)
    assert (12 + length) % 16 == 0
