"""`make edit`: the site as `make serve` shows it, with the web editor at /admin/.

Starts two processes and stops both when either ends or on Ctrl-C:

- decap-server, Decap CMS's local proxy, in file-system mode rooted at docs/
  (it refuses any path that resolves outside it), on 127.0.0.1 only;
- the site's server, told where that proxy listens, so the build writes
  /admin/: by default `mkdocs serve`; `make edit` passes `make serve` after
  `--`, so the editor's preview is exactly what `make serve` shows.
"""

from __future__ import annotations

import argparse
import os
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

from kennisbank.editor import PROXY_ENV

ROOT = Path(__file__).resolve().parent.parent
DECAP_SERVER = Path("node_modules") / "decap-server" / "dist" / "index.js"
# Only this machine may talk to the proxy: it writes files without asking who.
PROXY_HOST = "127.0.0.1"


def proxy_env(project: Path, cms_port: int, site_origin: str) -> dict[str, str]:
    return {
        **os.environ,
        "MODE": "fs",
        "GIT_REPO_DIRECTORY": str(project / "docs"),
        "PORT": str(cms_port),
        "BIND_HOST": PROXY_HOST,
        # Only the editor's page may call it from a browser (CORS).
        "ORIGIN": site_origin,
        "LOG_LEVEL": "warn",
    }


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--host", default="127.0.0.1")
    parser.add_argument("--port", type=int, default=8000)
    parser.add_argument("--cms-port", type=int, default=8081)
    parser.add_argument("serve", nargs=argparse.REMAINDER, help="-- the command that serves")
    args = parser.parse_args(argv)
    serve = (args.serve[1:] if args.serve[:1] == ["--"] else args.serve) or [
        sys.executable,
        "-m",
        "mkdocs",
        "serve",
        "--dev-addr",
        f"{args.host}:{args.port}",
    ]
    project = Path.cwd()
    node = shutil.which("node")
    if node is None:
        print("Node.js ontbreekt: installeer Node.js 20 of nieuwer.", file=sys.stderr)
        return 1
    origin = f"http://{args.host}:{args.port}"
    proxy_url = f"http://{PROXY_HOST}:{args.cms_port}/api/v1"
    children = [
        subprocess.Popen(
            [node, str(project / DECAP_SERVER)], env=proxy_env(project, args.cms_port, origin)
        ),
        subprocess.Popen(serve, env={**os.environ, PROXY_ENV: proxy_url}),
    ]
    print(f"Redactie: {origin}/admin/  (stoppen met Ctrl-C)", flush=True)

    def stop(signum: int, frame: object) -> None:
        raise KeyboardInterrupt

    signal.signal(signal.SIGTERM, stop)
    try:
        while all(child.poll() is None for child in children):
            time.sleep(0.2)
    except KeyboardInterrupt:
        pass
    finally:
        for child in children:
            if child.poll() is None:
                child.terminate()
        for child in children:
            try:
                child.wait(timeout=10)
            except subprocess.TimeoutExpired:
                child.kill()
    failed = [child.returncode for child in children if child.returncode not in (0, None, -2, -15)]
    return failed[0] if failed else 0


if __name__ == "__main__":
    sys.exit(main())
