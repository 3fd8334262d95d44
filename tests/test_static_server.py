"""The local server serves the build's .br/.gz files as nginx would, throttles
for the benchmark, and answers requests it cannot read; the compression hook
writes those files deterministically and only when stale."""

from __future__ import annotations

import gzip
import http.client
import os
import socket
import threading
import time
from collections.abc import Iterator
from pathlib import Path

import brotli
import pytest

from kennisbank.compression import compress_site
from scripts.static_server import Throttle, serve

# Compressible like a runtime: repeated text with some variety.
RUNTIME = b"".join(b"function f%d(){return %d;}\n" % (i, i * 7) for i in range(4_000))


PAGE = b"<!doctype html><title>Pagina</title>" + b"<p>Een alinea over ROAS.</p>" * 400


def make_site(root: Path) -> Path:
    site = root / "site"
    (site / "assets").mkdir(parents=True)
    (site / "pagina").mkdir()
    (site / "pagina" / "index.html").write_bytes(PAGE)
    (site / "assets" / "runtime.wasm").write_bytes(RUNTIME)
    (site / "assets" / "noise.bin").write_bytes(os.urandom(1_000_000))
    (site / "small.txt").write_text("klein")
    compress_site(site, root / "cache")
    return site


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return make_site(tmp_path_factory.mktemp("served"))


@pytest.fixture(scope="module")
def server(site: Path) -> Iterator[tuple[str, int]]:
    with serve(site) as url:
        host, port = url.removeprefix("http://").rstrip("/").split(":")
        yield host, int(port)


class Reply:
    def __init__(self, response: http.client.HTTPResponse) -> None:
        self.status = response.status
        self.headers = response.headers
        self.body = response.read()

    def getheader(self, name: str) -> str | None:
        return self.headers.get(name)


def get(server: tuple[str, int], path: str, encoding: str | None) -> Reply:
    connection = http.client.HTTPConnection(*server, timeout=30)
    headers = {"Accept-Encoding": encoding} if encoding is not None else {}
    connection.request("GET", path, headers=headers)
    try:
        return Reply(connection.getresponse())
    finally:
        connection.close()


# -- The compression hook ----------------------------------------------------------


def test_large_compressible_files_get_br_and_gz_that_decode_to_the_original(site: Path) -> None:
    wasm = site / "assets" / "runtime.wasm"
    assert brotli.decompress((site / "assets" / "runtime.wasm.br").read_bytes()) == RUNTIME
    assert gzip.decompress(wasm.with_name("runtime.wasm.gz").read_bytes()) == RUNTIME
    # Not worth it: incompressible data and tiny files are served as they are.
    assert sorted(path.name for path in site.rglob("noise.bin*")) == ["noise.bin"]
    assert sorted(path.name for path in site.rglob("small.txt*")) == ["small.txt"]


def test_compression_is_deterministic_and_only_redone_when_stale(tmp_path: Path) -> None:
    site = make_site(tmp_path)
    br = site / "assets" / "runtime.wasm.br"
    gz = site / "assets" / "runtime.wasm.gz"
    first = (br.read_bytes(), gz.read_bytes())
    # A fresh build of the same bytes, without the cache, gives the same files.
    other = tmp_path / "other"
    (other / "assets").mkdir(parents=True)
    (other / "assets" / "runtime.wasm").write_bytes(RUNTIME)
    compress_site(other, tmp_path / "other-cache")
    assert (other / "assets" / "runtime.wasm.br").read_bytes() == first[0]
    assert (other / "assets" / "runtime.wasm.gz").read_bytes() == first[1]

    written = br.stat().st_mtime_ns
    compress_site(site, tmp_path / "cache")
    assert br.stat().st_mtime_ns == written, "an up-to-date .br was written again"

    changed = RUNTIME + b"// a new version\n" * 100
    wasm = site / "assets" / "runtime.wasm"
    wasm.write_bytes(changed)
    os.utime(wasm, ns=(written + 10**9, written + 10**9))
    compress_site(site, tmp_path / "cache")
    assert brotli.decompress(br.read_bytes()) == changed
    assert gzip.decompress(gz.read_bytes()) == changed


# -- Serving by Accept-Encoding -----------------------------------------------------


@pytest.mark.parametrize(
    ("accept", "coding"),
    [
        ("gzip, deflate, br, zstd", "br"),
        ("gzip", "gzip"),
        ("br;q=0, gzip;q=0.5", "gzip"),
        ("identity", None),
        (None, None),
    ],
)
def test_precompressed_files_are_served_by_accept_encoding(
    server: tuple[str, int], accept: str | None, coding: str | None
) -> None:
    response = get(server, "/assets/runtime.wasm", accept)
    assert response.status == 200
    assert response.getheader("Content-Type") == "application/wasm"
    assert response.getheader("Content-Encoding") == coding
    assert response.getheader("Vary") == "Accept-Encoding"
    assert response.getheader("Content-Length") == str(len(response.body))
    assert "immutable" not in response.getheader("Cache-Control")
    decode = {"br": brotli.decompress, "gzip": gzip.decompress, None: lambda body: body}
    assert decode[coding](response.body) == RUNTIME


def test_a_page_is_served_compressed_at_its_folder_s_address(server: tuple[str, int]) -> None:
    """As nginx's `index` with `brotli_static`: the address readers use, not index.html."""
    response = get(server, "/pagina/?utm=x", "gzip, br")
    assert response.status == 200
    assert response.getheader("Content-Encoding") == "br"
    assert response.getheader("Content-Type").startswith("text/html")
    assert brotli.decompress(response.body) == PAGE
    assert get(server, "/pagina/", None).body == PAGE
    moved = get(server, "/pagina", "br")
    assert moved.status == 301 and moved.getheader("Location") == "/pagina/"


def test_files_without_compressed_copies_are_served_as_they_are(server: tuple[str, int]) -> None:
    response = get(server, "/small.txt", "gzip, br")
    assert response.status == 200
    assert response.body == b"klein"
    assert response.getheader("Content-Encoding") is None
    assert response.getheader("Vary") is None
    assert get(server, "/missing.wasm", "br").status == 404


# -- Requests it cannot read ----------------------------------------------------------


def raw(server: tuple[str, int], request: bytes) -> bytes:
    with socket.create_connection(server, timeout=30) as connection:
        connection.sendall(request)
        chunks = []
        while chunk := connection.recv(65536):
            chunks.append(chunk)
    return b"".join(chunks)


def test_an_unreadable_request_line_gets_400(server: tuple[str, int]) -> None:
    reply = raw(server, b"BAD\r\n\r\n")
    assert reply.startswith(b"HTTP/1.0 400 ")


def test_an_overlong_request_line_gets_414(server: tuple[str, int]) -> None:
    reply = raw(server, b"GET /" + b"a" * 70_000 + b" HTTP/1.1\r\nHost: x\r\n\r\n")
    assert reply.startswith(b"HTTP/1.0 414 ")


# -- Throttling --------------------------------------------------------------------------


def test_the_throttle_holds_the_rate_shared_by_all_connections(site: Path) -> None:
    # 2 x 1 MB of incompressible data at 9 Mbit/s in total: at least ~1.8 s.
    with serve(site, throttle=Throttle(mbit=9, delay_ms=80)) as url:
        host, port = url.removeprefix("http://").rstrip("/").split(":")
        sizes = []

        def download() -> None:
            sizes.append(len(get((host, int(port)), "/assets/noise.bin", "br").body))

        started = time.monotonic()
        threads = [threading.Thread(target=download) for _ in range(2)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
        elapsed = time.monotonic() - started
    assert sizes == [1_000_000, 1_000_000]
    assert elapsed >= 1.6, f"2 MB took {elapsed:.2f} s at 9 Mbit/s"


def test_the_throttle_delays_every_request(site: Path) -> None:
    with serve(site, throttle=Throttle(delay_ms=300)) as url:
        host, port = url.removeprefix("http://").rstrip("/").split(":")
        started = time.monotonic()
        assert get((host, int(port)), "/small.txt", None).body == b"klein"
        assert time.monotonic() - started >= 0.28
