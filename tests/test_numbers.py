"""Dutch number parsing and display (SPEC 5.3)."""

from decimal import ROUND_HALF_UP, Decimal, localcontext

import pytest
from hypothesis import assume, given, settings
from hypothesis import strategies as st

from calculators import Kind, format_input, format_value, parse_number
from calculators.dutch_numbers import (
    FORMAT_ERRORS,
    TOO_LARGE_ERROR,
    TOO_LONG_ERROR,
    TOO_PRECISE_ERROR,
    WHOLE_NUMBER_ERROR,
)

PROPERTY = settings(max_examples=200, deadline=None)
MONEY_ERROR = "Vul een bedrag in, bijvoorbeeld 1.250,00"

# -- Parsing: accepted forms -------------------------------------------------


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        # both separators: the last one is the decimal separator
        ("1.234,56", "1234.56"),
        ("1,234.56", "1234.56"),
        ("1.234.567,89", "1234567.89"),
        ("1,234,567.89", "1234567.89"),
        # only commas
        ("12,5", "12.5"),
        ("0,25", "0.25"),
        ("1,234", "1.234"),  # one comma is always decimal
        ("1,234,567", "1234567"),
        # only dots
        ("1.234", "1234"),
        ("1.234.567", "1234567"),
        ("100.000", "100000"),
        ("12.5", "12.5"),
        ("0.25", "0.25"),
        ("0.250", "0.25"),  # a group cannot start with 0, so this is a decimal point
        ("1234.567", "1234.567"),  # "1234" is no valid first group: decimal point
        ("12.34", "12.34"),
        # spaces group thousands
        ("1 234,5", "1234.5"),
        ("1 234 567", "1234567"),
        ("1\u00a0234,5", "1234.5"),
        ("1\u202f234,50", "1234.5"),
        ("1 234.5", "1234.5"),
        # plain digits, surrounding whitespace
        ("2500", "2500"),
        ("007", "7"),
        ("0", "0"),
        ("  42\t", "42"),
        ("\u00a042\u202f", "42"),
    ],
)
def test_parses_dutch_and_international_numbers(text: str, expected: str) -> None:
    parsed = parse_number(text, Kind.NUMBER)
    assert parsed.error is None
    assert not parsed.empty
    assert parsed.value == Decimal(expected)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("€ 2.000", "2000"),
        ("€2.000", "2000"),
        ("2.000 €", "2000"),
        ("2.000€", "2000"),
        ("EUR 1.250,50", "1250.50"),
        ("eur1.250,50", "1250.50"),
        ("1.250,50 Eur", "1250.50"),
        ("\u00a0€\u00a01.234,56\u00a0", "1234.56"),
        ("€ 25,-", "25"),
        ("€ 1.000,--", "1000"),
        # negatives parse (fields reject them with a Dutch message)
        ("-5", "-5"),
        ("\u22125", "-5"),
        ("€ -1.234,56", "-1234.56"),
        ("-€ 1.234,56", "-1234.56"),
        ("- 12,5", "-12.5"),
    ],
)
def test_money_strips_currency_and_reads_signs(text: str, expected: str) -> None:
    parsed = parse_number(text, Kind.MONEY)
    assert (parsed.value, parsed.error) == (Decimal(expected), None)


@pytest.mark.parametrize(
    ("text", "expected"),
    [("12,5%", "12.5"), ("12,5 %", "12.5"), ("40", "40"), ("0,5%", "0.5"), ("-3%", "-3")],
)
def test_percent_strips_a_trailing_percent_sign(text: str, expected: str) -> None:
    assert parse_number(text, Kind.PERCENT).value == Decimal(expected)


def test_unit_symbols_belong_to_their_kind() -> None:
    assert parse_number("12%", Kind.MONEY).error == MONEY_ERROR
    assert parse_number("€ 12", Kind.PERCENT).error == FORMAT_ERRORS[Kind.PERCENT]
    assert parse_number("€ 12", Kind.COUNT).error == FORMAT_ERRORS[Kind.COUNT]


@pytest.mark.parametrize("text", ["", "   ", "\u00a0", "\t\n", None])
def test_empty_input_is_empty_not_an_error(text: str | None) -> None:
    for kind in Kind:
        assert parse_number(text, kind).empty
        assert parse_number(text, kind).value is None
        assert parse_number(text, kind).error is None


# -- Parsing: rejected forms -------------------------------------------------


@pytest.mark.parametrize(
    "text",
    [
        "abc",
        "12a",
        "1e5",  # no exponents
        "1E5",
        "1..2",
        "1,,2",
        ",5",  # a decimal separator needs digits on both sides
        ".5",
        "12,",
        "12.",
        "1.23.4",  # invalid groups
        "1,23,4",
        "1.234,5,6",  # two decimal separators
        "1,234.5.6",
        "1.2,3",
        "1.23,45",
        "1,2.3",
        "0.123,45",  # a group cannot start with 0
        "1  234",  # one space between groups
        "12 34",
        "1 234,5,6",
        "+5",
        "--5",
        "5-",
        "€ 5 €",
        "€",
        "EUR",
        "NaN",
        "Infinity",
        "inf",
        "1_000",
        "\u0661\u0662",  # Arabic-Indic digits
        "½",
        "0x10",
        "1/2",
        "12,5,-",
    ],
)
def test_rejects_anything_else_with_the_kind_message(text: str) -> None:
    parsed = parse_number(text, Kind.MONEY)
    assert parsed.value is None
    assert not parsed.empty
    assert parsed.error == MONEY_ERROR


@pytest.mark.parametrize(
    ("kind", "message"),
    [
        (Kind.MONEY, "Vul een bedrag in, bijvoorbeeld 1.250,00"),
        (Kind.COUNT, "Vul een heel getal in, bijvoorbeeld 1.250"),
        (Kind.PERCENT, "Vul een percentage in, bijvoorbeeld 12,5"),
        (Kind.NUMBER, "Vul een getal in, bijvoorbeeld 2,5"),
    ],
)
def test_error_messages_are_dutch_per_kind(kind: Kind, message: str) -> None:
    assert parse_number("twaalf", kind).error == message


@pytest.mark.parametrize("text", ["1,5", "0,5", "2.5", "1.234,5"])
def test_counts_need_a_whole_number(text: str) -> None:
    assert parse_number(text, Kind.COUNT).error == WHOLE_NUMBER_ERROR == "Gebruik een heel getal"


@pytest.mark.parametrize(("text", "expected"), [("1.234", 1234), ("12,0", 12), ("1 000", 1000)])
def test_counts_accept_whole_numbers_in_any_notation(text: str, expected: int) -> None:
    value = parse_number(text, Kind.COUNT).value
    assert value == expected
    assert value is not None and value.as_tuple().exponent == 0


def test_overlong_input_is_rejected_before_any_work() -> None:
    assert parse_number("1" * 41, Kind.MONEY).error == TOO_LONG_ERROR
    assert parse_number(" " * 41, Kind.MONEY).error == TOO_LONG_ERROR
    assert parse_number("9" * 10_000_000, Kind.NUMBER).error == TOO_LONG_ERROR
    assert parse_number("1" * 40, Kind.NUMBER).error == TOO_LARGE_ERROR


def test_absurd_magnitudes_and_precision_are_rejected() -> None:
    assert parse_number(Decimal("1E+30"), Kind.MONEY).error == TOO_LARGE_ERROR
    assert parse_number(10**200, Kind.COUNT).error == TOO_LARGE_ERROR
    assert parse_number(1e300, Kind.NUMBER).error == TOO_LARGE_ERROR
    assert parse_number(Decimal("1E-41"), Kind.NUMBER).error == TOO_PRECISE_ERROR
    assert parse_number(Decimal("1E-40"), Kind.NUMBER).value == Decimal("1E-40")


# -- Parsing: non-str values -------------------------------------------------


@pytest.mark.parametrize(
    ("value", "kind", "expected"),
    [
        (2500, Kind.MONEY, Decimal(2500)),
        (0, Kind.COUNT, Decimal(0)),
        (Decimal("12.50"), Kind.MONEY, Decimal("12.50")),
        (12.5, Kind.PERCENT, Decimal("12.5")),
        (0.1, Kind.MONEY, Decimal("0.1")),  # via repr, not the binary expansion
        (3.0, Kind.COUNT, Decimal(3)),
        (Decimal("1E+3"), Kind.COUNT, Decimal(1000)),
        (-2, Kind.MONEY, Decimal(-2)),
        (Decimal("-0"), Kind.MONEY, Decimal(0)),
    ],
)
def test_accepts_numbers_directly(value: object, kind: Kind, expected: Decimal) -> None:
    parsed = parse_number(value, kind)  # type: ignore[arg-type]
    assert (parsed.value, parsed.error, parsed.empty) == (expected, None, False)


@pytest.mark.parametrize(
    "value",
    [
        True,
        False,
        float("nan"),
        float("inf"),
        float("-inf"),
        Decimal("NaN"),
        Decimal("sNaN"),
        Decimal("Infinity"),
        Decimal("-Infinity"),
        [1],
        object(),
        b"12",
    ],
)
def test_rejects_non_finite_bools_and_other_types(value: object) -> None:
    parsed = parse_number(value, Kind.MONEY)  # type: ignore[arg-type]
    assert parsed.value is None
    assert parsed.error == MONEY_ERROR


def test_negative_zero_is_plain_zero() -> None:
    value = parse_number("-0,00", Kind.MONEY).value
    assert value == 0
    assert value is not None and not value.is_signed()


def test_parsing_ignores_the_callers_decimal_context() -> None:
    with localcontext() as context:
        context.prec = 3
        assert parse_number("1.234.567,89", Kind.MONEY).value == Decimal("1234567.89")


# -- Display -----------------------------------------------------------------


@pytest.mark.parametrize(
    ("value", "kind", "expected"),
    [
        ("1234.56", Kind.MONEY, "€\u00a01.234,56"),
        ("1234.565", Kind.MONEY, "€\u00a01.234,57"),  # half up
        ("0.125", Kind.MONEY, "€\u00a00,13"),
        ("2500", Kind.MONEY, "€\u00a02.500,00"),
        ("-1234.56", Kind.MONEY, "\u2212€\u00a01.234,56"),  # a real minus, before the "€"
        ("-0.001", Kind.MONEY, "\u2212€\u00a00,001"),  # never "-0,00" nor "0,00"
        ("-0.0001", Kind.PERCENT, "\u22120,0001%"),
        ("0.025", Kind.MONEY, "€\u00a00,025"),  # a CPV keeps its tenth of a cent
        ("0.05", Kind.MONEY, "€\u00a00,05"),
        ("0.0247", Kind.RATIO, "0,025:1"),  # not "0:1"
        ("0.000001", Kind.RATIO, "< 0,0001:1"),
        ("-0.000001", Kind.MONEY, "> \u2212€\u00a00,0001"),
        ("0", Kind.MONEY, "€\u00a00,00"),
        ("1000000000000", Kind.MONEY, "€\u00a01.000.000.000.000,00"),
        ("12.5", Kind.PERCENT, "12,5%"),
        ("400", Kind.PERCENT, "400%"),
        ("12.25", Kind.PERCENT, "12,3%"),
        ("12.04", Kind.PERCENT, "12%"),
        ("-36.876", Kind.PERCENT, "\u221236,9%"),
        ("1234.5", Kind.PERCENT, "1.234,5%"),
        ("4", Kind.RATIO, "4:1"),
        ("4.2", Kind.RATIO, "4,2:1"),
        ("4.25", Kind.RATIO, "4,3:1"),
        ("0.85", Kind.RATIO, "0,85:1"),  # one significant digit would lose the 8
        ("1234", Kind.COUNT, "1.234"),
        ("1234567", Kind.COUNT, "1.234.567"),
        ("999", Kind.COUNT, "999"),
        ("2.5", Kind.NUMBER, "2,5"),
        ("2.50", Kind.NUMBER, "2,5"),
        ("2.345", Kind.NUMBER, "2,35"),
        ("1234.5", Kind.NUMBER, "1.234,5"),
        ("3.2", Kind.MONTHS, "3,2 maanden"),
        ("6.25", Kind.MONTHS, "6,3 maanden"),
        ("1", Kind.MONTHS, "1 maand"),
        ("1.04", Kind.MONTHS, "1 maand"),  # shown as 1, so singular
        ("12", Kind.MONTHS, "12 maanden"),
        ("0", Kind.MONTHS, "0 maanden"),
        ("0.03", Kind.MONTHS, "minder dan 1 maand"),
        ("0.6", Kind.MONTHS, "minder dan 1 maand"),
    ],
)
def test_format_value_follows_nl_nl(value: str, kind: Kind, expected: str) -> None:
    assert format_value(Decimal(value), kind) == expected


def test_format_value_not_applicable_and_text() -> None:
    for kind in Kind:
        assert format_value(None, kind) == "n.v.t."
    assert format_value(Decimal("NaN"), Kind.MONEY) == "n.v.t."
    assert format_value(Decimal("Infinity"), Kind.RATIO) == "n.v.t."
    assert format_value("gezond", Kind.TEXT) == "gezond"


def test_format_value_ignores_the_callers_decimal_context() -> None:
    with localcontext() as context:
        context.prec = 2
        context.rounding = "ROUND_DOWN"
        assert format_value(Decimal("1234.565"), Kind.MONEY) == "€\u00a01.234,57"
        assert format_value(Decimal("1E+40"), Kind.COUNT).startswith("10.000.000")


@pytest.mark.parametrize(
    ("value", "kind", "expected"),
    [
        ("2500", Kind.MONEY, "2.500"),
        ("1250.5", Kind.MONEY, "1.250,50"),
        ("1250.50", Kind.MONEY, "1.250,50"),
        ("1250.00", Kind.MONEY, "1.250"),
        ("0.125", Kind.MONEY, "0,125"),  # pre-filled values are never rounded
        ("12.5", Kind.PERCENT, "12,5"),
        ("40", Kind.PERCENT, "40"),
        ("160000", Kind.COUNT, "160.000"),
        ("7.50", Kind.NUMBER, "7,5"),
        ("0", Kind.MONEY, "0"),
        ("-1234.5", Kind.MONEY, "-1.234,50"),
        ("1E+3", Kind.COUNT, "1.000"),
    ],
)
def test_format_input_prefills_a_dutch_number(value: str, kind: Kind, expected: str) -> None:
    assert format_input(Decimal(value), kind) == expected


def test_format_input_empty() -> None:
    assert format_input(None, Kind.MONEY) == ""


# -- Properties --------------------------------------------------------------

anything = st.one_of(
    st.text(),
    st.text(alphabet="0123456789.,- €%\u00a0\u202f\u2212eEUR"),
    st.integers(),
    st.floats(),
    st.decimals(),
    st.booleans(),
    st.none(),
)


@PROPERTY
@given(anything, st.sampled_from(list(Kind)))
def test_parse_never_raises_and_answers_value_or_error(raw: object, kind: Kind) -> None:
    parsed = parse_number(raw, kind)  # type: ignore[arg-type]
    if parsed.empty:
        assert (parsed.value, parsed.error) == (None, None)
    elif parsed.error is not None:
        assert parsed.value is None
        assert parsed.error[0].isupper() and parsed.error.isprintable()
    else:
        assert parsed.value is not None and parsed.value.is_finite()
        if kind is Kind.COUNT:
            assert parsed.value == parsed.value.to_integral_value()


def _rounded(value: Decimal, places: int) -> Decimal:
    return value.quantize(Decimal(1).scaleb(-places), rounding=ROUND_HALF_UP)


amounts = st.decimals(
    min_value=-(10**12), max_value=10**12, places=4, allow_nan=False, allow_infinity=False
)


@PROPERTY
@given(amounts, st.sampled_from([(Kind.MONEY, 2), (Kind.PERCENT, 1), (Kind.NUMBER, 2)]))
def test_display_reads_back_as_the_rounded_value(value: Decimal, kind_places: tuple) -> None:
    kind, places = kind_places
    shown = format_value(value, kind).replace("\u2212", "-")
    _, _, fraction = shown.rstrip("%").partition(",")
    decimals = max(len(fraction), places)  # more for a value below the standard decimals
    assume(not shown.startswith(("<", ">")))
    assert parse_number(shown, kind).value == _rounded(value, decimals)


@PROPERTY
@given(st.integers(min_value=0, max_value=10**15))
def test_count_display_reads_back(value: int) -> None:
    assert parse_number(format_value(Decimal(value), Kind.COUNT), Kind.COUNT).value == value


@PROPERTY
@given(
    st.decimals(
        min_value=-(10**12), max_value=10**12, places=8, allow_nan=False, allow_infinity=False
    ),
    st.sampled_from([Kind.MONEY, Kind.PERCENT, Kind.NUMBER]),
)
def test_format_input_reads_back_exactly(value: Decimal, kind: Kind) -> None:
    assert parse_number(format_input(value, kind), kind).value == value


@PROPERTY
@given(st.integers(min_value=0, max_value=10**12).map(Decimal))
def test_grouped_and_plain_notations_agree(value: Decimal) -> None:
    dutch = format_input(value, Kind.COUNT)
    notations = [dutch, dutch.replace(".", " "), dutch.replace(".", "")]
    if dutch.count(".") != 1:  # a single comma is always a decimal comma
        notations.append(dutch.replace(".", ","))
    for text in notations:
        assert parse_number(text, Kind.COUNT).value == value
