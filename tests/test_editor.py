"""The web editor: generated from the checker's schema, safe to save from, only where wanted.

Browser tests of `make edit` itself are in tests/test_editor_browser.py.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import json
import os
import signal
import subprocess
import time
from pathlib import Path
from urllib.error import HTTPError
from urllib.request import Request, urlopen

import pytest
import yaml
from mkdocs.config import load_config

from calculators import registry, web
from kennisbank import editor, posts
from kennisbank.fence import FenceError, parse_block
from kennisbank.texts import XML_FORBIDDEN
from scripts.static_server import site_headers

from .support import ROOT, build, copy_project, free_port

BACKEND = editor.Backend({"name": "proxy", "proxy_url": "http://127.0.0.1:8081/api/v1"}, "")


@pytest.fixture(scope="module")
def schema() -> posts.Schema:
    os.environ.setdefault("NO_MKDOCS_2_WARNING", "1")
    return posts.schema_from_config(load_config(str(ROOT / "mkdocs.yml")))


@pytest.fixture(scope="module")
def fields(schema: posts.Schema) -> dict[str, dict]:
    config = editor.editor_config(schema, {a: a for a in schema.authors}, BACKEND.settings)
    # What the editor is served is YAML: compare what it reads back.
    config = yaml.safe_load(editor.dump(config))
    (collection,) = config["collections"]
    return {field["name"]: field for field in collection["fields"]}


def test_the_editor_and_the_checker_agree_key_for_key(schema, fields) -> None:
    assert list(fields) == [*posts.ALLOWED_KEYS, "body"]
    assert {k for k, f in fields.items() if f.get("required", True)} == {
        *posts.REQUIRED_KEYS,
        "body",
    }
    assert {o["value"] for o in fields["authors"]["options"]} == set(schema.authors)
    assert fields["categories"]["options"] == list(schema.categories)
    assert fields["categories"]["min"] == 1
    assert {o["value"] for o in fields["calculators"]["options"]} == set(schema.calculators)
    assert fields["slug"]["pattern"] == [posts.SLUG_RE.pattern, posts.SLUG_MESSAGE]
    low, high = posts.DESCRIPTION_LENGTH
    assert fields["description"]["pattern"][1] == f"gebruik {low} tot {high} tekens"
    assert fields["draft"] == {**fields["draft"], "widget": "boolean", "default": True}
    for key in ("date", "updated"):
        assert fields[key]["format"] == "YYYY-MM-DD"
        assert fields[key]["time_format"] is False
    assert schema.excerpt_separator in fields["body"]["default"]
    assert fields["body"]["pattern"][1] == posts.excerpt_message(schema.excerpt_separator)
    # Every field explains itself in Dutch, and names the key the checker's messages use.
    assert all(field["hint"] and f"({name})" in field["label"] for name, field in fields.items())
    assert f"{low} tot {high} tekens" in fields["description"]["hint"]


def js_matches(pattern: str, texts: list[str]) -> list[bool]:
    """JavaScript's verdict, as Decap tests a field's pattern (new RegExp, no flags)."""
    script = "const [p, ts] = JSON.parse(process.argv[1]);"
    script += "console.log(JSON.stringify(ts.map(t => new RegExp(p).test(t))));"
    out = subprocess.run(
        ["node", "-e", script, json.dumps([pattern, texts])],
        capture_output=True,
        text=True,
        check=True,
    )
    return json.loads(out.stdout)


def checker_accepts(schema: posts.Schema, key: str, value: str) -> bool:
    meta = {
        "title": "Titel",
        "description": "x" * 80,
        "date": dt.date(2025, 1, 1),
        "authors": [sorted(schema.authors)[0]],
        "categories": [schema.categories[0]],
    }
    if key != "body":
        meta[key] = value
    body = f"Inleiding\n\n{schema.excerpt_separator}\n" if key != "body" else value
    problems = posts.check_post(posts.Post("blog/posts/x.md", meta, body), schema)
    return not [p for p in problems if p.field == key]


def test_the_editor_refuses_exactly_what_the_checker_refuses(schema, fields) -> None:
    low, high = posts.DESCRIPTION_LENGTH
    cases = {
        "description": [
            "a" * low,
            "a" * (low - 1),
            "a" * high,
            "a" * (high + 1),
            "  " + "b" * (low - 1) + "  ",
            " " + "é" * low + "\n",
            "😀" * low,
            "😀" * (low - 1),
            "😀" * high,
            "woord " * 20,
        ],
        "slug": ["wat-kost-een-lead", "Wat-Kost", "a--b", "-a", "a1-2b", "ä"],
        "body": ["Intro\n\n<!-- more -->\n\nMeer", "Geen scheiding", "<!-- more -->"],
    }
    for key, texts in cases.items():
        expected = [checker_accepts(schema, key, text) for text in texts]
        assert js_matches(fields[key]["pattern"][0], texts) == expected, key
        assert True in expected and False in expected, key


def run_editor_js(body: str, argument: object, root: str = "") -> object:
    """Run `body` in Node with the editor's scripts loaded outside Decap; `arg` is the argument."""
    schema = posts.schema_from_config(load_config("mkdocs.yml"))
    data = json.dumps(editor.editor_data(schema, root=root))
    scripts = json.dumps([str(editor.TEMPLATES / name) for name in editor.EDITOR_SCRIPTS])
    script = f"""
    globalThis.window = {{ KENNISBANK_EDITOR: {data} }};
    for (const script of {scripts}) require(script);
    const parts = window.KENNISBANK_EDITOR_COMPONENTS;
    const arg = JSON.parse(process.argv[1]);
    console.log(JSON.stringify((() => {{ {body} }})()));
    """
    result = subprocess.run(
        ["node", "-e", script, json.dumps(argument)],
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=True,
    )
    return json.loads(result.stdout)


def rekenhulp_blocks(values: list[dict]) -> list[dict]:
    """toBlock, then fromBlock, of the Rekenhulp component (editor-blocks.js)."""
    return run_editor_js(
        """
        const component = parts.calculator;
        return arg.map((values) => {
          const block = component.toBlock(values);
          const match = component.pattern.exec(block);
          return { block, back: match && component.fromBlock(match) };
        });
        """,
        values,
    )


def test_the_rekenhulp_component_writes_blocks_the_fence_parser_accepts() -> None:
    values = []
    for calculator in registry.values():
        example = calculator.example_inputs()
        defaults = [
            # As an editor types it: Dutch thousands dots, a decimal comma.
            {"field": f"{calculator.id}.{name}", "value": f"{value:,}".replace(",", ".")}
            for name, value in example.items()
        ]
        values.append({"id": calculator.id, "defaults": defaults})
        values.append({"id": calculator.id, "defaults": []})
    # A value for another calculator's field is left out rather than breaking the block.
    values.append({"id": "roas", "defaults": [{"field": "cpl.leads", "value": "12"}]})
    results = rekenhulp_blocks(values)
    for given, result in zip(values, results, strict=True):
        block = result["block"]
        assert block.startswith("```calculator\n") and block.endswith("\n```")
        embed = parse_block(block.removeprefix("```calculator\n").removesuffix("```"))
        assert embed.calculator.id == given["id"]
        own = [d for d in given["defaults"] if d["field"].startswith(given["id"] + ".")]
        assert result["back"] == {"id": given["id"], "defaults": own}
    assert results[-1]["block"] == "```calculator\nid: roas\n```"


def test_a_value_with_yaml_characters_stays_one_value() -> None:
    (result,) = rekenhulp_blocks(
        [{"id": "roas", "defaults": [{"field": "roas.revenue", "value": '1: "x" # y'}]}]
    )
    assert result["block"] == '```calculator\nid: roas\ndefaults:\n  revenue: "1: \\"x\\" # y"\n```'
    assert result["back"]["defaults"] == [{"field": "roas.revenue", "value": '1: "x" # y'}]


def test_saving_checks_the_dates_as_the_checker_does(schema) -> None:
    today = dt.date(2026, 3, 10)
    schema = dataclasses.replace(schema, today=today)
    cases = [
        {"date": "2026-03-10"},
        {"date": "2026-03-11"},
        {"date": "2026-03-11", "draft": True},
        {"date": "2026-03-01", "updated": "2026-02-01"},
        {"date": "2026-03-01", "updated": "2026-03-01"},
        {"date": "2026-03-01", "updated": "2026-04-01"},
        {"date": "2026-04-01", "updated": "2026-03-01", "draft": True},
    ]
    found = run_editor_js(
        f"return arg.map((values) => parts.dateProblems(values, '{today.isoformat()}'));", cases
    )
    for values, problems in zip(cases, found, strict=True):
        meta = {
            "title": "Titel",
            "description": "x" * 80,
            "authors": [sorted(schema.authors)[0]],
            "categories": [schema.categories[0]],
            **{k: dt.date.fromisoformat(v) if k != "draft" else v for k, v in values.items()},
        }
        body = f"Inleiding\n\n{schema.excerpt_separator}\n"
        expected = [
            f"{editor.label(p.field)}: {p.message}"
            for p in posts.check_post(posts.Post("blog/posts/x.md", meta, body), schema)
        ]
        assert problems == expected, values
    assert any(found) and not all(found)


def test_the_editor_forbids_exactly_the_characters_the_checker_forbids() -> None:
    script = f"""
    const forbidden = new RegExp({json.dumps(editor.forbidden_class())}, "u");
    const found = [];
    for (let c = 0; c <= 0x10ffff; c++) if (forbidden.test(String.fromCodePoint(c))) found.push(c);
    console.log(JSON.stringify(found));
    """
    out = subprocess.run(["node", "-e", script], capture_output=True, text=True, check=True)
    expected = [c for c in range(0x110000) if XML_FORBIDDEN.search(chr(c))]
    assert json.loads(out.stdout) == expected
    assert 0x7 in expected and 0xD800 in expected and 0x41 not in expected


def test_saving_refuses_forbidden_characters_with_the_checkers_message(schema) -> None:
    cases = [
        {"title": "Een\u0007 titel"},
        {"description": "Een \ufffe samenvatting"},
        {"categories": ["KPI\u001b"]},
        {"title": "Gewoon 😀 en \u00e9"},
    ]
    found = run_editor_js("return arg.map((values) => parts.textProblems(values));", cases)
    for values, problems in zip(cases, found, strict=True):
        expected = [
            f"{editor.label(p.field)}: {p.message}"
            for key, value in values.items()
            for p in posts.check_post(posts.Post("blog/posts/x.md", {key: value}, ""), schema)
            if "stuurteken" in p.message
        ]
        assert problems == expected, values
    assert found[0] and not found[-1]


def test_saving_refuses_a_slug_another_post_uses(tmp_path: Path) -> None:
    project = copy_project(tmp_path / "project")
    config = load_config(str(project / "mkdocs.yml"))
    slugs = editor.post_slugs(config)
    docs = Path(config["docs_dir"])
    files = posts.post_files(posts.posts_dir_from_config(config))
    read = [posts.read_post(docs, path)[0] for path in files]
    assert slugs == {
        p.meta["slug"]: [o.path for o in read if o.meta.get("slug") == p.meta["slug"]]
        for p in read
        if "slug" in p.meta
    }
    taken, (owner,) = next(iter(slugs.items()))
    cases = [
        ("", taken),  # a new post
        ("docs/" + owner, taken),  # the post that has it, saved again (docs/ in the repository)
        ("blog/posts/ander.md", taken),
        ("", "nog-vrij"),
    ]
    found = run_editor_js(
        "return arg.cases.map(([path, slug]) => parts.slugProblems({slug}, path, arg.slugs));",
        {"cases": cases, "slugs": slugs},
        root="docs/",
    )
    # The checker's message for the new post's side of the clash.
    clash = posts.check_unique_slugs(
        [posts.Post("blog/posts/ander.md", {"slug": taken}), posts.Post(owner, {"slug": taken})]
    )
    message = next(f"{editor.label(p.field)}: {p.message}" for p in clash if p.path != owner)
    assert found == [[message], [], [message], []]


def test_python_words_a_blocks_problem_as_the_build_does() -> None:
    blocks = [
        ("roas", {"ad_spend": "abc"}),
        ("roas", {"ad_spend": "-5"}),
        ("roas", {"revenue": "1e5"}),
        ("roas", {"onbekend": "1"}),
        ("bestaat-niet", {}),
        ("roas", {"ad_spend": "2.500"}),
    ]
    for calculator_id, defaults in blocks:
        source = f"id: {calculator_id}\n" + (
            "defaults:\n" + "".join(f"  {k}: {json.dumps(v)}\n" for k, v in defaults.items())
            if defaults
            else ""
        )
        try:
            parse_block(source)
            expected = None
        except FenceError as error:
            expected = error.message
        request = {"op": "check_block", "calculator": calculator_id, "defaults": defaults}
        assert json.loads(web.handle(json.dumps(request))) == {"problem": expected}, source
    # And the editor sends exactly those blocks: the ones with values or an unknown id.
    body = (
        'Tekst\n\n```calculator\nid: roas\ndefaults:\n  ad_spend: "-5"\n```\n\n'
        "```calculator\nid: cpl\n```\n\n```calculator\nid: bestaat-niet\n```\n"
    )
    assert run_editor_js("return parts.blocksToCheck(arg);", body) == [
        {"id": "roas", "defaults": {"ad_spend": "-5"}},
        {"id": "bestaat-niet", "defaults": {}},
    ]


def test_the_editor_reads_hand_written_starting_values_as_the_build_does() -> None:
    values = ['"2.500"', "'1.250,50'", "'it''s'", "abc # een opmerking", "-5", '"a # b"  # c']
    sources = [f"id: roas\ndefaults:\n  ad_spend: {value}\n" for value in values]
    body = "".join(f"```calculator\n{source}```\n\n" for source in sources)
    found = run_editor_js("return parts.blocksToCheck(arg);", body)
    expected = [yaml.load(source, Loader=yaml.BaseLoader)["defaults"] for source in sources]
    assert [block["defaults"] for block in found] == expected
    assert expected[2] == {"ad_spend": "it's"}


# -- Only where wanted, with its own policy ------------------------------------------


def test_a_build_without_extra_editor_has_no_admin(site: Path) -> None:
    assert not (site / "admin").exists()
    assert "/admin" not in (site / "_headers").read_text(encoding="utf-8")


def test_a_build_with_extra_editor_has_admin_with_its_own_policy(tmp_path: Path) -> None:
    project = copy_project(tmp_path / "project")
    settings = (ROOT / "mkdocs.yml").read_text(encoding="utf-8")
    (project / "mkdocs.yml").unlink()
    (project / "mkdocs.yml").write_text(
        settings.replace(
            "\nextra:\n",
            "\nextra:\n  editor:\n    name: github\n    repo: kennisbank/site\n    branch: main\n",
            1,
        ).replace("info@example.com", "redactie@kennisbank.nl"),  # a public build needs real ones
        encoding="utf-8",
    )
    site = tmp_path / "site"
    result = build(project, site, env={"SITE_URL": "https://kennisbank.example/"})
    assert result.returncode == 0, result.stderr[-3000:]

    config = yaml.safe_load((site / "admin" / "config.yml").read_text(encoding="utf-8"))
    assert config["backend"] == {"name": "github", "repo": "kennisbank/site", "branch": "main"}
    assert config["collections"][0]["folder"] == "docs/blog/posts"
    assert config["media_folder"] == "docs/blog/posts/images"
    page = (site / "admin" / "index.html").read_text(encoding="utf-8")
    admin = editor.admin_policy(editor.Backend(config["backend"], "docs/"))
    assert f'<meta http-equiv="Content-Security-Policy" content="{admin}">' in page
    assert "connect-src 'self' blob: https://api.github.com;" in admin
    assert (site / "admin" / "decap-cms").is_dir()
    assert not list((site / "admin").rglob("*.map"))

    # The header: the site's strict policy everywhere, the editor's only under /admin/.
    site_policy = dict(site_headers(str(site), "/blog/"))["Content-Security-Policy"]
    assert "'unsafe-eval'" not in site_policy
    admin_headers = site_headers(str(site), "/admin/index.html")
    assert [n for n, _ in admin_headers].count("Content-Security-Policy") == 1
    assert dict(admin_headers)["Content-Security-Policy"] == editor.admin_policy(
        editor.Backend(config["backend"], "docs/"), header=True
    )


def test_the_admin_policy_names_the_backend_and_nothing_else() -> None:
    local = editor.admin_policy(BACKEND)
    assert "connect-src 'self' blob: http://127.0.0.1:8081;" in local
    gitlab = editor.Backend({"name": "gitlab", "repo": "a/b"}, "docs/")
    assert "connect-src 'self' blob: https://gitlab.com;" in editor.admin_policy(gitlab)
    gitea = editor.Backend({"name": "gitea", "api_root": "https://git.example/api/v1"}, "")
    assert "connect-src 'self' blob: https://git.example;" in editor.admin_policy(gitea)
    assert "frame-ancestors 'none'" in editor.admin_policy(gitea, header=True)
    assert "'unsafe-inline'" not in local.split("script-src")[1].split(";")[0]


# -- The local proxy writes inside docs/ only ---------------------------------------


def post(url: str, body: dict) -> int:
    request = Request(
        url, json.dumps(body).encode(), {"Content-Type": "application/json"}, method="POST"
    )
    try:
        with urlopen(request, timeout=10) as response:
            return response.status
    except HTTPError as error:
        return error.code
    except OSError:
        return 0  # nothing listens (yet)


def test_the_local_proxy_refuses_to_write_outside_docs(tmp_path: Path) -> None:
    docs = tmp_path / "project" / "docs"
    outside = tmp_path / "outside"
    docs.mkdir(parents=True)
    outside.mkdir()
    (docs / "escape").symlink_to(outside)
    port = free_port()
    env = {**os.environ, "MODE": "fs", "GIT_REPO_DIRECTORY": str(docs), "PORT": str(port)}
    env |= {"BIND_HOST": "127.0.0.1", "LOG_LEVEL": "error"}
    server = subprocess.Popen(
        ["node", str(ROOT / "node_modules/decap-server/dist/index.js")],
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    url = f"http://127.0.0.1:{port}/api/v1"
    try:
        deadline = time.monotonic() + 30
        while post(url, {"action": "info"}) != 200:
            assert time.monotonic() < deadline, "decap-server did not start"
            time.sleep(0.2)

        def entry(path: str) -> int:
            data_file = {"slug": "x", "path": path, "raw": "---\ntitle: x\n---\n"}
            options = {"commitMessage": "x", "useWorkflow": False, "status": "draft"}
            params = {"entry": data_file, "assets": [], "options": options}
            return post(url, {"action": "persistEntry", "params": {"branch": "main", **params}})

        def media(path: str) -> int:
            asset = {"path": path, "content": "eA==", "encoding": "base64"}
            params = {"asset": asset, "options": {"commitMessage": "x"}}
            return post(url, {"action": "persistMedia", "params": {"branch": "main", **params}})

        assert entry("blog/posts/ok.md") == 200
        assert (docs / "blog/posts/ok.md").is_file()
        for path in ("../x.md", "blog/../../x.md", str(outside / "x.md"), "escape/x.md"):
            assert entry(path) >= 400, path
            assert media(path.replace(".md", ".png")) >= 400, path
        assert (
            post(url, {"action": "deleteFile", "params": {"branch": "main", "path": "../victim"}})
            >= 400
        )
    finally:
        server.terminate()
        server.wait(timeout=10)
    assert sorted(p.name for p in tmp_path.rglob("x.*")) == []


# -- Ctrl-C stops everything make edit started ----------------------------------------


def group_members(pgid: int) -> list[int]:
    members = []
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            fields = stat.read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        # After "pid (comm)": state, ppid, pgrp; a zombie has exited already.
        if int(fields[2]) == pgid and fields[0] != "Z":
            members.append(int(stat.parent.name))
    return members


def listening_addresses(port: int) -> set[str]:
    """The IPv4 and IPv6 addresses something listens on at this TCP port."""
    found = set()
    for table in ("/proc/net/tcp", "/proc/net/tcp6"):
        for line in Path(table).read_text().splitlines()[1:]:
            local, state = line.split()[1], line.split()[3]
            address, _, hex_port = local.partition(":")
            if int(hex_port, 16) == port and state == "0A":  # LISTEN
                raw = bytes.fromhex(address)
                if len(raw) == 4:
                    found.add(".".join(str(b) for b in reversed(raw)))
                else:
                    found.add(raw.hex())
    return found


def test_ctrl_c_stops_everything_make_edit_started(tmp_path: Path) -> None:
    project = copy_project(tmp_path / "project")
    port, cms_port = free_port(), free_port()
    # `-o setup`: the venv and node_modules are this checkout's, installed already.
    command = ["make", "-o", "setup", "edit", f"VENV={ROOT / '.venv'}"]
    command += [f"PORT={port}", f"CMS_PORT={cms_port}"]
    make = subprocess.Popen(
        command,
        cwd=project,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        start_new_session=True,
        env={**os.environ, "NO_MKDOCS_2_WARNING": "1"},
    )
    try:
        deadline = time.monotonic() + 180
        while True:
            assert make.poll() is None, "make edit stopped by itself"
            assert time.monotonic() < deadline, "make edit did not start"
            try:
                with urlopen(f"http://127.0.0.1:{port}/admin/config.yml", timeout=2):
                    pass
            except OSError:
                pass
            else:
                if post(f"http://127.0.0.1:{cms_port}/api/v1", {"action": "info"}) == 200:
                    break
            time.sleep(0.5)
        assert len(group_members(make.pid)) >= 4  # make, sh or python, node, mkdocs
        # The proxy writes files for whoever asks: it listens on the loopback only.
        assert listening_addresses(cms_port) == {"127.0.0.1"}
        os.killpg(make.pid, signal.SIGINT)  # what the terminal sends on Ctrl-C
        make.wait(timeout=30)
        deadline = time.monotonic() + 15
        while group_members(make.pid) and time.monotonic() < deadline:
            time.sleep(0.2)
        assert group_members(make.pid) == []
    finally:
        if group_members(make.pid):
            os.killpg(make.pid, signal.SIGKILL)
