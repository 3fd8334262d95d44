"""Debian's nginx, started by the tests with the project's own deploy/nginx.conf.

The site owner's file is used as it is: only its listen address, server name and
site folder are replaced (each must be found exactly where the file says the
owner adapts it), inside a minimal main config with every path in a temporary
folder, so nginx runs as whoever runs the tests, root or not.
"""

from __future__ import annotations

import os
import pwd
import shutil
import socket
import subprocess
import tempfile
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest

from .support import ROOT

CONFIG = ROOT / "deploy" / "nginx.conf"
SITE_FOLDER = "/srv/kennisbank/site"  # what the owner replaces with their folder
MIME_TYPES = Path("/etc/nginx/mime.types")
BROTLI_MODULE = Path("/usr/lib/nginx/modules/ngx_http_brotli_static_module.so")
INSTALL = "apt-get install nginx libnginx-mod-http-brotli-static"


def nginx_path() -> str:
    found = shutil.which("nginx") or shutil.which("nginx", path="/usr/sbin:/usr/local/sbin")
    if not found:
        pytest.fail(
            f"nginx ontbreekt; de tests starten het zelf ({INSTALL}). "
            f"nginx is missing; the tests start it themselves ({INSTALL})."
        )
    return found


def has_brotli() -> bool:
    return BROTLI_MODULE.is_file()


def _replace_once(text: str, old: str, new: str) -> str:
    assert text.count(old) == 1, f"deploy/nginx.conf: expected {old!r} exactly once"
    return text.replace(old, new)


def site_config(site: Path, port: int, brotli: bool) -> str:
    """deploy/nginx.conf for `site` on 127.0.0.1:`port`."""
    text = CONFIG.read_text(encoding="utf-8")
    text = _replace_once(text, "    listen 80;\n", f"    listen 127.0.0.1:{port};\n")
    text = _replace_once(text, "    listen [::]:80;\n", "")
    text = _replace_once(text, "server_name www.example.nl;", "server_name 127.0.0.1;")
    folder = str(site.resolve())
    text = _replace_once(text, f"root {SITE_FOLDER};", f"root {folder};")
    text = _replace_once(text, f"include {SITE_FOLDER}/", f"include {folder}/")
    if not brotli:
        text = _replace_once(text, "    brotli_static on;\n", "")
    return text


def main_config(folder: Path, site_conf: Path, brotli: bool) -> str:
    lines = []
    if brotli:
        lines.append(f"load_module {BROTLI_MODULE};")
    if os.geteuid() == 0:
        # Workers would switch to `nobody`, who cannot read the test's temporary site.
        lines.append(f"user {pwd.getpwuid(os.geteuid()).pw_name};")
    temp = {name: folder / name for name in ("body", "proxy", "fastcgi", "uwsgi", "scgi")}
    lines += [
        "worker_processes 1;",
        f"error_log {folder / 'error.log'} warn;",
        f"pid {folder / 'nginx.pid'};",
        "events { worker_connections 256; }",
        "http {",
        "    access_log off;",
        "    sendfile on;",
        f"    client_body_temp_path {temp['body']};",
        f"    proxy_temp_path {temp['proxy']};",
        f"    fastcgi_temp_path {temp['fastcgi']};",
        f"    uwsgi_temp_path {temp['uwsgi']};",
        f"    scgi_temp_path {temp['scgi']};",
        f"    include {site_conf};",
        "}",
    ]
    return "\n".join(lines) + "\n"


def _wait_for(port: int, process: subprocess.Popen[bytes], log: Path) -> None:
    deadline = time.monotonic() + 15
    while time.monotonic() < deadline:
        if process.poll() is not None:
            break
        try:
            socket.create_connection(("127.0.0.1", port), timeout=0.2).close()
            return
        except OSError:
            time.sleep(0.05)
    process.kill()
    output = process.communicate()[1].decode(errors="replace")
    errors = log.read_text(errors="replace") if log.exists() else ""
    pytest.fail(f"nginx did not start with deploy/nginx.conf:\n{output}\n{errors}")


@contextmanager
def running(site: Path, port: int) -> Iterator[str]:
    """nginx serving `site` on 127.0.0.1:`port` until the block ends; yields the base URL."""
    nginx = nginx_path()
    brotli = has_brotli()
    with tempfile.TemporaryDirectory(prefix="nginx-") as name:
        folder = Path(name)
        # `include mime.types` is relative to the main config's folder, as in /etc/nginx.
        (folder / "mime.types").symlink_to(MIME_TYPES)
        site_conf = folder / "kennisbank.conf"
        site_conf.write_text(site_config(site, port, brotli), encoding="utf-8")
        main = folder / "nginx.conf"
        main.write_text(main_config(folder, site_conf, brotli), encoding="utf-8")
        command = [nginx, "-p", str(folder), "-c", str(main), "-e", "stderr"]
        checked = subprocess.run([*command, "-t", "-q"], capture_output=True, text=True)
        assert checked.returncode == 0, f"nginx -t refused deploy/nginx.conf:\n{checked.stderr}"
        process = subprocess.Popen(
            [*command, "-g", "daemon off;"], stdout=subprocess.DEVNULL, stderr=subprocess.PIPE
        )
        try:
            _wait_for(port, process, folder / "error.log")
            yield f"http://127.0.0.1:{port}/"
        finally:
            process.terminate()
            try:
                process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                process.kill()
                process.wait()
