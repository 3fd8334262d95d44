"""Kennisbank calculators: CPL, ROAS, LTV/CAC and influencer campaign cost.

Pure standard-library Python, so the same code runs in CPython (build, CLI,
tests) and in the reader's browser through Pyodide.
"""

from .catalog import chart_svg, compute, get, registry
from .dutch_numbers import Parsed, format_input, format_value, parse_number
from .errors import UnknownCalculatorError, UnknownFieldError
from .kinds import Kind
from .model import (
    BAD,
    GOOD,
    WARN,
    Calculator,
    Field,
    NotApplicable,
    Output,
    Preset,
    Result,
    Rule,
)
from .solve import Solved, solve

__all__ = [
    "BAD",
    "GOOD",
    "WARN",
    "Calculator",
    "Field",
    "Kind",
    "NotApplicable",
    "Output",
    "Parsed",
    "Preset",
    "Result",
    "Rule",
    "Solved",
    "UnknownCalculatorError",
    "UnknownFieldError",
    "chart_svg",
    "compute",
    "format_input",
    "format_value",
    "get",
    "parse_number",
    "registry",
    "solve",
]
