"""Numbers a marketer trusts at a glance (issue 18, items 2-5, 7 and 8), in Python.

The significant-digit rule, one way to write a negative amount, differences of
text outputs, spreadsheet-ready CSV, tone reasons and where goal seeking opens.
"""

from __future__ import annotations

import csv
import io
import re
from decimal import Decimal

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import calculators
from calculators import Kind, format_value, keeping, solve
from calculators.incrementality import PValueOutput

from .support import run_cli

NBSP, MINUS = "\u00a0", "\u2212"
NUMBER_KINDS = [Kind.MONEY, Kind.PERCENT, Kind.RATIO, Kind.COUNT, Kind.NUMBER, Kind.MONTHS]
P_VALUE = calculators.get("incrementality").output("p_value")
# Whatever a kind adds around its digits.
_UNIT_RE = re.compile(
    r"^(?P<sign>[<>] )?(?P<minus>\u2212)?(€\u00a0)?(?P<number>[\d.,]+)(%|:1| maanden| maand)?$"
)


def _shown_number(text: str) -> tuple[str, Decimal]:
    """("<"/">"/"", the number) of a displayed value such as "−€ 1.234,56" or "< 0,001"."""
    match = _UNIT_RE.match(text)
    assert match, text
    number = Decimal(match["number"].replace(".", "").replace(",", "."))
    return (match["sign"] or "").strip(), -number if match["minus"] else number


def _keeps_its_first_digit(value: Decimal, shown: str) -> None:
    """The significant-digit rule: never 0 for a non-zero value, and the first
    significant digit kept (within 5%), or a true bound ("< 0,00001")."""
    if shown == "minder dan 1 maand":
        assert 0 < value < 1
        return
    bound, number = _shown_number(shown)
    if bound == "<":
        assert 0 < value < number
    elif bound == ">":
        assert number < value < 0
    else:
        assert number != 0, shown
        assert (number > 0) == (value > 0), shown
        assert abs(number - value) <= abs(value) * Decimal("0.05"), (value, shown)


values = st.decimals(
    min_value=Decimal("-1E12"), max_value=Decimal("1E12"), allow_nan=False, allow_infinity=False
).filter(lambda value: not value.is_zero())


@settings(max_examples=400, deadline=None)
@given(value=values, kind=st.sampled_from(NUMBER_KINDS))
def test_no_output_kind_shows_zero_or_loses_the_first_significant_digit(
    value: Decimal, kind: Kind
) -> None:
    if kind is Kind.COUNT:
        value = value.to_integral_value() or Decimal(1)
    _keeps_its_first_digit(value, format_value(value, kind))


@settings(max_examples=200, deadline=None)
@given(value=st.decimals(min_value=0, max_value=1, places=12))
def test_a_p_value_is_never_shown_as_zero(value: Decimal) -> None:
    assert isinstance(P_VALUE, PValueOutput)
    shown = P_VALUE.display(value)
    if value < Decimal("0.001"):
        assert shown == "< 0,001"
    else:
        assert abs(Decimal(shown.replace(",", ".")) - value) <= Decimal("0.0005")


def test_the_roughly_rounded_figures_of_the_review_read_right() -> None:
    ltv_cac = calculators.compute(
        "ltv_cac",
        {
            "revenue_per_month": "50",
            "gross_margin": "80",
            "churn_rate": "4",
            "acquisition_costs": "10",
            "new_customers": "100",
        },
    )
    assert ltv_cac.display["payback_months"] == "minder dan 1 maand"  # was "0 maanden"
    mer = calculators.compute("mer", {"total_revenue": "1.234,56", "marketing_spend": "50.000"})
    assert mer.display["mer"] == "0,025:1"  # was "0:1"
    strong = calculators.compute(
        "incrementality",
        {
            "test_size": "20.000",
            "test_conversions": "900",
            "control_size": "20.000",
            "control_conversions": "500",
        },
    )
    assert strong.display["p_value"] == "< 0,001"  # was "0,000"
    video = calculators.compute(
        "video", {"media_spend": "2.500", "impressions": "1.000.000", "views": "100.000"}
    )
    assert video.display["cpv"] == f"€{NBSP}0,025"  # was "€ 0,03"
    assert video.display["cpm"] == f"€{NBSP}2,50"


# -- One way to write a negative amount -----------------------------------------------------------

LOSS = {"ad_spend": "2.500", "revenue": "5.000", "gross_margin": "40"}


def test_a_negative_amount_reads_the_same_everywhere_on_screen_and_plain_in_csv() -> None:
    result = calculators.compute("roas", LOSS)
    assert result.display["profit_after_ads"] == f"{MINUS}€{NBSP}500,00"
    _, _, differences = keeping.compare("roas", {**LOSS, "revenue": "10.000"}, LOSS)
    assert differences["profit_after_ads"] == f"{MINUS}€{NBSP}2.000,00"
    # The chart of a calculator that can draw a negative cost part, and the CLI.
    chart = calculators.chart_svg(
        calculators.compute(
            "mer", {"total_revenue": "100", "marketing_spend": "5.000", "gross_margin": "40"}
        )
    )
    assert "€" in chart and f"€{NBSP}-" not in chart
    cli = run_cli("roas", "--ad_spend", "2.500", "--revenue", "5.000", "--gross_margin", "40")
    assert f"{MINUS}€{NBSP}500,00" in cli.stdout and f"€{NBSP}-" not in cli.stdout
    exported = keeping.export("roas", LOSS, None, "https://example.org/", "2026-03-09")
    assert f"{MINUS}€{NBSP}500,00" in exported["text"]
    assert MINUS not in exported["csv"]
    assert ["Brutowinst na advertentiekosten", "euro", "-500,00"] in _rows(exported["csv"])


def _rows(table: str) -> list[list[str]]:
    return list(csv.reader(io.StringIO(table.removeprefix("\ufeff")), delimiter=";"))


# -- Scenario differences of text outputs ---------------------------------------------------------


@pytest.mark.parametrize("calculator_id", list(calculators.registry))
def test_every_scenario_difference_says_something(calculator_id: str) -> None:
    calculator = calculators.get(calculator_id)
    start = {f.name: calculators.format_input(f.example, f.kind) for f in calculator.fields}
    for preset in calculator.presets:
        _, _, differences = keeping.compare(calculator_id, start, preset.values)
        assert all(differences.values()), (preset.name, differences)
        for o in calculator.outputs:
            if o.kind is Kind.TEXT:
                assert differences[o.name] in ("gelijk", "anders")


def test_a_verdict_that_changes_is_different_and_one_that_stays_is_equal() -> None:
    start = {"revenue_per_month": "50", "gross_margin": "80", "churn_rate": "4"}
    start |= {"acquisition_costs": "25.000", "new_customers": "100"}
    _, _, changed = keeping.compare("ltv_cac", start, {**start, "churn_rate": "20"})
    assert changed["verdict"] == "anders"
    _, _, same = keeping.compare("ltv_cac", start, {**start, "churn_rate": "4,1"})
    assert same["verdict"] == "gelijk"


# -- Exports a spreadsheet can use ----------------------------------------------------------------

_CELL_RE = re.compile(r"-?\d+(,\d+)?")


@pytest.mark.parametrize("calculator_id", list(calculators.registry))
def test_csv_cells_are_numbers_with_the_unit_in_its_own_column(calculator_id: str) -> None:
    calculator = calculators.get(calculator_id)
    inputs = {f.name: calculators.format_input(f.example, f.kind) for f in calculator.fields}
    scenario = calculator.presets[-1].values
    exported = keeping.export(calculator_id, inputs, scenario, "https://example.org/", "x")
    rows = {row[0]: row for row in _rows(exported["csv"]) if row}
    assert rows["Invoer"] == ["Invoer", "Eenheid", "Scenario A", "Scenario B"]
    for f in calculator.fields:
        _, unit, *cells = rows[f.label]
        assert unit == keeping.UNITS.get(f.kind, "")
        assert all(cell == "" or _CELL_RE.fullmatch(cell) for cell in cells), rows[f.label]
    for o in calculator.outputs:
        _, unit, *cells = rows[o.label]
        if o.kind is not Kind.TEXT:
            assert all(c in ("n.v.t.", "anders", "gelijk") or _CELL_RE.fullmatch(c) for c in cells)


def test_bidi_and_control_characters_from_the_page_are_escaped_in_the_exports() -> None:
    url = "https://example.org/roas/?roas.revenue=\u202e0001\u0007"
    typed = {**LOSS, "ad_spend": "\u202e12"}
    exported = keeping.export("roas", typed, None, url, "2026-03-09")
    for text in (exported["text"], exported["csv"]):
        assert "\u202e" not in text and "\u0007" not in text
        assert "\\u202e0001\\x07" in text
        assert "\\u202e12 (ongeldig" in text


# -- Why a tone is what it is ---------------------------------------------------------------------


@pytest.mark.parametrize("calculator_id", list(calculators.registry))
def test_every_tone_comes_with_a_dutch_reason(calculator_id: str) -> None:
    calculator = calculators.get(calculator_id)
    for preset in calculator.presets:
        result = calculator.compute(preset.values)
        assert set(result.tone_reasons) == set(result.tones), preset.name
        assert all(reason.strip() for reason in result.tone_reasons.values())
        assert result.to_dict()["tone_reasons"] == result.tone_reasons


def test_a_loss_against_break_even_names_the_break_even() -> None:
    result = calculators.compute(
        "roas", {"ad_spend": "2.500", "revenue": "10.000", "gross_margin": "15"}
    )
    assert result.tones["roas"] == "bad"
    assert result.tone_reasons["roas"] == "onder je break-even van 6,7:1"
    payback = calculators.compute("ltv_cac", calculators.get("ltv_cac").presets[0].values)
    assert payback.tone_reasons["payback_months"] == (
        "CAC wordt binnen de gemiddelde klantduur van 25 maanden terugverdiend"
    )


# -- Goal seeking opens on a question a marketer asks ---------------------------------------------


@pytest.mark.parametrize("calculator_id", list(calculators.registry))
def test_the_default_goal_is_a_steered_field_for_a_figure_that_counts(calculator_id: str) -> None:
    calculator = calculators.get(calculator_id)
    goal = calculator.goal
    assert goal is not None
    output, field = calculator.output(goal.output), calculator.field(goal.field)
    assert output.kind in (Kind.MONEY, Kind.RATIO) and "total" not in output.name
    assert field.name in calculator.depends_on(output.name)
    # The current value as the target is answerable, with a value within bounds.
    inputs = {f.name: calculators.format_input(f.example, f.kind) for f in calculator.fields}
    current = calculator.compute(inputs).display[output.name]
    solved = solve(calculator_id, field.name, output.name, current, inputs)
    assert solved.ok, solved.reason
    assert solved.value is not None and field.allows(solved.value)


def test_a_target_past_a_bound_names_the_bound_not_a_negative_amount() -> None:
    inputs = {"media_spend": "4.000", "other_costs": "1.000", "leads": "125"}
    solved = solve("cpl", "media_spend", "cpl", "5", inputs)
    assert not solved.ok
    assert solved.reason == (
        f"De CPL kan niet €{NBSP}5,00 worden: daarvoor zou het mediabudget onder €{NBSP}0 "
        f"moeten komen. Met het mediabudget op €{NBSP}0 is de CPL €{NBSP}8,00."
    )
    assert "-" not in solved.reason and MINUS not in solved.reason
