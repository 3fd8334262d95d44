"""Short constructors for the four input kinds, with the product's standard bounds."""

from decimal import Decimal

from .kinds import Kind
from .model import Field

# Caps against absurd magnitudes (typos such as an extra row of zeros).
MONEY_CAP = Decimal("1000000000000")  # € 1.000.000.000.000
COUNT_CAP = Decimal("1000000000000")
HOURS_CAP = Decimal("1000000")
ZERO = Decimal(0)
HUNDRED = Decimal(100)


def _example(value: str | None) -> Decimal | None:
    return None if value is None else Decimal(value)


def money(
    name: str,
    label: str,
    noun: str,
    help: str,
    *,
    example: str | None,
    required: bool = False,
    default: Decimal | None = None,
    positive: bool = False,
    group: str | None = None,
) -> Field:
    """An amount in euros, >= 0 (or > 0 when `positive`)."""
    return Field(
        name=name,
        label=label,
        kind=Kind.MONEY,
        required=required,
        default=default,
        example=_example(example),
        minimum=ZERO,
        minimum_inclusive=not positive,
        maximum=MONEY_CAP,
        maximum_inclusive=True,
        help=help,
        group=group,
        noun=noun,
    )


def count(
    name: str,
    label: str,
    noun: str,
    help: str,
    *,
    example: str | None,
    required: bool = False,
    default: Decimal | None = None,
    positive: bool = False,
    group: str | None = None,
) -> Field:
    """A whole number, >= 0 (or > 0 when `positive`)."""
    return Field(
        name=name,
        label=label,
        kind=Kind.COUNT,
        required=required,
        default=default,
        example=_example(example),
        minimum=ZERO,
        minimum_inclusive=not positive,
        maximum=COUNT_CAP,
        maximum_inclusive=True,
        help=help,
        group=group,
        noun=noun,
    )


def percent(
    name: str,
    label: str,
    noun: str,
    help: str,
    *,
    example: str | None,
    required: bool = False,
    group: str | None = None,
) -> Field:
    """A percentage > 0 and <= 100: every percentage in this product is a share."""
    return Field(
        name=name,
        label=label,
        kind=Kind.PERCENT,
        required=required,
        default=None,
        example=_example(example),
        minimum=ZERO,
        minimum_inclusive=False,
        maximum=HUNDRED,
        maximum_inclusive=True,
        help=help,
        group=group,
        noun=noun,
    )


def number(
    name: str,
    label: str,
    noun: str,
    help: str,
    *,
    example: str | None,
    maximum: Decimal,
    required: bool = False,
    default: Decimal | None = None,
    group: str | None = None,
) -> Field:
    """A plain (possibly fractional) number >= 0, such as hours."""
    return Field(
        name=name,
        label=label,
        kind=Kind.NUMBER,
        required=required,
        default=default,
        example=_example(example),
        minimum=ZERO,
        minimum_inclusive=True,
        maximum=maximum,
        maximum_inclusive=True,
        help=help,
        group=group,
        noun=noun,
    )
