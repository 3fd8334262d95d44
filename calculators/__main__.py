"""Command line: python -m calculators <id> --<field> <value> ... [--json].

Exit codes: 0 valid input, 2 invalid input (the result is still printed),
64 (EX_USAGE) for an unknown calculator, an unknown field or bad usage.
The parser is hand-written so that values may start with "-" and every text,
including --help, is Dutch; it also keeps argparse out of the import.
"""

import sys
from collections.abc import Sequence

from .catalog import get, registry
from .dutch_numbers import format_input
from .errors import UnknownCalculatorError, UnknownFieldError
from .kinds import Kind
from .model import Calculator, Result

EXIT_OK = 0
EXIT_INVALID_INPUT = 2
EXIT_USAGE = 64
_PROGRAM = "python -m calculators"
_KIND_NAMES = {
    Kind.MONEY: "bedrag in €",
    Kind.COUNT: "heel getal",
    Kind.PERCENT: "percentage",
    Kind.NUMBER: "getal",
}


class UsageError(Exception):
    """Wrong command line; the message is Dutch."""


def main(argv: Sequence[str] | None = None) -> int:
    _tolerate_limited_consoles()
    try:
        return _run(list(sys.argv[1:] if argv is None else argv))
    except (UsageError, UnknownCalculatorError, UnknownFieldError) as error:
        print(f"Fout: {error}", file=sys.stderr)
        return EXIT_USAGE


def _run(args: list[str]) -> int:
    calculator_id, raw_inputs, as_json, wants_help = _parse_args(args)
    if calculator_id is None:
        if wants_help:
            print(_overview())
            return EXIT_OK
        raise UsageError(f"Geef een rekenhulp op.\n\n{_overview()}")
    calculator = get(calculator_id)
    if wants_help:
        print(_calculator_help(calculator))
        return EXIT_OK
    for name in raw_inputs:
        calculator.field(name)  # UnknownFieldError lists the valid fields
    result = calculator.compute(raw_inputs)
    if as_json:
        import json  # only the CLI needs it

        print(json.dumps(result.to_dict(), ensure_ascii=False))
    else:
        print(_table(calculator, raw_inputs, result))
    return EXIT_OK if result.ok else EXIT_INVALID_INPUT


def _parse_args(args: list[str]) -> tuple[str | None, dict[str, str], bool, bool]:
    calculator_id: str | None = None
    raw_inputs: dict[str, str] = {}
    as_json = wants_help = False
    position = 0
    while position < len(args):
        token = args[position]
        position += 1
        if token in ("-h", "--help"):
            wants_help = True
        elif token == "--json":
            as_json = True
        elif token.startswith("--") and len(token) > 2:
            name, has_value, value = token[2:].partition("=")
            if not has_value:
                if position >= len(args):
                    raise UsageError(f"Geef een waarde na {token}.")
                value = args[position]
                position += 1
            # Both --media_spend and --media-spend name the field media_spend.
            raw_inputs[name.replace("-", "_")] = value
        elif calculator_id is None and not token.startswith("-"):
            calculator_id = token
        else:
            raise UsageError(f"Onverwacht argument '{token}'. Zie {_PROGRAM} --help.")
    return calculator_id, raw_inputs, as_json, wants_help


def _overview() -> str:
    width = max(len(calculator_id) for calculator_id in registry)
    lines = [
        f"Gebruik: {_PROGRAM} <rekenhulp> --<veld> <waarde> ... [--json]",
        "",
        "Rekenhulpen:",
        *(f"  {c.id.ljust(width)}  {c.title}: {c.purpose}" for c in registry.values()),
        "",
        f"Velden van een rekenhulp: {_PROGRAM} <rekenhulp> --help",
        "Getallen schrijf je op z'n Nederlands: 1.250,50, € 2.000 of 12,5%.",
        "Met --json volgt een JSON-object. Exitcode 0: geldige invoer, 2: ongeldige invoer,",
        "64: onbekende rekenhulp of onbekend veld.",
    ]
    return "\n".join(lines)


def _calculator_help(calculator: Calculator) -> str:
    width = max(len(f.name) for f in calculator.fields) + 2
    lines = [
        f"{calculator.title} ({calculator.id})",
        calculator.purpose,
        "",
        f"Gebruik: {_PROGRAM} {calculator.id} --<veld> <waarde> ... [--json]",
        "",
        "Velden:",
    ]
    for f in calculator.fields:
        notes = [_KIND_NAMES[f.kind], "verplicht" if f.required else "optioneel"]
        if f.default is not None:
            notes.append(f"leeg telt als {format_input(f.default, f.kind)}")
        lines.append(f"  --{f.name.ljust(width)}{f.label} ({', '.join(notes)})")
        lines.append(f"    {' ' * width}{f.help}")
    example = " ".join(
        f"--{f.name} {format_input(f.example, f.kind)}"
        for f in calculator.fields
        if f.example is not None
    )
    lines += ["", "Voorbeeld:", f"  {_PROGRAM} {calculator.id} {example}"]
    return "\n".join(lines)


def _table(calculator: Calculator, raw_inputs: dict[str, str], result: Result) -> str:
    labels = [f.label for f in calculator.fields] + [o.label for o in calculator.outputs]
    width = max(len(label) for label in labels) + 2
    lines = [f"{calculator.title} ({calculator.id})", "", "Invoer"]
    for f in calculator.fields:
        given = raw_inputs.get(f.name, "").strip()
        if not given and f.default is not None:
            given = f"(leeg, telt als {format_input(f.default, f.kind)})"
        lines.append(f"  {f.label.ljust(width)}{given or '(leeg)'}")
    lines += ["", "Uitkomst"]
    for o in calculator.outputs:
        shown = result.display[o.name]
        if o.name in result.reasons:
            shown = f"{shown}: {result.reasons[o.name]}"
        lines.append(f"  {o.label.ljust(width)}{shown}")
    if result.errors:
        lines += ["", "Fouten in de invoer"]
        for name, message in result.errors.items():
            lines.append(f"  {calculator.field(name).label}: {message}")
    return "\n".join(lines)


def _tolerate_limited_consoles() -> None:
    # A console that cannot show "€" should get an escape, not a traceback.
    for stream in (sys.stdout, sys.stderr):
        reconfigure = getattr(stream, "reconfigure", None)
        if reconfigure is not None:
            reconfigure(errors="backslashreplace")


if __name__ == "__main__":
    sys.exit(main())
