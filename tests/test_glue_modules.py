"""The browser glue: small ES modules, served under one folder named by a hash of them all,
each side (the page's, the worker's) bundled into its entry."""

from __future__ import annotations

import re
import shutil
from pathlib import Path

from mkdocs.structure.files import File, Files

from kennisbank.calculator_pages import GLUE_FOLDER, hash_glue
from kennisbank.glue_bundle import OPTIONS

from .support import ROOT

SOURCE = ROOT / "docs" / GLUE_FOLDER
MODULES = sorted(path.relative_to(SOURCE).as_posix() for path in SOURCE.rglob("*.mjs"))
ENTRIES = ("calculator.mjs", "worker/worker.mjs")
IMPORT_RE = re.compile(r'^import (?:[^"]* from )?"(?P<specifier>\.[^"]+)";$', re.MULTILINE)
GLUE_URL_RE = re.compile(r'"(?P<url>[^"]*assets/javascripts/calculator/[^"]*)"')


def served(docs: Path) -> dict[str, File]:
    """Each glue module (by its source name) as the build serves it."""
    files = Files(
        [
            File(path.relative_to(docs).as_posix(), str(docs), "/site", use_directory_urls=True)
            for path in sorted((docs / GLUE_FOLDER).rglob("*.mjs"))
        ]
    )
    hash_glue(files, ROOT)
    return {file.src_uri.removeprefix(GLUE_FOLDER): file for file in files}


def imports(text: str) -> set[str]:
    return {match["specifier"] for match in IMPORT_RE.finditer(text)}


def test_changing_any_one_module_moves_every_module_to_a_new_url(tmp_path: Path) -> None:
    docs = tmp_path / "docs"
    shutil.copytree(SOURCE, docs / GLUE_FOLDER)
    before = {name: file.url for name, file in served(docs).items()}
    assert {url.removeprefix(GLUE_FOLDER).split("/")[0] for url in before.values()} == {
        before["calculator.mjs"].removeprefix(GLUE_FOLDER).split("/")[0]
    }  # one folder for all
    for name in MODULES:
        path = docs / GLUE_FOLDER / name
        original = path.read_text(encoding="utf-8")
        path.write_text(original + "\n", encoding="utf-8")
        after = {name: file.url for name, file in served(docs).items()}
        path.write_text(original, encoding="utf-8")
        assert all(after[other] != before[other] for other in MODULES), name
        assert {url.rsplit("/", 1)[-1] for url in after.values()} == {
            url.rsplit("/", 1)[-1] for url in before.values()
        }
    assert {name: file.url for name, file in served(docs).items()} == before


def test_the_served_modules_leave_out_whole_line_comments_and_keep_line_numbers(
    tmp_path: Path,
) -> None:
    docs = tmp_path / "docs"
    shutil.copytree(SOURCE, docs / GLUE_FOLDER)
    for name, file in served(docs).items():
        if name in ENTRIES:
            continue  # bundled (below)
        source = (SOURCE / name).read_text(encoding="utf-8").splitlines()
        text = file.content_string.splitlines()
        assert len(text) == len(source), name
        for original, line in zip(source, text, strict=True):
            assert line == ("" if original.lstrip().startswith("//") else original), name


def test_each_entry_is_served_with_all_it_imports_in_one_file(tmp_path: Path) -> None:
    """One request for the page's side and one for the worker's, not one per module."""
    docs = tmp_path / "docs"
    shutil.copytree(SOURCE, docs / GLUE_FOLDER)
    files = served(docs)
    for entry in ENTRIES:
        text = files[entry].content_string
        assert not imports(text), entry
        assert not re.search(r"^(?:import|export)[\s{*]", text, re.MULTILINE), entry
        assert not re.search(r"^[ \t]*//", text, re.MULTILINE), entry  # no comment lines
        # Whatever the entry imports by name is defined in the bundle itself.
        source = (SOURCE / entry).read_text(encoding="utf-8")
        names = [
            name.split(" as ")[0].strip()
            for group in re.findall(r"^import \{([^}]*)\} from", source, re.MULTILINE)
            for name in group.split(",")
        ]
        assert len(names) > 5, entry
        for name in names:
            declared = rf"(?:function|var|let|const|class) {re.escape(name)}(?![\w$])"
            assert re.search(declared, text), (entry, name)
    assert "--bundle" in OPTIONS and "--minify" not in " ".join(OPTIONS)


def test_no_script_of_ours_is_longer_than_300_lines() -> None:
    """Every JavaScript file the project writes: the glue, the editor, the build's Node scripts."""
    skipped = {"node_modules", "site", ".venv", ".git", ".cache"}
    scripts = [
        path
        for pattern in ("*.js", "*.mjs")
        for path in ROOT.rglob(pattern)
        if not skipped & set(path.relative_to(ROOT).parts)
    ]
    assert {path.relative_to(ROOT).as_posix() for path in scripts} >= {
        f"docs/{GLUE_FOLDER}{name}" for name in MODULES
    }
    for path in scripts:
        lines = len(path.read_text(encoding="utf-8").splitlines())
        assert lines <= 300, f"{path.relative_to(ROOT)}: {lines} lines"


def test_each_entry_module_imports_all_of_its_side_at_once() -> None:
    """No waterfall: whatever a module imports, its entry imports itself too."""
    for entry, folder in (("calculator.mjs", SOURCE), ("worker/worker.mjs", SOURCE / "worker")):
        direct = {
            (folder / specifier).resolve()
            for specifier in imports((SOURCE / entry).read_text(encoding="utf-8"))
        }
        side = {path.resolve() for path in folder.glob("*.mjs")} - {(SOURCE / entry).resolve()}
        assert side <= direct, entry
        for path in side:
            for specifier in imports(path.read_text(encoding="utf-8")):
                assert (path.parent / specifier).resolve() in direct, (path.name, specifier)


def test_a_calculator_page_loads_only_hashed_glue_and_preloads_it(site: Path) -> None:
    html = (site / "rekenhulpen" / "roas" / "index.html").read_text(encoding="utf-8")
    page = site / "rekenhulpen" / "roas"
    urls = [match["url"] for match in GLUE_URL_RE.finditer(html)]
    assert urls
    folders = set()
    for url in urls:
        found = re.fullmatch(r"(?:\.\./)*assets/javascripts/calculator/([0-9a-f]{8})/.+\.mjs", url)
        assert found, url
        folders.add(found[1])
        assert (page / url).resolve().is_file(), url
    assert len(folders) == 1
    folder = site / GLUE_FOLDER / folders.pop()
    # Its two entries, each bundled: the page's own, and its worker's.
    glue = re.findall(
        r'<link rel="modulepreload" href="[^"]*/calculator/[0-9a-f]{8}/([^"]+)">', html
    )
    assert sorted(glue) == ["calculator.mjs", "worker/worker.mjs"]
    for entry in glue:
        assert not imports((folder / entry).read_text(encoding="utf-8")), entry
    assert f'data-kb-worker="../../{GLUE_FOLDER}' in html
    # Served under their plain names, each relative import finds its module.
    assert not list((site / GLUE_FOLDER).glob("*.mjs"))
    for path in folder.rglob("*.mjs"):
        for specifier in imports(path.read_text(encoding="utf-8")):
            assert (path.parent / specifier).is_file(), (path, specifier)
