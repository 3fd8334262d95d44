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


def _bounded(
    kind: Kind,
    name: str,
    label: str,
    noun: str,
    help: str,
    *,
    example: str | None,
    required: bool,
    default: Decimal | None,
    group: str | None,
    maximum: Decimal,
    positive: bool,
) -> Field:
    """A field >= 0 (or > 0 when `positive`) up to an inclusive maximum."""
    return Field(
        name=name,
        label=label,
        kind=kind,
        required=required,
        default=default,
        example=_example(example),
        minimum=ZERO,
        minimum_inclusive=not positive,
        maximum=maximum,
        maximum_inclusive=True,
        help=help,
        group=group,
        noun=noun,
    )


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
    return _bounded(
        Kind.MONEY,
        name,
        label,
        noun,
        help,
        example=example,
        required=required,
        default=default,
        group=group,
        maximum=MONEY_CAP,
        positive=positive,
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
    return _bounded(
        Kind.COUNT,
        name,
        label,
        noun,
        help,
        example=example,
        required=required,
        default=default,
        group=group,
        maximum=COUNT_CAP,
        positive=positive,
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
    return _bounded(
        Kind.PERCENT,
        name,
        label,
        noun,
        help,
        example=example,
        required=required,
        default=None,
        group=group,
        maximum=HUNDRED,
        positive=True,
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
    return _bounded(
        Kind.NUMBER,
        name,
        label,
        noun,
        help,
        example=example,
        required=required,
        default=default,
        group=group,
        maximum=maximum,
        positive=False,
    )
