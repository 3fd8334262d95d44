"""How long a cold `import calculators` takes, measured in fresh interpreters.

Run: python -m scripts.bench_import [runs] [--importtime]

Two numbers are printed: "from source" compiles every module on import (what
happens with PYTHONDONTWRITEBYTECODE=1, and on a reader's first page view in
Pyodide); "with bytecode" reuses .pyc files from a throw-away cache directory
(a normal CPython installation after its first import).
"""

import os
import re
import statistics
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
_TIMED_IMPORT = (
    "import time; start = time.perf_counter(); import calculators; "
    "print((time.perf_counter() - start) * 1000)"
)
# -X importtime lines: "import time:  self [us] | cumulative | imported package"
_IMPORTTIME_LINE = re.compile(r"import time:\s+\d+\s+\|\s+(\d+)\s+\|\s*calculators\s*$")


def _one_run(env: dict[str, str], importtime: bool) -> tuple[float, float | None]:
    args = [sys.executable, "-X", "importtime"] if importtime else [sys.executable]
    done = subprocess.run(
        [*args, "-c", _TIMED_IMPORT],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        check=True,
        timeout=60,
    )
    cumulative_ms = None
    if importtime:
        for line in done.stderr.splitlines():
            match = _IMPORTTIME_LINE.search(line)
            if match:
                cumulative_ms = int(match.group(1)) / 1000
    return float(done.stdout.strip()), cumulative_ms


def measure_import(
    runs: int = 15, importtime: bool = False, bytecode: bool = False
) -> dict[str, float | int]:
    """Median, min and max milliseconds of `import calculators` over `runs` fresh processes.

    bytecode=False compiles the package from source in every run (the standard
    library still uses its installed .pyc files); bytecode=True first fills a
    temporary .pyc cache (never the project tree) and then imports from it.
    With importtime=True the runs use -X importtime and the median cumulative
    time it reports for the package is added as "importtime_median_ms".
    """
    if runs < 1:
        raise ValueError("runs must be at least 1")
    env = {k: v for k, v in os.environ.items() if k != "PYTHONDONTWRITEBYTECODE"}
    with tempfile.TemporaryDirectory(prefix="bench-pycache-") as cache:
        if bytecode:
            env["PYTHONPYCACHEPREFIX"] = cache
            _one_run(env, importtime=False)  # warm the cache
        else:
            env["PYTHONDONTWRITEBYTECODE"] = "1"  # the standard library keeps its own .pyc
        timings = [_one_run(env, importtime) for _ in range(runs)]
    wall = [ms for ms, _ in timings]
    result: dict[str, float | int] = {
        "runs": runs,
        "median_ms": statistics.median(wall),
        "min_ms": min(wall),
        "max_ms": max(wall),
    }
    cumulative = [ms for _, ms in timings if ms is not None]
    if cumulative:
        result["importtime_median_ms"] = statistics.median(cumulative)
    return result


def _describe(label: str, stats: dict[str, float | int]) -> str:
    line = (
        f"import calculators ({label}): median {stats['median_ms']:.1f} ms "
        f"(min {stats['min_ms']:.1f}, max {stats['max_ms']:.1f}) over {stats['runs']} runs"
    )
    if "importtime_median_ms" in stats:
        line += f"; -X importtime cumulative median {stats['importtime_median_ms']:.1f} ms"
    return line


def main(argv: list[str] | None = None) -> int:
    args = sys.argv[1:] if argv is None else argv
    importtime = "--importtime" in args
    numbers = [arg for arg in args if arg.isdigit()]
    runs = int(numbers[0]) if numbers else 15
    print(f"Python {sys.version.split()[0]} ({sys.executable})")
    for label, bytecode in (("from source", False), ("with bytecode", True)):
        print(_describe(label, measure_import(runs, importtime=importtime, bytecode=bytecode)))
    return 0


if __name__ == "__main__":
    sys.exit(main())
