"""Comparing two scenarios and keeping a result (SPEC §5.9), for the browser's tools.

`compare` computes scenario A and B and says per output how B differs from A;
`export` writes the Dutch text summary ("Kopieer uitkomst") and the CSV with the
same content. The browser only passes texts along: every number is formatted here.
"""

import csv
import io
from collections.abc import Mapping
from datetime import date
from decimal import Decimal

from .catalog import chart_svg, get
from .dutch_numbers import NOT_APPLICABLE, format_value
from .kinds import Kind
from .model import Calculator, Output, RawValue, Result

MONTHS = (
    "januari",
    "februari",
    "maart",
    "april",
    "mei",
    "juni",
    "juli",
    "augustus",
    "september",
    "oktober",
    "november",
    "december",
)
# A difference in percent is in points ("2,5 procentpunt"); one of ratios is a plain
# number with the ratio's precision ("4:1" against "5,5:1" differs by "1,5").
# A spreadsheet would run a cell starting with these as a formula.
_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def difference(output: Output, a: object, b: object) -> str:
    """B minus A in Dutch ("+€ 1.000,00", "−2,5 procentpunt", "gelijk"); "" when not a number."""
    if not isinstance(a, Decimal) or not isinstance(b, Decimal):
        return ""
    delta = b - a
    shown = format_value(abs(delta), output.kind)
    if output.kind is Kind.PERCENT:
        shown = shown.removesuffix("%") + " procentpunt"
    elif output.kind is Kind.RATIO:
        shown = shown.removesuffix(":1")
    if not any(digit in shown for digit in "123456789"):
        return "gelijk"  # the same once rounded for display
    return ("+" if delta > 0 else "\u2212") + shown


def compare(
    calculator_id: str, inputs: Mapping[str, RawValue], scenario: Mapping[str, RawValue]
) -> tuple[Result, Result, dict[str, str]]:
    """Results of scenario A and B and, per output, how B differs from A."""
    calculator = get(calculator_id)
    a, b = calculator.compute(inputs), calculator.compute(scenario)
    differences = {
        o.name: difference(o, a.values.get(o.name), b.values.get(o.name))
        for o in calculator.outputs
    }
    return a, b, differences


def day_of(iso: object) -> date:
    """The reader's date as the browser sends it ("2026-11-25"); today if it is no date."""
    try:
        return date.fromisoformat(str(iso)[:10])
    except ValueError:
        return date.today()


def dutch_date(day: date) -> str:
    """25 november 2026."""
    return f"{day.day} {MONTHS[day.month - 1]} {day.year}"


def _input_text(calculator: Calculator, result: Result, name: str, raw: RawValue) -> str:
    field = calculator.field(name)
    if name in result.errors:
        typed = str(raw or "").strip()[:40]
        return f"{typed} (ongeldig: {result.errors[name]})" if typed else result.errors[name]
    value = result.inputs.get(name)
    return "niet ingevuld" if value is None else field.shown(value)


def _rows(
    calculator: Calculator,
    inputs: Mapping[str, RawValue],
    scenario: Mapping[str, RawValue] | None,
) -> tuple[list[list[str]], list[list[str]]]:
    """Input rows [label, A, (B)] and output rows [label, A, (B, difference)]."""
    a = calculator.compute(inputs)
    b = calculator.compute(scenario) if scenario is not None else None
    input_rows = []
    for f in calculator.fields:
        row = [f.label, _input_text(calculator, a, f.name, inputs.get(f.name))]
        if b is not None and scenario is not None:
            row.append(_input_text(calculator, b, f.name, scenario.get(f.name)))
        input_rows.append(row)
    output_rows = []
    for o in calculator.outputs:
        row = [o.label, a.display.get(o.name, NOT_APPLICABLE)]
        if b is not None:
            row.append(b.display.get(o.name, NOT_APPLICABLE))
            row.append(difference(o, a.values.get(o.name), b.values.get(o.name)))
        output_rows.append(row)
    return input_rows, output_rows


def _safe_cell(text: str) -> str:
    return f"'{text}" if text.startswith(_FORMULA_START) else text


def export(
    calculator_id: str,
    inputs: Mapping[str, RawValue],
    scenario: Mapping[str, RawValue] | None,
    url: str,
    iso_date: str,
) -> dict[str, str]:
    """The Dutch text summary, the same as semicolon CSV, and a file name for it."""
    calculator = get(calculator_id)
    # Only the fields this calculator has; anything else from a page is ignored.
    names = set(calculator.field_names())
    inputs = {k: v for k, v in inputs.items() if k in names}
    if scenario is not None:
        scenario = {k: v for k, v in scenario.items() if k in names}
    input_rows, output_rows = _rows(calculator, inputs, scenario)
    day = day_of(iso_date)
    when = dutch_date(day)
    url = str(url)[:2000]

    lines = [calculator.title, f"Berekend op {when}", "", "Invoer"]
    if scenario is not None:
        lines += [f"- {label}: A {a} | B {b}" for label, a, b in input_rows]
        lines += ["", "Uitkomst"]
        lines += [
            f"- {label}: A {a} | B {b}" + (f" (verschil {d})" if d else "")
            for label, a, b, d in output_rows
        ]
    else:
        lines += [f"- {label}: {a}" for label, a in input_rows]
        lines += ["", "Uitkomst"]
        lines += [f"- {label}: {a}" for label, a in output_rows]
    lines += ["", f"Link: {url}"]

    table = io.StringIO()
    writer = csv.writer(table, delimiter=";", lineterminator="\r\n")
    columns = ["Scenario A", "Scenario B"] if scenario is not None else ["Waarde"]
    writer.writerow(["Rekenhulp", calculator.title])
    writer.writerow(["Datum", when])
    writer.writerow(["Link", url])
    writer.writerow([])
    writer.writerow(["Invoer", *columns])
    writer.writerows([[_safe_cell(cell) for cell in row] for row in input_rows])
    writer.writerow([])
    writer.writerow(["Uitkomst", *columns, *(["Verschil"] if scenario is not None else [])])
    writer.writerows([[_safe_cell(cell) for cell in row] for row in output_rows])
    return {
        "text": "\n".join(lines) + "\n",
        # A byte order mark, so spreadsheet programs read the "€" as UTF-8.
        "csv": "\ufeff" + table.getvalue(),
        "filename": f"{calculator.id}-{day.isoformat()}.csv",
    }


# -- calculators.web.handle's "compare" and "export" ops ----------------------------

_BROKEN = {"error": "Deze vraag aan de rekenhulp klopt niet."}


def _texts(value: object) -> dict[str, RawValue] | None:
    """A page's {field: text} object, or None when it is something else."""
    if not isinstance(value, dict):
        return None
    if not all(isinstance(v, str | int | float | None) for v in value.values()):
        return None
    return {str(k): v for k, v in value.items()}


def compare_answer(
    calculator_id: str, inputs: Mapping[str, RawValue], request: Mapping[str, object]
) -> dict[str, object]:
    """{"scenario": {field: text}} -> A's result and chart, B's result and the differences."""
    scenario = _texts(request.get("scenario"))
    if scenario is None:
        return dict(_BROKEN)
    a, b, differences = compare(calculator_id, inputs, scenario)
    return {
        "result": a.to_dict(),
        "chart": chart_svg(a),
        "scenario": {"result": b.to_dict(), "differences": differences},
    }


def export_answer(
    calculator_id: str, inputs: Mapping[str, RawValue], request: Mapping[str, object]
) -> dict[str, object]:
    """{"scenario"?, "url", "date"} -> {"text", "csv", "filename"}."""
    scenario = _texts(request.get("scenario")) if "scenario" in request else None
    if "scenario" in request and scenario is None:
        return dict(_BROKEN)
    url, iso_date = str(request.get("url", "")), str(request.get("date", ""))
    return dict(export(calculator_id, inputs, scenario, url, iso_date))


# Ops that calculators.web.handle passes on here, after checking id and inputs.
OPS = {"compare": compare_answer, "export": export_answer}
