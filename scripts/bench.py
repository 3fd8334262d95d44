"""Start-up, recalculation and transfer figures of a live calculator (`make bench`).

Run: python -m scripts.bench [--site DIR] [--runs N] [--changes N] [--latency MS] [--json]
(`--latency 100` delays every response by 100 ms, to see what round trips cost.)

The ROAS page (rekenhulpen/roas/) is measured in headless Chromium on a
loopback server next to a naive page generated at run time: the same HTML, but
Pyodide loaded on the main thread as soon as the page loads (see
scripts/bench_site.py). Each run gives each page a fresh browser profile:

  cold  first visit, empty HTTP and code caches;
  warm  second visit, a new tab in the same profile after the first stayed open
        a moment: runtime files come from the HTTP cache (the Pyodide runtime is
        `immutable`; glue, lock file and wheel are revalidated) and V8's wasm
        code cache, written during the first visit, is used.

Times are medians over the runs, in ms from navigation start; "ours / naive"
is the median of the per-run ratios (both pages of a run ran back to back, so
slow drift of the machine cancels out). Transfer is counted by the server
(headers + body, uncompressed: the test server does not gzip), which includes
everything the Web Worker fetches.
"""

from __future__ import annotations

import argparse
import json
import platform
import random
import statistics
import sys
import time
from collections.abc import Callable
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Any, NamedTuple

from playwright.sync_api import Playwright, sync_playwright

from scripts.bench_browser import (
    ReportedBytes,
    Visit,
    fresh_profile,
    recalculation_ms,
    visit,
)
from scripts.bench_import import measure_import
from scripts.bench_site import (
    ARTICLE_PAGE,
    CALCULATOR_PAGE,
    NAIVE_PAGE,
    BenchSite,
    Sent,
    bench_site,
)

KINDS = {"ours": CALCULATOR_PAGE, "naive": NAIVE_PAGE}
# A reader stays on the page a moment; Chromium writes the wasm code cache
# shortly after compiling, and closing the tab at once can cut that short.
DWELL_S = 1.0
LONG_TASK_BUDGET_MS = 200
RECALCULATION_P95_BUDGET_MS = 50


def log(message: str) -> None:
    print(message, file=sys.stderr, flush=True)


# -- Measuring -------------------------------------------------------------------


@dataclass
class Transfer:
    """One cold visit's responses, as counted by the server and as Chromium reports them."""

    server_bytes: int
    browser_bytes: int
    requests: int
    wasm_bytes: int  # fetched by the worker on our page: proof worker requests count
    wasm_requested_ms: float | None  # server clock, from the page's own request
    largest: list[tuple[str, int]]

    @classmethod
    def of(cls, sent: list[Sent], reported: list[tuple[str, int]]) -> Transfer:
        first = min(item.arrived for item in sent)
        wasm = [item for item in sent if item.path.endswith(".wasm")]
        largest = sorted(sent, key=lambda item: item.size, reverse=True)[:4]
        return cls(
            server_bytes=sum(item.size for item in sent),
            browser_bytes=sum(size for _, size in reported),
            requests=len(sent),
            wasm_bytes=sum(item.size for item in wasm),
            wasm_requested_ms=(wasm[0].arrived - first) * 1000 if wasm else None,
            largest=[(item.path.split("?")[0], item.size) for item in largest],
        )


class Run(NamedTuple):
    cold: Visit
    warm: Visit
    transfer: Transfer
    recalculation: list[float]


def one_run(pw: Playwright, site: BenchSite, page_path: str, changes: int = 0) -> Run:
    """Cold visit, then warm visit, in one fresh profile; then `changes` recalculations."""
    url = site.url(page_path)
    with fresh_profile(pw) as context:
        reported = ReportedBytes(context)
        site.transfer_log.take()
        page = context.new_page()
        cold = visit(page, url)
        page.wait_for_load_state("networkidle")  # late requests (search index) count too
        transfer = Transfer.of(site.transfer_log.take(), reported.stop())
        time.sleep(DWELL_S)
        page.close()
        page = context.new_page()
        warm = visit(page, url)
        samples = recalculation_ms(page, changes) if changes else []
    return Run(cold, warm, transfer, samples)


def measure_pages(pw: Playwright, site: BenchSite, runs: int, changes: int) -> dict[str, list[Run]]:
    results: dict[str, list[Run]] = {kind: [] for kind in KINDS}
    for number in range(runs):
        # Alternate the order so neither page always runs first.
        kinds = list(KINDS) if number % 2 == 0 else list(reversed(KINDS))
        for kind in kinds:
            run = one_run(pw, site, KINDS[kind], changes if number == 0 else 0)
            results[kind].append(run)
            log(
                f"run {number + 1}/{runs} {kind:5}: live cold {run.cold.live_ms:.0f} ms, "
                f"warm {run.warm.live_ms:.0f} ms"
            )
    return results


def measure_article(pw: Playwright, site: BenchSite) -> dict[str, Any]:
    """A plain article: what every page costs without a calculator."""
    with fresh_profile(pw) as context:
        reported = ReportedBytes(context)
        site.transfer_log.take()
        page = context.new_page()
        page.goto(site.url(ARTICLE_PAGE), wait_until="networkidle")
        product = context.new_cdp_session(page).send("Browser.getVersion")["product"]
        bench = page.evaluate("window.__kbBench")
        transfer = Transfer.of(site.transfer_log.take(), reported.stop())
    return {
        "browser": "Chromium " + product.split("/")[-1],
        "fcp_ms": bench["fcp"],
        "long_task_total_ms": sum(duration for _, duration in bench["longTasks"]),
        "transfer": asdict(transfer),
    }


# -- Summarising -------------------------------------------------------------------

FIGURES: dict[str, Callable[[Visit], float | None]] = {
    "fcp_ms": lambda v: v.fcp_ms,
    "output_paint_ms": lambda v: v.output_paint_ms,
    "loading_ms": lambda v: v.loading_ms,
    "live_ms": lambda v: v.live_ms,
    "long_task_total_ms": lambda v: v.long_task_total_ms,
    "blocking_ms": lambda v: v.blocking_ms,
    "longest_task_ms": lambda v: v.longest_task_ms,
}


def median(values: list[float | None]) -> float | None:
    present = [value for value in values if value is not None]
    return statistics.median(present) if present else None


def percentile(samples: list[float], pct: int) -> float:
    return statistics.quantiles(samples, n=100, method="inclusive")[pct - 1]


def summarise(runs: list[Run]) -> dict[str, Any]:
    summary: dict[str, Any] = {}
    for phase in ("cold", "warm"):
        visits: list[Visit] = [getattr(run, phase) for run in runs]
        summary[phase] = {name: median([fn(v) for v in visits]) for name, fn in FIGURES.items()}
        summary[phase]["live_min_ms"] = min(v.live_ms for v in visits)
        summary[phase]["live_max_ms"] = max(v.live_ms for v in visits)
        summary[phase]["runs"] = [asdict(v) for v in visits]
    samples = [ms for run in runs for ms in run.recalculation]
    summary["recalculation"] = {
        "changes": len(samples),
        "p50_ms": statistics.median(samples),
        "p95_ms": percentile(samples, 95),
        "max_ms": max(samples),
    }
    summary["wasm_requested_ms"] = median([run.transfer.wasm_requested_ms for run in runs])
    summary["transfer"] = asdict(runs[0].transfer)
    return summary


def paired_ratios(ours: list[Run], naive: list[Run]) -> dict[str, dict[str, float]]:
    """Median, range and 95% interval of ours/naive for the live times, run by run."""
    ratios = {}
    for phase in ("cold", "warm"):
        values = [
            getattr(a, phase).live_ms / getattr(b, phase).live_ms
            for a, b in zip(ours, naive, strict=True)
        ]
        low, high = median_interval(values)
        ratios[phase] = {
            "median": statistics.median(values),
            "min": min(values),
            "max": max(values),
            "interval_low": low,
            "interval_high": high,
        }
    return ratios


def median_interval(values: list[float], rounds: int = 5000) -> tuple[float, float]:
    """A 95% bootstrap interval for the median: how far noise alone moves it."""
    draw = random.Random(0)  # fixed seed: the same runs give the same interval
    medians = sorted(statistics.median(draw.choices(values, k=len(values))) for _ in range(rounds))
    return medians[int(rounds * 0.025)], medians[int(rounds * 0.975) - 1]


def speed_verdict(ratio: dict[str, float]) -> tuple[str, bool]:
    """Faster, as fast (no difference beyond noise) or slower than the naive page."""
    if ratio["interval_high"] < 1.0:
        return "faster", True
    if ratio["interval_low"] > 1.0:
        return "slower", False
    return "as fast: the difference is within run-to-run noise", True


def acceptance(results: dict[str, Any]) -> list[dict[str, Any]]:
    """The issue's criteria.

    "At least as fast as naive" compares the paired per-run ratios: it fails
    only when the 95% interval of their median lies above 1, i.e. when ours is
    measurably slower, not when noise tips a median of 1.01.
    """
    ours, ratios = results["ours"], results["live_ratio"]
    checks = []
    for phase in ("cold", "warm"):
        ratio = ratios[phase]
        verdict, ok = speed_verdict(ratio)
        checks.append(
            {
                "criterion": f"live, {phase}: at least as fast as the naive page",
                "value": f"{ratio['median']:.2f}× naive, 95% interval "
                f"{ratio['interval_low']:.2f}–{ratio['interval_high']:.2f}: {verdict}",
                "ok": ok,
            }
        )
    cold = ours["cold"]
    checks.append(
        {
            "criterion": f"main-thread long tasks until live (cold) < {LONG_TASK_BUDGET_MS} ms",
            "value": f"sum {cold['long_task_total_ms']:.0f} ms, "
            f"longest {cold['longest_task_ms']:.0f} ms",
            "ok": cold["long_task_total_ms"] < LONG_TASK_BUDGET_MS,
        }
    )
    p95 = ours["recalculation"]["p95_ms"]
    checks.append(
        {
            "criterion": f"recalculation p95 < {RECALCULATION_P95_BUDGET_MS} ms",
            "value": f"{p95:.1f} ms",
            "ok": p95 < RECALCULATION_P95_BUDGET_MS,
        }
    )
    return checks


# -- Printing ------------------------------------------------------------------------


def ms(value: float | None, decimals: int = 0) -> str:
    return "–" if value is None else f"{value:,.{decimals}f} ms"


def megabytes(size: int) -> str:
    return f"{size / 1_000_000:.2f} MB"


def ratio(ours: float | None, naive: float | None) -> str:
    return "–" if ours is None or not naive else f"{ours / naive:.2f}×"


def table(rows: list[tuple[str, ...]]) -> list[str]:
    widths = [max(len(row[i]) for row in rows) for i in range(len(rows[0]))]
    return [
        (
            row[0].ljust(widths[0])
            + "".join(f"  {cell:>{width}}" for cell, width in zip(row[1:], widths[1:], strict=True))
        ).rstrip()
        for row in rows
    ]


def timing_rows(results: dict[str, Any]) -> list[tuple[str, ...]]:
    ours, naive, ratios = results["ours"], results["naive"], results["live_ratio"]
    rows: list[tuple[str, ...]] = [("", "ours", "naive", "ours / naive")]

    def add(label: str, phase: str, key: str) -> None:
        a, b = ours[phase][key], naive[phase][key]
        rows.append((label, ms(a), ms(b), ratio(a, b)))

    def live(phase: str) -> None:
        a, b, paired = ours[phase], naive[phase], ratios[phase]
        median_ratio = f"{paired['median']:.2f}× (paired)"
        rows.append((f"Live, {phase}", ms(a["live_ms"]), ms(b["live_ms"]), median_ratio))
        rows.append(
            (
                "  range over runs",
                f"{a['live_min_ms']:.0f}–{a['live_max_ms']:.0f}",
                f"{b['live_min_ms']:.0f}–{b['live_max_ms']:.0f}",
                f"{paired['min']:.2f}–{paired['max']:.2f}×",
            )
        )

    add("First contentful paint, cold", "cold", "fcp_ms")
    add("ROAS result painted, cold", "cold", "output_paint_ms")
    add("Python requested (data-state=loading)", "cold", "loading_ms")
    a, b = ours["wasm_requested_ms"], naive["wasm_requested_ms"]
    rows.append(("pyodide.asm.wasm requested (server)", ms(a), ms(b), ratio(a, b)))
    live("cold")
    live("warm")
    add("Long tasks until live, cold: sum", "cold", "long_task_total_ms")
    add("  longest", "cold", "longest_task_ms")
    add("  blocking part (>50 ms, TBT-style)", "cold", "blocking_ms")
    add("Long tasks until live, warm: sum", "warm", "long_task_total_ms")
    add("  longest", "warm", "longest_task_ms")
    for label, key in (("p50", "p50_ms"), ("p95", "p95_ms"), ("max", "max_ms")):
        a, b = ours["recalculation"][key], naive["recalculation"][key]
        rows.append((f"Recalculation {label}", ms(a, 1), ms(b, 1), ratio(a, b)))
    a, b = ours["transfer"]["server_bytes"], naive["transfer"]["server_bytes"]
    rows.append(("Bytes until live, cold", megabytes(a), megabytes(b), ratio(a, b)))
    a, b = ours["transfer"]["requests"], naive["transfer"]["requests"]
    rows.append(("  requests", str(a), str(b), ""))
    return rows


def report(results: dict[str, Any]) -> str:
    meta, imp = results["meta"], results["import_calculators"]
    ours, article = results["ours"], results["article"]
    latency = f", {meta['latency_ms']:g} ms added to every response" if meta["latency_ms"] else ""
    lines = [
        f"Kennisbank benchmark: {meta['browser']} headless, {meta['runs']} runs, "
        f"site {meta['site']}{latency}",
        f"import calculators (CPython {meta['python']}, from source): median "
        f"{imp['median_ms']:.1f} ms (min {imp['min_ms']:.1f}, max {imp['max_ms']:.1f}) "
        f"over {imp['runs']} processes",
        "",
        f"{CALCULATOR_PAGE}: ours = Pyodide in a module worker, started when the calculator",
        "is seen; naive = the same page loading Pyodide on the main thread at page load.",
        "Medians, ms from navigation start. Recalculation: "
        f"{ours['recalculation']['changes']} edits on a warm page, input event to new text.",
        "",
        *table(timing_rows(results)),
        "",
        f"Plain article ({ARTICLE_PAGE}), cold: {megabytes(article['transfer']['server_bytes'])}"
        f" in {article['transfer']['requests']} requests, first contentful paint "
        f"{ms(article['fcp_ms'])}, long tasks {ms(article['long_task_total_ms'])}.",
        "Bytes: counted by the server (headers + body, no compression). Largest on our page: "
        + ", ".join(
            f"{path.rsplit('/', 1)[-1]} {megabytes(size)}"
            for path, size in ours["transfer"]["largest"][:3]
        )
        + ".",
        f"Worker requests are included: the wasm our worker fetched counts "
        f"{megabytes(ours['transfer']['wasm_bytes'])}. Chromium's own count for our page is "
        f"{megabytes(ours['transfer']['browser_bytes'])} (no body bytes for worker scripts).",
        "",
        "Acceptance (issue):",
    ]
    for check in results["acceptance"]:
        mark = "PASS" if check["ok"] else "FAIL"
        lines.append(f"  [{mark}] {check['criterion']}: {check['value']}")
    return "\n".join(lines)


# -- Command line -------------------------------------------------------------------


def parse_args(argv: list[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(
        prog="python -m scripts.bench", description=(__doc__ or "").split("\n")[0]
    )
    parser.add_argument("--site", type=Path, default=Path("site"), help="built site (site)")
    parser.add_argument("--runs", type=int, default=7, help="cold + warm runs per page (7)")
    parser.add_argument("--changes", type=int, default=200, help="recalculations timed (200)")
    parser.add_argument("--import-runs", type=int, default=15, help="import timings (15)")
    parser.add_argument(
        "--latency", type=float, default=0, metavar="MS", help="delay every response (0)"
    )
    parser.add_argument("--json", action="store_true", help="print JSON instead of a table")
    args = parser.parse_args(argv)
    if args.runs < 1 or args.changes < 2 or args.import_runs < 1 or args.latency < 0:
        parser.error("need --runs >= 1, --changes >= 2, --import-runs >= 1, --latency >= 0")
    return args


def run(args: argparse.Namespace) -> dict[str, Any]:
    log("Timing `import calculators`…")
    results: dict[str, Any] = {"import_calculators": measure_import(runs=args.import_runs)}
    with bench_site(args.site, latency_ms=args.latency) as site, sync_playwright() as pw:
        pages = measure_pages(pw, site, args.runs, args.changes)
        article = measure_article(pw, site)
    results["meta"] = {
        "site": str(args.site),
        "runs": args.runs,
        "latency_ms": args.latency,
        "python": platform.python_version(),
        "browser": article.pop("browser"),
    }
    results["article"] = article
    results.update({kind: summarise(runs) for kind, runs in pages.items()})
    results["live_ratio"] = paired_ratios(pages["ours"], pages["naive"])
    results["acceptance"] = acceptance(results)
    return results


def main(argv: list[str] | None = None) -> int:
    args = parse_args(argv)
    results = run(args)
    print(json.dumps(results, indent=2) if args.json else report(results))
    return 0


if __name__ == "__main__":
    sys.exit(main())
