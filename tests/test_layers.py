"""The code is in layers: hooks -> kennisbank -> calculators, no circles, each module once.

`hooks/` holds thin MkDocs event adapters, `kennisbank/` the site's logic (no
MkDocs events), `calculators/` the pure-Python package the browser runs. The
imports are read from the source (every import, also those inside functions).
"""

from __future__ import annotations

import ast
import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from .support import ROOT

LAYERS = ("hooks", "kennisbank", "calculators")


def module_name(path: Path) -> str:
    parts = list(path.relative_to(ROOT).with_suffix("").parts)
    if parts[-1] == "__init__":
        parts.pop()
    return ".".join(parts)


SOURCES = {
    module_name(path): path for layer in LAYERS for path in sorted((ROOT / layer).rglob("*.py"))
}


def imported_modules(name: str) -> set[str]:
    """Every module the source of `name` imports: `from a import b` counts as a.b if b is one."""
    path = SOURCES[name]
    package = name if path.name == "__init__.py" else name.rpartition(".")[0]
    found: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"), filename=str(path))):
        if isinstance(node, ast.Import):
            found.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom):
            if node.level:
                base = package.split(".")[: len(package.split(".")) - (node.level - 1)]
                module = ".".join([*base, *([node.module] if node.module else [])])
            else:
                module = node.module or ""
            for alias in node.names:
                submodule = f"{module}.{alias.name}"
                found.add(submodule if submodule in SOURCES else module)
    return found


GRAPH = {name: imported_modules(name) for name in SOURCES}


def layer(module: str) -> str:
    return module.partition(".")[0]


def test_the_layers_have_modules() -> None:
    # The walk below would pass on nothing at all.
    for name in LAYERS:
        assert any(layer(module) == name and module != name for module in SOURCES), name
    assert GRAPH["hooks.posts"] >= {"kennisbank.posts", "kennisbank.problems"}


@pytest.mark.parametrize("name", [m for m in SOURCES if layer(m) in ("hooks", "kennisbank")])
def test_nothing_imports_a_hook(name: str) -> None:
    """A hook is loaded by MkDocs as a module of its own: importing it loads it twice."""
    assert sorted(m for m in GRAPH[name] if layer(m) == "hooks") == []


@pytest.mark.parametrize("name", [m for m in SOURCES if layer(m) == "kennisbank"])
def test_site_logic_knows_no_mkdocs_events(name: str) -> None:
    tree = ast.parse(SOURCES[name].read_text(encoding="utf-8"))
    functions = [n.name for n in ast.walk(tree) if isinstance(n, ast.FunctionDef)]
    assert [f for f in functions if f.startswith("on_")] == []
    assert "event_priority" not in SOURCES[name].read_text(encoding="utf-8")


@pytest.mark.parametrize("name", [m for m in SOURCES if layer(m) == "calculators"])
def test_calculators_import_only_the_standard_library(name: str) -> None:
    foreign = {
        module
        for module in GRAPH[name]
        if layer(module) != "calculators" and layer(module) not in sys.stdlib_module_names
    }
    assert sorted(foreign) == []


def test_no_import_cycles() -> None:
    """A module may not, through any chain of imports, import itself."""
    cycles: list[list[str]] = []
    done: set[str] = set()

    def visit(module: str, chain: list[str]) -> None:
        if module in chain:
            cycles.append([*chain[chain.index(module) :], module])
            return
        if module in done:
            return
        for target in sorted(GRAPH[module]):
            if target in SOURCES:
                visit(target, [*chain, module])
        done.add(module)

    for module in SOURCES:
        visit(module, [])
    assert [" -> ".join(cycle) for cycle in cycles] == []


# Loads the configuration as `mkdocs build` does (every hook file, the fence
# named in mkdocs.yml), then every module of the site logic, and lists which
# modules each project file was loaded as.
LOAD_EVERYTHING = """
import json, pkgutil, sys
from importlib import import_module
from pathlib import Path
from mkdocs.config import load_config

import kennisbank

config = load_config("mkdocs.yml")
for found in pkgutil.walk_packages(kennisbank.__path__, "kennisbank."):
    import_module(found.name)
root = Path.cwd().resolve()
loaded = {}
for name, module in list(sys.modules.items()):
    path = getattr(module, "__file__", None)
    if path and Path(path).resolve().is_relative_to(root):
        source = Path(path).resolve().relative_to(root)
        if source.parts[0] in ("hooks", "kennisbank", "calculators"):
            loaded.setdefault(source.as_posix(), []).append(name)
hooks = [name for name in config["hooks"]]
print(json.dumps({"loaded": loaded, "hooks": hooks}))
"""


def test_each_module_is_loaded_once() -> None:
    """State such as the collected problems exists once: no file is two modules."""
    result = subprocess.run(
        [sys.executable, "-c", LOAD_EVERYTHING],
        cwd=ROOT,
        capture_output=True,
        text=True,
        env={**os.environ, "NO_MKDOCS_2_WARNING": "1"},
        check=True,
    )
    report = json.loads(result.stdout)
    loaded: dict[str, list[str]] = report["loaded"]
    twice = {path: sorted(names) for path, names in loaded.items() if len(names) > 1}
    assert twice == {}
    assert len(report["hooks"]) >= 10
    assert "kennisbank/problems.py" in loaded and "hooks/serve_errors.py" in loaded
