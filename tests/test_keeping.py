"""Scenario B's differences and the exported summary (calculators/keeping.py, SPEC §5.9)."""

from __future__ import annotations

import csv
import io
import json
from decimal import Decimal

from hypothesis import assume, given, settings
from hypothesis import strategies as st

import calculators
from calculators import keeping
from calculators.web import handle

NBSP = "\u00a0"
MINUS = "\u2212"
ROAS = {"ad_spend": "2.500", "revenue": "10.000", "gross_margin": "40"}


def test_differences_are_dutch_with_their_sign_and_unit() -> None:
    _, _, differences = keeping.compare("roas", ROAS, {**ROAS, "revenue": "4.000"})
    assert differences == {
        "roas": f"{MINUS}2,4",
        "roas_percent": f"{MINUS}240 procentpunt",
        "break_even_roas": "gelijk",
        "poas": f"{MINUS}0,96",
        "profit_after_ads": f"{MINUS}€{NBSP}2.400,00",
    }
    _, _, up = keeping.compare("roas", ROAS, {**ROAS, "ad_spend": "2.000"})
    assert up["profit_after_ads"] == f"+€{NBSP}500,00"


def test_a_difference_smaller_than_the_display_is_equal_and_none_without_a_value() -> None:
    output = calculators.get("roas").output("profit_after_ads")
    assert keeping.difference(output, Decimal("1.001"), Decimal("1.003")) == "gelijk"
    assert keeping.difference(output, None, Decimal(1)) == "anders"
    assert keeping.difference(output, None, None) == "gelijk"
    verdict = calculators.get("ltv_cac").outputs[-1]
    assert keeping.difference(verdict, "gezond", "verlies") == "anders"
    assert keeping.difference(verdict, "gezond", "gezond") == "gelijk"


def test_the_summary_has_inputs_outputs_date_and_link() -> None:
    exported = keeping.export("roas", ROAS, None, "https://example.org/roas/?x=1", "2026-03-09")
    text = exported["text"]
    assert text.startswith("ROAS berekenen\nBerekend op 9 maart 2026\n")
    assert f"- Advertentiebudget: €{NBSP}2.500" in text
    assert "- ROAS: 4:1" in text
    assert text.rstrip().endswith("Link: https://example.org/roas/?x=1")
    assert exported["filename"] == "roas-2026-03-09.csv"
    rows = list(csv.reader(io.StringIO(exported["csv"].removeprefix("\ufeff")), delimiter=";"))
    assert ["Datum", "9 maart 2026"] in rows
    assert ["ROAS", "x : 1", "4"] in rows
    assert ["Brutomarge", "%", "40"] in rows


def test_typed_text_cannot_become_a_spreadsheet_formula() -> None:
    exported = keeping.export("roas", {**ROAS, "ad_spend": "=HYPERLINK(1)"}, None, "u", "x")
    rows = list(csv.reader(io.StringIO(exported["csv"].removeprefix("\ufeff")), delimiter=";"))
    cell = next(row[2] for row in rows if row and row[0] == "Advertentiebudget")
    assert cell.startswith("'=HYPERLINK(1)")
    assert "ongeldig" in cell


def test_the_page_reaches_compare_and_export_through_web_handle() -> None:
    compared = json.loads(
        handle(
            json.dumps({"op": "compare", "calculator": "roas", "inputs": ROAS, "scenario": ROAS})
        )
    )
    assert compared["result"]["display"]["roas"] == "4:1"
    assert compared["chart"].startswith("<svg")
    assert compared["scenario"]["differences"]["roas"] == "gelijk"
    for broken in ({"scenario": [1]}, {"scenario": {"ad_spend": {"x": 1}}}):
        request = {"op": "compare", "calculator": "roas", "inputs": ROAS, **broken}
        assert "error" in json.loads(handle(json.dumps(request)))
    unknown = {"op": "compare", "calculator": "roas", "inputs": ROAS, "scenario": {"x": "1"}}
    assert "error" in json.loads(handle(json.dumps(unknown)))
    exported = json.loads(
        handle(json.dumps({"op": "export", "calculator": "roas", "inputs": ROAS, "url": "u"}))
    )
    assert set(exported) == {"text", "csv", "filename"}


@settings(max_examples=60, deadline=None)
@given(
    calculator_id=st.sampled_from(list(calculators.registry)),
    texts=st.lists(st.text(max_size=12), min_size=1, max_size=20),
    date_text=st.text(max_size=12),
)
def test_any_typed_text_exports_without_nan_or_a_crash(
    calculator_id: str, texts: list[str], date_text: str
) -> None:
    # The summary echoes invalid text as typed; that text is the reader's own.
    assume(not any(word in text.lower() for text in texts for word in ("nan", "inf")))
    fields = calculators.get(calculator_id).field_names()
    inputs = dict(zip(fields, texts, strict=False))
    scenario = dict(zip(fields, reversed(texts), strict=False))
    exported = keeping.export(calculator_id, inputs, scenario, "u", date_text)
    _, _, differences = keeping.compare(calculator_id, inputs, scenario)
    for text in (exported["text"], exported["csv"], *differences.values()):
        assert "NaN" not in text and "Infinity" not in text
