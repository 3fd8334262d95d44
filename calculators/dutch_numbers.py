"""Dutch numbers in and out: one parser and the nl-NL display formats (SPEC 5.3).

Parsing rules, in order:

* Surrounding whitespace (including no-break spaces) is stripped; money fields
  also drop one leading or trailing "€"/"EUR" (any case), percent fields one
  trailing "%". A leading "-" or "−" (U+2212) is a sign; bounds are the field's
  business, so parse_number itself accepts negatives.
* Only ASCII digits count, so "١٢" or "½" are errors rather than surprises.
* Both "." and "," present: the last one is the decimal separator and the
  other groups thousands ("1.234,56", "1,234.56").
* Only ",": one comma is the decimal separator ("12,5"); several commas group
  thousands ("1,234,567").
* Only ".": when the number reads as valid thousands groups ("1.234",
  "1.234.567") the dots group thousands; otherwise a single dot is the decimal
  point ("12.5", "0.25", "1234.567").
* Spaces (also no-break and thin spaces) between digit groups group thousands
  ("1 234,5"); then one "." or "," may follow as the decimal separator.
* Thousands groups are a first group of 1-3 digits that does not start with 0,
  followed by groups of exactly 3 digits.
* Money may end in ",-" or ",--" for whole euros ("€ 25,-").
* A count with one comma and exactly three digits after it ("1,000") is an
  error that asks "Bedoel je 1.000?": as a decimal comma it would silently
  read as 1, which nobody means when counting leads.
* Parsed.unusual marks values read the international way ("1.25", "1,234.56",
  "1,234,567"), so a form can say "gelezen als € 1,25" under the field. Dutch
  notations ("1.234", "12,5", "1 234,5") and plain digits carry no note.
* A decimal separator needs digits on both sides: ",5" and "12," are errors
  (write "0,5" and "12"). Everything else (letters, exponents like "1e5",
  "+5", two decimal separators, "1..2") is an error too.
"""

from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Context, Decimal

from .kinds import Kind

MAX_INPUT_LENGTH = 40
# Parse-level sanity limits (fields set their own, much tighter, caps). They keep
# every later computation far away from Decimal overflow and float infinity.
_MAX_ADJUSTED_EXPONENT = 29  # |value| < 10**30
_MIN_EXPONENT = -40  # at most 40 decimals

_MINUS_SIGNS = ("-", "\u2212")
_GROUP_SPACES = str.maketrans({"\u00a0": " ", "\u202f": " ", "\u2009": " "})

FORMAT_ERRORS: dict[Kind, str] = {
    Kind.MONEY: "Vul een bedrag in, bijvoorbeeld 1.250,00",
    Kind.COUNT: "Vul een heel getal in, bijvoorbeeld 1.250",
    Kind.PERCENT: "Vul een percentage in, bijvoorbeeld 12,5",
    Kind.NUMBER: "Vul een getal in, bijvoorbeeld 2,5",
}
_DEFAULT_FORMAT_ERROR = FORMAT_ERRORS[Kind.NUMBER]
WHOLE_NUMBER_ERROR = "Gebruik een heel getal"
TOO_LONG_ERROR = f"Deze invoer is te lang: gebruik hoogstens {MAX_INPUT_LENGTH} tekens"
TOO_LARGE_ERROR = "Dit getal is te groot"
TOO_PRECISE_ERROR = "Gebruik minder decimalen"
NOT_APPLICABLE = "n.v.t."
NBSP = "\u00a0"  # between "€" and the amount, so the two never wrap apart


@dataclass(frozen=True)
class Parsed:
    """The outcome of parse_number: a value, an empty input, or a Dutch error."""

    value: Decimal | None
    error: str | None
    empty: bool
    # Read the international way ("1.25", "1,234.56", "1,234,567"): worth a
    # "gelezen als ..." note, because a Dutch reader may have meant otherwise.
    unusual: bool = False


_EMPTY = Parsed(None, None, True)


def _invalid(message: str) -> Parsed:
    return Parsed(None, message, False)


def parse_number(text: str | int | float | Decimal | None, kind: Kind) -> Parsed:
    """Parse a Dutch (or plainly international) number for a field of `kind`.

    Never raises: anything unusable becomes a Parsed with a Dutch error.
    """
    try:
        return _parse(text, kind)
    except Exception:  # belt and braces: the contract is "never raises"
        return _invalid(FORMAT_ERRORS.get(kind, _DEFAULT_FORMAT_ERROR))


def _parse(text: object, kind: Kind) -> Parsed:
    kind = Kind(kind)  # also accepts the plain value, e.g. "money"
    format_error = FORMAT_ERRORS.get(kind, _DEFAULT_FORMAT_ERROR)
    if text is None:
        return _EMPTY
    if isinstance(text, bool):  # bool is an int subclass, but True is no amount
        return _invalid(format_error)
    if isinstance(text, Decimal):
        value = text
    elif isinstance(text, int):
        if text.bit_length() > 128:  # far beyond any cap; avoids huge conversions
            return _invalid(TOO_LARGE_ERROR)
        value = Decimal(text)
    elif isinstance(text, float):
        value = Decimal(repr(text))  # repr: the shortest decimal that reads back as the float
    elif isinstance(text, str):
        if len(text) > MAX_INPUT_LENGTH:  # checked before any other work
            return _invalid(TOO_LONG_ERROR)
        stripped = text.strip()
        if not stripped:
            return _EMPTY
        canonical = _canonical(stripped, kind)
        if canonical is None:
            return _invalid(format_error)
        body, unusual = canonical
        if kind is Kind.COUNT:
            ambiguous = _ambiguous_thousands(stripped)
            if ambiguous is not None:
                return _invalid(ambiguous)
        parsed = _checked(Decimal(body), kind, format_error)
        return Parsed(parsed.value, parsed.error, False, unusual and parsed.error is None)
    else:
        return _invalid(format_error)
    return _checked(value, kind, format_error)


def _ambiguous_thousands(text: str) -> str | None:
    """ "1,000" in a count: by the rules one decimal comma (1), but nobody counts
    leads in thousandths; the reader almost surely meant 1.000. Ask, don't guess."""
    text = text.lstrip("-\u2212").strip()
    if text.count(",") != 1 or "." in text or " " in text.translate(_GROUP_SPACES):
        return None
    whole, fraction = text.split(",")
    if len(fraction) != 3 or not _is_digits(whole + fraction) or not whole.strip("0"):
        return None
    return (
        f"Bedoel je {_group_thousands(whole.lstrip('0') + fraction)}? Schrijf dan "
        f"{_group_thousands(whole.lstrip('0') + fraction)} of {whole.lstrip('0')}{fraction}: "
        "een komma staat voor decimalen"
    )


def _checked(value: Decimal, kind: Kind, format_error: str) -> Parsed:
    if not value.is_finite():
        return _invalid(format_error)
    if value.is_zero():
        value = Decimal(0)  # no "-0" and no "0E-7" further on
    elif value.adjusted() > _MAX_ADJUSTED_EXPONENT:
        return _invalid(TOO_LARGE_ERROR)
    elif _exponent(value) < _MIN_EXPONENT:
        return _invalid(TOO_PRECISE_ERROR)
    if kind is Kind.COUNT:
        whole = int(value)  # exact, no context involved
        if whole != value:
            return _invalid(WHOLE_NUMBER_ERROR)
        value = Decimal(whole)
    return Parsed(value, None, False)


def _exponent(value: Decimal) -> int:
    exponent = value.as_tuple().exponent
    return exponent if isinstance(exponent, int) else 0


def _canonical(text: str, kind: Kind) -> tuple[str, bool] | None:
    """Stripped user text as a plain "-1234.5" string and whether it was read the
    international way; None when invalid."""
    if kind is Kind.PERCENT and text.endswith("%"):
        text = text[:-1].rstrip()
    negative = text.startswith(_MINUS_SIGNS)
    if negative:
        text = text[1:].lstrip()
    whole_euros = False
    if kind is Kind.MONEY:
        text = _without_currency(text)
        # "€ -1.234,56" is how negative money is displayed: a sign may follow the "€".
        if not negative and text.startswith(_MINUS_SIGNS):
            negative = True
            text = text[1:].lstrip()
        # Whole euros the Dutch way: "€ 25,-" or "25,--".
        for suffix in (",--", ",-"):
            if text.endswith(suffix):
                text, whole_euros = text[: -len(suffix)], True
                break
    body = _plain_number(text)
    if body is None or (whole_euros and "." in body):  # "12,5,-" is no whole amount
        return None
    return ("-" + body if negative else body), _international(text)


def _international(text: str) -> bool:
    """A "." as the decimal point, or "," grouping thousands (text already valid)."""
    text = text.translate(_GROUP_SPACES)
    if "." in text and "," in text:
        return text.rfind(".") > text.rfind(",")
    if "," in text:
        return text.count(",") > 1
    if "." in text:
        return " " in text or not _is_grouped(text, ".")
    return False


def _without_currency(text: str) -> str:
    upper = text.upper()
    if upper.startswith("€"):
        return text[1:].lstrip()
    if upper.startswith("EUR"):
        return text[3:].lstrip()
    if upper.endswith("€"):
        return text[:-1].rstrip()
    if upper.endswith("EUR"):
        return text[:-3].rstrip()
    return text


def _is_digits(text: str) -> bool:
    return text.isascii() and text.isdigit()  # ASCII only: no "١٢" or "²"


def _is_grouped(text: str, sep: str) -> bool:
    """Thousands groups: "1.234.567" (a first group of 1-3 digits not starting with 0)."""
    first, *groups = text.split(sep)
    return (
        bool(groups)
        and 1 <= len(first) <= 3
        and not first.startswith("0")
        and _is_digits(first)
        and all(len(group) == 3 and _is_digits(group) for group in groups)
    )


def _plain_number(text: str) -> str | None:
    """Digits with Dutch or international separators -> "1234.5", or None."""
    text = text.translate(_GROUP_SPACES)
    if " " in text:
        return _space_grouped(text)
    has_dot, has_comma = "." in text, "," in text
    if has_dot and has_comma:
        decimal_sep = "." if text.rfind(".") > text.rfind(",") else ","
        group_sep = "," if decimal_sep == "." else "."
        whole, _, fraction = text.rpartition(decimal_sep)
        if _is_grouped(whole, group_sep) and _is_digits(fraction):
            return whole.replace(group_sep, "") + "." + fraction
        return None
    if has_comma:
        if text.count(",") == 1:
            return _with_decimals(text, ",")
        return text.replace(",", "") if _is_grouped(text, ",") else None
    if has_dot:
        if _is_grouped(text, "."):
            return text.replace(".", "")
        return _with_decimals(text, ".") if text.count(".") == 1 else None
    return text if _is_digits(text) else None


def _with_decimals(text: str, decimal_sep: str) -> str | None:
    whole, _, fraction = text.partition(decimal_sep)
    if _is_digits(whole) and _is_digits(fraction):
        return whole + "." + fraction
    return None


def _space_grouped(text: str) -> str | None:
    if text.count(".") + text.count(",") > 1:
        return None
    cut = max(text.rfind("."), text.rfind(","))
    whole, fraction = (text[:cut], text[cut + 1 :]) if cut >= 0 else (text, "")
    if not _is_grouped(whole, " "):
        return None
    if cut < 0:
        return whole.replace(" ", "")
    return whole.replace(" ", "") + "." + fraction if _is_digits(fraction) else None


# -- Output ------------------------------------------------------------------
#
# The significant-digit rule: never show 0 for a non-zero value, and never lose
# its first significant digit. Each kind has its standard decimals (below); a
# value they would show with fewer than two significant digits gets as many more
# decimals as two significant digits need ("€ 0,025", "0,85:1", "0,048%"), up to
# MAX_PLACES. What is smaller still reads as a bound ("< 0,0001:1"). Months
# below one read "minder dan 1 maand"; a p-value below 0,001 reads "< 0,001"
# (calculators/incrementality.py). A negative number starts with a real minus
# sign, before the "€" ("−€ 1.250,00", "−2,5%"); CSV cells use ASCII "-".

# Decimal places shown per kind, and whether trailing zeros are dropped.
_DISPLAY_PLACES: dict[Kind, tuple[int, bool]] = {
    Kind.MONEY: (2, False),
    Kind.PERCENT: (1, True),
    Kind.RATIO: (1, True),
    Kind.COUNT: (0, True),
    Kind.NUMBER: (2, True),
    Kind.MONTHS: (1, True),
}
MAX_PLACES = 5
MINUS = "\u2212"  # the minus sign shown on screen; CSV and input text use "-"
_SUFFIXES = {Kind.PERCENT: "%", Kind.RATIO: ":1"}


def _group_thousands(digits: str) -> str:
    head = len(digits) % 3 or 3
    parts = [digits[:head]] + [digits[i : i + 3] for i in range(head, len(digits), 3)]
    return ".".join(parts)


def _dutch(sign: str, whole: str, fraction: str) -> str:
    text = _group_thousands(whole)
    return f"{sign}{text},{fraction}" if fraction else f"{sign}{text}"


def _split(value: Decimal) -> tuple[str, str, str]:
    """Exact "-", integer digits and fraction digits of a finite Decimal."""
    text = format(value, "f")
    sign = "-" if text.startswith("-") else ""
    whole, _, fraction = text.lstrip("-").partition(".")
    return sign, whole, fraction


def _rounded(value: Decimal, places: int) -> Decimal:
    """Round half up to `places` decimals, whatever the caller's decimal context."""
    context = Context(prec=max(28, value.adjusted() + places + 3), rounding=ROUND_HALF_UP)
    rounded = value.quantize(Decimal((0, (1,), -places)), context=context)
    return rounded.copy_abs() if rounded.is_zero() else rounded  # never "-0,00"


@dataclass(frozen=True)
class Digits:
    """A number as the significant-digit rule shows it: sign, digits, and whether
    it is only a bound ("<" the smallest step) because it is smaller still."""

    negative: bool
    whole: str
    fraction: str
    below: bool = False


def digits(value: Decimal, kind: Kind) -> Digits:
    """The digits to show for a finite value of `kind` (see the rule above)."""
    places, trim = _DISPLAY_PLACES.get(kind, (2, True))
    standard = places
    if not value.is_zero() and abs(value) < Decimal(10) ** (1 - places):
        places = max(places, 1 - value.adjusted())  # two significant digits
        if places > MAX_PLACES:
            _, whole, fraction = _split(Decimal(1).scaleb(1 - MAX_PLACES))
            return Digits(value < 0, whole, fraction, below=True)
    rounded = _rounded(value, places)
    sign, whole, fraction = _split(rounded)
    if trim:
        fraction = fraction.rstrip("0")
    elif len(fraction) > standard:  # extra decimals only as far as they say something
        fraction = fraction[:standard] + fraction[standard:].rstrip("0")
    return Digits(sign == "-", whole, fraction)


def half_unit(value: Decimal, kind: Kind) -> Decimal:
    """Half a unit of the last decimal `value` is shown with: how close another
    value must come to look the same ("€ 0,025" needs 0,0005, "€ 25,00" 0,005)."""
    places = _DISPLAY_PLACES.get(kind, (2, True))[0]
    if value.is_finite():
        places = max(places, len(digits(value, kind).fraction))
    return Decimal(5).scaleb(-places - 1)


def _with_unit(number: str, kind: Kind) -> str:
    if kind is Kind.MONEY:
        return f"€{NBSP}{number}"
    return number + _SUFFIXES.get(kind, "")


def format_value(value: Decimal | int | str | None, kind: Kind) -> str:
    """nl-NL display: "€ 1.234,56", "12,5%", "4,2:1", "1.234", "2,5", "3,2 maanden".

    The "€" and the amount are joined by a no-break space, so they never wrap
    apart; a negative value starts with "−" (U+2212): "−€ 1.250,00".

    None (and any non-finite Decimal) shows as "n.v.t."; a str (TEXT output) is
    returned unchanged.
    """
    if value is None:
        return NOT_APPLICABLE
    if isinstance(value, str):
        return value
    number = Decimal(value)
    if not number.is_finite():
        return NOT_APPLICABLE
    kind = Kind(kind)
    if kind is Kind.MONTHS and 0 < number < 1:
        return "minder dan 1 maand"
    shown = digits(number, kind)
    text = _with_unit(_dutch("", shown.whole, shown.fraction), kind)
    if shown.below:
        return f"> {MINUS}{text}" if shown.negative else f"< {text}"
    if kind is Kind.MONTHS:
        text = "1 maand" if text == "1" else f"{text} maanden"
    return MINUS + text if shown.negative else text


def format_number(value: Decimal | int | str | None, kind: Kind) -> str:
    """A spreadsheet cell: the shown digits with a decimal comma, no thousands
    separator, no unit and an ASCII minus ("-1250,00"); text stays text and
    "n.v.t." stays itself."""
    if value is None or isinstance(value, str):
        return format_value(value, kind)
    number = Decimal(value)
    if not number.is_finite():
        return NOT_APPLICABLE
    shown = digits(number, Kind(kind))
    if shown.below:  # far below what any cell needs: the value itself
        return format(number.normalize(), "f").replace(".", ",")
    text = f"{shown.whole},{shown.fraction}" if shown.fraction else shown.whole
    return "-" + text if shown.negative else text


def format_input(value: Decimal | int | None, kind: Kind) -> str:
    """A Dutch number for pre-filling an input: no unit and no rounding.

    "2.500", "1.250,50", "12,5", "0,125". parse_number reads it back exactly.
    """
    if value is None:
        return ""
    number = Decimal(value)
    if not number.is_finite():
        return ""
    sign, whole, fraction = _split(number)
    fraction = fraction.rstrip("0")
    if Kind(kind) is Kind.MONEY and fraction:
        fraction = fraction.ljust(2, "0")  # cents as a pair: "1.250,50"
    if not whole.strip("0") and not fraction:
        sign = ""
    return _dutch(sign, whole, fraction)
