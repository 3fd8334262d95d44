"""The kinds of numbers a calculator reads and shows."""

from enum import StrEnum


class Kind(StrEnum):
    """How a value is parsed, validated and displayed.

    MONEY, COUNT, PERCENT and NUMBER are input kinds; RATIO, MONTHS and TEXT
    only occur as outputs.
    """

    MONEY = "money"
    COUNT = "count"
    PERCENT = "percent"
    NUMBER = "number"
    RATIO = "ratio"
    MONTHS = "months"
    TEXT = "text"


INPUT_KINDS = frozenset({Kind.MONEY, Kind.COUNT, Kind.PERCENT, Kind.NUMBER})
