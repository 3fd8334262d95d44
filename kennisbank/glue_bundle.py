"""Each side of the browser glue served as one file, made with esbuild.

The glue is written as small ES modules (docs/assets/javascripts/calculator/),
one concern each. Served as they are, a calculator page asked for seven of them
and its worker for five more before the runtime's download could begin: where
each request waits its turn (HTTP/1.1 sends six at a time to a host), those
requests held it back (handbook/performance.md, "Starting the download
sooner"). The two entry modules, the page's `calculator.mjs` and the worker's
`worker/worker.mjs`, are therefore served bundled, each with every module it
imports; the other modules are still served on their own, for the web editor,
which imports `protocol.mjs`.

esbuild is pinned in package.json and package-lock.json, like Pyodide; its
output is the modules' own code, in order, not minified.
"""

from __future__ import annotations

import json
import subprocess
from functools import cache
from pathlib import Path

from mkdocs.exceptions import Abort

ESBUILD = Path("node_modules") / "esbuild"
OPTIONS = (
    "--bundle",
    "--format=esm",
    "--target=es2022",  # what the glue is written in: nothing is rewritten
    "--charset=utf8",
    "--legal-comments=none",
    "--log-level=error",
)


def esbuild_version(root: Path) -> str:
    """The pinned esbuild's version: part of the glue's folder name, since
    another version may write other bytes under the same immutable URL."""
    package = root / ESBUILD / "package.json"
    try:
        return json.loads(package.read_text(encoding="utf-8"))["version"]
    except (OSError, ValueError, KeyError) as error:
        raise Abort(
            f"esbuild ontbreekt in {package.parent} ({error}). "
            "Installeer het met 'make setup' of 'npm ci'."
        ) from None


@cache
def bundled(root: Path, entry: Path, digest: str) -> bytes:
    """`entry` with every module it imports, as one ES module.

    `digest` names the sources and the esbuild version (the glue's folder): the
    bundle is made once per process for each, so `mkdocs serve` rebuilds reuse it.
    """
    result = subprocess.run(
        [str(root / ESBUILD / "bin" / "esbuild"), str(entry), *OPTIONS],
        capture_output=True,
        timeout=60,
        check=False,
    )
    if result.returncode != 0:
        message = result.stderr.decode("utf-8", "replace").strip()
        raise Abort(f"De browsercode kon niet gebundeld worden ({entry.name}):\n{message}")
    return result.stdout
