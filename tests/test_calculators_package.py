"""The calculators package is what every reader's browser downloads: stdlib only, small, lean."""

import ast
import json
import subprocess
import sys
from pathlib import Path

import pytest

import calculators

PACKAGE = Path(calculators.__file__).resolve().parent
SOURCES = sorted(PACKAGE.glob("*.py"))
FORBIDDEN_WORDS = ("mkdocs", "jinja", "html", "javascript", "markdown")


def test_package_has_the_expected_modules() -> None:
    assert {path.name for path in SOURCES} >= {
        "__init__.py",
        "__main__.py",
        "catalog.py",
        "cpl.py",
        "dutch_numbers.py",
        "influencer.py",
        "ltv_cac.py",
        "model.py",
        "roas.py",
    }
    subpackages = [p.name for p in PACKAGE.iterdir() if p.is_dir() and p.name != "__pycache__"]
    assert subpackages == []


@pytest.mark.parametrize("path", SOURCES, ids=[path.name for path in SOURCES])
def test_imports_are_standard_library_or_own_package(path: Path) -> None:
    tree = ast.parse(path.read_text(encoding="utf-8"), filename=str(path))
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            modules = [alias.name for alias in node.names]
        elif isinstance(node, ast.ImportFrom):
            if node.level > 0:
                continue  # relative: our own package
            modules = [node.module or ""]
        elif isinstance(node, ast.Call) and getattr(node.func, "id", None) == "__import__":
            pytest.fail(f"{path.name}:{node.lineno}: dynamic import")
        else:
            continue
        for module in modules:
            top = module.split(".")[0]
            assert top in sys.stdlib_module_names or top == "calculators", (
                f"{path.name}:{node.lineno}: '{module}' is not in the standard library"
            )
            assert top not in {"importlib", "ctypes", "subprocess", "os"}, (
                f"{path.name}:{node.lineno}: '{module}' has no place in a calculator"
            )


@pytest.mark.parametrize("path", SOURCES, ids=[path.name for path in SOURCES])
def test_nothing_about_the_site_or_the_browser(path: Path) -> None:
    text = path.read_text(encoding="utf-8").lower()
    for word in FORBIDDEN_WORDS:
        assert word not in text, f"{path.name} mentions {word!r}"


@pytest.mark.parametrize("path", SOURCES, ids=[path.name for path in SOURCES])
def test_source_is_python_3_12_syntax(path: Path) -> None:
    ast.parse(path.read_text(encoding="utf-8"), feature_version=(3, 12))


def test_import_stays_lean() -> None:
    """A cold import pulls in no third-party module and none of the CLI's helpers."""
    code = (
        "import sys, json; before = set(sys.modules); import calculators; "
        "print(json.dumps(sorted(set(sys.modules) - before)))"
    )
    done = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True, timeout=60
    )
    loaded = json.loads(done.stdout)
    assert "argparse" not in loaded
    assert "calculators.__main__" not in loaded
    for module in loaded:
        top = module.split(".")[0]
        assert top in sys.stdlib_module_names or top == "calculators", module


def test_package_is_small() -> None:
    total = sum(path.stat().st_size for path in SOURCES)
    # Seven calculators, charts, goal seeking and export; the wheel compresses it to a third.
    assert total < 160_000, f"calculators/ is {total} bytes; every reader downloads it"
