"""Kennisbank calculators: CPL, ROAS, LTV/CAC, influencer, video, MER and incrementality.

Pure standard-library Python, so the same code runs in CPython (build, CLI,
tests) and in the reader's browser through Pyodide.

How every figure is shown (one place: `dutch_numbers.format_value`):

- Never 0 for a non-zero value, never without its first significant digit: a
  value that its kind's usual decimals would show with fewer than two
  significant digits gets two ("€ 0,025", "0,025:1"); smaller still it reads as
  a bound ("< 0,0001:1"). A payback under a month is "minder dan 1 maand", a
  p-value under 0,001 is "< 0,001".
- A negative number starts with a real minus sign (U+2212), before the euro
  sign: "−€ 1.250,00", "−2,5%". Outputs, differences, charts, the copied
  summary and the CLI all read so; CSV cells hold "-1250,00".
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
