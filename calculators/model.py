"""What a calculator is: fields, outputs with their formulas, and the result of a run.

Each output carries a small formula whose parameter names are the fields and
earlier outputs it reads. That signature is the one place dependencies live:
compute() reads it to blank only the outputs an invalid or missing input
touches, solve() reads it to tell which fields can move an output, and tones,
rules and charts follow the same convention.
"""

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from dataclasses import field as dataclass_field
from decimal import (
    ROUND_HALF_EVEN,
    Context,
    Decimal,
    DivisionByZero,
    InvalidOperation,
    Overflow,
    localcontext,
)

from .dutch_numbers import MINUS, NBSP, NOT_APPLICABLE, format_input, format_value, parse_number
from .errors import UnknownFieldError, shown
from .kinds import Kind

RawValue = str | int | float | Decimal | None
OutputValue = Decimal | str | None

# Every formula runs in this context, so results never depend on the caller's
# global decimal context. Arithmetic mistakes trap instead of yielding NaN.
CONTEXT = Context(
    prec=28,
    rounding=ROUND_HALF_EVEN,
    Emin=-999_999,
    Emax=999_999,
    traps=[InvalidOperation, DivisionByZero, Overflow],
)

GOOD, WARN, BAD = "good", "warn", "bad"
TONES = (GOOD, WARN, BAD)
NOT_COMPUTABLE = "Niet te berekenen met deze invoer."
_UNITS = {Kind.MONEY: "€", Kind.PERCENT: "%"}


def reads(function: Callable[..., object]) -> tuple[str, ...]:
    """The names a formula, tone or rule reads: its parameter names, in order."""
    code = function.__code__
    return code.co_varnames[: code.co_argcount]


@dataclass(frozen=True)
class Toned:
    """A tone ("good", "warn", "bad") and why, in a short Dutch phrase shown next to it."""

    tone: str
    reason: str


def loss_is_bad(value: Decimal, where: str) -> Toned:
    """The tone of a profit: negative is bad, zero or more is good. `where` ends
    the reason: "op elke lead" gives "verlies op elke lead"."""
    if value < 0:
        return Toned(BAD, f"verlies {where}")
    return Toned(GOOD, f"winst {where}" if value > 0 else f"quitte {where}")


def against_break_even(value: Decimal, break_even: Decimal) -> Toned:
    """A ratio against the ratio at which it breaks even: below is a loss."""
    shown = format_value(break_even, Kind.RATIO)
    if value < break_even:
        return Toned(BAD, f"onder je break-even van {shown}")
    if value > break_even:
        return Toned(GOOD, f"boven je break-even van {shown}")
    return Toned(GOOD, f"precies je break-even van {shown}")


def dutch_and(items: list[str]) -> str:
    """Dutch enumeration: "a", "a en b", "a, b en c"."""
    return items[0] if len(items) == 1 else f"{', '.join(items[:-1])} en {items[-1]}"


@dataclass(frozen=True)
class Field:
    """One input of a calculator."""

    name: str
    label: str
    kind: Kind
    required: bool
    default: Decimal | None  # used when the input is left empty; None = stays empty
    example: Decimal | None  # pre-filled in a fresh form: the worked example
    minimum: Decimal | None
    minimum_inclusive: bool
    maximum: Decimal | None
    maximum_inclusive: bool
    help: str
    group: str | None = None
    # The field in words for messages, with its article: "het aantal leads".
    noun: str = ""

    @property
    def inputmode(self) -> str:
        return "numeric" if self.kind is Kind.COUNT else "decimal"

    @property
    def unit(self) -> str | None:
        return _UNITS.get(self.kind)

    @property
    def subject(self) -> str:
        """The noun capitalised to start a sentence: "Het aantal leads"."""
        noun = self.noun or f"de waarde bij '{self.label}'"
        return noun[:1].upper() + noun[1:]

    def validate(self, raw: RawValue) -> tuple[Decimal | None, str | None]:
        """The parsed value (default applied) and a Dutch error, if any. Never raises."""
        value, error, _ = self.read(raw)
        return value, error

    def read(self, raw: RawValue) -> tuple[Decimal | None, str | None, str | None]:
        """Like validate(), plus a "gelezen als ..." note when the reading is not obvious."""
        parsed = parse_number(raw, self.kind)
        if parsed.error is not None:
            return None, parsed.error, None
        if parsed.value is None:
            if self.default is not None:
                return self.default, None, None
            if self.required:
                return None, f"Vul {self.noun or 'dit veld'} in", None
            return None, None, None
        error = self._bounds_error(parsed.value)
        note = None
        if parsed.unusual and error is None:
            note = f"gelezen als {self.shown(parsed.value)}"
        return parsed.value, error, note

    def shown(self, value: Decimal) -> str:
        """An input value with its unit, unrounded: "€ 1,25", "12,5%", "1.234", "−€ 5"."""
        text = format_input(abs(value), self.kind)
        if self.kind is Kind.MONEY:
            text = f"€{NBSP}{text}"
        elif self.kind is Kind.PERCENT:
            text = f"{text}%"
        return MINUS + text if value < 0 else text

    def _bounds_error(self, value: Decimal) -> str | None:
        low, high = self.minimum, self.maximum
        if low is not None and (value < low or (value == low and not self.minimum_inclusive)):
            if value < 0 <= low:
                return f"{self.subject} kan niet negatief zijn"
            if self.minimum_inclusive:
                return f"{self.subject} moet minimaal {self._bound_text(low)} zijn"
            return f"{self.subject} moet groter zijn dan {self._bound_text(low)}"
        if high is not None and (value > high or (value == high and not self.maximum_inclusive)):
            if self.kind is Kind.PERCENT and high == 100:
                return "Een percentage ligt tussen 0 en 100"
            if self.maximum_inclusive:
                return f"{self.subject} kan niet hoger zijn dan {self._bound_text(high)}"
            return f"{self.subject} moet lager zijn dan {self._bound_text(high)}"
        return None

    def _bound_text(self, bound: Decimal) -> str:
        text = format_input(bound, self.kind)
        return f"€{NBSP}{text}" if self.kind is Kind.MONEY and bound != 0 else text

    def allows(self, value: Decimal) -> bool:
        """Whether a parsed value lies within the field's bounds."""
        return self._bounds_error(value) is None


@dataclass(frozen=True)
class NotApplicable:
    """A formula's answer for an output that cannot be computed, and why."""

    reason: str


FormulaValue = Decimal | str | NotApplicable
Formula = Callable[..., FormulaValue]
Tone = Callable[..., Toned | None]


@dataclass(frozen=True)
class Output:
    """One result of a calculator and the formula that computes it.

    `formula`'s parameters name the fields and earlier outputs it reads; it is
    only called when all of them have a value. `tone`'s parameters likewise
    (usually including the output itself); it returns a Toned (the tone and its
    reason) or None and is only called when everything it reads has a value.
    """

    name: str
    label: str
    kind: Kind
    explanation: str  # how to read this number, one Dutch sentence
    formula: Formula = dataclass_field(default=lambda: NotApplicable(NOT_COMPUTABLE))
    noun: str = ""  # for reasons: "Vul ... in om de CPA te berekenen."
    primary: bool = False  # a headline result
    # TEXT outputs: (code, Dutch display) pairs, e.g. ("gezond", "Gezond: ...").
    choices: tuple[tuple[str, str], ...] = ()
    tone: Tone | None = dataclass_field(default=None, compare=False)

    @property
    def reads(self) -> tuple[str, ...]:
        return reads(self.formula)

    @property
    def what(self) -> str:
        """The output in words for sentences: its noun, or its label quoted."""
        return self.noun or f"'{self.label}'"

    def display(self, value: OutputValue) -> str:
        if isinstance(value, str) and self.choices:
            return dict(self.choices).get(value, value)
        return format_value(value, self.kind)


@dataclass(frozen=True)
class Rule:
    """A check across fields: when `check` (parameters name fields) is false,
    `message` becomes the error of `field`. Only run when every field it reads
    has a valid value. `names`, when given, are the fields `check` reads instead
    of its parameter names (see at_most)."""

    field: str
    check: Callable[..., bool] = dataclass_field(compare=False)
    message: str
    names: tuple[str, ...] = ()

    @property
    def reads(self) -> tuple[str, ...]:
        return self.names or reads(self.check)


def at_most(field: str, limit: str, message: str) -> Rule:
    """A rule: `field` may not be higher than the field `limit` (views <= impressions)."""
    return Rule(field, lambda value, most: value <= most, message, (field, limit))


def per(amount: Decimal, base: Decimal, zero: NotApplicable, times: int = 1) -> FormulaValue:
    """`amount` per unit of `base` (times 100 for a percentage, 1000 for a CPM), or
    `zero` (why not) when the base is 0."""
    return amount / base * times if base > 0 else zero


def break_even_ratio(name: str, label: str, explanation: str, noun: str) -> Output:
    """The ratio of revenue to spend at which the gross profit just covers the spend."""
    return Output(
        name,
        label,
        Kind.RATIO,
        explanation,
        formula=lambda gross_margin: 100 / gross_margin,  # gross_margin > 0
        noun=noun,
    )


@dataclass(frozen=True)
class Preset:
    """A named example situation that fills the form (values as Dutch input text)."""

    name: str
    label: str
    values: dict[str, str] = dataclass_field(hash=False)


@dataclass(frozen=True)
class Result:
    """Everything one calculation produced; Dutch texts ready to show."""

    calculator: str
    ok: bool  # no input errors
    inputs: dict[str, Decimal | None]  # parsed, defaults applied; None = not given or invalid
    values: dict[str, OutputValue]
    display: dict[str, str]
    errors: dict[str, str]  # field name -> Dutch message
    reasons: dict[str, str]  # output name -> why it is "n.v.t."
    tones: dict[str, str] = dataclass_field(default_factory=dict)  # output -> good/warn/bad
    notes: dict[str, str] = dataclass_field(default_factory=dict)  # field -> "gelezen als ..."
    # output -> why its tone is what it is: "onder je break-even van 2,5:1"
    tone_reasons: dict[str, str] = dataclass_field(default_factory=dict)

    def to_dict(self) -> dict[str, object]:
        """Plain JSON types (Decimal -> float), keys in definition order."""
        return {
            "calculator": self.calculator,
            "ok": self.ok,
            "values": {
                name: float(value) if isinstance(value, Decimal) else value
                for name, value in self.values.items()
            },
            "display": dict(self.display),
            "errors": dict(self.errors),
            "reasons": dict(self.reasons),
            "tones": dict(self.tones),
            "notes": dict(self.notes),
            "tone_reasons": dict(self.tone_reasons),
        }


@dataclass(frozen=True)
class Goal:
    """Where goal seeking ("Wat heb ik nodig?") opens: the output a marketer aims at
    and the field they steer to get there."""

    output: str
    field: str


@dataclass(frozen=True)
class Calculator:
    """A calculator: its form, its outputs with their formulas, rules, presets and chart."""

    id: str
    title: str
    purpose: str  # one Dutch line
    fields: tuple[Field, ...]
    outputs: tuple[Output, ...]
    rules: tuple[Rule, ...] = ()
    presets: tuple[Preset, ...] = ()
    chart: Callable[[Result], str] | None = dataclass_field(default=None, compare=False)
    goal: Goal | None = None
    _dependencies: dict[str, tuple[tuple[str, ...], tuple[str, ...]]] = dataclass_field(
        default_factory=dict, init=False, repr=False, compare=False, hash=False
    )

    def __post_init__(self) -> None:
        # A typo in a formula's parameters must fail at import, not show "n.v.t.".
        known = set(self.field_names())
        for o in self.outputs:
            for name in o.reads:
                if name not in known:
                    raise ValueError(f"{self.id}.{o.name} reads unknown or later name {name!r}")
            known.add(o.name)
            for name in reads(o.tone) if o.tone else ():
                if name not in known and name not in {x.name for x in self.outputs}:
                    raise ValueError(f"{self.id}.{o.name} tone reads unknown name {name!r}")
        for rule in self.rules:
            for name in (rule.field, *rule.reads):
                if name not in self.field_names():
                    raise ValueError(f"{self.id} rule reads unknown field {name!r}")
        for preset in self.presets:
            for name in preset.values:
                if name not in self.field_names():
                    raise ValueError(f"{self.id} preset {preset.name} sets unknown {name!r}")
        # Worked out once: compute() and solve() ask for them on every run.
        dependencies = {
            o.name: (self._dependencies_of(o.name, True), self._dependencies_of(o.name, False))
            for o in self.outputs
        }
        self._dependencies.update(dependencies)
        if self.goal and self.goal.field not in self.depends_on(self.goal.output, False):
            raise ValueError(f"{self.id} goal: {self.goal.field} does not move {self.goal.output}")

    def field(self, name: str) -> Field:
        for candidate in self.fields:
            if candidate.name == name:
                return candidate
        raise UnknownFieldError(self.id, name, self.field_names())

    def output(self, name: str) -> Output:
        for candidate in self.outputs:
            if candidate.name == name:
                return candidate
        raise LookupError(
            f"Onbekende uitkomst '{shown(name)}' voor rekenhulp '{self.id}'. "
            f"Kies uit: {', '.join(o.name for o in self.outputs)}."
        )

    def field_names(self) -> tuple[str, ...]:
        return tuple(f.name for f in self.fields)

    def example_inputs(self) -> dict[str, Decimal | None]:
        return {f.name: f.example for f in self.fields}

    def depends_on(self, output: str, through_rules: bool = True) -> tuple[str, ...]:
        """Every field an output reads, in reading order: directly, through earlier
        outputs and (unless `through_rules` is false) through the rules that can
        invalidate a field it reads."""
        try:
            return self._dependencies[output][0 if through_rules else 1]
        except KeyError:
            self.output(output)  # Dutch LookupError for an unknown name
            raise

    def _dependencies_of(self, output: str, through_rules: bool) -> tuple[str, ...]:
        fields = self.field_names()
        seen: list[str] = []

        def add(field: str) -> None:
            if field not in seen:
                seen.append(field)
                for rule in self.rules if through_rules else ():
                    if rule.field == field:  # a rule on this field makes it read others too
                        for read in rule.reads:
                            add(read)

        def visit(name: str) -> None:
            for read in self.output(name).reads:
                if read in fields:
                    add(read)
                else:
                    visit(read)

        visit(output)
        return tuple(seen)

    def compute(self, raw_inputs: Mapping[str, RawValue] | None = None) -> Result:
        """Validate raw (Dutch) inputs and compute every output it can.

        An unknown input name raises UnknownFieldError; bad values never raise.
        An output whose (transitive) inputs are invalid or missing is "n.v.t."
        with a reason naming them; every other output keeps its value.
        """
        raw_inputs = raw_inputs or {}
        names = self.field_names()
        for key in raw_inputs:
            if key not in names:
                raise UnknownFieldError(self.id, str(key), names)

        inputs: dict[str, Decimal | None] = {}
        errors: dict[str, str] = {}
        notes: dict[str, str] = {}
        empty_required: set[str] = set()
        for f in self.fields:
            value, error, note = f.read(raw_inputs.get(f.name))
            inputs[f.name] = value
            if error is not None:
                errors[f.name] = error
                if value is None and parse_number(raw_inputs.get(f.name), f.kind).empty:
                    empty_required.add(f.name)
            if note is not None:
                notes[f.name] = note
        self._apply_rules(inputs, errors)

        values: dict[str, OutputValue] = {}
        display: dict[str, str] = {}
        reasons: dict[str, str] = {}
        known: dict[str, OutputValue] = dict(inputs)
        for o in self.outputs:
            answer = self._answer(o, known, errors, empty_required, reasons)
            if isinstance(answer, NotApplicable):
                values[o.name] = known[o.name] = None
                display[o.name] = NOT_APPLICABLE
                reasons[o.name] = answer.reason
                continue
            if isinstance(answer, Decimal) and answer.is_zero():
                answer = answer.copy_abs()  # no -0 in data
            values[o.name] = known[o.name] = answer
            display[o.name] = o.display(answer)
        toned = self._tones(known)
        tones = {name: t.tone for name, t in toned.items()}
        tone_reasons = {name: t.reason for name, t in toned.items()}
        return Result(
            self.id,
            not errors,
            inputs,
            values,
            display,
            errors,
            reasons,
            tones,
            notes,
            tone_reasons,
        )

    def _apply_rules(self, inputs: dict[str, Decimal | None], errors: dict[str, str]) -> None:
        for rule in self.rules:
            names = rule.reads
            if rule.field in errors or any(n in errors or inputs[n] is None for n in names):
                continue
            with localcontext(CONTEXT):
                fine = rule.check(*(inputs[n] for n in names))
            if not fine:
                errors[rule.field] = rule.message
                inputs[rule.field] = None

    def _answer(
        self,
        o: Output,
        known: Mapping[str, OutputValue],
        errors: Mapping[str, str],
        empty_required: set[str],
        reasons: Mapping[str, str],
    ) -> FormulaValue:
        depends = self.depends_on(o.name)
        broken = [n for n in depends if n in errors]
        if broken:
            fix = [self.field(n).noun for n in broken if n not in empty_required]
            fill = [self.field(n).noun for n in broken if n in empty_required]
            if fix and fill:
                return NotApplicable(
                    f"Corrigeer eerst {dutch_and(fix)} en vul {dutch_and(fill)} in."
                )
            if fix:
                return NotApplicable(f"Corrigeer eerst {dutch_and(fix)}.")
            return NotApplicable(f"Vul eerst {dutch_and(fill)} in.")
        # Only what the formulas read is needed; a rule's other field may stay empty.
        missing = [self.field(n).noun for n in self.depends_on(o.name, False) if known[n] is None]
        if missing:
            return NotApplicable(f"Vul {dutch_and(missing)} in om {o.what} te berekenen.")
        for name in o.reads:
            if known[name] is None:  # an earlier output that is not applicable
                return NotApplicable(reasons[name])
        try:
            with localcontext(CONTEXT):
                return o.formula(*(known[n] for n in o.reads))
        except ArithmeticError:  # a guard the formula forgot: say so, never crash
            return NotApplicable(NOT_COMPUTABLE)

    def _tones(self, known: Mapping[str, OutputValue]) -> dict[str, Toned]:
        tones: dict[str, Toned] = {}
        for o in self.outputs:
            if o.tone is None or known[o.name] is None:
                continue
            names = reads(o.tone)
            if any(known.get(n) is None for n in names):
                continue
            with localcontext(CONTEXT):
                tone = o.tone(*(known[n] for n in names))
            if tone is not None:
                tones[o.name] = tone
        return tones
