"""Kennisbank calculators: CPL, ROAS, LTV/CAC and influencer campaign cost.

Pure standard-library Python, so the same code runs in CPython (build, CLI,
tests) and in the reader's browser through Pyodide.
"""

from .catalog import compute, get, registry
from .dutch_numbers import Parsed, format_input, format_value, parse_number
from .errors import UnknownCalculatorError, UnknownFieldError
from .kinds import Kind
from .model import Calculator, Field, Output, Result

__all__ = [
    "Calculator",
    "Field",
    "Kind",
    "Output",
    "Parsed",
    "Result",
    "UnknownCalculatorError",
    "UnknownFieldError",
    "compute",
    "format_input",
    "format_value",
    "get",
    "parse_number",
    "registry",
]
