"""The calculators video, mer and incrementality (SPEC 5.10): worked examples by hand,
every not-applicable case, every cross-field rule, tones, presets and properties."""

import json
import math
import re
from decimal import Decimal
from fractions import Fraction
from statistics import NormalDist

import pytest
from hypothesis import assume, given, settings
from hypothesis import strategies as st

from calculators import Result, chart_svg, compute, format_input, get, solve
from calculators.incrementality import PValueOutput
from calculators.significance import pooled_z, two_sided_p_value

from .support import check_outputs as check
from .support import exactly

PROPERTY = settings(max_examples=200, deadline=None)
NA = "n.v.t."
D = Decimal
EUR = "€\u00a0"  # no-break space: "€" and the amount never wrap apart


def tones(result: Result) -> dict[str, str]:
    return result.to_dict()["tones"]  # type: ignore[return-value]


def not_applicable(result: Result, reasons: dict[str, str]) -> None:
    """Exactly these outputs are n.v.t., for exactly these reasons."""
    assert result.reasons == reasons
    for name in reasons:
        assert result.values[name] is None
        assert result.display[name] == NA


# -- Definitions -------------------------------------------------------------


def test_spec_field_and_output_names() -> None:
    def names(calculator_id: str) -> tuple[list[str], list[str]]:
        calculator = get(calculator_id)
        return [f.name for f in calculator.fields], [o.name for o in calculator.outputs]

    assert names("video") == (
        [
            "media_spend",
            "production_cost",
            "impressions",
            "views",
            "completed_views",
            "clicks",
            "conversions",
            "revenue",
        ],
        ["total_cost", "cpm", "view_rate", "cpv", "completion_rate", "ctr", "cpa", "roas"],
    )
    assert names("mer") == (
        ["total_revenue", "marketing_spend", "new_customer_revenue", "gross_margin"],
        ["mer", "amer", "marketing_share", "break_even_mer", "contribution"],
    )
    assert names("incrementality") == (
        [
            "test_size", "test_conversions", "control_size", "control_conversions", "ad_spend",
            "value_per_conversion",
        ],
        [
            "test_rate", "control_rate", "lift", "incremental_conversions",
            "cost_per_incremental", "iroas", "p_value", "verdict",
        ],
    )  # fmt: skip


NEW = ("video", "mer", "incrementality")


@pytest.mark.parametrize("calculator_id", NEW)
def test_titles_nouns_and_explanations_are_dutch_sentences(calculator_id: str) -> None:
    calculator = get(calculator_id)
    assert calculator.title.endswith(("berekenen", "doorrekenen"))
    for o in calculator.outputs:
        assert o.noun.startswith(("de ", "het ")), o.name
        assert o.explanation.endswith("."), o.name
    for f in calculator.fields:
        assert f.noun.startswith(("de ", "het ")) and f.help.endswith("."), f.name


def test_longer_forms_are_grouped() -> None:
    def groups(calculator_id: str) -> list[str | None]:
        return [f.group for f in get(calculator_id).fields]

    assert groups("video") == ["Kosten"] * 2 + ["Bereik en kijkgedrag"] * 3 + ["Resultaten"] * 3
    assert groups("incrementality") == (
        ["Testgroep (zag de campagne)"] * 2
        + ["Controlegroep (zag de campagne niet)"] * 2
        + ["Kosten en waarde"] * 2
    )
    assert set(groups("mer")) == {None}  # four fields need no grouping


def test_dependencies_follow_from_the_formulas() -> None:
    video, mer, incrementality = (get(c) for c in NEW)
    assert set(video.depends_on("cpm")) == {"media_spend", "impressions"}
    assert set(video.depends_on("cpa")) == {"media_spend", "production_cost", "conversions"}
    assert set(video.depends_on("roas")) == {"revenue", "media_spend", "production_cost"}
    assert set(mer.depends_on("contribution")) == {
        "total_revenue", "gross_margin", "marketing_spend"
    }  # fmt: skip
    assert set(incrementality.depends_on("iroas")) == set(incrementality.field_names())
    assert set(incrementality.depends_on("verdict")) == {
        "test_conversions", "test_size", "control_conversions", "control_size"
    }  # fmt: skip


@pytest.mark.parametrize("calculator_id", NEW)
def test_presets_are_valid_and_differ(calculator_id: str) -> None:
    calculator = get(calculator_id)
    assert 2 <= len(calculator.presets) <= 3
    seen = set()
    for preset in calculator.presets:
        result = calculator.compute(preset.values)
        assert result.ok, (preset.name, result.errors)
        assert result.notes == {}  # typed the Dutch way
        assert preset.label and preset.name.isidentifier()
        seen.add(tuple(sorted(result.display.items())))
    assert len(seen) == len(calculator.presets)


def test_presets_show_both_sides() -> None:
    """Honest examples: not every preset is a success story."""
    mer = {p.name: compute("mer", p.values) for p in get("mer").presets}
    assert tones(mer["webshop"])["contribution"] == "good"
    assert tones(mer["groothandel"])["contribution"] == "bad"
    found = {p.name: compute("incrementality", p.values) for p in get("incrementality").presets}
    assert found["regio"].values["verdict"] == "significant"
    assert found["kleine_test"].values["verdict"] == "niet significant"
    assert found["retargeting"].values["incremental_conversions"] < 0  # type: ignore[operator]


# -- video -------------------------------------------------------------------

VIDEO_EXAMPLE = {
    "media_spend": "5.000",
    "production_cost": "€ 2.500",
    "impressions": "400.000",
    "views": "100.000",
    "completed_views": "30.000",
    "clicks": "2.000",
    "conversions": "80",
    "revenue": "12.000",
}


def test_video_worked_example() -> None:
    # 5000 + 2500 = 7500; 5000 / 400000 x 1000 = 12,50; 100000 / 400000 = 25%;
    # 5000 / 100000 = 0,05; 30000 / 100000 = 30%; 2000 / 400000 = 0,5%;
    # 7500 / 80 = 93,75; 12000 / 7500 = 1,6
    check(
        compute("video", VIDEO_EXAMPLE),
        {
            "total_cost": (D(7500), EUR + "7.500,00"),
            "cpm": (D("12.5"), EUR + "12,50"),
            "view_rate": (D(25), "25%"),
            "cpv": (D("0.05"), EUR + "0,05"),
            "completion_rate": (D(30), "30%"),
            "ctr": (D("0.5"), "0,5%"),
            "cpa": (D("93.75"), EUR + "93,75"),
            "roas": (D("1.6"), "1,6:1"),
        },
    )


def test_video_repeating_decimals_are_rounded_only_for_display() -> None:
    result = compute(
        "video",
        {
            "media_spend": "1.000",
            "impressions": "30.000",
            "views": "7.000",
            "completed_views": "3.000",
            "clicks": "70",
            "conversions": "3",
            "revenue": "1.000",
        },
    )
    assert result.ok, result.errors
    assert result.inputs["production_cost"] == 0  # the default
    assert result.values["total_cost"] == D(1000)
    exactly(result.values["cpm"], Fraction(1000, 30000) * 1000)
    exactly(result.values["view_rate"], Fraction(7000, 30000) * 100)
    exactly(result.values["cpv"], Fraction(1000, 7000))
    exactly(result.values["completion_rate"], Fraction(3000, 7000) * 100)
    exactly(result.values["ctr"], Fraction(70, 30000) * 100)
    exactly(result.values["cpa"], Fraction(1000, 3))
    assert result.values["roas"] == 1
    assert result.display == {
        "total_cost": EUR + "1.000,00",
        "cpm": EUR + "33,33",
        "view_rate": "23,3%",
        "cpv": EUR + "0,14",
        "completion_rate": "42,9%",
        "ctr": "0,23%",  # two significant digits below 1%
        "cpa": EUR + "333,33",
        "roas": "1:1",
    }


def test_video_not_applicable_outputs() -> None:
    bare = compute("video", {"media_spend": "1.000", "impressions": "50.000", "views": "10.000"})
    assert bare.ok
    assert bare.values["total_cost"] == D(1000)
    assert bare.values["cpm"] == D(20)
    assert bare.values["view_rate"] == D(20)
    assert bare.values["cpv"] == D("0.1")
    not_applicable(
        bare,
        {
            "completion_rate": (
                "Vul het aantal volledig bekeken views in om de completion rate te berekenen."
            ),
            "ctr": "Vul het aantal klikken in om de CTR te berekenen.",
            "cpa": "Vul het aantal conversies in om de kosten per conversie te berekenen.",
            "roas": "Vul de omzet in om de ROAS te berekenen.",
        },
    )
    no_views = compute(
        "video",
        {
            "media_spend": "1.000",
            "impressions": "50.000",
            "views": "0",
            "completed_views": "0",
            "clicks": "0",
            "conversions": "0",
            "revenue": "0",
        },
    )
    assert no_views.ok
    assert no_views.values["view_rate"] == 0 and no_views.display["view_rate"] == "0%"
    assert no_views.values["ctr"] == 0 and no_views.display["ctr"] == "0%"
    assert no_views.values["roas"] == 0 and no_views.display["roas"] == "0:1"
    not_applicable(
        no_views,
        {
            "cpv": "Niet te berekenen: er zijn geen views.",
            "completion_rate": "Niet te berekenen: er zijn geen views.",
            "cpa": "Niet te berekenen: er zijn geen conversies.",
        },
    )


def test_video_view_and_completion_boundaries_are_allowed() -> None:
    result = compute(
        "video",
        {"media_spend": "10", "impressions": "100", "views": "100", "completed_views": "100"},
    )
    assert result.ok
    assert result.values["view_rate"] == 100 and result.values["completion_rate"] == 100


# -- mer ---------------------------------------------------------------------

MER_EXAMPLE = {
    "total_revenue": "250.000",
    "marketing_spend": "€ 50.000",
    "new_customer_revenue": "100.000",
    "gross_margin": "40%",
}


def test_mer_worked_example() -> None:
    # 250000 / 50000 = 5; 100000 / 50000 = 2; 50000 / 250000 = 20%; 100 / 40 = 2,5;
    # 250000 x 0,4 - 50000 = 50000
    result = compute("mer", MER_EXAMPLE)
    check(
        result,
        {
            "mer": (D(5), "5:1"),
            "amer": (D(2), "2:1"),
            "marketing_share": (D(20), "20%"),
            "break_even_mer": (D("2.5"), "2,5:1"),
            "contribution": (D(50000), EUR + "50.000,00"),
        },
    )
    assert tones(result) == {"mer": "good", "contribution": "good"}


def test_mer_below_break_even_is_a_loss() -> None:
    result = compute(
        "mer",
        {
            "total_revenue": "400.000",
            "marketing_spend": "45.000",
            "new_customer_revenue": "60.000",
            "gross_margin": "10",
        },
    )
    exactly(result.values["mer"], Fraction(400000, 45000))
    exactly(result.values["amer"], Fraction(60000, 45000))
    assert result.values["marketing_share"] == D("11.25")
    assert result.values["break_even_mer"] == 10
    assert result.values["contribution"] == D(-5000)  # 40000 - 45000
    assert result.display == {
        "mer": "8,9:1",
        "amer": "1,3:1",
        "marketing_share": "11,3%",
        "break_even_mer": "10:1",
        "contribution": "\u2212" + EUR + "5.000,00",
    }
    assert tones(result) == {"mer": "bad", "contribution": "bad"}


def test_mer_exactly_at_break_even_is_good() -> None:
    result = compute(
        "mer", {"total_revenue": "100.000", "marketing_spend": "25.000", "gross_margin": "25"}
    )
    assert result.values["mer"] == result.values["break_even_mer"] == 4
    assert result.values["contribution"] == 0
    assert result.display["contribution"] == EUR + "0,00"
    assert tones(result) == {"mer": "good", "contribution": "good"}


def test_mer_not_applicable_outputs() -> None:
    bare = compute("mer", {"total_revenue": "0", "marketing_spend": "1.000"})
    assert bare.ok
    assert bare.values["mer"] == 0 and bare.display["mer"] == "0:1"
    not_applicable(
        bare,
        {
            "amer": "Vul de omzet van nieuwe klanten in om de aMER te berekenen.",
            "marketing_share": "Niet te berekenen: er is geen omzet.",
            "break_even_mer": "Vul de brutomarge in om de break-even-MER te berekenen.",
            "contribution": "Vul de brutomarge in om de bijdrage na marketing te berekenen.",
        },
    )
    assert tones(bare) == {}  # without a margin there is no yardstick


# -- incrementality ----------------------------------------------------------

SIGNIFICANT = "Significant: waarschijnlijk geen toeval."
NOT_SIGNIFICANT = "Niet significant: dit verschil kan toeval zijn."
NO_EXTRA = "Niet te berekenen: de campagne leverde geen extra conversies op."
INCREMENTALITY_EXAMPLE = {
    "test_size": "20.000",
    "test_conversions": "600",
    "control_size": "20.000",
    "control_conversions": "500",
    "ad_spend": "€ 5.000",
    "value_per_conversion": "80",
}


def test_incrementality_worked_example() -> None:
    # 600 / 20000 = 3%; 500 / 20000 = 2,5%; (3 - 2,5) / 2,5 = 20%;
    # 600 - 0,025 x 20000 = 100; 5000 / 100 = 50; 100 x 80 / 5000 = 1,6;
    # pooled p = 1100 / 40000 = 0,0275; z = 0,005 / sqrt(0,0275 x 0,9725 x 2/20000)
    # = 3,0574464...; p = erfc(z / sqrt 2) = 0,0022323...
    result = compute("incrementality", INCREMENTALITY_EXAMPLE)
    check(
        result,
        {
            "test_rate": (D(3), "3%"),
            "control_rate": (D("2.5"), "2,5%"),
            "lift": (D(20), "20%"),
            "incremental_conversions": (D(100), "100"),
            "cost_per_incremental": (D(50), EUR + "50,00"),
            "iroas": (D("1.6"), "1,6:1"),
            "p_value": (D("0.002232315593"), "0,002"),
            "verdict": ("significant", SIGNIFICANT),
        },
    )
    assert tones(result) == {"lift": "good", "iroas": "good", "verdict": "good"}


def test_incrementality_small_test_is_not_significant() -> None:
    result = compute(
        "incrementality",
        {
            "test_size": "2.000",
            "test_conversions": "50",
            "control_size": "2.000",
            "control_conversions": "42",
            "ad_spend": "1.000",
            "value_per_conversion": "60",
        },
    )
    # 2,5% against 2,1%: lift 0,4 / 2,1 = 19,05%; 50 - 0,021 x 2000 = 8; 1000 / 8 = 125;
    # 8 x 60 / 1000 = 0,48; pooled 92 / 4000, z = 0,84382, p = 0,39877
    assert result.values["test_rate"] == D("2.5")
    assert result.values["control_rate"] == D("2.1")
    exactly(result.values["lift"], Fraction(4, 21) * 100)
    assert result.values["incremental_conversions"] == 8
    assert result.values["cost_per_incremental"] == 125
    assert result.values["iroas"] == D("0.48")
    assert result.values["p_value"] == D("0.398771108814")
    assert result.values["verdict"] == "niet significant"
    assert result.display == {
        "test_rate": "2,5%",
        "control_rate": "2,1%",
        "lift": "19%",
        "incremental_conversions": "8",
        "cost_per_incremental": EUR + "125,00",
        "iroas": "0,48:1",
        "p_value": "0,399",
        "verdict": NOT_SIGNIFICANT,
    }
    # A positive lift that chance explains just as well is no success yet.
    assert tones(result) == {"lift": "warn", "iroas": "bad", "verdict": "warn"}


def test_incrementality_negative_lift() -> None:
    result = compute(
        "incrementality",
        {
            "test_size": "50.000",
            "test_conversions": "1.000",
            "control_size": "50.000",
            "control_conversions": "1.020",
            "ad_spend": "8.000",
            "value_per_conversion": "50",
        },
    )
    # 2% against 2,04%: lift -0,04 / 2,04 = -1,96%; 1000 - 0,0204 x 50000 = -20;
    # -20 x 50 / 8000 = -0,125
    exactly(result.values["lift"], Fraction(-4, 204) * 100)
    assert result.values["incremental_conversions"] == -20
    assert result.values["iroas"] == D("-0.125")
    assert result.values["p_value"] == D("0.653029280427")
    assert result.display["lift"] == "\u22122%"
    assert result.display["incremental_conversions"] == "\u221220"
    assert result.display["iroas"] == "\u22120,13:1"
    assert result.display["p_value"] == "0,653"
    assert result.values["verdict"] == "niet significant"
    not_applicable(
        result,
        {"cost_per_incremental": NO_EXTRA},
    )
    assert tones(result) == {"lift": "warn", "iroas": "bad", "verdict": "warn"}


def test_incrementality_significant_negative_lift_is_bad() -> None:
    result = compute(
        "incrementality",
        {
            "test_size": "10.000",
            "test_conversions": "100",
            "control_size": "10.000",
            "control_conversions": "200",
        },
    )
    assert result.values["lift"] == -50
    assert result.values["verdict"] == "significant"
    assert tones(result) == {"lift": "bad", "verdict": "bad"}


def test_incrementality_not_applicable_outputs() -> None:
    bare = compute(
        "incrementality",
        {"test_size": "1.000", "test_conversions": "0", "control_size": "1.000",
         "control_conversions": "0"},
    )  # fmt: skip
    assert bare.ok
    assert bare.values["test_rate"] == 0 and bare.values["control_rate"] == 0
    assert bare.values["incremental_conversions"] == 0
    nobody = "Niet te berekenen: in geen van beide groepen was er een conversie."
    not_applicable(
        bare,
        {
            "lift": "Niet te berekenen: de controlegroep had geen conversies.",
            "cost_per_incremental": (
                "Vul het advertentiebudget in om de kosten per incrementele conversie te berekenen."
            ),
            "iroas": (
                "Vul het advertentiebudget en de waarde per conversie in om de iROAS te berekenen."
            ),
            "p_value": nobody,
            "verdict": nobody,
        },
    )
    assert tones(bare) == {}

    everybody = compute(
        "incrementality",
        {"test_size": "40", "test_conversions": "40", "control_size": "60",
         "control_conversions": "60", "ad_spend": "100"},
    )  # fmt: skip
    assert everybody.values["lift"] == 0
    assert everybody.values["incremental_conversions"] == 0
    all_converted = "Niet te berekenen: in beide groepen converteerde iedereen."
    not_applicable(
        everybody,
        {
            "cost_per_incremental": NO_EXTRA,
            "iroas": "Vul de waarde per conversie in om de iROAS te berekenen.",
            "p_value": all_converted,
            "verdict": all_converted,
        },
    )

    only_value = compute(
        "incrementality",
        {"test_size": "1.000", "test_conversions": "30", "control_size": "1.000",
         "control_conversions": "0", "value_per_conversion": "25"},
    )  # fmt: skip
    assert only_value.values["incremental_conversions"] == 30
    assert only_value.values["verdict"] == "significant"
    assert only_value.reasons["iroas"] == "Vul het advertentiebudget in om de iROAS te berekenen."
    assert only_value.reasons["lift"] == "Niet te berekenen: de controlegroep had geen conversies."
    # No lift figure, but the direction is clear and chance does not explain it.
    assert tones(only_value) == {"verdict": "good"}


def test_the_verdict_explains_significance_and_that_it_is_no_guarantee() -> None:
    explanation = get("incrementality").output("verdict").explanation
    assert "p < 0,05" in explanation
    assert "minder dan 5 op de 100 keer door toeval" in explanation
    assert "geen garantie" in explanation
    assert "niet dat er geen effect is" in explanation
    assert "onder 0,05 heet het verschil significant" in (
        get("incrementality").output("p_value").explanation
    )


def test_p_value_is_exactly_significant_below_five_percent_only() -> None:
    from calculators.significance import is_significant

    assert is_significant(D("0.049999999999"))
    assert not is_significant(D("0.05"))
    assert not is_significant(D(1))


# -- Properties --------------------------------------------------------------

MONEY = st.decimals(min_value=0, max_value=10**12, places=2)
POSITIVE_MONEY = st.decimals(min_value="0.01", max_value=10**12, places=2)
COUNTS = st.integers(min_value=0, max_value=10**12)


def typed(value: Decimal | int, kind: str, as_text: bool) -> object:
    """A value as a reader types it ("1.250,50") or as a number."""
    from calculators import Kind

    return format_input(D(value), Kind(kind)) if as_text else value


@st.composite
def below(draw: st.DrawFn, limit: int) -> int:
    """A count between 0 and limit, often on the edges."""
    return draw(st.one_of(st.integers(0, limit), st.sampled_from([0, limit])))


@st.composite
def video_inputs(draw: st.DrawFn) -> dict[str, object]:
    as_text = draw(st.booleans())
    impressions = draw(st.integers(1, 10**12))
    views = draw(below(impressions))
    raw: dict[str, object] = {
        "media_spend": typed(draw(POSITIVE_MONEY), "money", as_text),
        "impressions": typed(impressions, "count", as_text),
        "views": typed(views, "count", as_text),
    }
    optional = {
        "production_cost": lambda: typed(draw(MONEY), "money", as_text),
        "completed_views": lambda: typed(draw(below(views)), "count", as_text),
        "clicks": lambda: typed(draw(COUNTS), "count", as_text),
        "conversions": lambda: typed(draw(COUNTS), "count", as_text),
        "revenue": lambda: typed(draw(MONEY), "money", as_text),
    }
    for name, make in optional.items():
        raw[name] = make() if draw(st.booleans()) else draw(st.sampled_from([None, ""]))
    return raw


@st.composite
def mer_inputs(draw: st.DrawFn) -> dict[str, object]:
    as_text = draw(st.booleans())
    total = draw(MONEY)
    raw: dict[str, object] = {
        "total_revenue": typed(total, "money", as_text),
        "marketing_spend": typed(draw(POSITIVE_MONEY), "money", as_text),
    }
    if draw(st.booleans()):
        new = draw(st.decimals(min_value=0, max_value=total, places=2))
        raw["new_customer_revenue"] = typed(new, "money", as_text)
    if draw(st.booleans()):
        margin = draw(st.decimals(min_value="0.01", max_value=100, places=2))
        raw["gross_margin"] = typed(margin, "percent", as_text)
    return raw


@st.composite
def groups(draw: st.DrawFn) -> tuple[int, int, int, int]:
    test_size = draw(st.integers(1, 10**12))
    control_size = draw(st.integers(1, 10**12))
    return (test_size, draw(below(test_size)), control_size, draw(below(control_size)))


@st.composite
def incrementality_inputs(draw: st.DrawFn) -> dict[str, object]:
    as_text = draw(st.booleans())
    test_size, test_conversions, control_size, control_conversions = draw(groups())
    raw: dict[str, object] = {
        "test_size": typed(test_size, "count", as_text),
        "test_conversions": typed(test_conversions, "count", as_text),
        "control_size": typed(control_size, "count", as_text),
        "control_conversions": typed(control_conversions, "count", as_text),
    }
    if draw(st.booleans()):
        raw["ad_spend"] = typed(draw(POSITIVE_MONEY), "money", as_text)
    if draw(st.booleans()):
        raw["value_per_conversion"] = typed(draw(MONEY), "money", as_text)
    return raw


def any_inputs() -> st.SearchStrategy[tuple[str, dict[str, object]]]:
    return st.one_of(
        video_inputs().map(lambda raw: ("video", raw)),
        mer_inputs().map(lambda raw: ("mer", raw)),
        incrementality_inputs().map(lambda raw: ("incrementality", raw)),
    )


@PROPERTY
@given(any_inputs())
def test_valid_inputs_never_give_nan_infinity_or_errors(case: tuple) -> None:
    calculator_id, raw = case
    result = compute(calculator_id, raw)
    assert result.ok, result.errors
    data = result.to_dict()
    json.dumps(data, allow_nan=False)
    for name, value in data["values"].items():  # type: ignore[union-attr]
        if value is None:
            assert result.display[name] == NA
            assert result.reasons[name]
        elif isinstance(value, float):
            assert math.isfinite(value), name
            assert "NaN" not in result.display[name]
            assert "Infinity" not in result.display[name]
    assert set(result.reasons) == {n for n, v in result.values.items() if v is None}


@PROPERTY
@given(video_inputs())
def test_video_total_cost_is_media_plus_production(raw: dict[str, object]) -> None:
    result = compute("video", raw)
    spend, production = result.inputs["media_spend"], result.inputs["production_cost"]
    assert spend is not None and production is not None
    assert result.values["total_cost"] == spend + production


@PROPERTY
@given(incrementality_inputs())
def test_lift_has_the_sign_of_the_rate_difference(raw: dict[str, object]) -> None:
    result = compute("incrementality", raw)
    test_rate, control_rate = result.values["test_rate"], result.values["control_rate"]
    lift = result.values["lift"]
    assert isinstance(test_rate, Decimal) and isinstance(control_rate, Decimal)
    if control_rate == 0:
        assert lift is None
    else:
        assert isinstance(lift, Decimal)
        difference = test_rate - control_rate
        assert (lift > 0) == (difference > 0) and (lift < 0) == (difference < 0)


def reference_p_value(c1: int, n1: int, c2: int, n2: int) -> float:
    """An independent computation: floats and statistics.NormalDist."""
    p1, p2, pooled = c1 / n1, c2 / n2, (c1 + c2) / (n1 + n2)
    z = (p1 - p2) / math.sqrt(pooled * (1 - pooled) * (1 / n1 + 1 / n2))
    return 2 * (1 - NormalDist().cdf(abs(z)))


@PROPERTY
@given(groups())
def test_p_value_is_a_probability_symmetric_in_the_groups(case: tuple) -> None:
    c1_size, c1, c2_size, c2 = case
    inputs = {"test_size": c1_size, "test_conversions": c1}
    swapped = {"test_size": c2_size, "test_conversions": c2}
    result = compute(
        "incrementality",
        {**inputs, "control_size": c2_size, "control_conversions": c2},
    )
    mirrored = compute(
        "incrementality",
        {**swapped, "control_size": c1_size, "control_conversions": c1},
    )
    p_value = result.values["p_value"]
    assert p_value == mirrored.values["p_value"]
    assert result.values["verdict"] == mirrored.values["verdict"]
    if c1 + c2 in (0, c1_size + c2_size):
        assert p_value is None
        return
    assert isinstance(p_value, Decimal)
    assert 0 <= p_value <= 1
    assert abs(float(p_value) - reference_p_value(c1, c1_size, c2, c2_size)) <= 1e-9
    assert result.values["verdict"] == (
        "significant" if p_value < D("0.05") else "niet significant"
    )


@PROPERTY
@given(st.integers(1, 10**6), st.integers(1, 10**6), st.data())
def test_p_value_matches_normal_dist_for_realistic_tests(n1: int, n2: int, data) -> None:
    c1 = data.draw(st.integers(0, n1))
    c2 = data.draw(st.integers(0, n2))
    assume(0 < c1 + c2 < n1 + n2)
    z = pooled_z(D(c1), D(n1), D(c2), D(n2))
    assert z is not None
    p_value = two_sided_p_value(z)
    assert abs(float(p_value) - reference_p_value(c1, n1, c2, n2)) <= 1e-9


# -- Cross-field rules: a Dutch error on the right field, the rest keeps its value ------


def test_video_more_views_than_impressions() -> None:
    result = compute(
        "video",
        {**VIDEO_EXAMPLE, "impressions": "100.000", "views": "100.001", "completed_views": ""},
    )
    assert not result.ok
    assert result.errors == {
        "views": "Het aantal views kan niet hoger zijn dan het aantal impressies"
    }
    fix = "Corrigeer eerst het aantal views."
    not_applicable(result, {"view_rate": fix, "cpv": fix, "completion_rate": fix})
    # 5000 / 100000 x 1000 = 50; 2000 / 100000 = 2%; 7500 / 80; 12000 / 7500
    assert result.display["cpm"] == EUR + "50,00"
    assert result.display["ctr"] == "2%"
    assert result.display["cpa"] == EUR + "93,75"
    assert result.display["roas"] == "1,6:1"


def test_video_more_completed_views_than_views() -> None:
    result = compute("video", {**VIDEO_EXAMPLE, "completed_views": "100.001"})
    assert result.errors == {
        "completed_views": (
            "Het aantal volledig bekeken views kan niet hoger zijn dan het aantal views"
        )
    }
    not_applicable(
        result, {"completion_rate": "Corrigeer eerst het aantal volledig bekeken views."}
    )
    assert result.display["cpv"] == EUR + "0,05"


def test_mer_new_customer_revenue_above_total() -> None:
    result = compute("mer", {**MER_EXAMPLE, "new_customer_revenue": "250.000,01"})
    assert result.errors == {
        "new_customer_revenue": (
            "De omzet van nieuwe klanten kan niet hoger zijn dan de totale omzet"
        )
    }
    not_applicable(result, {"amer": "Corrigeer eerst de omzet van nieuwe klanten."})
    assert result.display["mer"] == "5:1"
    assert result.display["contribution"] == EUR + "50.000,00"
    equal = compute("mer", {**MER_EXAMPLE, "new_customer_revenue": "250.000"})
    assert equal.ok and equal.values["amer"] == 5


@pytest.mark.parametrize(
    ("group", "size"), [("test", "de testgroep"), ("control", "de controlegroep")]
)
def test_incrementality_more_conversions_than_group(group: str, size: str) -> None:
    result = compute("incrementality", {**INCREMENTALITY_EXAMPLE, f"{group}_conversions": "20.001"})
    assert result.errors == {
        f"{group}_conversions": (f"Het aantal conversies in {size} kan niet hoger zijn dan {size}")
    }
    fix = f"Corrigeer eerst het aantal conversies in {size}."
    blanked = ["lift", "incremental_conversions", "cost_per_incremental", "iroas", "p_value",
               "verdict", f"{group}_rate"]  # fmt: skip
    not_applicable(result, dict.fromkeys(blanked, fix))
    other = "control_rate" if group == "test" else "test_rate"
    assert result.display[other] == ("2,5%" if group == "test" else "3%")
    all_converted = compute(
        "incrementality", {**INCREMENTALITY_EXAMPLE, f"{group}_conversions": "20.000"}
    )
    assert all_converted.ok


def test_both_groups_overfull_give_two_errors() -> None:
    result = compute(
        "incrementality",
        {"test_size": "100", "test_conversions": "101", "control_size": "100",
         "control_conversions": "200"},
    )  # fmt: skip
    assert list(result.errors) == ["test_conversions", "control_conversions"]
    assert set(result.display.values()) == {NA}


@pytest.mark.parametrize(
    ("calculator_id", "field", "raw"),
    [
        ("video", "impressions", "0"),
        ("video", "impressions", "-5"),
        ("video", "views", "-1"),
        ("mer", "total_revenue", "-1"),
        ("incrementality", "test_size", "-5"),
        ("incrementality", "control_size", "0"),
    ],
)
def test_a_bad_field_is_not_blamed_on_its_neighbour(
    calculator_id: str, field: str, raw: str
) -> None:
    examples = {
        "video": VIDEO_EXAMPLE,
        "mer": MER_EXAMPLE,
        "incrementality": INCREMENTALITY_EXAMPLE,
    }
    result = compute(calculator_id, {**examples[calculator_id], field: raw})
    assert list(result.errors) == [field]


# -- p-value display, charts, the browser's entry point, goal seeking -----------------


@pytest.mark.parametrize(
    ("value", "shown"),
    [
        (D("0.002232315593"), "0,002"),
        (D("0.0495"), "0,050"),
        (D("0.0504999"), "0,050"),
        (D("0.05"), "0,050"),
        (D("0.9995"), "1,000"),
        (D("0.0004999"), "< 0,001"),  # never "0,000": no p-value is zero
        (D("0.001"), "0,001"),
        (D(0), "< 0,001"),
        (D(1), "1,000"),
        (None, NA),
    ],
)
def test_p_value_shows_three_decimals(value: Decimal | None, shown: str) -> None:
    output = get("incrementality").output("p_value")
    assert isinstance(output, PValueOutput)
    assert output.display(value) == shown


def test_p_value_display_ignores_the_callers_decimal_context() -> None:
    from decimal import localcontext

    with localcontext() as context:
        context.prec = 2
        result = compute("incrementality", INCREMENTALITY_EXAMPLE)
    assert result.display["p_value"] == "0,002"


def svg_label(svg: str) -> str:
    assert svg.startswith("<svg") and svg.endswith("</svg>")
    assert 'role="img"' in svg and "<script" not in svg and "style=" not in svg
    (label,) = re.findall(r'aria-label="([^"]*)"', svg)
    return label


def test_video_chart_is_the_funnel() -> None:
    svg = chart_svg(compute("video", VIDEO_EXAMPLE))
    assert svg_label(svg) == (
        "Trechter: 400.000 impressies, 100.000 views, 30.000 volledig bekeken, 2.000 klikken "
        "en 80 conversies van €\u00a093,75 per stuk."
    )
    assert svg.count("kb-chart__step ") == 5
    bare = chart_svg(
        compute("video", {"media_spend": "1.000", "impressions": "50.000", "views": "10.000"})
    )
    assert svg_label(bare) == "Trechter: 50.000 impressies en 10.000 views."
    assert bare.count("kb-chart__step ") == 2
    broken = chart_svg(compute("video", {**VIDEO_EXAMPLE, "views": "400.001"}))
    assert svg_label(broken) == "Nog geen grafiek: corrigeer eerst het aantal views."


def test_mer_chart_shows_revenue_spend_and_break_even() -> None:
    svg = chart_svg(compute("mer", MER_EXAMPLE))
    assert svg_label(svg) == (
        "Totale omzet €\u00a0250.000,00, waarvan €\u00a0100.000,00 van nieuwe klanten, "
        "tegenover marketingkosten €\u00a050.000,00; break-even ligt bij €\u00a0125.000,00 omzet."
    )
    assert "kb-chart__bar kb-chart__bar--good" in svg and "kb-chart__marker" in svg
    loss = chart_svg(
        compute("mer", {"total_revenue": "400.000", "marketing_spend": "45.000",
                        "gross_margin": "10"})
    )  # fmt: skip
    assert "kb-chart__bar--bad" in loss
    assert "break-even ligt bij €\u00a0450.000,00 omzet" in svg_label(loss)


def test_incrementality_chart_compares_the_rates() -> None:
    svg = chart_svg(compute("incrementality", INCREMENTALITY_EXAMPLE))
    assert svg_label(svg) == (
        "Conversieratio testgroep 3% tegenover controlegroep 2,5%; lift 20%; "
        "p-waarde 0,002, significant."
    )
    assert "kb-chart__bar--good" in svg
    none = chart_svg(
        compute("incrementality", {"test_size": "10", "test_conversions": "0",
                                   "control_size": "10", "control_conversions": "0"})
    )  # fmt: skip
    assert svg_label(none) == "Conversieratio testgroep 0% tegenover controlegroep 0%."


@pytest.mark.parametrize("calculator_id", NEW)
def test_the_browser_entry_point_computes_with_a_chart(calculator_id: str) -> None:
    from calculators import web

    calculator = get(calculator_id)
    inputs = {f.name: format_input(f.example, f.kind) for f in calculator.fields}
    answer = json.loads(
        web.handle(json.dumps({"op": "compute", "calculator": calculator_id, "inputs": inputs}))
    )
    assert answer["result"] == json.loads(json.dumps(compute(calculator_id, inputs).to_dict()))
    assert answer["chart"].startswith("<svg")


def test_goal_seeking_works_for_the_new_calculators() -> None:
    # MER 4:1 on € 250.000 revenue allows € 62.500 of marketing.
    solved = solve("mer", "marketing_spend", "mer", "4", {"total_revenue": "250.000"})
    assert solved.ok and solved.value == 62500
    # A 25% lift on a 2,5% control rate in 20.000 people: 3,125% = 625 conversions.
    solved = solve(
        "incrementality", "test_conversions", "lift", "25",
        {"test_size": "20.000", "control_size": "20.000", "control_conversions": "500"},
    )  # fmt: skip
    assert solved.ok and solved.value == 625
    assert solved.result.display["lift"] == "25%"
