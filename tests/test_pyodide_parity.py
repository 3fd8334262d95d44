"""The same requests in real Pyodide (Node.js) and in CPython: identical answers.

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
from calculators.web import handle

from .support import ROOT, example_text

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
    ("video", example_text("video")),
    (
        "video",
        {
            "media_spend": "1.000",
            "impressions": "30.000",
            "views": "7.000",
            "completed_views": "3.000",
            "clicks": "70",
            "conversions": "3",
            "revenue": "1.000",
        },
    ),
    ("video", {"media_spend": "100", "impressions": "1.000", "views": "0", "conversions": "0"}),
    ("video", {"media_spend": "100", "impressions": "1.000", "views": "1.001", "clicks": "9"}),
    (
        "video",
        {"media_spend": "100", "impressions": "1.000", "views": "10", "completed_views": "11"},
    ),
    ("mer", example_text("mer")),
    ("mer", {"total_revenue": "400.000", "marketing_spend": "45.000", "gross_margin": "10%"}),
    ("mer", {"total_revenue": "0", "marketing_spend": "1.000"}),
    ("mer", {"total_revenue": "1.000", "marketing_spend": "500", "new_customer_revenue": "1.001"}),
    ("incrementality", example_text("incrementality")),
    # p-values across the range: math.erfc must agree between CPython and Pyodide.
    *[
        (
            "incrementality",
            {
                "test_size": test_size,
                "test_conversions": test,
                "control_size": control_size,
                "control_conversions": control,
                "ad_spend": "1.234,56",
                "value_per_conversion": "17,5",
            },
        )
        for test_size, test, control_size, control in [
            ("10.000", "250", "9.973", "200"),
            ("2.000", "50", "2.000", "42"),
            ("50.000", "1.000", "50.000", "1.020"),
            ("1.250.000", "12.500", "250.000", "2.000"),
            ("137", "3", "150", "4"),
            ("7.919", "123", "8.111", "118"),
            ("31", "1", "29", "0"),
            ("10.000", "10.000", "9.973", "9.973"),
        ]
    ],
    (
        "incrementality",
        {
            "test_size": "10",
            "test_conversions": "0",
            "control_size": "10",
            "control_conversions": "0",
        },
    ),
    (
        "incrementality",
        {
            "test_size": "100",
            "test_conversions": "101",
            "control_size": "100",
            "control_conversions": "7",
        },
    ),
]


# Reading a result, goal seeking and the entry point's error answers.
EXTRA: list[dict[str, object]] = [
    # partial results: one bad field blanks only its dependants
    {"op": "compute", "calculator": "cpl", "inputs": {"media_spend": "4.000", "leads": "0"}},
    {"op": "compute", "calculator": "influencer", "inputs": {**example_text("influencer"),
                                                             "gross_margin": "150"}},
    # tones on both sides of a boundary, notes, an ambiguous count
    {"op": "compute", "calculator": "roas",
     "inputs": {"ad_spend": "1.000", "revenue": "2.499,99", "gross_margin": "40"}},
    {"op": "compute", "calculator": "ltv_cac",
     "inputs": {**example_text("ltv_cac"), "acquisition_costs": "19.999"}},
    {"op": "compute", "calculator": "cpl",
     "inputs": {"media_spend": "1.25", "leads": "1,000", "close_rate": "12.5%"}},
    # goal seeking: closed forms, a rounded-up count, a search, unreachable targets
    {"op": "solve", "calculator": "roas", "field": "revenue", "output": "roas", "target": "5",
     "inputs": {"ad_spend": "2.000"}},
    {"op": "solve", "calculator": "cpl", "field": "leads", "output": "cpl", "target": "30",
     "inputs": {"media_spend": "4.000"}},
    {"op": "solve", "calculator": "influencer", "field": "posts", "output": "roi",
     "target": "20%", "inputs": example_text("influencer")},
    {"op": "solve", "calculator": "ltv_cac", "field": "churn_rate", "output": "ltv_cac_ratio",
     "target": "3:1", "inputs": example_text("ltv_cac")},
    {"op": "solve", "calculator": "cpl", "field": "close_rate", "output": "cpl", "target": "5",
     "inputs": {}},
    {"op": "solve", "calculator": "cpl", "field": "leads", "output": "cpl", "target": "-5",
     "inputs": {"media_spend": "4.000"}},
    {"op": "compute", "calculator": "nope", "inputs": {}},
]  # fmt: skip


def jsonable(inputs: dict[str, object]) -> dict[str, object]:
    # JSON has no Decimal: send it as text, which both sides parse the same way.
    return {k: str(v) if isinstance(v, Decimal) else v for k, v in inputs.items()}


def lockfile(site: Path) -> Path:
    """The site's pyodide-lock.json (in a folder named after the calculators' sources)."""
    (path,) = (site / "assets" / "calculators").glob("*/pyodide-lock.json")
    return path


def run_in_pyodide(site: Path, requests: list[str], tmp_path: Path) -> list[str]:
    node = shutil.which("node")
    if node is None:
        pytest.fail("Node.js >= 20 is needed for the Pyodide tests: apt-get install nodejs")
    lock = lockfile(site)
    runtime = next((site / "assets" / "pyodide").iterdir())
    requests_file = tmp_path / "requests.json"
    requests_file.write_text(json.dumps(requests), encoding="utf-8")
    result = subprocess.run(
        [
            node,
            str(ROOT / "tests" / "pyodide_runner.mjs"),
            str(runtime),
            str(lock),
            str(requests_file),
        ],
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout)


def test_pyodide_and_cpython_give_identical_answers(site: Path, tmp_path: Path) -> None:
    """One Pyodide start for every case: results, tones, notes, charts (the SVG text
    itself), goal seeking and error answers must match CPython character for character."""
    computes = [
        {"op": "compute", "calculator": cid, "inputs": jsonable(inputs)} for cid, inputs in CASES
    ]
    presets = [
        {"op": "compute", "calculator": c.id, "inputs": p.values}
        for c in calculators.registry.values()
        for p in c.presets
    ]
    requests = [json.dumps(r) for r in (*computes, *presets, *EXTRA)]
    in_pyodide = run_in_pyodide(site, requests, tmp_path)
    in_cpython = [handle(r) for r in requests]
    assert len(in_pyodide) == len(requests)
    for request, browser, server in zip(requests, in_pyodide, in_cpython, strict=True):
        assert browser == server, request
    answers = [json.loads(a) for a in in_cpython]
    results = [a["result"] for a in answers if "result" in a]
    # The table really covers what it claims.
    assert any(r["ok"] for r in results)
    assert any(r["errors"] and any(v is not None for v in r["values"].values()) for r in results)
    assert any(r["ok"] and None in r["values"].values() for r in results)
    assert {t for r in results for t in r["tones"].values()} == {"good", "warn", "bad"}
    assert any(r["notes"] for r in results)
    assert all(a["chart"].startswith("<svg") for a in answers if "result" in a)
    assert any("Nog geen grafiek" in a["chart"] for a in answers if "chart" in a)
    assert sum("solved" in a for a in answers) == 4
    assert sum("error" in a for a in answers) == 3


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
