"""Errors for programming mistakes: unknown calculators and fields.

Invalid *values* never raise; they become Dutch messages in a Result.
"""

from collections.abc import Iterable

MAX_ECHO = 60


def escaped(text: object) -> str:
    """Text with its control characters (ANSI escapes, bidi overrides such as
    U+202E) made visible as escapes ("\\u202e"), so it shows what it is."""
    return "".join(
        char if char.isprintable() or char in " \u00a0" else ascii(char)[1:-1] for char in str(text)
    )


def shown(text: object) -> str:
    """User text fit to echo in a message or terminal: escaped, and long text shortened."""
    text = str(text)
    if len(text) > MAX_ECHO:
        text = f"{text[:MAX_ECHO]}… ({len(text)} tekens)"
    return escaped(text)


class UnknownCalculatorError(LookupError):
    """A calculator id that is not in the registry."""

    def __init__(self, calculator_id: str, valid_ids: Iterable[str]) -> None:
        self.calculator_id = calculator_id
        self.valid_ids = tuple(valid_ids)
        super().__init__(
            f"Onbekende rekenhulp '{shown(calculator_id)}'. Kies uit: {', '.join(self.valid_ids)}."
        )


class UnknownFieldError(LookupError):
    """A field name that the calculator does not have."""

    def __init__(self, calculator_id: str, field_name: str, valid_names: Iterable[str]) -> None:
        self.calculator_id = calculator_id
        self.field_name = field_name
        self.valid_names = tuple(valid_names)
        super().__init__(
            f"Onbekend veld '{shown(field_name)}' voor rekenhulp '{shown(calculator_id)}'. "
            f"Geldige velden: {', '.join(self.valid_names)}."
        )
