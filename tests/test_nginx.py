"""The built site served by Debian's nginx with deploy/nginx.conf, as deployed.

nginx is started by the tests (tests/nginx.py) on a free loopback port with the
project's own config: MIME types, compressed copies, security and cache headers,
the Dutch 404 page, and in Chromium a live calculator, search and a policy that
comes from the response headers.
"""

from __future__ import annotations

import urllib.request
from collections.abc import Iterator
from http.client import HTTPResponse
from pathlib import Path
from urllib.error import HTTPError

import pytest
from playwright.sync_api import Browser, Page, Route, expect

from kennisbank import csp
from scripts.static_server import IMMUTABLE, IMMUTABLE_CACHE, site_headers

from . import nginx
from .support import free_port
from .test_browser import browser  # noqa: F401  (the session's one Chromium)
from .test_browser_search import expect_search_finds
from .test_csp import RECORD_VIOLATIONS, RECORD_WORKER_VIOLATIONS, WORKERS, csp_messages

READY_TIMEOUT = 60_000  # ms; a cold Pyodide start on a slow CI machine

# What each kind of file the build writes must be served as; a new kind of file
# fails the test until it is added here (and to deploy/nginx.conf if nginx lacks it).
CONTENT_TYPES = {
    ".html": "text/html; charset=utf-8",
    ".css": "text/css; charset=utf-8",
    ".js": "application/javascript; charset=utf-8",
    ".mjs": "text/javascript; charset=utf-8",
    ".map": "application/json; charset=utf-8",
    ".json": "application/json; charset=utf-8",
    ".wasm": "application/wasm",
    ".xml": "text/xml; charset=utf-8",
    ".txt": "text/plain; charset=utf-8",
    ".svg": "image/svg+xml; charset=utf-8",
    ".png": "image/png",
    ".zip": "application/zip",
    ".whl": "application/zip",
    ".bin": "application/octet-stream",
}


@pytest.fixture(scope="module")
def nginx_url(site: Path) -> Iterator[str]:
    with nginx.running(site, free_port()) as url:
        yield url


def get(url: str, encoding: str = "identity") -> HTTPResponse | HTTPError:
    request = urllib.request.Request(url, headers={"Accept-Encoding": encoding})
    try:
        return urllib.request.urlopen(request, timeout=30)
    except HTTPError as error:
        return error


def served_files(site: Path) -> list[Path]:
    """Every file a reader can ask for: not the compressed copies, not the host's files."""
    return sorted(
        path
        for path in site.rglob("*")
        if path.is_file() and path.suffix not in (".br", ".gz") and not path.name.startswith("_")
    )


def url_path(site: Path, file: Path) -> str:
    return "/" + file.relative_to(site).as_posix()


def test_every_built_file_is_served_whole_with_its_content_type(site: Path, nginx_url: str) -> None:
    files = served_files(site)
    assert {file.suffix for file in files} <= CONTENT_TYPES.keys()
    for file in files:
        with get(nginx_url + url_path(site, file)[1:]) as response:
            assert response.status == 200, file
            assert response.headers["Content-Type"] == CONTENT_TYPES[file.suffix], file
            assert "Content-Encoding" not in response.headers
            assert response.read() == file.read_bytes(), file


@pytest.mark.parametrize("coding", ["br", "gzip"])
def test_compressed_copies_are_served_for_the_encodings_a_browser_accepts(
    site: Path, nginx_url: str, coding: str
) -> None:
    suffix = {"br": ".br", "gzip": ".gz"}[coding]
    compressed = [
        file for file in served_files(site) if file.with_name(file.name + suffix).exists()
    ]
    assert any(file.suffix == ".wasm" for file in compressed)
    brotli = coding != "br" or nginx.has_brotli()
    for file in compressed:
        with get(nginx_url + url_path(site, file)[1:], f"{coding}, identity") as response:
            assert response.headers["Content-Type"] == CONTENT_TYPES[file.suffix], file
            assert response.headers["Vary"] == "Accept-Encoding", file
            if brotli:
                assert response.headers["Content-Encoding"] == coding, file
                assert response.read() == file.with_name(file.name + suffix).read_bytes()
            else:  # without Debian's brotli module nginx sends the original
                assert response.read() == file.read_bytes()


def test_a_file_with_compressed_copies_says_so_to_caches_even_when_sent_plain(
    site: Path, nginx_url: str
) -> None:
    with get(nginx_url + "index.html") as response:
        assert "Content-Encoding" not in response.headers
        assert response.headers["Vary"] == "Accept-Encoding"


def test_every_page_and_the_worker_carry_the_security_headers_of_the_build(
    site: Path, nginx_url: str
) -> None:
    expected = site_headers(str(site), "/")
    names = {name for name, _ in expected}
    assert {"Content-Security-Policy", "X-Content-Type-Options", "Referrer-Policy"} <= names
    pages = [file for file in served_files(site) if file.suffix == ".html"]
    worker = next((site / "assets" / "javascripts" / "calculator").glob("*/worker/worker.mjs"))
    for file in [*pages, worker]:
        path = url_path(site, file)
        for url in {nginx_url + path[1:], nginx_url + path[1:].removesuffix("index.html")}:
            with get(url) as response:
                for name, value in expected:
                    assert response.headers.get_all(name) == [value], (url, name)


def test_a_missing_page_gets_the_dutch_404_page_with_status_404(site: Path, nginx_url: str) -> None:
    for path in ("bestaat-niet/", "assets/calculators/0000000000000000/x.whl", "_headers"):
        response = get(nginx_url + path)
        assert response.status == 404, path
        body = response.read().decode("utf-8")
        assert body == (site / "404.html").read_text(encoding="utf-8"), path
        assert 'lang="nl"' in body
        assert response.headers["Cache-Control"] == "no-cache"
        assert response.headers["Content-Security-Policy"]


def test_only_content_named_urls_are_cached_for_good(site: Path, nginx_url: str) -> None:
    immutable = []
    for file in served_files(site):
        path = url_path(site, file)
        with get(nginx_url + path[1:]) as response:
            cache_control = response.headers.get_all("Cache-Control")
        if IMMUTABLE.search(path):
            immutable.append(path)
            assert cache_control == [IMMUTABLE_CACHE], path
        else:
            assert cache_control == ["no-cache"], path
    named = "\n".join(immutable)
    for kind in ("pyodide.asm.wasm", "snapshot.", "pyodide-lock.json", ".whl", "calculator"):
        assert kind in named, f"{kind} is served immutable"
    for path in ("", "sitemap.xml", "feed_rss_created.xml", "search/search_index.json"):
        with get(nginx_url + path) as response:
            assert response.headers["Cache-Control"] == "no-cache", path


# -- In Chromium ----------------------------------------------------------------------------


@pytest.fixture
def tab(browser: Browser) -> Iterator[tuple[Page, list[str], dict[str, str]]]:  # noqa: F811
    """A tab whose page and workers report CSP violations; `policies` maps URL -> CSP header."""
    context = browser.new_context()  # never bypass_csp: the policy is what is tested
    context.add_init_script(RECORD_VIOLATIONS)
    policies: dict[str, str] = {}

    def worker(route: Route) -> None:
        response = route.fetch()
        policies[route.request.url] = response.headers.get("content-security-policy", "")
        route.fulfill(response=response, body=RECORD_WORKER_VIOLATIONS + response.text())

    context.route(WORKERS, worker)
    page = context.new_page()
    console: list[str] = []
    page.on("console", lambda message: console.append(message.text))
    page.on("pageerror", lambda error: console.append(f"pageerror: {error}"))
    yield page, console, policies
    context.close()


def test_served_by_nginx_a_calculator_goes_live_and_search_works_within_the_policy(
    tab: tuple[Page, list[str], dict[str, str]], site: Path, nginx_url: str
) -> None:
    page, console, policies = tab
    (_, policy), *_ = [pair for pair in site_headers(str(site), "/") if pair[0].endswith("Policy")]
    response = page.goto(nginx_url + "rekenhulpen/roas/")
    assert response is not None
    assert response.headers["content-security-policy"] == policy
    root = page.locator('[data-calculator="roas"]').first
    expect(root).to_have_attribute("data-state", "ready", timeout=READY_TIMEOUT)
    root.locator('input[name="ad_spend"]').fill("2.500")
    root.locator('input[name="revenue"]').fill("12.500")
    expect(root.locator('[data-output="roas"]')).to_have_text("5:1")
    expect_search_finds(page, "break-even")
    # The workers obey only the policy of their own response: nginx's header.
    worker_policies = [value for url, value in policies.items() if "/worker/worker." in url]
    assert worker_policies == [policy]
    assert any("search" in url for url in policies)
    assert page.evaluate("window.kbViolations") == []
    assert csp_messages(console) == []


def test_the_editors_own_policy_reaches_admin_through_the_same_include(tmp_path: Path) -> None:
    """/admin/ (only in a build with a hosted editor backend) has its own, looser policy."""
    site = tmp_path / "site"
    (site / "admin").mkdir(parents=True)
    for page in ("index.html", "404.html", "admin/index.html"):
        (site / page).write_text("<!doctype html><title>x</title>", encoding="utf-8")
    editor_policy = "default-src 'self'; script-src 'self' 'unsafe-eval'"
    csp.reset()
    headers = csp.nginx_headers_file({"/admin/*": editor_policy})
    (site / csp.NGINX_HEADERS_FILE).write_text(headers, encoding="utf-8")
    with nginx.running(site, free_port()) as url:
        pages, editor = get(url), get(url + "admin/")
    site_policy = csp.site_headers()["Content-Security-Policy"]
    assert pages.headers.get_all("Content-Security-Policy") == [site_policy]
    assert editor.headers.get_all("Content-Security-Policy") == [editor_policy]
    for name, value in csp.SECURITY_HEADERS.items():
        assert pages.headers.get_all(name) == editor.headers.get_all(name) == [value], name
    assert editor.headers.get_all("Cache-Control") == ["no-cache"]
