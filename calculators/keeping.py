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
from .dutch_numbers import MINUS, NOT_APPLICABLE, format_input, format_number, format_value
from .errors import escaped
from .kinds import Kind
from .model import Field, Output, RawValue, Result

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
SAME, OTHER = "gelijk", "anders"
# The unit of a CSV row, in its own column: the cells hold bare numbers.
UNITS = {
    Kind.MONEY: "euro",
    Kind.PERCENT: "%",
    Kind.RATIO: "x : 1",
    Kind.MONTHS: "maanden",
}


def difference(output: Output, a: object, b: object) -> str:
    """B against A in Dutch: "+€ 1.000,00", "−2,5 procentpunt", "gelijk" (the same as
    shown), or "anders" for a text or an "n.v.t." that differs."""
    if not isinstance(a, Decimal) or not isinstance(b, Decimal):
        return SAME if a == b else OTHER
    if output.display(a) == output.display(b):
        return SAME
    delta = b - a
    shown = format_value(abs(delta), output.kind)
    if output.kind is Kind.PERCENT:
        shown = shown.removesuffix("%") + " procentpunt"
    elif output.kind is Kind.RATIO:
        shown = shown.removesuffix(":1")
    return ("+" if delta > 0 else MINUS) + shown


def _difference_cell(output: Output, a: object, b: object) -> str:
    """The difference as a spreadsheet number ("-2400,00"), or its word."""
    said = difference(output, a, b)
    if not isinstance(a, Decimal) or not isinstance(b, Decimal) or said == SAME:
        return "0" if said == SAME and isinstance(a, Decimal) else said
    return format_number(b - a, output.kind)


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


def _typed(result: Result, name: str, raw: RawValue) -> str | None:
    """What was typed into an invalid field, escaped, with the error; None when valid."""
    if name not in result.errors:
        return None
    typed = escaped(str(raw or "").strip()[:40])
    return f"{typed} (ongeldig: {result.errors[name]})" if typed else result.errors[name]


def _input_text(field: Field, result: Result, raw: RawValue) -> str:
    invalid = _typed(result, field.name, raw)
    if invalid is not None:
        return invalid
    value = result.inputs.get(field.name)
    return "niet ingevuld" if value is None else field.shown(value)


def _input_cell(field: Field, result: Result, raw: RawValue) -> str:
    invalid = _typed(result, field.name, raw)
    if invalid is not None:
        return _safe_cell(invalid)
    value = result.inputs.get(field.name)
    if value is None:
        return ""
    return format_input(value, field.kind).replace(".", "")  # exact, no thousands dots


def _safe_cell(text: str) -> str:
    return f"'{text}" if text.startswith(_FORMULA_START) else text


def _unit(kind: Kind) -> str:
    return UNITS.get(kind, "")


def export(
    calculator_id: str,
    inputs: Mapping[str, RawValue],
    scenario: Mapping[str, RawValue] | None,
    url: str,
    iso_date: str,
) -> dict[str, str]:
    """The Dutch text summary, the same as semicolon CSV, and a file name for it.

    The text reads as the screen does ("−€ 1.250,00"); the CSV holds numbers a
    spreadsheet can add up ("-1250,00"), their unit in a column of its own.
    Control and bidi characters from the page (URL, typed text) are escaped.
    """
    calculator = get(calculator_id)
    # Only the fields this calculator has; anything else from a page is ignored.
    names = set(calculator.field_names())
    inputs = {k: v for k, v in inputs.items() if k in names}
    if scenario is not None:
        scenario = {k: v for k, v in scenario.items() if k in names}
    a = calculator.compute(inputs)
    b = calculator.compute(scenario) if scenario is not None else None
    raws = [inputs] if scenario is None else [inputs, scenario]
    results = [a] if b is None else [a, b]
    day = day_of(iso_date)
    when = dutch_date(day)
    url = escaped(str(url)[:2000])

    def joined(texts: list[str]) -> str:
        return texts[0] if len(texts) == 1 else f"A {texts[0]} | B {texts[1]}"

    lines = [calculator.title, f"Berekend op {when}", "", "Invoer"]
    for f in calculator.fields:
        texts = [_input_text(f, r, raw.get(f.name)) for r, raw in zip(results, raws, strict=True)]
        lines.append(f"- {f.label}: {joined(texts)}")
    lines += ["", "Uitkomst"]
    for o in calculator.outputs:
        texts = [r.display.get(o.name, NOT_APPLICABLE) for r in results]
        said = f" (verschil {difference(o, a.values[o.name], b.values[o.name])})" if b else ""
        lines.append(f"- {o.label}: {joined(texts)}{said}")
    lines += ["", f"Link: {url}"]

    table = io.StringIO()
    writer = csv.writer(table, delimiter=";", lineterminator="\r\n")
    columns = ["Scenario A", "Scenario B"] if b is not None else ["Waarde"]
    writer.writerow(["Rekenhulp", calculator.title])
    writer.writerow(["Datum", when])
    writer.writerow(["Link", _safe_cell(url)])
    writer.writerow([])
    writer.writerow(["Invoer", "Eenheid", *columns])
    for f in calculator.fields:
        cells = [_input_cell(f, r, raw.get(f.name)) for r, raw in zip(results, raws, strict=True)]
        writer.writerow([f.label, _unit(f.kind), *cells])
    writer.writerow([])
    writer.writerow(["Uitkomst", "Eenheid", *columns, *(["Verschil"] if b is not None else [])])
    for o in calculator.outputs:
        cells = [format_number(r.values.get(o.name), o.kind) for r in results]
        if o.kind is Kind.TEXT:
            cells = [r.display.get(o.name, NOT_APPLICABLE) for r in results]
        if b is not None:
            cells.append(_difference_cell(o, a.values[o.name], b.values[o.name]))
        writer.writerow([o.label, _unit(o.kind), *cells])
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
