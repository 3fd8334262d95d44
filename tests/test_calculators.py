"""The four calculators: worked examples, not-applicable outputs, validation, properties."""

import json
import math
from decimal import Decimal, localcontext
from fractions import Fraction

import pytest
from hypothesis import assume, given, settings
from hypothesis import strategies as st

import calculators
from calculators import (
    Calculator,
    Field,
    Kind,
    Output,
    Result,
    UnknownCalculatorError,
    UnknownFieldError,
    compute,
    format_input,
    get,
    model,
    parse_number,
    registry,
)

from .support import check_outputs, exactly

PROPERTY = settings(max_examples=200, deadline=None)
NA = "n.v.t."
D = Decimal


def check(result: Result, expected: dict[str, tuple[object, str]]) -> None:
    """Every output's exact value and display string, and no output left out."""
    check_outputs(result, expected)
    assert result.reasons == {}


# -- Registry and API --------------------------------------------------------


def test_registry_order_and_ids() -> None:
    assert list(registry)[:4] == ["cpl", "roas", "ltv_cac", "influencer"]
    for calculator_id, calculator in registry.items():
        assert isinstance(calculator, Calculator)
        assert calculator.id == calculator_id
        assert get(calculator_id) is calculator


def test_spec_field_and_output_names() -> None:
    def names(calculator_id: str) -> tuple[list[str], list[str]]:
        calculator = get(calculator_id)
        return [f.name for f in calculator.fields], [o.name for o in calculator.outputs]

    assert names("cpl") == (
        ["media_spend", "other_costs", "leads", "close_rate", "customer_value"],
        ["total_cost", "cpl", "media_cpl", "cpa", "max_cpl", "profit_per_lead"],
    )
    assert names("roas") == (
        ["ad_spend", "revenue", "gross_margin"],
        ["roas", "roas_percent", "break_even_roas", "poas", "profit_after_ads"],
    )
    assert names("ltv_cac") == (
        ["revenue_per_month", "gross_margin", "churn_rate", "acquisition_costs", "new_customers"],
        ["ltv", "cac", "ltv_cac_ratio", "payback_months", "lifetime_months", "verdict"],
    )
    assert names("influencer") == (
        [
            "fee_per_post", "posts", "product_cost", "units", "shipping_per_unit",
            "production_costs", "team_hours", "hourly_rate", "other_costs",
            "reach", "engagements", "clicks", "conversions", "revenue", "gross_margin",
        ],
        [
            "fees", "product_costs", "shipping_costs", "production_costs", "team_costs",
            "other_costs", "total_cost", "fee_share", "cpm", "engagement_rate",
            "cost_per_engagement", "cpc", "cost_per_conversion", "roas", "roi",
        ],
    )  # fmt: skip


def test_spec_kinds_requirements_and_bounds() -> None:
    def spec(calculator_id: str, name: str) -> tuple:
        f = get(calculator_id).field(name)
        return f.kind, f.required, f.default, f.minimum, f.minimum_inclusive

    assert spec("cpl", "media_spend") == (Kind.MONEY, True, None, 0, True)
    assert spec("cpl", "other_costs") == (Kind.MONEY, False, 0, 0, True)
    assert spec("cpl", "leads") == (Kind.COUNT, True, None, 0, False)
    assert spec("cpl", "close_rate") == (Kind.PERCENT, False, None, 0, False)
    assert spec("cpl", "customer_value") == (Kind.MONEY, False, None, 0, True)
    assert spec("roas", "ad_spend") == (Kind.MONEY, True, None, 0, False)
    assert spec("roas", "revenue") == (Kind.MONEY, True, None, 0, True)
    assert spec("roas", "gross_margin") == (Kind.PERCENT, False, None, 0, False)
    assert spec("ltv_cac", "revenue_per_month") == (Kind.MONEY, True, None, 0, False)
    assert spec("ltv_cac", "gross_margin") == (Kind.PERCENT, True, None, 0, False)
    assert spec("ltv_cac", "churn_rate") == (Kind.PERCENT, True, None, 0, False)
    assert spec("ltv_cac", "acquisition_costs") == (Kind.MONEY, True, None, 0, True)
    assert spec("ltv_cac", "new_customers") == (Kind.COUNT, True, None, 0, False)
    influencer = get("influencer")
    for f in influencer.fields[:9]:
        assert (f.required, f.default, f.group) == (False, 0, "Kosten"), f.name
    for f in influencer.fields[9:]:
        assert (f.required, f.default, f.group) == (False, None, "Resultaten"), f.name
    assert influencer.field("team_hours").kind is Kind.NUMBER
    for calculator in registry.values():
        for f in calculator.fields:
            if f.kind is Kind.PERCENT:
                assert (f.maximum, f.maximum_inclusive) == (100, True)


@pytest.mark.parametrize("calculator", list(registry.values()), ids=list(registry))
def test_definitions_are_complete(calculator: Calculator) -> None:
    assert calculator.title and calculator.purpose
    assert any(o.primary for o in calculator.outputs)
    for f in calculator.fields:
        assert isinstance(f, Field)
        assert f.kind in {Kind.MONEY, Kind.COUNT, Kind.PERCENT, Kind.NUMBER}
        assert f.label and f.help.endswith(".") and f.noun
        assert f.maximum is not None, f"{f.name} needs a cap against absurd values"
        assert f.example is not None, f"{f.name} needs a worked-example value"
        # the example is itself valid input
        assert f.validate(f.example) == (f.example, None)
        assert f.validate(format_input(f.example, f.kind)) == (f.example, None)
    for o in calculator.outputs:
        assert isinstance(o, Output)
        assert o.label and o.explanation.endswith(".")
        assert o.reads, f"{o.name} needs a formula that names what it reads"
        assert o.noun.startswith(("de ", "het ")), f"{o.name} needs a noun for its reasons"


@pytest.mark.parametrize("calculator", list(registry.values()), ids=list(registry))
def test_the_worked_example_computes_every_output(calculator: Calculator) -> None:
    result = calculator.compute(calculator.example_inputs())
    assert result.ok and result.errors == {} and result.reasons == {}
    assert NA not in result.display.values()
    examples = {k: format_input(v, calculator.field(k).kind) for k, v in result.inputs.items()}
    assert calculator.compute(examples) == result  # the pre-filled form gives the same


def test_field_form_properties() -> None:
    cpl = get("cpl")
    assert (cpl.field("leads").inputmode, cpl.field("leads").unit) == ("numeric", None)
    assert (cpl.field("media_spend").inputmode, cpl.field("media_spend").unit) == ("decimal", "€")
    assert (cpl.field("close_rate").inputmode, cpl.field("close_rate").unit) == ("decimal", "%")
    hours = get("influencer").field("team_hours")
    assert (hours.inputmode, hours.unit) == ("decimal", None)


def test_unknown_calculator_and_field_raise_lookup_errors() -> None:
    with pytest.raises(UnknownCalculatorError) as caught:
        get("cpm")
    assert isinstance(caught.value, LookupError)
    assert "Onbekende rekenhulp 'cpm'" in str(caught.value)
    assert "cpl, roas, ltv_cac, influencer" in str(caught.value)
    with pytest.raises(UnknownCalculatorError):
        compute("nope", {})
    with pytest.raises(UnknownFieldError) as caught_field:
        compute("roas", {"ad_spend": "1", "revenu": "2"})
    assert isinstance(caught_field.value, LookupError)
    assert "Onbekend veld 'revenu'" in str(caught_field.value)
    assert "ad_spend, revenue, gross_margin" in str(caught_field.value)
    with pytest.raises(UnknownFieldError):
        get("cpl").field("nope")


def test_public_names() -> None:
    public = [
        "registry", "compute", "get", "Calculator", "Field", "Output", "Result", "Kind",
        "parse_number", "format_value", "format_input", "UnknownCalculatorError",
        "UnknownFieldError",
    ]  # fmt: skip
    for name in public:
        assert hasattr(calculators, name), name
    assert set(public) <= set(calculators.__all__)


# -- cpl ---------------------------------------------------------------------


def test_cpl_worked_example() -> None:
    result = compute(
        "cpl",
        {
            "media_spend": "4.000",
            "other_costs": "€ 1.000",
            "leads": "125",
            "close_rate": "20%",
            "customer_value": "600",
        },
    )
    # 5000 / 125 = 40; 40 / 0,2 = 200; 600 x 0,2 = 120; 120 - 40 = 80
    check(
        result,
        {
            "total_cost": (D(5000), "€\u00a05.000,00"),
            "cpl": (D(40), "€\u00a040,00"),
            "media_cpl": (D(32), "€\u00a032,00"),
            "cpa": (D(200), "€\u00a0200,00"),
            "max_cpl": (D(120), "€\u00a0120,00"),
            "profit_per_lead": (D(80), "€\u00a080,00"),
        },
    )


def test_cpl_with_repeating_decimals_is_rounded_only_for_display() -> None:
    result = compute(
        "cpl",
        {"media_spend": "1.250,50", "leads": "37", "close_rate": "12,5", "customer_value": "450"},
    )
    assert result.inputs["other_costs"] == 0  # default applied
    assert result.values["total_cost"] == D("1250.50")
    assert result.values["cpl"] == D("33.79729729729729729729729730")
    exactly(result.values["cpl"], Fraction("1250.50") / 37)
    assert result.values["media_cpl"] == result.values["cpl"]
    assert result.values["cpa"] == D("270.3783783783783783783783784")
    exactly(result.values["cpa"], Fraction("1250.50") / 37 * 8)
    assert result.values["max_cpl"] == D("56.25")
    assert result.values["profit_per_lead"] == D("22.45270270270270270270270270")
    exactly(result.values["profit_per_lead"], Fraction("56.25") - Fraction("1250.50") / 37)
    assert result.display == {
        "total_cost": "€\u00a01.250,50",
        "cpl": "€\u00a033,80",
        "media_cpl": "€\u00a033,80",
        "cpa": "€\u00a0270,38",
        "max_cpl": "€\u00a056,25",
        "profit_per_lead": "€\u00a022,45",
    }


def test_cpl_negative_profit_per_lead() -> None:
    result = compute(
        "cpl", {"media_spend": "3000", "leads": "20", "close_rate": "10", "customer_value": "1000"}
    )
    assert result.values["profit_per_lead"] == D(-50)  # 100 - 150
    assert result.display["profit_per_lead"] == "\u2212€\u00a050,00"


def test_cpl_not_applicable_without_close_rate_or_customer_value() -> None:
    result = compute("cpl", {"media_spend": "2.500", "leads": "50"})
    assert result.ok
    assert result.values["cpl"] == D(50)
    for name in ("cpa", "max_cpl", "profit_per_lead"):
        assert result.values[name] is None
        assert result.display[name] == NA
    assert result.reasons == {
        "cpa": "Vul de sluitingsratio in om de CPA te berekenen.",
        "max_cpl": "Vul de klantwaarde en de sluitingsratio in om de maximale CPL te berekenen.",
        "profit_per_lead": (
            "Vul de klantwaarde en de sluitingsratio in om de winst per lead te berekenen."
        ),
    }
    only_rate = compute("cpl", {"media_spend": "2.500", "leads": "50", "close_rate": "10"})
    assert only_rate.values["cpa"] == D(500)
    assert only_rate.reasons == {
        "max_cpl": "Vul de klantwaarde in om de maximale CPL te berekenen.",
        "profit_per_lead": "Vul de klantwaarde in om de winst per lead te berekenen.",
    }
    only_value = compute("cpl", {"media_spend": "2.500", "leads": "50", "customer_value": "9"})
    assert only_value.reasons["max_cpl"] == (
        "Vul de sluitingsratio in om de maximale CPL te berekenen."
    )


def test_cpl_zero_spend_is_a_valid_zero() -> None:
    result = compute("cpl", {"media_spend": "0", "leads": "10"})
    assert result.ok
    assert result.values["cpl"] == 0
    assert result.display["cpl"] == "€\u00a00,00"


@pytest.mark.parametrize(
    ("field", "raw", "message"),
    [
        ("media_spend", "", "Vul het mediabudget in"),
        ("media_spend", None, "Vul het mediabudget in"),
        ("media_spend", "-100", "Het mediabudget kan niet negatief zijn"),
        ("media_spend", "veel", "Vul een bedrag in, bijvoorbeeld 1.250,00"),
        ("media_spend", "1.000.000.000.001", (
            "Het mediabudget kan niet hoger zijn dan €\u00a01.000.000.000.000")),
        ("leads", "0", "Het aantal leads moet groter zijn dan 0"),
        ("leads", "", "Vul het aantal leads in"),
        ("leads", "12,5", "Gebruik een heel getal"),
        ("leads", "-3", "Het aantal leads kan niet negatief zijn"),
        ("close_rate", "0", "De sluitingsratio moet groter zijn dan 0"),
        ("close_rate", "120", "Een percentage ligt tussen 0 en 100"),
        ("close_rate", "100,01", "Een percentage ligt tussen 0 en 100"),
        ("other_costs", "-1", "Het bedrag aan overige kosten kan niet negatief zijn"),
        ("customer_value", "1e3", "Vul een bedrag in, bijvoorbeeld 1.250,00"),
    ],
)  # fmt: skip
def test_cpl_field_errors(field: str, raw: object, message: str) -> None:
    inputs: dict[str, object] = {"media_spend": "1000", "leads": "10", field: raw}
    result = compute("cpl", inputs)  # type: ignore[arg-type]
    assert not result.ok
    assert result.errors == {field: message}
    assert_blanks_only_dependants(result, field)


def assert_blanks_only_dependants(result: Result, field: str) -> None:
    """An invalid field blanks exactly the outputs that read it, naming the field."""
    calculator = get(result.calculator)
    noun = calculator.field(field).noun
    for o in calculator.outputs:
        if field in calculator.depends_on(o.name):
            assert result.values[o.name] is None, o.name
            assert result.display[o.name] == NA
            assert noun in result.reasons[o.name], o.name
            assert result.reasons[o.name].startswith(("Corrigeer eerst", "Vul eerst")), o.name
        else:
            assert noun not in result.reasons.get(o.name, ""), o.name


def test_partial_result_keeps_what_does_not_depend_on_the_invalid_field() -> None:
    # SPEC 5.8: cpl with media_spend 4.000 and leads 0
    result = compute("cpl", {"media_spend": "4.000", "leads": "0"})
    assert not result.ok
    assert result.errors == {"leads": "Het aantal leads moet groter zijn dan 0"}
    assert result.display["total_cost"] == "€\u00a04.000,00"
    assert result.values["cpl"] is None and result.display["cpl"] == NA
    assert result.reasons["cpl"] == "Corrigeer eerst het aantal leads."
    empty = compute("cpl", {"media_spend": "", "leads": "10"})
    assert empty.reasons["total_cost"] == "Vul eerst het mediabudget in."
    both = compute("cpl", {"media_spend": "", "leads": "0"})
    assert both.reasons["cpl"] == ("Corrigeer eerst het aantal leads en vul het mediabudget in.")
    assert both.reasons["cpa"] == both.reasons["cpl"]


def test_influencer_invalid_margin_keeps_the_costs() -> None:
    result = compute("influencer", {**INFLUENCER_EXAMPLE, "gross_margin": "150"})
    assert result.errors == {"gross_margin": "Een percentage ligt tussen 0 en 100"}
    assert result.display["fees"] == "€\u00a03.200,00"
    assert result.display["product_costs"] == "€\u00a01.000,00"
    assert result.display["total_cost"] == "€\u00a08.000,00"
    assert result.values["roas"] == D("2.5")
    assert result.reasons == {"roi": "Corrigeer eerst de brutomarge."}
    assert "roi" not in result.tones


def test_percent_bounds_are_inclusive_at_100() -> None:
    result = compute("cpl", {"media_spend": "1000", "leads": "10", "close_rate": "100"})
    assert result.ok and result.values["cpa"] == D(100)


# -- roas --------------------------------------------------------------------


def test_roas_worked_example() -> None:
    result = compute("roas", {"ad_spend": "2.500", "revenue": "10.000", "gross_margin": "40"})
    # 10000/2500 = 4; 100/40 = 2,5; 10000 x 0,4 / 2500 = 1,6; 4000 - 2500 = 1500
    check(
        result,
        {
            "roas": (D(4), "4:1"),
            "roas_percent": (D(400), "400%"),
            "break_even_roas": (D("2.5"), "2,5:1"),
            "poas": (D("1.6"), "1,6:1"),
            "profit_after_ads": (D(1500), "€\u00a01.500,00"),
        },
    )


def test_roas_rounded_and_negative_profit() -> None:
    result = compute("roas", {"ad_spend": "€ 1.234,56", "revenue": "3.000", "gross_margin": "35"})
    assert result.values["roas"] == D("2.430015552099533437013996890")
    exactly(result.values["roas"], Fraction(3000) / Fraction("1234.56"))
    assert result.values["roas_percent"] == D("243.0015552099533437013996890")
    assert result.values["break_even_roas"] == D("2.857142857142857142857142857")
    exactly(result.values["break_even_roas"], Fraction(100, 35))
    assert result.values["poas"] == D("0.8505054432348367029548989114")
    exactly(result.values["poas"], Fraction(1050) / Fraction("1234.56"))
    assert result.values["profit_after_ads"] == D("-184.56")
    assert result.display == {
        "roas": "2,4:1",
        "roas_percent": "243%",
        "break_even_roas": "2,9:1",
        "poas": "0,85:1",  # two significant digits below 1
        "profit_after_ads": "\u2212€\u00a0184,56",
    }


def test_roas_fractional_display() -> None:
    result = compute("roas", {"ad_spend": "1000", "revenue": "4200"})
    assert (result.display["roas"], result.display["roas_percent"]) == ("4,2:1", "420%")
    assert compute("roas", {"ad_spend": "800", "revenue": "1000"}).display["roas_percent"] == (
        "125%"
    )
    assert compute("roas", {"ad_spend": "1000", "revenue": "0"}).display["roas"] == "0:1"


def test_roas_without_gross_margin() -> None:
    result = compute("roas", {"ad_spend": "2500", "revenue": "10000", "gross_margin": " "})
    assert result.ok and result.values["roas"] == 4
    assert result.reasons == {
        "break_even_roas": "Vul de brutomarge in om de break-even ROAS te berekenen.",
        "poas": "Vul de brutomarge in om de POAS te berekenen.",
        "profit_after_ads": (
            "Vul de brutomarge in om de brutowinst na advertentiekosten te berekenen."
        ),
    }


@pytest.mark.parametrize(
    ("field", "raw", "message"),
    [
        ("ad_spend", "0", "Het advertentiebudget moet groter zijn dan 0"),
        ("ad_spend", "", "Vul het advertentiebudget in"),
        ("revenue", "", "Vul de omzet in"),
        ("revenue", "-1", "De omzet kan niet negatief zijn"),
        ("gross_margin", "0", "De brutomarge moet groter zijn dan 0"),
        ("gross_margin", "140%", "Een percentage ligt tussen 0 en 100"),
    ],
)
def test_roas_field_errors(field: str, raw: str, message: str) -> None:
    result = compute("roas", {"ad_spend": "100", "revenue": "500", field: raw})
    assert result.errors == {field: message}
    assert not result.ok


# -- ltv_cac -----------------------------------------------------------------

LTV_EXAMPLE = {
    "revenue_per_month": "50",
    "gross_margin": "80",
    "churn_rate": "4",
    "acquisition_costs": "25.000",
    "new_customers": "100",
}


def test_ltv_cac_worked_example() -> None:
    # LTV = 50 x 0,8 / 0,04 = 1000; CAC = 25000 / 100 = 250; ratio 4; payback 250 / 40 = 6,25
    check(
        compute("ltv_cac", LTV_EXAMPLE),
        {
            "ltv": (D(1000), "€\u00a01.000,00"),
            "cac": (D(250), "€\u00a0250,00"),
            "ltv_cac_ratio": (D(4), "4:1"),
            "payback_months": (D("6.25"), "6,3 maanden"),
            "lifetime_months": (D(25), "25 maanden"),
            "verdict": (
                "gezond",
                "Gezond: een klant levert 3 tot 5 keer zijn acquisitiekosten op.",
            ),
        },
    )


def test_ltv_cac_repeating_decimals() -> None:
    result = compute(
        "ltv_cac",
        {
            "revenue_per_month": "49,95",
            "gross_margin": "75",
            "churn_rate": "3",
            "acquisition_costs": "18.000",
            "new_customers": "60",
        },
    )
    assert result.values["ltv"] == D("1248.75")
    assert result.values["cac"] == D(300)
    assert result.values["ltv_cac_ratio"] == D("4.1625")
    assert result.values["payback_months"] == D("8.008008008008008008008008008")
    exactly(result.values["payback_months"], Fraction(300) / Fraction("37.4625"))
    assert result.values["lifetime_months"] == D("33.33333333333333333333333333")
    assert result.display["ltv_cac_ratio"] == "4,2:1"
    assert result.display["payback_months"] == "8 maanden"
    assert result.display["lifetime_months"] == "33,3 maanden"


def test_ltv_cac_one_month() -> None:
    result = compute("ltv_cac", {**LTV_EXAMPLE, "acquisition_costs": "4.000", "churn_rate": "100"})
    assert result.values["payback_months"] == 1  # CAC 40 / 40 margin per month
    assert result.display["payback_months"] == "1 maand"
    assert result.display["lifetime_months"] == "1 maand"


def test_ltv_cac_without_acquisition_costs() -> None:
    result = compute("ltv_cac", {**LTV_EXAMPLE, "acquisition_costs": "0"})
    assert result.ok
    assert result.values["cac"] == 0
    reason = "Niet te berekenen: er zijn geen acquisitiekosten."
    assert result.reasons == {"ltv_cac_ratio": reason, "verdict": reason}
    assert result.display["ltv_cac_ratio"] == result.display["verdict"] == NA
    # no acquisition costs: a customer pays back at once
    assert result.values["payback_months"] == 0
    assert result.display["payback_months"] == "0 maanden"


@pytest.mark.parametrize(
    ("acquisition_costs", "ratio", "code", "display_start"),
    [
        # LTV is 1000 and there are 100 new customers, so CAC = costs / 100
        ("100.001", "0.9999900000999990000099999000", "verlies", "Verlieslatend"),
        ("100.000", "1", "onder_norm", "Onder de gangbare norm"),
        ("33.334", "2.999940001199976000479990400", "onder_norm", "Onder de gangbare norm"),
        ("33.333,34", "2.999999400000119999976000005", "onder_norm", "Onder de gangbare norm"),
        ("33.333,33", "3.000000300000030000003000000", "gezond", "Gezond"),
        ("20.000", "5", "gezond", "Gezond"),
        ("19.999", "5.000250012500625031251562578", "onderinvestering", "Zeer ruim"),
        ("1.000", "100", "onderinvestering", "Zeer ruim"),
    ],
)
def test_ltv_cac_verdict_boundaries(
    acquisition_costs: str, ratio: str, code: str, display_start: str
) -> None:
    result = compute("ltv_cac", {**LTV_EXAMPLE, "acquisition_costs": acquisition_costs})
    assert result.values["ltv_cac_ratio"] == D(ratio)
    assert result.values["verdict"] == code
    assert result.display["verdict"].startswith(display_start)


def test_verdict_follows_the_exact_ratio_not_the_rounded_display() -> None:
    # 2,99999... is shown as "3:1" but is still below the norm
    result = compute("ltv_cac", {**LTV_EXAMPLE, "acquisition_costs": "33.333,34"})
    assert result.display["ltv_cac_ratio"] == "3:1"
    assert result.values["verdict"] == "onder_norm"


@pytest.mark.parametrize(
    ("field", "raw", "message"),
    [
        ("revenue_per_month", "0", "De omzet per klant per maand moet groter zijn dan 0"),
        ("gross_margin", "", "Vul de brutomarge in"),
        ("churn_rate", "0", "De churn moet groter zijn dan 0"),
        ("churn_rate", "101", "Een percentage ligt tussen 0 en 100"),
        ("acquisition_costs", "-5", "Het bedrag aan acquisitiekosten kan niet negatief zijn"),
        ("new_customers", "0", "Het aantal nieuwe klanten moet groter zijn dan 0"),
        ("new_customers", "2,5", "Gebruik een heel getal"),
    ],
)
def test_ltv_cac_field_errors(field: str, raw: str, message: str) -> None:
    result = compute("ltv_cac", {**LTV_EXAMPLE, field: raw})
    assert result.errors == {field: message}
    assert result.values["verdict"] is None and result.display["verdict"] == NA


# -- influencer --------------------------------------------------------------

INFLUENCER_EXAMPLE = {
    "fee_per_post": "800",
    "posts": "4",
    "product_cost": "25",
    "units": "40",
    "shipping_per_unit": "6",
    "production_costs": "1.500",
    "team_hours": "24",
    "hourly_rate": "65",
    "other_costs": "500",
    "reach": "160.000",
    "engagements": "6.400",
    "clicks": "2.000",
    "conversions": "100",
    "revenue": "20.000",
    "gross_margin": "60",
}


def test_influencer_worked_example() -> None:
    # 3200 + 1000 + 240 + 1500 + 1560 + 500 = 8000
    check(
        compute("influencer", INFLUENCER_EXAMPLE),
        {
            "fees": (D(3200), "€\u00a03.200,00"),
            "product_costs": (D(1000), "€\u00a01.000,00"),
            "shipping_costs": (D(240), "€\u00a0240,00"),
            "production_costs": (D(1500), "€\u00a01.500,00"),
            "team_costs": (D(1560), "€\u00a01.560,00"),
            "other_costs": (D(500), "€\u00a0500,00"),
            "total_cost": (D(8000), "€\u00a08.000,00"),
            "fee_share": (D(40), "40%"),  # 3200 / 8000
            "cpm": (D(50), "€\u00a050,00"),  # 8000 / 160000 x 1000
            "engagement_rate": (D(4), "4%"),  # 6400 / 160000
            "cost_per_engagement": (D("1.25"), "€\u00a01,25"),
            "cpc": (D(4), "€\u00a04,00"),
            "cost_per_conversion": (D(80), "€\u00a080,00"),
            "roas": (D("2.5"), "2,5:1"),
            "roi": (D(50), "50%"),  # (12000 - 8000) / 8000
        },
    )


def test_influencer_rounded_values_and_negative_roi() -> None:
    result = compute(
        "influencer",
        {
            "fee_per_post": "1.250",
            "posts": "3",
            "product_cost": "12,40",
            "units": "25",
            "shipping_per_unit": "4,95",
            "team_hours": "7,5",
            "hourly_rate": "60",
            "reach": "48.500",
            "engagements": "1.940",
            "clicks": "730",
            "conversions": "42",
            "revenue": "6.500",
            "gross_margin": "45",
        },
    )
    total = Fraction("4633.75")
    assert result.values["total_cost"] == D("4633.75")
    assert result.values["production_costs"] == 0 and result.values["other_costs"] == 0
    assert result.values["team_costs"] == 450
    assert result.values["fee_share"] == D("80.92797410304828702454815214")
    exactly(result.values["fee_share"], 3750 / total * 100)
    assert result.values["cpm"] == D("95.54123711340206185567010309")
    exactly(result.values["cpm"], total / 48500 * 1000)
    assert result.values["engagement_rate"] == 4
    assert result.values["cost_per_engagement"] == D("2.388530927835051546391752577")
    assert result.values["cpc"] == D("6.347602739726027397260273973")
    exactly(result.values["cpc"], total / 730)
    assert result.values["cost_per_conversion"] == D("110.3273809523809523809523810")
    assert result.values["roas"] == D("1.402751551119503641758834637")
    exactly(result.values["roas"], 6500 / total)
    assert result.values["roi"] == D("-36.87618019962233612085244133")
    exactly(result.values["roi"], (Fraction(2925) - total) / total * 100)
    assert result.display == {
        "fees": "€\u00a03.750,00",
        "product_costs": "€\u00a0310,00",
        "shipping_costs": "€\u00a0123,75",
        "production_costs": "€\u00a00,00",
        "team_costs": "€\u00a0450,00",
        "other_costs": "€\u00a00,00",
        "total_cost": "€\u00a04.633,75",
        "fee_share": "80,9%",
        "cpm": "€\u00a095,54",
        "engagement_rate": "4%",
        "cost_per_engagement": "€\u00a02,39",
        "cpc": "€\u00a06,35",
        "cost_per_conversion": "€\u00a0110,33",
        "roas": "1,4:1",
        "roi": "\u221236,9%",
    }


def test_influencer_empty_form() -> None:
    result = compute("influencer", {})
    assert result.ok
    assert result.inputs["fee_per_post"] == 0 and result.inputs["reach"] is None
    assert result.values["total_cost"] == 0 and result.display["total_cost"] == "€\u00a00,00"
    assert result.reasons == {
        "fee_share": "Niet te berekenen: er zijn geen kosten.",
        "cpm": "Vul het bereik in om de CPM te berekenen.",
        "engagement_rate": (
            "Vul het bereik en het aantal interacties in om de engagementratio te berekenen."
        ),
        "cost_per_engagement": (
            "Vul het aantal interacties in om de kosten per interactie te berekenen."
        ),
        "cpc": "Vul het aantal klikken in om de CPC te berekenen.",
        "cost_per_conversion": (
            "Vul het aantal conversies in om de kosten per conversie te berekenen."
        ),
        # a missing input is named first; without costs there is nothing to earn back
        "roas": "Vul de omzet in om de ROAS te berekenen.",
        "roi": "Vul de omzet en de brutomarge in om de ROI te berekenen.",
    }
    with_revenue = compute("influencer", {"revenue": "500", "gross_margin": "50"})
    assert with_revenue.reasons["roas"] == "Niet te berekenen: er zijn geen kosten."
    assert with_revenue.reasons["roi"] == "Niet te berekenen: er zijn geen kosten."


def test_influencer_zero_bases_are_not_applicable() -> None:
    result = compute(
        "influencer",
        {**INFLUENCER_EXAMPLE, "reach": "0", "engagements": "0", "clicks": "0", "conversions": "0"},
    )
    assert result.ok
    assert result.reasons == {
        "cpm": "Niet te berekenen: het bereik is 0.",
        "engagement_rate": "Niet te berekenen: het bereik is 0.",
        "cost_per_engagement": "Niet te berekenen: er zijn geen interacties.",
        "cpc": "Niet te berekenen: er zijn geen klikken.",
        "cost_per_conversion": "Niet te berekenen: er zijn geen conversies.",
    }
    assert result.values["roas"] == D("2.5")


def test_influencer_missing_results() -> None:
    result = compute(
        "influencer",
        {**INFLUENCER_EXAMPLE, "revenue": "", "gross_margin": "", "engagements": ""},
    )
    assert result.reasons == {
        "engagement_rate": "Vul het aantal interacties in om de engagementratio te berekenen.",
        "cost_per_engagement": (
            "Vul het aantal interacties in om de kosten per interactie te berekenen."
        ),
        "roas": "Vul de omzet in om de ROAS te berekenen.",
        "roi": "Vul de omzet en de brutomarge in om de ROI te berekenen.",
    }
    no_margin = compute("influencer", {**INFLUENCER_EXAMPLE, "gross_margin": None})
    assert no_margin.values["roas"] == D("2.5")
    assert no_margin.reasons == {"roi": "Vul de brutomarge in om de ROI te berekenen."}
    no_revenue = compute("influencer", {**INFLUENCER_EXAMPLE, "revenue": None})
    assert no_revenue.reasons["roi"] == "Vul de omzet in om de ROI te berekenen."


def test_influencer_zero_costs_with_results() -> None:
    result = compute("influencer", {"reach": "1000", "clicks": "10", "revenue": "500"})
    assert result.values["cpm"] == 0 and result.values["cpc"] == 0
    assert result.reasons["roas"] == "Niet te berekenen: er zijn geen kosten."


@pytest.mark.parametrize(
    ("field", "raw", "message"),
    [
        ("posts", "2,5", "Gebruik een heel getal"),
        ("team_hours", "1.000.001", "Het aantal uren kan niet hoger zijn dan 1.000.000"),
        ("team_hours", "7,5 uur", "Vul een getal in, bijvoorbeeld 2,5"),
        ("reach", "-1", "Het bereik kan niet negatief zijn"),
        ("gross_margin", "0", "De brutomarge moet groter zijn dan 0"),
        ("fee_per_post", "€ -800", "De fee per post kan niet negatief zijn"),
    ],
)
def test_influencer_field_errors(field: str, raw: str, message: str) -> None:
    result = compute("influencer", {**INFLUENCER_EXAMPLE, field: raw})
    assert result.errors == {field: message}


def test_all_errors_are_reported_at_once_in_field_order() -> None:
    result = compute("cpl", {"leads": "0", "media_spend": "x", "close_rate": "200"})
    assert list(result.errors) == ["media_spend", "leads", "close_rate"]


# -- Results -----------------------------------------------------------------


def test_to_dict_shape_and_types() -> None:
    result = compute("ltv_cac", LTV_EXAMPLE)
    data = result.to_dict()
    assert list(data) == [
        "calculator", "ok", "values", "display", "errors", "reasons", "tones", "notes",
        "tone_reasons",
    ]  # fmt: skip
    assert data["calculator"] == "ltv_cac" and data["ok"] is True
    assert data["values"] == {
        "ltv": 1000.0,
        "cac": 250.0,
        "ltv_cac_ratio": 4.0,
        "payback_months": 6.25,
        "lifetime_months": 25.0,
        "verdict": "gezond",
    }
    assert list(data["display"]) == list(data["values"])
    assert json.loads(json.dumps(data, allow_nan=False)) == data
    invalid = compute("ltv_cac", {**LTV_EXAMPLE, "churn_rate": "0"}).to_dict()
    assert invalid["ok"] is False
    assert invalid["values"]["cac"] == 250.0  # does not depend on the churn
    assert invalid["values"]["ltv"] is None and invalid["tones"] == {}
    assert invalid["errors"] == {"churn_rate": "De churn moet groter zijn dan 0"}


def test_compute_ignores_the_callers_decimal_context() -> None:
    expected = compute("cpl", {"media_spend": "1.250,50", "leads": "37"})
    with localcontext() as context:
        context.prec = 5
        context.rounding = "ROUND_FLOOR"
        assert compute("cpl", {"media_spend": "1.250,50", "leads": "37"}) == expected


def test_numbers_of_every_type_are_accepted() -> None:
    by_text = compute("roas", {"ad_spend": "2.500", "revenue": "10.000", "gross_margin": "40"})
    by_number = compute("roas", {"ad_spend": 2500, "revenue": 10000.0, "gross_margin": D(40)})
    assert by_text.values == by_number.values


# -- Properties --------------------------------------------------------------


def valid_value(f: Field) -> st.SearchStrategy[Decimal]:
    """Any valid value of a field, including its boundaries."""
    assert f.minimum is not None and f.maximum is not None
    if f.kind is Kind.COUNT:
        low = int(f.minimum) + (0 if f.minimum_inclusive else 1)
        return st.integers(low, int(f.maximum)).map(Decimal)
    step = Decimal("0.01")
    low = f.minimum if f.minimum_inclusive else f.minimum + step
    return st.decimals(min_value=low, max_value=f.maximum, places=2)


@st.composite
def valid_inputs(draw: st.DrawFn, calculator: Calculator) -> dict[str, object]:
    raw: dict[str, object] = {}
    for f in calculator.fields:
        if not f.required and draw(st.booleans()):
            raw[f.name] = draw(st.sampled_from([None, ""]))
            continue
        value = draw(valid_value(f))
        as_text = draw(st.booleans())
        raw[f.name] = format_input(value, f.kind) if as_text else value
    return raw


def any_valid_inputs() -> st.SearchStrategy[tuple[Calculator, dict[str, object]]]:
    return st.sampled_from(list(registry.values())).flatmap(
        lambda c: valid_inputs(c).map(lambda raw: (c, raw))
    )


@PROPERTY
@given(any_valid_inputs())
def test_valid_inputs_never_give_nan_infinity_or_errors(case: tuple) -> None:
    calculator, raw = case
    result = calculator.compute(raw)
    # Values valid on their own may still break a cross-field rule (views > impressions).
    assume(not set(result.errors.values()) & {rule.message for rule in calculator.rules})
    assert result.ok, result.errors
    data = result.to_dict()
    json.dumps(data, allow_nan=False)
    for name, value in data["values"].items():
        if value is None:
            assert result.display[name] == NA
            assert result.reasons[name]
        elif isinstance(value, float):
            assert math.isfinite(value), name
            assert result.values[name].is_finite()  # type: ignore[union-attr]
            assert "NaN" not in result.display[name] and "Infinity" not in result.display[name]
    assert set(result.reasons) == {n for n, v in result.values.items() if v is None}


@PROPERTY
@given(valid_inputs(get("cpl")))
def test_cpl_times_leads_is_total_cost(raw: dict[str, object]) -> None:
    result = compute("cpl", raw)
    cpl, total, leads = result.values["cpl"], result.values["total_cost"], result.inputs["leads"]
    assert isinstance(cpl, Decimal) and isinstance(total, Decimal) and leads is not None
    assert abs(cpl * leads - total) <= total * Decimal("1E-25")
    assert (cpl * leads).quantize(Decimal("0.01")) == total.quantize(Decimal("0.01"))


@PROPERTY
@given(valid_inputs(get("influencer")))
def test_influencer_total_is_the_sum_of_its_parts(raw: dict[str, object]) -> None:
    result = compute("influencer", raw)
    parts = ("fees", "product_costs", "shipping_costs", "production_costs", "team_costs")
    parts_sum = sum((result.values[name] for name in (*parts, "other_costs")), Decimal(0))
    assert result.values["total_cost"] == parts_sum  # type: ignore[comparison-overlap]


@PROPERTY
@given(
    st.decimals(min_value="0.01", max_value=10**9, places=2),
    st.decimals(min_value=0, max_value=10**9, places=2),
    st.integers(min_value=1, max_value=1000),
)
def test_roas_scales_linearly_with_revenue(
    ad_spend: Decimal, revenue: Decimal, factor: int
) -> None:
    once = compute("roas", {"ad_spend": ad_spend, "revenue": revenue}).values["roas"]
    scaled = compute("roas", {"ad_spend": ad_spend, "revenue": revenue * factor}).values["roas"]
    assert isinstance(once, Decimal) and isinstance(scaled, Decimal)
    assert abs(scaled - once * factor) <= scaled * Decimal("1E-26")


@st.composite
def invalid_value(draw: st.DrawFn, f: Field) -> object:
    """A value that must be rejected for field `f`."""
    assert f.maximum is not None
    options = [
        draw(st.text(min_size=1, max_size=60).map(lambda t: "x" + t)),
        "-" + format_input(draw(valid_value(f)) + 1, f.kind),
        format_input(f.maximum + draw(st.integers(1, 10**6)), f.kind),
        draw(st.sampled_from(["1e5", "1..2", ",5", "NaN", "12,3,4", "€ €", "½"])),
        draw(st.sampled_from([float("nan"), float("inf"), True, Decimal("-Infinity")])),
    ]
    if f.minimum == 0 and not f.minimum_inclusive:
        options.append(draw(st.sampled_from(["0", "0,00", 0, "€ 0", "0%"])))
    if f.kind is Kind.COUNT:
        options.append(draw(st.sampled_from(["1,5", "2.5", "0,1"])))
    if f.required:
        options.append(draw(st.sampled_from(["", "   ", None])))
    return draw(st.sampled_from(options))


def tone_depends_on(calculator: Calculator, o: Output) -> set[str]:
    """The fields a tone reads, directly or through the outputs it compares."""
    if o.tone is None:
        return set()
    names = model.reads(o.tone)
    fields = {n for n in names if n in calculator.field_names()}
    for n in names:
        if n not in fields:
            fields |= set(calculator.depends_on(n))
    return fields


@PROPERTY
@given(st.data())
def test_an_invalid_value_is_an_error_on_exactly_that_field(data: st.DataObject) -> None:
    calculator = data.draw(st.sampled_from(list(registry.values())))
    f = data.draw(st.sampled_from(calculator.fields))
    raw = data.draw(invalid_value(f))
    inputs = {**calculator.example_inputs(), f.name: raw}
    result = calculator.compute(inputs)  # type: ignore[arg-type]
    assert not result.ok
    assert list(result.errors) == [f.name]
    assert result.errors[f.name][0].isupper()
    assert_blanks_only_dependants(result, f.name)
    # every output that does not read the field is exactly as with valid input
    valid = calculator.compute(calculator.example_inputs())
    for o in calculator.outputs:
        if f.name not in calculator.depends_on(o.name):
            assert result.values[o.name] == valid.values[o.name], o.name
            if f.name not in tone_depends_on(calculator, o):
                assert result.tones.get(o.name) == valid.tones.get(o.name), o.name
    json.dumps(result.to_dict(), allow_nan=False)


@PROPERTY
@given(st.data())
def test_arbitrary_text_never_raises(data: st.DataObject) -> None:
    calculator = data.draw(st.sampled_from(list(registry.values())))
    raw = {f.name: data.draw(st.one_of(st.none(), st.text(max_size=50))) for f in calculator.fields}
    result = calculator.compute(raw)
    for f in calculator.fields:
        text = raw[f.name]
        parsed = parse_number(text, f.kind)
        if parsed.error is not None:
            assert result.errors[f.name] == parsed.error
    assert set(result.errors) <= set(calculator.field_names())
    assert result.ok == (not result.errors)
    json.dumps(result.to_dict(), allow_nan=False)
