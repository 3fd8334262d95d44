"""Headless Chromium measurements of one page visit, for scripts/bench.py.

All times are read inside the page with `performance.now()`, whose zero is the
navigation start, so Playwright's own round trips never enter the figures.
"""

from __future__ import annotations

import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Any

from playwright.sync_api import BrowserContext, Page, Playwright, Request

from scripts.chromium import CHROMIUM_ARGS, chromium_path

VIEWPORT = {"width": 1280, "height": 720}  # the calculator starts above the fold
LIVE_TIMEOUT_MS = 60_000

# Runs before any page script. It records first contentful paint, when the
# ROAS output is first painted (Element Timing, by tagging the element while
# the parser inserts it), main-thread long tasks, and when the calculator's
# `data-state` turns `loading` and `ready`/`error`.
INIT_SCRIPT = r"""
(() => {
  const kb = (window.__kbBench = {
    fcp: null, outputPaint: null, loading: null, live: null, error: null, longTasks: [],
  });
  const observe = (type, onEntry) => {
    try {
      new PerformanceObserver((list) => list.getEntries().forEach(onEntry))
        .observe({ type, buffered: true });
    } catch {}
  };
  observe("paint", (e) => { if (e.name === "first-contentful-paint") kb.fcp = e.startTime; });
  observe("element", (e) => {
    if (e.identifier === "kb-output" && kb.outputPaint === null) {
      kb.outputPaint = e.renderTime || e.loadTime;
    }
  });
  observe("longtask", (e) => kb.longTasks.push([e.startTime, e.duration]));
  const tag = (node) => {
    if (node.nodeType !== 1) return;
    const outputs = node.matches('[data-output="roas"]')
      ? [node] : node.querySelectorAll('[data-output="roas"]');
    for (const output of outputs) output.setAttribute("elementtiming", "kb-output");
  };
  new MutationObserver((records) => {
    const now = performance.now();
    for (const record of records) {
      if (record.type === "childList") record.addedNodes.forEach(tag);
      const state = record.type === "attributes" ? record.target.dataset.state : null;
      if (state === "loading" && kb.loading === null) kb.loading = now;
      if (state === "ready" && kb.live === null) kb.live = now;
      if (state === "error" && kb.error === null) kb.error = now;
    }
  }).observe(document, {
    subtree: true, childList: true, attributes: true, attributeFilter: ["data-state"],
  });
})();
"""

# Waits a moment so the long task that turned the page live has ended and been
# reported, then hands back what INIT_SCRIPT recorded.
_COLLECT = """async () => {
  await new Promise((resolve) => setTimeout(resolve, 300));
  return window.__kbBench;
}"""

# Sets `revenue` (ad spend stays 2.500) so that the displayed ROAS changes on
# every step (2,0:1 … 5,9:1), dispatches `input` like typing would, and times
# until a MutationObserver sees the new ROAS text.
_RECALCULATE = """async ({ changes, timeoutMs }) => {
  const root = document.querySelector("[data-calculator]");
  const input = root.querySelector('input[name="revenue"]');
  const output = root.querySelector('[data-output="roas"]');
  const samples = [];
  for (let i = 0; i < changes; i++) {
    const before = output.textContent;
    let observer, timer;
    const changed = new Promise((resolve, reject) => {
      observer = new MutationObserver(() => {
        if (output.textContent !== before) resolve(performance.now());
      });
      observer.observe(output, { childList: true, characterData: true, subtree: true });
      const stuck = () => reject(new Error(`change ${i}: output stayed ${before}`));
      timer = setTimeout(stuck, timeoutMs);
    });
    const start = performance.now();
    input.value = String(5000 + 250 * (i % 40));
    input.dispatchEvent(new Event("input", { bubbles: true }));
    try {
      samples.push((await changed) - start);
    } finally {
      observer.disconnect();
      clearTimeout(timer);
    }
  }
  return samples;
}"""


@contextmanager
def fresh_profile(playwright: Playwright) -> Iterator[BrowserContext]:
    """Chromium with a new, empty on-disk profile, as a first-time visitor has.

    A persistent profile rather than `browser.new_context()`: incognito-style
    contexts keep no V8 code cache, so a second visit there would not show the
    wasm and JavaScript code caches a returning reader's browser does use.
    """
    with tempfile.TemporaryDirectory(prefix="kennisbank-bench-profile-") as profile:
        # The site's strict CSP forbids the measuring probes Playwright evaluates
        # and the naive page's inline script; the policy itself costs no time.
        context = playwright.chromium.launch_persistent_context(
            profile,
            executable_path=chromium_path(),
            args=CHROMIUM_ARGS,
            viewport=VIEWPORT,
            bypass_csp=True,
        )
        try:
            context.add_init_script(INIT_SCRIPT)
            for page in context.pages:  # the start-up tab; each visit opens its own
                page.close()
            yield context
        finally:
            context.close()


@dataclass(frozen=True)
class Visit:
    """One page load, in ms since navigation start."""

    fcp_ms: float | None
    output_paint_ms: float | None
    loading_ms: float | None  # data-state became `loading` (Python requested)
    live_ms: float  # data-state became `ready`
    long_tasks: tuple[tuple[float, float], ...]  # (start, duration) that began before live

    @property
    def long_task_total_ms(self) -> float:
        return sum(duration for _, duration in self.long_tasks)

    @property
    def blocking_ms(self) -> float:
        """Total-blocking-time style: the part of each long task beyond 50 ms."""
        return sum(max(0.0, duration - 50) for _, duration in self.long_tasks)

    @property
    def longest_task_ms(self) -> float:
        return max((duration for _, duration in self.long_tasks), default=0.0)


def visit(page: Page, url: str) -> Visit:
    """Load `url` in `page` and wait until its calculator is live."""
    page.goto(url, wait_until="commit")
    page.wait_for_function(
        "window.__kbBench && (window.__kbBench.live ?? window.__kbBench.error) !== null",
        polling=50,  # a slow poll keeps the measuring itself off the main thread
        timeout=LIVE_TIMEOUT_MS,
    )
    data: dict[str, Any] = page.evaluate(_COLLECT)
    if data["live"] is None:
        raise RuntimeError(f"{url}: the calculator reported data-state=error")
    live = float(data["live"])
    return Visit(
        fcp_ms=data["fcp"],
        output_paint_ms=data["outputPaint"],
        loading_ms=data["loading"],
        live_ms=live,
        long_tasks=tuple((start, dur) for start, dur in data["longTasks"] if start < live),
    )


def recalculation_ms(page: Page, changes: int) -> list[float]:
    """Input-to-output latency of `changes` successive edits on a live calculator."""
    return page.evaluate(_RECALCULATE, {"changes": changes, "timeoutMs": 10_000})


class ReportedBytes:
    """(url, headers + body bytes) of finished requests, as Chromium reports them.

    Context-level events include the requests of dedicated workers; Chromium
    reports no body bytes for a worker's own script, though.
    """

    def __init__(self, context: BrowserContext) -> None:
        self.requests: list[tuple[str, int]] = []
        self._context = context
        context.on("requestfinished", self._finished)

    def _finished(self, request: Request) -> None:
        sizes = request.sizes()
        self.requests.append(
            (request.url, sizes["responseHeadersSize"] + sizes["responseBodySize"])
        )

    def stop(self) -> list[tuple[str, int]]:
        self._context.remove_listener("requestfinished", self._finished)
        return self.requests
