"""Errors for programming mistakes: unknown calculators and fields.

Invalid *values* never raise; they become Dutch messages in a Result.
"""

from collections.abc import Iterable


class UnknownCalculatorError(LookupError):
    """A calculator id that is not in the registry."""

    def __init__(self, calculator_id: str, valid_ids: Iterable[str]) -> None:
        self.calculator_id = calculator_id
        self.valid_ids = tuple(valid_ids)
        super().__init__(
            f"Onbekende rekenhulp '{calculator_id}'. Kies uit: {', '.join(self.valid_ids)}."
        )


class UnknownFieldError(LookupError):
    """A field name that the calculator does not have."""

    def __init__(self, calculator_id: str, field_name: str, valid_names: Iterable[str]) -> None:
        self.calculator_id = calculator_id
        self.field_name = field_name
        self.valid_names = tuple(valid_names)
        super().__init__(
            f"Onbekend veld '{field_name}' voor rekenhulp '{calculator_id}'. "
            f"Geldige velden: {', '.join(self.valid_names)}."
        )
