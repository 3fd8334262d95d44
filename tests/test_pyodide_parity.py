"""The same calculator cases in real Pyodide (Node.js) and in CPython: identical results.

Pyodide runs from the built site, exactly as readers get it: the vendored npm
runtime and the calculators wheel registered in the site's pyodide-lock.json.
"""

from __future__ import annotations

import json
import shutil
import subprocess
from decimal import Decimal
from pathlib import Path

import pytest

import calculators

from .support import ROOT


def example_text(calculator_id: str) -> dict[str, object]:
    """A calculator's worked example, typed the Dutch way ("1.500", "160.000")."""
    calculator = calculators.get(calculator_id)
    return {f.name: calculators.format_input(f.example, f.kind) for f in calculator.fields}


# (calculator, inputs): valid, invalid and not-applicable cases for every calculator.
CASES: list[tuple[str, dict[str, object]]] = [
    ("cpl", {"media_spend": "1.234,56", "leads": "10"}),
    (
        "cpl",
        {
            "media_spend": "€ 4.000",
            "other_costs": "1.000",
            "leads": "125",
            "close_rate": "20%",
            "customer_value": "600",
        },
    ),
    ("cpl", {"media_spend": "1000", "leads": "3", "close_rate": "7,5"}),
    ("cpl", {"media_spend": "abc", "leads": "0"}),
    ("cpl", {"media_spend": "1e5", "leads": "2,5"}),
    ("cpl", {"media_spend": "", "leads": ""}),
    ("cpl", {"media_spend": "-5", "leads": "10", "close_rate": "120"}),
    ("roas", {"ad_spend": "2.500", "revenue": "10.000"}),
    ("roas", {"ad_spend": "3", "revenue": "10", "gross_margin": "33,3%"}),
    ("roas", {"ad_spend": "2500", "revenue": "0", "gross_margin": "40"}),
    ("roas", {"ad_spend": "0", "revenue": "100"}),
    ("roas", {"ad_spend": "1,234,567.89", "revenue": "1 234 567,89"}),
    ("roas", {"ad_spend": 2500, "revenue": 12500.5, "gross_margin": Decimal("12.5")}),
    (
        "ltv_cac",
        {
            "revenue_per_month": "50",
            "gross_margin": "80",
            "churn_rate": "4",
            "acquisition_costs": "25.000",
            "new_customers": "100",
        },
    ),
    (
        "ltv_cac",
        {
            "revenue_per_month": "49,99",
            "gross_margin": "72,5%",
            "churn_rate": "3",
            "acquisition_costs": "0",
            "new_customers": "7",
        },
    ),
    (
        "ltv_cac",
        {
            "revenue_per_month": "10",
            "gross_margin": "10",
            "churn_rate": "50",
            "acquisition_costs": "10000",
            "new_customers": "3",
        },
    ),
    (
        "ltv_cac",
        {
            "revenue_per_month": "x",
            "gross_margin": "0",
            "churn_rate": "101",
            "acquisition_costs": "",
            "new_customers": "1.5",
        },
    ),
    ("influencer", {}),
    ("influencer", example_text("influencer")),
    (
        "influencer",
        {"fee_per_post": "333,33", "posts": "3", "reach": "0", "clicks": "7", "revenue": "1000"},
    ),
    ("influencer", {"fee_per_post": "veel", "posts": "-1", "gross_margin": "0"}),
]


def jsonable(inputs: dict[str, object]) -> dict[str, object]:
    # JSON has no Decimal: send it as text, which both sides parse the same way.
    return {k: str(v) if isinstance(v, Decimal) else v for k, v in inputs.items()}


def lockfile(site: Path) -> Path:
    """The site's pyodide-lock.json (in a folder named after the calculators' sources)."""
    (path,) = (site / "assets" / "calculators").glob("*/pyodide-lock.json")
    return path


def run_in_pyodide(site: Path, cases: list[dict[str, object]], tmp_path: Path) -> list[dict]:
    node = shutil.which("node")
    if node is None:
        pytest.fail("Node.js >= 20 is needed for the Pyodide tests: apt-get install nodejs")
    lock = lockfile(site)
    runtime = next((site / "assets" / "pyodide").iterdir())
    cases_file = tmp_path / "cases.json"
    cases_file.write_text(json.dumps(cases), encoding="utf-8")
    result = subprocess.run(
        [
            node,
            str(ROOT / "tests" / "pyodide_runner.mjs"),
            str(runtime),
            str(lock),
            str(cases_file),
        ],
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout)


def test_pyodide_and_cpython_give_identical_results(site: Path, tmp_path: Path) -> None:
    cases = [{"calculator": cid, "inputs": jsonable(inputs)} for cid, inputs in CASES]
    in_pyodide = run_in_pyodide(site, cases, tmp_path)
    in_cpython = [
        json.loads(json.dumps(calculators.compute(c["calculator"], c["inputs"]).to_dict()))
        for c in cases
    ]
    assert len(in_pyodide) == len(CASES)
    for case, browser, server in zip(cases, in_pyodide, in_cpython, strict=True):
        assert browser == server, case
    # The table really covers what it claims: valid, invalid and not-applicable results.
    assert any(r["ok"] for r in in_cpython)
    assert any(r["errors"] for r in in_cpython)
    assert any(r["ok"] and None in r["values"].values() for r in in_cpython)


def test_pyodide_loads_the_wheel_registered_in_the_site_lock(site: Path) -> None:
    path = lockfile(site)
    lock = json.loads(path.read_text())
    entry = lock["packages"]["kennisbank-calculators"]
    wheel = path.parent / entry["file_name"]
    import hashlib

    assert wheel.is_file()
    assert hashlib.sha256(wheel.read_bytes()).hexdigest() == entry["sha256"]
    assert entry["imports"] == ["calculators"]
    # Only what the site ships is listed: no package the reader could not load.
    assert list(lock["packages"]) == ["kennisbank-calculators"]
