"""What a calculator is: fields, outputs, the formula, and the result of a run."""

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

from .dutch_numbers import NOT_APPLICABLE, format_input, format_value, parse_number
from .errors import UnknownFieldError
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

FIX_INPUT_REASON = "Corrigeer eerst de invoer."
_UNITS = {Kind.MONEY: "€", Kind.PERCENT: "%"}


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
        parsed = parse_number(raw, self.kind)
        if parsed.error is not None:
            return None, parsed.error
        if parsed.value is None:
            if self.default is not None:
                return self.default, None
            if self.required:
                return None, f"Vul {self.noun or 'dit veld'} in"
            return None, None
        return parsed.value, self._bounds_error(parsed.value)

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
        return f"€ {text}" if self.kind is Kind.MONEY and bound != 0 else text


@dataclass(frozen=True)
class Output:
    """One result of a calculator."""

    name: str
    label: str
    kind: Kind
    explanation: str  # how to read this number, one Dutch sentence
    primary: bool = False  # a headline result
    # TEXT outputs: (code, Dutch display) pairs, e.g. ("gezond", "Gezond: ...").
    choices: tuple[tuple[str, str], ...] = ()

    def display(self, value: OutputValue) -> str:
        if isinstance(value, str) and self.choices:
            return dict(self.choices).get(value, value)
        return format_value(value, self.kind)


@dataclass(frozen=True)
class NotApplicable:
    """A formula's answer for an output that cannot be computed, and why."""

    reason: str


FormulaResult = Mapping[str, Decimal | str | NotApplicable]


class Inputs:
    """Validated inputs as the formula sees them: required ones are always present."""

    def __init__(self, values: Mapping[str, Decimal | None]) -> None:
        self._values = values

    def required(self, name: str) -> Decimal:
        value = self._values[name]
        if value is None:  # validation guarantees this never happens
            raise ValueError(f"required input {name!r} is missing")
        return value

    def optional(self, name: str) -> Decimal | None:
        return self._values[name]


Formula = Callable[[Inputs], FormulaResult]


@dataclass(frozen=True)
class Result:
    """Everything one calculation produced; Dutch texts ready to show."""

    calculator: str
    ok: bool  # no input errors
    inputs: dict[str, Decimal | None]  # parsed, defaults applied; None = not given
    values: dict[str, OutputValue]
    display: dict[str, str]
    errors: dict[str, str]  # field name -> Dutch message
    reasons: dict[str, str]  # output name -> why it is "n.v.t."

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
        }


@dataclass(frozen=True)
class Calculator:
    """A calculator: its form, its outputs and the pure formula between them."""

    id: str
    title: str
    purpose: str  # one Dutch line
    fields: tuple[Field, ...]
    outputs: tuple[Output, ...]
    formula: Formula = dataclass_field(repr=False, compare=False)

    def field(self, name: str) -> Field:
        for candidate in self.fields:
            if candidate.name == name:
                return candidate
        raise UnknownFieldError(self.id, name, self.field_names())

    def output(self, name: str) -> Output:
        for candidate in self.outputs:
            if candidate.name == name:
                return candidate
        raise LookupError(f"Onbekende uitkomst '{name}' voor rekenhulp '{self.id}'.")

    def field_names(self) -> tuple[str, ...]:
        return tuple(f.name for f in self.fields)

    def example_inputs(self) -> dict[str, Decimal | None]:
        return {f.name: f.example for f in self.fields}

    def compute(self, raw_inputs: Mapping[str, RawValue] | None = None) -> Result:
        """Validate raw (Dutch) inputs and compute every output.

        An unknown input name raises UnknownFieldError; bad values never raise.
        """
        raw_inputs = raw_inputs or {}
        names = self.field_names()
        for key in raw_inputs:
            if key not in names:
                raise UnknownFieldError(self.id, str(key), names)

        inputs: dict[str, Decimal | None] = {}
        errors: dict[str, str] = {}
        for f in self.fields:
            value, error = f.validate(raw_inputs.get(f.name))
            inputs[f.name] = value
            if error is not None:
                errors[f.name] = error

        outcome: FormulaResult
        if errors:
            # Never show numbers computed from partly invalid input.
            outcome = {o.name: NotApplicable(FIX_INPUT_REASON) for o in self.outputs}
        else:
            with localcontext(CONTEXT):
                outcome = self.formula(Inputs(inputs))

        values: dict[str, OutputValue] = {}
        display: dict[str, str] = {}
        reasons: dict[str, str] = {}
        for o in self.outputs:
            answer = outcome[o.name]
            if isinstance(answer, NotApplicable):
                values[o.name] = None
                display[o.name] = NOT_APPLICABLE
                reasons[o.name] = answer.reason
                continue
            if isinstance(answer, Decimal) and answer.is_zero():
                answer = answer.copy_abs()  # no -0 in data
            values[o.name] = answer
            display[o.name] = o.display(answer)
        return Result(self.id, not errors, inputs, values, display, errors, reasons)
