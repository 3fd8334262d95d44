"""How long an edited post takes to show in `make serve`: `make bench-serve`.

For each size (today's posts, and today's plus generated copies of real posts)
the benchmark copies the project into a temporary folder, generates the extra
posts there (never in the project), starts the development server as
`make serve` does, and then, run after run, saves an edit to a post (to its
text, then to its title) and polls the served page until the edit is in it.
MkDocs rebuilds in the background; a request waits for a rebuild in progress.
Each build reports its stages (kennisbank/build_timing.py); the table gives
the median of the runs. What the build stages do not cover (noticing the save,
loading the configuration) is the difference between "shown after" and "build".

    python -m scripts.bench_serve --serve-options=--dirty [--extra 0 300] [--runs 5]

`make bench-serve` passes `make serve`'s options; without them the benchmark
times the plain `mkdocs serve` (every save rebuilds everything).

`--calculator` also times one change to a calculator's source (a full
rebuild with a new wheel and snapshot), with today's posts.
"""

from __future__ import annotations

import argparse
import json
import os
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.request
from pathlib import Path
from urllib.parse import urljoin

from kennisbank.build_timing import ENV_VAR, PREFIX

ROOT = Path(__file__).resolve().parent.parent
EDITED_POST = "docs/blog/posts/slimme-videomarketing.md"
EDITED_URL = "blog/slimme-videomarketing/"
# The sentence the edit extends; it is in the body, below the excerpt marker.
EDITED_SENTENCE = "Dit is waar het allemaal begint."
CALCULATOR_SOURCE = "calculators/roas.py"
CALCULATOR_URL = "rekenhulpen/roas/"
SNAPSHOT_RE = re.compile(r'data-kb-snapshot="([^"]+)"')
STAGES = ("config", "files", "read", "write", "post_build", "total")
WATCHED = ("mkdocs.yml", "hooks", "kennisbank", "overrides")
START_TIMEOUT = 900
EDIT_TIMEOUT = 300


def log(message: str) -> None:
    print(message, file=sys.stderr, flush=True)


def copy_with_posts(destination: Path, extra: int) -> Path:
    """A copy of the project with `extra` more posts: copies of the real ones."""
    sys.path.insert(0, str(ROOT))
    from tests.support import copy_project

    project = copy_project(destination)
    # Real copies of what the server watches, so edits to the checkout do not
    # start rebuilds in the middle of a run.
    for name in WATCHED:
        (project / name).unlink()
        if (ROOT / name).is_dir():
            shutil.copytree(
                ROOT / name, project / name, ignore=shutil.ignore_patterns("__pycache__")
            )
        else:
            shutil.copy2(ROOT / name, project / name)
    posts_dir = project / "docs/blog/posts"
    originals = sorted(posts_dir.glob("*.md"))
    for number in range(extra):
        source = originals[number % len(originals)]
        text = source.read_text(encoding="utf-8")
        text = re.sub(r"^slug: (.+)$", rf"slug: \1-kopie-{number}", text, count=1, flags=re.M)
        text = re.sub(
            r'^title: "?(.*?)"?$', rf'title: "\1 (kopie {number})"', text, count=1, flags=re.M
        )
        (posts_dir / f"{source.stem}-kopie-{number}.md").write_text(text, encoding="utf-8")
    return project


def fetch(url: str) -> str:
    try:
        with urllib.request.urlopen(url, timeout=EDIT_TIMEOUT) as response:
            return response.read().decode("utf-8")
    except (urllib.error.URLError, ConnectionError, TimeoutError):
        return ""


class Server:
    """`mkdocs serve` on a copy of the project, with its build stages in a log file."""

    def __init__(self, project: Path, port: int, options: list[str]) -> None:
        self.base = f"http://127.0.0.1:{port}/"
        self.log_path = project / "serve.log"
        self.log_file = self.log_path.open("w", encoding="utf-8")
        command = [sys.executable, "-m", "mkdocs", "serve", *options]
        command += ["--dev-addr", f"127.0.0.1:{port}", "-f", str(project / "mkdocs.yml")]
        env = {**os.environ, ENV_VAR: "1", "NO_MKDOCS_2_WARNING": "1"}
        self.process = subprocess.Popen(
            command, cwd=project, env=env, stdout=self.log_file, stderr=subprocess.STDOUT
        )

    def builds(self) -> list[dict]:
        text = self.log_path.read_text(encoding="utf-8", errors="replace")
        return [
            json.loads(line.split(PREFIX, 1)[1]) for line in text.splitlines() if PREFIX in line
        ]

    def wait_until_serving(self) -> None:
        deadline = time.monotonic() + START_TIMEOUT
        while "Serving on" not in self.log_path.read_text(encoding="utf-8", errors="replace"):
            if self.process.poll() is not None or time.monotonic() > deadline:
                raise RuntimeError("mkdocs serve did not start:\n" + self.log_path.read_text())
            time.sleep(0.5)

    def shown_after(self, path: Path, change, url: str, shown) -> tuple[float, dict]:
        """Seconds from saving `change(text)` to `path` until `shown(page)` is true."""
        builds = len(self.builds())
        text = change(path.read_text(encoding="utf-8"))
        started = time.monotonic()
        path.write_text(text, encoding="utf-8")
        while not shown(fetch(self.base + url)):
            if time.monotonic() - started > EDIT_TIMEOUT:
                raise RuntimeError("the edit did not show:\n" + self.log_path.read_text())
            time.sleep(0.05)
        elapsed = time.monotonic() - started
        while len(self.builds()) <= builds:  # the build's log line follows the page
            time.sleep(0.05)
        return elapsed, self.builds()[-1]

    def stop(self) -> None:
        self.process.terminate()
        try:
            self.process.wait(timeout=30)
        except subprocess.TimeoutExpired:
            self.process.kill()
        self.log_file.close()


def free_port() -> int:
    import socket

    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def body_edit(token: str):
    """Text added to a sentence below the excerpt marker (the previous run's replaced)."""

    def change(text: str) -> str:
        pattern = re.escape(EDITED_SENTENCE) + r"(?: bench\S+)?"
        return re.sub(pattern, f"{EDITED_SENTENCE} {token}", text, count=1)

    return change


def title_edit(token: str):
    """A new title: shown on other pages too (listings, related posts, the home page)."""

    def change(text: str) -> str:
        return re.sub(
            r"^title: .*$", f'title: "Slimme videomarketing {token}"', text, count=1, flags=re.M
        )

    return change


EDITS = {"text": body_edit, "title": title_edit}


def measure(extra: int, runs: int, calculator: bool, options: list[str]) -> list[dict]:
    """One summary per kind of edit, for the project with `extra` more posts."""
    with tempfile.TemporaryDirectory(prefix="kennisbank-bench-serve-") as folder:
        project = copy_with_posts(Path(folder) / "project", extra)
        posts = len(list((project / "docs/blog/posts").glob("*.md")))
        server = Server(project, free_port(), options)
        try:
            started = time.monotonic()
            server.wait_until_serving()
            log(f"{posts} posts: first build {time.monotonic() - started:.1f} s")
            summaries = []
            for kind, edit in EDITS.items():
                results = []
                for run in range(runs):
                    token = f"bench{run}x{time.time_ns()}"
                    elapsed, build = server.shown_after(
                        project / EDITED_POST,
                        edit(token),
                        EDITED_URL,
                        lambda page, token=token: token in page,
                    )
                    log(f"{posts} posts, {kind} edit {run + 1}: shown after {elapsed:.2f} s")
                    results.append((elapsed, build))
                    time.sleep(1)
                summaries.append(summarise(posts, kind, results))
            if calculator:
                summaries[0]["calculator"] = measure_calculator(server, project)
            return summaries
        finally:
            server.stop()


def measure_calculator(server: Server, project: Path) -> dict:
    """A calculator's source changed: until its page is served, and until its snapshot is."""
    before = SNAPSHOT_RE.search(fetch(server.base + CALCULATOR_URL))
    started = time.monotonic()
    elapsed, build = server.shown_after(
        project / CALCULATOR_SOURCE,
        lambda text: text + f"\n# benchmark {time.time_ns()}\n",
        CALCULATOR_URL,
        lambda page: (
            (found := SNAPSHOT_RE.search(page)) is not None
            and before is not None
            and found.group(1) != before.group(1)
        ),
    )
    found = SNAPSHOT_RE.search(fetch(server.base + CALCULATOR_URL))
    snapshot_url = urljoin(server.base + CALCULATOR_URL, found.group(1))
    while not snapshot_served(snapshot_url):
        if time.monotonic() - started > EDIT_TIMEOUT:
            raise RuntimeError("the new snapshot was not served:\n" + server.log_path.read_text())
        time.sleep(0.2)
    snapshot = time.monotonic() - started
    log(f"calculator change: page shown after {elapsed:.2f} s, its snapshot after {snapshot:.2f} s")
    return {"shown": round(elapsed, 2), "snapshot": round(snapshot, 2), "stages": build["stages"]}


def snapshot_served(url: str) -> bool:
    try:
        with urllib.request.urlopen(urllib.request.Request(url, method="HEAD"), timeout=30):
            return True
    except (urllib.error.URLError, ConnectionError, TimeoutError):
        return False


def summarise(posts: int, kind: str, results: list[tuple[float, dict]]) -> dict:
    shown = [elapsed for elapsed, _ in results]
    stages = {
        stage: round(statistics.median(build["stages"][stage] for _, build in results), 2)
        for stage in STAGES
    }
    return {
        "posts": posts,
        "edit": kind,
        "runs": len(results),
        "shown_median": round(statistics.median(shown), 2),
        "shown_min": round(min(shown), 2),
        "shown_max": round(max(shown), 2),
        "stages": stages,
        "outside_build": round(statistics.median(shown) - stages["total"], 2),
    }


def report(summaries: list[dict]) -> str:
    header = ["Posts", "Edit", "Shown after (median)", "min–max", *STAGES, "outside the build"]
    lines = ["| " + " | ".join(header) + " |", "|" + " --- |" * len(header)]
    for summary in summaries:
        stages = [f"{summary['stages'][stage]:.2f}" for stage in STAGES]
        lines.append(
            f"| {summary['posts']} | {summary['edit']} | {summary['shown_median']:.2f} s | "
            f"{summary['shown_min']:.2f}–{summary['shown_max']:.2f} s | "
            + " | ".join(stages)
            + f" | {summary['outside_build']:.2f} |"
        )
    for summary in summaries:
        if "calculator" in summary:
            calc = summary["calculator"]
            lines.append(
                f"\nCalculator changed ({summary['posts']} posts, 1 run): page shown after "
                f"{calc['shown']:.2f} s, its snapshot served after {calc['snapshot']:.2f} s; "
                f"stages {json.dumps(calc['stages'])}"
            )
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n", 1)[0])
    parser.add_argument("--extra", type=int, nargs="+", default=[0, 300])
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--calculator", action="store_true")
    parser.add_argument("--json", type=Path, help="also write the figures to this file")
    parser.add_argument(
        "--serve-options",
        default="",
        help="options for mkdocs serve, as the Makefile's SERVE_OPTIONS (make bench-serve)",
    )
    args = parser.parse_args(argv)
    summaries = [
        summary
        for extra in args.extra
        for summary in measure(
            extra, args.runs, args.calculator and extra == args.extra[0], args.serve_options.split()
        )
    ]
    if args.json:
        args.json.write_text(json.dumps(summaries, indent=2), encoding="utf-8")
    print(report(summaries))
    return 0


if __name__ == "__main__":
    sys.exit(main())
