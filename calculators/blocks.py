"""A ```calculator block's calculator and starting values, checked and worded once.

The build's fence check (kennisbank/fence.py) and the web editor (through
calculators.web, in the browser) both ask here, so both refuse a block with
the same Dutch words.
"""

from collections.abc import Mapping
from typing import NamedTuple

from .catalog import registry
from .model import Calculator, Result

# How much of a wrong value a message repeats.
MAX_ECHO_CHARS = 40


class BlockProblem(NamedTuple):
    """What is wrong, and the starting value it concerns (None: the block's id)."""

    field: str | None
    message: str


def echo_value(value: object) -> str:
    """A value as a message repeats it: one line, shortened."""
    text = " ".join(str(value).split())
    return text if len(text) <= MAX_ECHO_CHARS else text[: MAX_ECHO_CHARS - 1] + "…"


def ids() -> str:
    return ", ".join(registry)


def unknown_calculator(value: object) -> BlockProblem:
    return BlockProblem(None, f"onbekende rekenhulp '{echo_value(value)}'; kies uit {ids()}")


def unknown_field(calculator: Calculator, defaults: Mapping[str, object]) -> BlockProblem | None:
    names = [field.name for field in calculator.fields]
    for name in defaults:
        if name not in names:
            return BlockProblem(
                name,
                f"onbekend veld '{echo_value(name)}' voor rekenhulp '{calculator.id}'; kies uit "
                + ", ".join(names),
            )
    return None


def starting_result(
    calculator: Calculator, defaults: Mapping[str, str]
) -> tuple[Result, BlockProblem | None]:
    """The block's result (its defaults over the examples), and its first wrong default."""
    result = calculator.compute({**calculator.example_inputs(), **defaults})
    if not result.errors:
        return result, None
    name, message = next(iter(result.errors.items()))
    return result, BlockProblem(
        name,
        f"ongeldige standaardwaarde voor '{name}' "
        f"({echo_value(defaults.get(name, ''))}): {message}",
    )


def block_problem(calculator_id: object, defaults: object) -> BlockProblem | None:
    """The first problem of a block's id and defaults (text values), as the build words it."""
    calculator = registry.get(calculator_id) if isinstance(calculator_id, str) else None
    if calculator is None:
        return unknown_calculator(calculator_id)
    if not isinstance(defaults, Mapping):
        return BlockProblem(None, "'defaults' moet velden met waarden bevatten")
    problem = unknown_field(calculator, defaults)
    if problem is None and not all(isinstance(v, str) for v in defaults.values()):
        problem = BlockProblem(None, "'defaults' moet velden met waarden bevatten")
    return problem or starting_result(calculator, defaults)[1]
