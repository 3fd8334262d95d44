"""The two-sided p-value of a pooled two-proportion z-test, reproducible everywhere.

Everything up to z/√2 is exact-as-possible Decimal arithmetic (correctly rounded
square roots), so CPython and Pyodide agree digit for digit. Only the complementary
error function needs a float (`math.erfc`); its answer is rounded to
`P_VALUE_PLACES` decimals, far below what is shown ("0,002") but well above the
last-bit differences two C libraries' erfc might have.
"""

import math
from decimal import ROUND_HALF_EVEN, Context, Decimal

P_VALUE_PLACES = 12
_QUANTUM = Decimal(1).scaleb(-P_VALUE_PLACES)
_CONTEXT = Context(prec=28, rounding=ROUND_HALF_EVEN)
SIGNIFICANCE_LEVEL = Decimal("0.05")


def pooled_z(successes_1: Decimal, size_1: Decimal, successes_2: Decimal, size_2: Decimal):
    """z = (p1 − p2) / √(p(1 − p)(1/n1 + 1/n2)), or None when the pooled p is 0 or 1.

    Sizes must be > 0 and successes between 0 and their size.
    """
    c = _CONTEXT
    pooled = c.divide(c.add(successes_1, successes_2), c.add(size_1, size_2))
    if pooled <= 0 or pooled >= 1:
        return None  # no variation at all: the test says nothing
    difference = c.subtract(c.divide(successes_1, size_1), c.divide(successes_2, size_2))
    spread = c.multiply(
        c.multiply(pooled, c.subtract(1, pooled)),
        c.add(c.divide(1, size_1), c.divide(1, size_2)),
    )
    return c.divide(difference, c.sqrt(spread))


def two_sided_p_value(z: Decimal) -> Decimal:
    """P(|Z| ≥ |z|) for a standard normal Z: erfc(|z| / √2), in [0, 1]."""
    c = _CONTEXT
    x = c.divide(abs(z), c.sqrt(Decimal(2)))
    p = Decimal(math.erfc(float(x)))  # float(x) and Decimal(float) are exact conversions
    p = p.quantize(_QUANTUM, rounding=ROUND_HALF_EVEN, context=c)
    return min(max(p, Decimal(0)), Decimal(1))


def is_significant(p_value: Decimal) -> bool:
    """Significant at the usual 5% level: p < 0,05 (exactly 0,05 is not)."""
    return p_value < SIGNIFICANCE_LEVEL
