"""Goal seeking: the value of one input that makes an output reach a target (SPEC 5.9).

The output is evaluated as a function of the field, the other inputs fixed.
Three samples tell whether it is affine (a + b·x) or reciprocal (a + b/x) in
that field; then it is inverted exactly and checked by recomputing. Anything
else is bracketed on a grid within the field's bounds and bisected on Decimal.
Counts round up to the next whole number; other inputs get as few decimals as
keep the output at the target within its display precision.
"""

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from decimal import ROUND_CEILING, ROUND_HALF_UP, Decimal, localcontext
from itertools import pairwise

from .catalog import get
from .dutch_numbers import format_input, format_value, half_unit, parse_number
from .kinds import Kind
from .model import CONTEXT, Field, Output, RawValue, Result, dutch_and

_CLOSE = Decimal("1E-18")
_TARGET_KINDS = {Kind.MONEY: Kind.MONEY, Kind.PERCENT: Kind.PERCENT}


@dataclass(frozen=True)
class Solved:
    """The answer of solve(): the input value that reaches the target, or why none does."""

    calculator: str
    field: str
    output: str
    ok: bool
    value: Decimal | None
    display: str  # the value as Dutch input text ("10.000"); "" when not ok
    reason: str  # Dutch, when not ok
    result: Result  # recomputed with the solved value (or with the inputs as given)
    shown: str = ""  # the value with its unit, to read: "€ 10.000"; "" when not ok

    def to_dict(self) -> dict[str, object]:
        return {
            "field": self.field,
            "value": None if self.value is None else float(self.value),
            "display": self.display,
            "shown": self.shown,
        }


def _capital(text: str) -> str:
    return text[:1].upper() + text[1:]


def parse_target(text: RawValue, output: Output) -> Decimal | None:
    """A target typed the way the output is shown: "€ 25", "12,5%", "4:1", "6 maanden".

    A finite Decimal is taken as it is (a caller's exact value, however precise)."""
    if isinstance(text, Decimal):
        return text if text.is_finite() else None
    if isinstance(text, str):
        text = text.strip()
        if output.kind is Kind.RATIO and text.endswith(":1"):
            text = text[:-2]
        if output.kind is Kind.MONTHS:
            for word in ("maanden", "maand"):
                if text.endswith(word):
                    text = text[: -len(word)]
                    break
    parsed = parse_number(text, _TARGET_KINDS.get(output.kind, Kind.NUMBER))
    return parsed.value


def solve(
    calculator_id: str,
    field: str,
    output: str,
    target: RawValue,
    raw_inputs: Mapping[str, RawValue] | None = None,
) -> Solved:
    """Which value of `field` makes `output` equal `target`, the other inputs kept.

    Unknown ids raise (UnknownCalculatorError, UnknownFieldError, LookupError);
    an unreachable target is a Solved with ok False and a Dutch reason.
    """
    calculator = get(calculator_id)
    f = calculator.field(field)
    o = calculator.output(output)
    raw = {k: v for k, v in (raw_inputs or {}).items() if k != field}
    base = calculator.compute(raw_inputs)

    def fail(reason: str) -> Solved:
        return Solved(calculator.id, field, output, False, None, "", reason, base)

    if o.kind is Kind.TEXT:
        return fail(
            f"Voor {o.what} kun je geen doelwaarde opgeven; kies een uitkomst met een getal."
        )
    goal = parse_target(target, o)
    if goal is None:
        return fail(f"Vul een geldige doelwaarde in voor {o.what}, bijvoorbeeld {_example(o)}.")
    reads = calculator.depends_on(output, through_rules=False)  # what the formulas use
    if field not in reads:
        return fail(f"{f.subject} heeft geen invloed op {o.what}; kies een ander veld.")
    # The other inputs as they stand without this field (so no rule on it fires yet).
    others = [n for n in calculator.depends_on(output) if n != field]
    without = calculator.compute(raw)
    broken = [calculator.field(n).noun for n in others if n in without.errors]
    if broken:
        return fail(f"Corrigeer eerst {dutch_and(broken)}: dan kan {f.noun} worden uitgerekend.")
    missing = [calculator.field(n).noun for n in reads if n != field and without.inputs[n] is None]
    if missing:
        return fail(f"Vul eerst {dutch_and(missing)} in: dan kan {f.noun} worden uitgerekend.")

    def evaluate(x: Decimal) -> Decimal | None:
        value = calculator.compute({**raw, field: x}).values[output]
        return value if isinstance(value, Decimal) else None

    seek = _Seek(f, o, evaluate, goal)
    with localcontext(CONTEXT):
        exact = _invert(seek)
        if isinstance(exact, str):
            return fail(exact)
        if exact is not None and not f.allows(exact):
            exact = _at_bound(seek, exact)
        if exact is not None and f.allows(exact) and not _reaches(seek, exact):
            exact = None  # three samples fitted by coincidence: search instead
        if exact is None:
            exact = _bisect(seek)
        if exact is None and _flat(seek):
            return fail(f"{f.subject} verandert {o.what} niet bij deze andere invoer.")
        if exact is None:
            shown = format_value(goal, o.kind)
            return fail(
                f"{_capital(o.what)} kan met deze invoer niet {shown} worden, wat je ook "
                f"invult bij '{f.label}'."
            )
        value = _rounded(seek, exact)
    if not f.allows(value):
        return fail(_past_bound(calculator.compute, raw, f, o, goal, value))
    if evaluate(value) is None:  # a rule across fields refuses it
        problem = calculator.compute({**raw, field: value}).errors.get(field, "")
        reason = f"{_capital(o.what)} kan niet {format_value(goal, o.kind)} worden: daarvoor "
        reason += f"zou {f.noun} {f.shown(value)} moeten zijn"
        return fail(reason + (f", en {problem[:1].lower()}{problem[1:]}." if problem else "."))
    text = format_input(value, f.kind)
    result = calculator.compute({**raw, field: text})
    return Solved(calculator.id, field, output, True, value, text, "", result, f.shown(value))


def _past_bound(
    compute: Callable[[Mapping[str, RawValue]], Result],
    raw: Mapping[str, RawValue],
    f: Field,
    o: Output,
    goal: Decimal,
    value: Decimal,
) -> str:
    """Why a goal needs a value past the field's bound, naming the bound (never a
    negative amount) and what the output is at the bound itself."""
    below = f.minimum is not None and value <= f.minimum
    bound = f.minimum if below else f.maximum
    assert bound is not None  # a value outside the bounds lies past one of them
    side = "onder" if below else "boven"
    reason = f"{_capital(o.what)} kan niet {format_value(goal, o.kind)} worden: daarvoor zou "
    reason += f"{f.noun} {side} {f.shown(bound)} moeten komen."
    if f.allows(bound):
        reached = compute({**raw, f.name: bound})
        if reached.values.get(o.name) is not None:
            reason += f" Met {f.noun} op {f.shown(bound)} is {o.what} "
            reason += f"{reached.display[o.name]}."
    return reason


def _example(o: Output) -> str:
    return {Kind.MONEY: "€\u00a025", Kind.PERCENT: "15%", Kind.RATIO: "4:1", Kind.MONTHS: "6"}.get(
        o.kind, "10"
    )


def _samples(f: Field) -> list[Decimal]:
    """Scales to sample at: 1, 10, 100, ... within the field's bounds."""
    cap = f.maximum if f.maximum is not None else Decimal(10**12)
    return [Decimal(10) ** k for k in range(13) if 4 * Decimal(10) ** k <= cap]


@dataclass(frozen=True)
class _Seek:
    """One search: the field that moves, the output it moves, that output as a
    function of the field's value (None where it has none), and the goal."""

    field: Field
    output: Output
    evaluate: Callable[[Decimal], Decimal | None]
    goal: Decimal


def _invert(seek: _Seek) -> Decimal | str | None:
    """The exact solution when the output is affine or reciprocal in the field;
    a Dutch reason when such a relation cannot reach the goal; None otherwise."""
    f, o, evaluate, goal = seek.field, seek.output, seek.evaluate, seek.goal
    for scale in _samples(f):
        xs = [scale, 2 * scale, 4 * scale]
        ys = [evaluate(x) for x in xs]
        if any(y is None for y in ys):
            continue
        y1, y2, y3 = ys  # type: ignore[misc]
        for reciprocal in (False, True):
            us = [1 / x if reciprocal else x for x in xs]
            b = (y2 - y1) / (us[1] - us[0])
            a = y1 - b * us[0]
            predicted = a + b * us[2]
            if abs(predicted - y3) > _CLOSE * max(1, abs(predicted), abs(y3)):
                continue
            if b == 0:  # flat here (or changes beyond 28 digits): look at larger values
                break
            u = (goal - a) / b
            if not reciprocal:
                return u
            if u == 0:  # the output only approaches the goal as the field grows
                shown = format_value(goal, o.kind)
                return (
                    f"{_capital(o.what)} komt wel steeds dichter bij {shown}, maar haalt het nooit."
                )
            return 1 / u
        else:
            return None
    return None


def _flat(seek: _Seek) -> bool:
    """Whether the output is the same at every sampled value of the field."""
    f, evaluate = seek.field, seek.evaluate
    ys = [evaluate(x) for x in [*_samples(f), *(4 * x for x in _samples(f))]]
    defined = [y for y in ys if y is not None]
    return len(defined) >= 2 and len(set(defined)) == 1


def _at_bound(seek: _Seek, exact: Decimal) -> Decimal:
    """The bound itself when `exact` lies just past it by a rounding in the 28th digit
    and the bound reaches the goal as shown; otherwise `exact` (to report it)."""
    f, o, evaluate, goal = seek.field, seek.output, seek.evaluate, seek.goal
    bound = f.minimum if f.minimum is not None and exact < f.minimum else f.maximum
    if bound is None or not f.allows(bound):
        return exact
    reached = evaluate(bound)
    if reached is not None and abs(reached - goal) <= half_unit(goal, o.kind):
        return bound
    return exact


def _reaches(seek: _Seek, x: Decimal) -> bool:
    """Whether `x` really solves it: recomputed, or for a count (which only takes whole
    values) the goal lies between the outputs at the whole numbers around `x`."""
    f, evaluate, goal = seek.field, seek.evaluate, seek.goal
    # Near the 28 digits of the context: a nearly affine output must not pass for one.
    tolerance = abs(goal) * Decimal("1E-24") or Decimal("1E-24")
    if f.kind is Kind.COUNT and x != int(x):
        low, high = Decimal(int(x)), Decimal(int(x) + 1) if x > 0 else Decimal(int(x))
        y_low, y_high = evaluate(low), evaluate(high)
        if y_high is None:
            return False
        if y_low is None:  # below the bound: the whole number above is the answer
            return True
        return min(y_low, y_high) - tolerance <= goal <= max(y_low, y_high) + tolerance
    value = evaluate(x)
    return value is not None and abs(value - goal) <= tolerance


def grid(f: Field) -> list[Decimal]:
    """Where to look for a bracket: the bounds, 0-10 and 1-2-5 per decade within them."""
    whole = f.kind is Kind.COUNT
    low = f.minimum if f.minimum is not None else Decimal(0)
    if not f.minimum_inclusive:
        low += 1 if whole else Decimal("0.000001")
    high = f.maximum if f.maximum is not None else Decimal(10**12)
    steps = [Decimal(m) * Decimal(10) ** k for k in range(-2, 13) for m in (1, 2, 5)]
    points = [low, *map(Decimal, range(11)), *steps, high]
    return sorted({x for x in points if low <= x <= high and (not whole or x == int(x))})


def _bisect(seek: _Seek) -> Decimal | None:
    """Bracket the goal on a grid within the bounds, then halve the bracket."""
    f, evaluate, goal = seek.field, seek.evaluate, seek.goal
    whole = f.kind is Kind.COUNT
    points = [(x, evaluate(x)) for x in grid(f)]
    for (x1, y1), (x2, y2) in pairwise(points):
        if y1 is None or y2 is None:
            continue
        if y1 == goal:
            return x1
        if (y1 - goal) * (y2 - goal) > 0:
            continue
        lo, hi, ylo = x1, x2, y1
        for _ in range(200):
            if whole and hi - lo <= 1:
                return hi
            if not whole and hi - lo <= abs(hi) * Decimal("1E-20"):
                return hi
            mid = (lo + hi) / 2
            if whole:
                mid = mid.to_integral_value(rounding=ROUND_CEILING)
            ymid = evaluate(mid)
            if ymid is None:
                return None
            if (ymid - goal) * (ylo - goal) > 0:
                lo, ylo = mid, ymid
            else:
                hi = mid
        return hi
    return None


def _rounded(seek: _Seek, exact: Decimal) -> Decimal:
    """Counts round up; other inputs get the fewest decimals (2, 4, ...) that keep
    the output within half a display unit of the goal (a steep output needs many)."""
    f, o, evaluate, goal = seek.field, seek.output, seek.evaluate, seek.goal
    if f.kind is Kind.COUNT:
        whole = exact.to_integral_value(rounding=ROUND_HALF_UP)
        if abs(exact - whole) <= Decimal("1E-22") * max(1, abs(exact)):
            exact = whole  # 160.000...01 from rounding in the 28th digit is 160, not 161
        return Decimal(int(exact.to_integral_value(rounding=ROUND_CEILING)))
    half = half_unit(goal, o.kind)
    candidates = [
        exact.quantize(Decimal(1).scaleb(-places), rounding=ROUND_HALF_UP)
        for places in range(2, 31, 2)
        if exact.adjusted() + places < 27  # within the 28 digits of the context
    ] or [exact]
    for value in candidates:
        reached = evaluate(value) if f.allows(value) else None
        if reached is not None and abs(reached - goal) <= half:
            return value
    return candidates[0] if not f.allows(exact) else exact
