"""Command line: python -m calculators <id> --<field> <value> ... [--json].

Goal seeking: add --solve <field> --target <output>=<value>.
Exit codes: 0 valid input (and a reachable target), 2 invalid input or an
unreachable target (the result is still printed), 64 (EX_USAGE) for an unknown
calculator, field or output, a field given twice, or other bad usage.
User text is echoed with control characters escaped and long values shortened.
The parser is hand-written so that values may start with "-" and every text,
including --help, is Dutch; it also keeps argparse out of the import.
"""

import sys
from collections.abc import Sequence
from dataclasses import dataclass, field

from .catalog import get, registry
from .dutch_numbers import format_input, format_value
from .errors import shown
from .kinds import Kind
from .model import Calculator, Result
from .solve import Solved, parse_target, solve

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


_TONE_WORDS = {"good": "goed", "warn": "let op", "bad": "slecht"}


class UsageError(Exception):
    """Wrong command line; the message is Dutch."""


@dataclass
class Command:
    calculator_id: str | None = None
    raw_inputs: dict[str, str] = field(default_factory=dict)
    as_json: bool = False
    wants_help: bool = False
    solve_field: str | None = None
    target: str | None = None


def main(argv: Sequence[str] | None = None) -> int:
    _tolerate_limited_consoles()
    try:
        return _run(list(sys.argv[1:] if argv is None else argv))
    except (UsageError, LookupError) as error:  # unknown calculator, field or output
        print(f"Fout: {error}", file=sys.stderr)
        return EXIT_USAGE


def _run(args: list[str]) -> int:
    command = _parse_args(args)
    if command.calculator_id is None:
        if command.wants_help:
            print(_overview())
            return EXIT_OK
        raise UsageError(f"Geef een rekenhulp op.\n\n{_overview()}")
    calculator = get(command.calculator_id)
    if command.wants_help:
        print(_calculator_help(calculator))
        return EXIT_OK
    raw_inputs = command.raw_inputs
    for name in raw_inputs:
        calculator.field(name)  # UnknownFieldError lists the valid fields
    solved = None
    if command.solve_field is not None or command.target is not None:
        solved = _solve(calculator, command)
        result = solved.result
        if solved.ok:
            raw_inputs = {**raw_inputs, solved.field: solved.display}
    else:
        result = calculator.compute(raw_inputs)
    if command.as_json:
        import json  # only the CLI needs it

        data = result.to_dict()
        if solved is not None:
            data["solved"] = solved.to_dict()
            if not solved.ok:
                data["solved"]["reason"] = solved.reason  # type: ignore[index]
        print(json.dumps(data, ensure_ascii=False))
    else:
        if solved is not None:
            print(_solved_line(calculator, solved, command.target or ""), end="\n\n")
        print(_table(calculator, raw_inputs, result))
    ok = result.ok and (solved is None or solved.ok)
    return EXIT_OK if ok else EXIT_INVALID_INPUT


def _solve(calculator: Calculator, command: Command) -> Solved:
    if command.solve_field is None or command.target is None:
        raise UsageError("Gebruik --solve <veld> samen met --target <uitkomst>=<waarde>.")
    output, has_value, target = command.target.partition("=")
    if not has_value:
        raise UsageError(
            f"Schrijf het doel als <uitkomst>=<waarde>, bijvoorbeeld --target cpl=25; "
            f"niet '{shown(command.target)}'."
        )
    calculator.field(command.solve_field)
    calculator.output(output.strip().replace("-", "_"))
    return solve(
        calculator.id,
        command.solve_field,
        output.strip().replace("-", "_"),
        target,
        command.raw_inputs,
    )


def _solved_line(calculator: Calculator, solved: Solved, target: str) -> str:
    o = calculator.output(solved.output)
    goal = parse_target(target.partition("=")[2], o)
    goal_text = format_value(goal, o.kind) if goal is not None else shown(target)
    if not solved.ok:
        return f"Niet op te lossen: {solved.reason}"
    f = calculator.field(solved.field)
    assert solved.value is not None
    return f"Nodig voor {o.label} {goal_text}: {f.label} {f.shown(solved.value)}"


def _parse_args(args: list[str]) -> Command:
    command = Command()
    position = 0
    while position < len(args):
        token = args[position]
        position += 1
        if token in ("-h", "--help"):
            command.wants_help = True
        elif token == "--json":
            command.as_json = True
        elif token.startswith("--") and len(token) > 2:
            name, has_value, value = token[2:].partition("=")
            if not has_value:
                if position >= len(args):
                    raise UsageError(f"Geef een waarde na {shown(token)}.")
                value = args[position]
                position += 1
            # Both --media_spend and --media-spend name the field media_spend.
            name = name.replace("-", "_")
            if name == "solve":
                command.solve_field = value.replace("-", "_")
            elif name == "target":
                command.target = value
            elif name in command.raw_inputs:
                raise UsageError(
                    f"Het veld '{shown(name)}' staat twee keer in de opdracht; "
                    "geef het één keer op."
                )
            else:
                command.raw_inputs[name] = value
        elif command.calculator_id is None and not token.startswith("-"):
            command.calculator_id = token
        else:
            raise UsageError(f"Onverwacht argument '{shown(token)}'. Zie {_PROGRAM} --help.")
    return command


def _overview() -> str:
    width = max(len(calculator_id) for calculator_id in registry)
    lines = [
        f"Gebruik: {_PROGRAM} <rekenhulp> --<veld> <waarde> ... [--json]",
        f"Terugrekenen: {_PROGRAM} <rekenhulp> --solve <veld> --target <uitkomst>=<waarde> ...",
        "",
        "Rekenhulpen:",
        *(f"  {c.id.ljust(width)}  {c.title}: {c.purpose}" for c in registry.values()),
        "",
        f"Velden van een rekenhulp: {_PROGRAM} <rekenhulp> --help",
        "Getallen schrijf je op z'n Nederlands: 1.250,50, € 2.000 of 12,5%.",
        "Met --json volgt een JSON-object. Exitcode 0: geldige invoer, 2: ongeldige invoer",
        "of onhaalbaar doel, 64: onbekende rekenhulp, veld of uitkomst, of een veld dubbel.",
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
    lines += ["", "Uitkomsten (voor --target <uitkomst>=<waarde>):"]
    names = max(len(o.name) for o in calculator.outputs) + 2
    lines += [f"  {o.name.ljust(names)}{o.label}" for o in calculator.outputs]
    example = " ".join(
        f"--{f.name} {format_input(f.example, f.kind)}"
        for f in calculator.fields
        if f.example is not None
    )
    lines += ["", "Terugrekenen: welke waarde van een veld haalt een doel?"]
    lines.append(f"  {_PROGRAM} {calculator.id} --solve <veld> --target <uitkomst>=<waarde> ...")
    lines += ["", "Voorbeeld:", f"  {_PROGRAM} {calculator.id} {example}"]  # last: copyable
    return "\n".join(lines)


def _table(calculator: Calculator, raw_inputs: dict[str, str], result: Result) -> str:
    labels = [f.label for f in calculator.fields] + [o.label for o in calculator.outputs]
    width = max(len(label) for label in labels) + 2
    lines = [f"{calculator.title} ({calculator.id})", "", "Invoer"]
    for f in calculator.fields:
        given = shown(raw_inputs.get(f.name, "").strip())
        if not given and f.default is not None:
            given = f"(leeg, telt als {format_input(f.default, f.kind)})"
        if f.name in result.notes:
            given = f"{given} ({result.notes[f.name]})"
        lines.append(f"  {f.label.ljust(width)}{given or '(leeg)'}")
    lines += ["", "Uitkomst"]
    for o in calculator.outputs:
        text = result.display[o.name]
        if o.name in result.reasons:
            text = f"{text}: {result.reasons[o.name]}"
        if o.name in result.tones:  # the tone's word and why, as on the page
            text = f"{text} ({_TONE_WORDS[result.tones[o.name]]}: {result.tone_reasons[o.name]})"
        lines.append(f"  {o.label.ljust(width)}{text}")
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
