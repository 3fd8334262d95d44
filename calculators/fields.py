"""Short constructors for the four input kinds, with the product's standard bounds.

All four are one builder, `bounded`, with the kind and its cap filled in:
money(...), count(...), percent(...) and number(..., maximum=...).
"""

from decimal import Decimal
from functools import partial

from .kinds import Kind
from .model import Field

# Caps against absurd magnitudes (typos such as an extra row of zeros).
MONEY_CAP = Decimal("1000000000000")  # € 1.000.000.000.000
COUNT_CAP = Decimal("1000000000000")
HOURS_CAP = Decimal("1000000")
ZERO = Decimal(0)
HUNDRED = Decimal(100)


def bounded(
    kind: Kind,
    name: str,
    label: str,
    noun: str,
    help: str,
    *,
    example: str | None,
    maximum: Decimal,
    required: bool = False,
    default: Decimal | None = None,
    positive: bool = False,
    group: str | None = None,
) -> Field:
    """A field >= 0 (or > 0 when `positive`) up to an inclusive maximum."""
    return Field(
        name=name,
        label=label,
        kind=kind,
        required=required,
        default=default,
        example=None if example is None else Decimal(example),
        minimum=ZERO,
        minimum_inclusive=not positive,
        maximum=maximum,
        maximum_inclusive=True,
        help=help,
        group=group,
        noun=noun,
    )


# An amount in euros, >= 0 (or > 0 when `positive`).
money = partial(bounded, Kind.MONEY, maximum=MONEY_CAP)
# A whole number, >= 0 (or > 0 when `positive`).
count = partial(bounded, Kind.COUNT, maximum=COUNT_CAP)
# A percentage > 0 and <= 100: every percentage in this product is a share.
percent = partial(bounded, Kind.PERCENT, maximum=HUNDRED, positive=True)
# A plain (possibly fractional) number >= 0, such as hours; its maximum is the caller's.
number = partial(bounded, Kind.NUMBER)
