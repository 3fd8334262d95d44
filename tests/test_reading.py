"""Reading a result (SPEC 5.8): dependencies, partial results, tones, rules, notes, charts."""

import json
import re
import xml.etree.ElementTree as ET
from decimal import Decimal

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from calculators import (
    Calculator,
    Kind,
    NotApplicable,
    Output,
    Rule,
    chart_svg,
    compute,
    get,
    registry,
)
from calculators.fields import count, money
from calculators.model import reads

from .test_calculators import (
    INFLUENCER_EXAMPLE,
    LTV_EXAMPLE,
    invalid_value,
    valid_inputs,
    valid_value,
)

PROPERTY = settings(max_examples=150, deadline=None)
NBSP = "\u00a0"
CALCULATORS = list(registry.values())

# -- Dependencies follow from the formulas -----------------------------------


@pytest.mark.parametrize("calculator", CALCULATORS, ids=list(registry))
def test_formulas_read_inputs_only_through_their_parameters(calculator: Calculator) -> None:
    """No formula or tone can reach a field or output other than by naming it."""
    names = set(calculator.field_names()) | {o.name for o in calculator.outputs}
    for o in calculator.outputs:
        for function in (o.formula, o.tone):
            if function is None:
                continue
            code = function.__code__
            assert not names & set(code.co_names), o.name
            assert not names & set(code.co_freevars), o.name
            assert set(reads(function)) <= names


def test_dependency_sets_are_transitive_and_in_reading_order() -> None:
    cpl = get("cpl")
    assert cpl.depends_on("total_cost") == ("media_spend", "other_costs")
    assert cpl.depends_on("cpa") == ("media_spend", "other_costs", "leads", "close_rate")
    assert cpl.depends_on("max_cpl") == ("customer_value", "close_rate")
    influencer = get("influencer")
    assert influencer.depends_on("fees") == ("fee_per_post", "posts")
    assert "gross_margin" not in influencer.depends_on("total_cost")
    assert set(influencer.depends_on("roi")) == set(influencer.field_names()) - {
        "reach", "engagements", "clicks", "conversions"
    }  # fmt: skip


@st.composite
def changed_field(draw: st.DrawFn) -> tuple[Calculator, dict, str, object]:
    calculator = draw(st.sampled_from(CALCULATORS))
    raw = draw(valid_inputs(calculator))
    f = draw(st.sampled_from(calculator.fields))
    other = draw(st.one_of(invalid_value(f), valid_value(f), st.sampled_from(["", None])))
    return calculator, raw, f.name, other


@PROPERTY
@given(changed_field())
def test_changing_a_field_never_changes_an_output_that_does_not_read_it(case: tuple) -> None:
    calculator, raw, name, other = case
    before = calculator.compute(raw)
    after = calculator.compute({**raw, name: other})
    for o in calculator.outputs:
        if name in calculator.depends_on(o.name):
            continue
        assert after.values[o.name] == before.values[o.name], o.name
        assert after.display[o.name] == before.display[o.name], o.name
        assert after.reasons.get(o.name) == before.reasons.get(o.name), o.name
    if name in after.errors:
        noun = calculator.field(name).noun
        for o in calculator.outputs:
            if name in calculator.depends_on(o.name):
                assert after.values[o.name] is None
                assert noun in after.reasons[o.name]


def test_not_applicable_passes_its_reason_downstream() -> None:
    result = compute("ltv_cac", {**LTV_EXAMPLE, "acquisition_costs": "0"})
    reason = "Niet te berekenen: er zijn geen acquisitiekosten."
    assert result.reasons == {"ltv_cac_ratio": reason, "verdict": reason}
    assert result.tones == {"payback_months": "good"}


# -- Tones -------------------------------------------------------------------


@pytest.mark.parametrize(
    ("revenue", "tone"),
    [("2.499,99", "bad"), ("2.500", "good"), ("2.500,01", "good"), ("0", "bad")],
)
def test_roas_tone_against_break_even(revenue: str, tone: str) -> None:
    # ad spend 1.000 at 40% margin: break-even ROAS 2,5, so revenue 2.500
    result = compute("roas", {"ad_spend": "1.000", "revenue": revenue, "gross_margin": "40"})
    assert result.tones["roas"] == tone
    assert result.tones["profit_after_ads"] == tone  # the same boundary in money


def test_roas_has_no_tone_without_a_break_even() -> None:
    assert compute("roas", {"ad_spend": "1.000", "revenue": "500"}).tones == {}


@pytest.mark.parametrize(("leads", "tone"), [("99", "bad"), ("100", "good"), ("101", "good")])
def test_profit_per_lead_tone(leads: str, tone: str) -> None:
    # max CPL = 100 x 10% = 10; CPL = 1.000 / leads
    raw = {"media_spend": "1.000", "leads": leads, "close_rate": "10", "customer_value": "100"}
    result = compute("cpl", raw)
    assert result.tones == {"profit_per_lead": tone}


@pytest.mark.parametrize(("margin", "tone"), [("39,99", "bad"), ("40", "good"), ("40,01", "good")])
def test_influencer_roi_tone(margin: str, tone: str) -> None:
    # total cost 8.000; 20.000 revenue at 40% margin is exactly 8.000 gross profit
    result = compute("influencer", {**INFLUENCER_EXAMPLE, "gross_margin": margin})
    assert result.tones == {"roi": tone}


@pytest.mark.parametrize(
    ("acquisition_costs", "tone"),
    [
        ("100.001", "bad"),  # ratio 0,99999
        ("100.000", "warn"),  # 1
        ("33.334", "warn"),  # 2,99994
        ("33.333,33", "good"),  # 3,0000003
        ("20.000", "good"),  # 5
        ("19.999", "warn"),  # 5,00025
    ],
)
def test_ltv_cac_ratio_tone_bands(acquisition_costs: str, tone: str) -> None:
    result = compute("ltv_cac", {**LTV_EXAMPLE, "acquisition_costs": acquisition_costs})
    assert result.tones["ltv_cac_ratio"] == tone
    assert result.tones["verdict"] == tone


@pytest.mark.parametrize(
    ("acquisition_costs", "tone"), [("99.999", "good"), ("100.000", "good"), ("100.001", "bad")]
)
def test_payback_longer_than_the_lifetime_is_bad(acquisition_costs: str, tone: str) -> None:
    # 40 gross profit a month, 25 months lifetime: payback = CAC / 40 = costs / 4.000
    result = compute("ltv_cac", {**LTV_EXAMPLE, "acquisition_costs": acquisition_costs})
    assert result.tones["payback_months"] == tone


def test_only_judging_outputs_have_tones() -> None:
    judged = {
        "cpl": {"profit_per_lead"},
        "roas": {"roas", "profit_after_ads"},
        "ltv_cac": {"ltv_cac_ratio", "payback_months", "verdict"},
        "influencer": {"roi"},
    }
    for calculator_id, names in judged.items():
        calculator = get(calculator_id)
        assert {o.name for o in calculator.outputs if o.tone} == names
        result = calculator.compute(calculator.example_inputs())
        assert set(result.tones) == names
        assert set(result.tones.values()) <= {"good", "warn", "bad"}


# -- Cross-field rules -------------------------------------------------------


def _demo(rules: tuple[Rule, ...]) -> Calculator:
    return Calculator(
        id="demo",
        title="Demo berekenen",
        purpose="Een voorbeeld.",
        fields=(
            count("shown", "Vertoningen", "het aantal vertoningen", "x.", example="10",
                  required=True, positive=True),
            count("clicks", "Klikken", "het aantal klikken", "x.", example="1"),
            money("spend", "Budget", "het budget", "x.", example="5", required=True),
        ),
        outputs=(
            Output("ctr", "CTR", Kind.PERCENT, "x.", formula=lambda clicks, shown: clicks / shown),
            Output("cpm", "CPM", Kind.MONEY, "x.", formula=lambda spend, shown: spend / shown),
        ),
        rules=rules,
    )  # fmt: skip


def test_a_rule_puts_its_message_on_its_field_and_blanks_only_dependants() -> None:
    message = "Het aantal klikken kan niet hoger zijn dan het aantal vertoningen"
    demo = _demo((Rule("clicks", lambda clicks, shown: clicks <= shown, message),))
    result = demo.compute({"shown": "10", "clicks": "11", "spend": "5"})
    assert result.errors == {"clicks": message}
    assert result.reasons == {"ctr": "Corrigeer eerst het aantal klikken."}
    assert result.values["cpm"] == Decimal("0.5")
    assert demo.compute({"shown": "10", "clicks": "10", "spend": "5"}).ok
    # a rule is skipped while a field it reads is empty or itself invalid
    assert demo.compute({"shown": "10", "spend": "5"}).ok
    assert demo.compute({"shown": "0", "clicks": "11", "spend": "5"}).errors == {
        "shown": "Het aantal vertoningen moet groter zijn dan 0"
    }


def test_definitions_with_unknown_names_fail_at_import() -> None:
    with pytest.raises(ValueError, match="reads unknown or later name 'click'"):
        Calculator(
            id="x", title="x", purpose="x.", fields=(), outputs=(
                Output("a", "A", Kind.NUMBER, "x.", formula=lambda click: click),
            ),
        )  # fmt: skip
    with pytest.raises(ValueError, match="rule reads unknown field"):
        _demo((Rule("clicks", lambda clicks, views: clicks <= views, "x"),))


def test_a_formula_may_answer_not_applicable_and_a_stray_error_is_caught() -> None:
    demo = Calculator(
        id="x", title="x", purpose="x.",
        fields=(money("a", "A", "de a", "x.", example="1", required=True),),
        outputs=(
            Output("half", "Half", Kind.MONEY, "x.",
                   formula=lambda a: a / 2 if a else NotApplicable("Niet te berekenen: a is 0.")),
            Output("boom", "Boom", Kind.MONEY, "x.", formula=lambda a: a / 0),
        ),
    )  # fmt: skip
    assert demo.compute({"a": "0"}).reasons["half"] == "Niet te berekenen: a is 0."
    assert demo.compute({"a": "1"}).reasons["boom"] == "Niet te berekenen met deze invoer."


# -- Notes: "gelezen als ..." ------------------------------------------------


@pytest.mark.parametrize(
    ("field", "typed", "note"),
    [
        ("media_spend", "1.25", f"gelezen als €{NBSP}1,25"),
        ("media_spend", "1,234.56", f"gelezen als €{NBSP}1.234,56"),
        ("media_spend", "€ 0.5", f"gelezen als €{NBSP}0,50"),
        ("leads", "1,234,567", "gelezen als 1.234.567"),
        ("close_rate", "12.5%", "gelezen als 12,5%"),
        ("media_spend", "1.234", None),  # Dutch thousands: obvious
        ("media_spend", "1.234,56", None),
        ("media_spend", "12,5", None),
        ("close_rate", "12,5%", None),
        ("close_rate", f"12,5{NBSP}%", None),
        ("media_spend", "2500", None),
        ("media_spend", "1 234.5", f"gelezen als €{NBSP}1.234,50"),
        ("close_rate", "120.5", None),  # an error, not a note
    ],
)
def test_notes_say_how_an_unusual_notation_was_read(
    field: str, typed: str, note: str | None
) -> None:
    raw = {"media_spend": "1000", "leads": "10", field: typed}
    result = compute("cpl", raw)
    assert result.notes == ({field: note} if note else {})


@pytest.mark.parametrize("typed", ["1,000", "12,500", "1,000 ", "-1,000"])
def test_a_comma_thousand_in_a_count_is_an_error_not_a_one(typed: str) -> None:
    result = compute("cpl", {"media_spend": "1000", "leads": typed})
    assert result.errors["leads"].startswith("Bedoel je ")
    assert "een komma staat voor decimalen" in result.errors["leads"]
    assert result.values["cpl"] is None
    assert compute("cpl", {"media_spend": "1000", "leads": "1,000"}).errors["leads"] == (
        "Bedoel je 1.000? Schrijf dan 1.000 of 1000: een komma staat voor decimalen"
    )


@pytest.mark.parametrize(("typed", "value"), [("12,0", 12), ("1,00", 1), ("0,000", 0)])
def test_unambiguous_commas_in_counts_still_read(typed: str, value: int) -> None:
    result = compute("influencer", {"posts": typed})
    assert "posts" not in result.errors and result.inputs["posts"] == value


# -- Presets -----------------------------------------------------------------


@pytest.mark.parametrize("calculator", CALCULATORS, ids=list(registry))
def test_every_preset_computes_without_errors(calculator: Calculator) -> None:
    assert 2 <= len(calculator.presets) <= 3
    assert len({p.name for p in calculator.presets}) == len(calculator.presets)
    for preset in calculator.presets:
        assert preset.label and re.fullmatch(r"[a-z0-9_]+", preset.name)
        result = calculator.compute(preset.values)
        assert result.ok, (preset.name, result.errors)
        assert result.notes == {}, "preset values are written the Dutch way"
        assert any(value is not None for value in result.values.values()), preset.name


def test_titles_are_dutch_tasks() -> None:
    assert [c.title for c in CALCULATORS[:4]] == [
        "Kosten per lead berekenen",
        "ROAS berekenen",
        "LTV en CAC berekenen",
        "Kosten influencercampagne berekenen",
    ]


# -- Charts ------------------------------------------------------------------


def parse_svg(svg: str) -> ET.Element:
    root = ET.fromstring(svg)
    assert root.tag == "{http://www.w3.org/2000/svg}svg"
    assert root.get("role") == "img"
    assert root.get("viewBox", "").startswith("0 0 360 ")
    for element in root.iter():
        assert "style" not in element.attrib
        assert not element.tag.endswith("script")
    for bad in ("NaN", "Infinity", "None", "nan", 'inf"'):
        assert bad not in svg
    return root


@pytest.mark.parametrize("calculator", CALCULATORS, ids=list(registry))
def test_each_calculator_draws_its_example(calculator: Calculator) -> None:
    result = calculator.compute(calculator.example_inputs())
    svg = chart_svg(result)
    root = parse_svg(svg)
    label = root.get("aria-label", "")
    assert label.endswith(".") and "Nog geen grafiek" not in label
    assert root.findall(".//{http://www.w3.org/2000/svg}rect")
    assert chart_svg(result) == svg  # deterministic


def test_chart_labels_state_the_figures() -> None:
    def label(calculator_id: str, raw: dict[str, str]) -> str:
        return parse_svg(chart_svg(compute(calculator_id, raw))).get("aria-label", "")

    assert label("roas", {"ad_spend": "2.500", "revenue": "10.000", "gross_margin": "40"}) == (
        f"Omzet €{NBSP}10.000,00 tegenover advertentiebudget €{NBSP}2.500,00; "
        f"break-even ligt bij €{NBSP}6.250,00 omzet."
    )
    cpl = {"media_spend": "4.000", "other_costs": "1.000", "leads": "125", "close_rate": "20"}
    assert label("cpl", cpl) == (
        f"Trechter: €{NBSP}5.000,00 aan kosten leverde 125 leads op van €{NBSP}40,00 per lead, "
        f"en 25 klanten van €{NBSP}200,00 per klant."
    )
    assert label("ltv_cac", LTV_EXAMPLE) == (
        f"LTV €{NBSP}1.000,00 tegenover CAC €{NBSP}250,00: een verhouding van 4:1."
    )
    assert label("influencer", {"fee_per_post": "500", "posts": "2", "units": "3"}) == (
        f"Kostenverdeling van €{NBSP}1.000,00: fees €{NBSP}1.000,00."
    )


def test_charts_with_missing_values_say_why() -> None:
    svg = chart_svg(compute("cpl", {"media_spend": "4.000", "leads": "0"}))
    assert parse_svg(svg).get("aria-label") == (
        "Nog geen grafiek: corrigeer eerst het aantal leads."
    )
    assert "Nog geen grafiek: vul de kosten" in chart_svg(compute("influencer", {}))
    reduced = chart_svg(compute("roas", {"ad_spend": "100", "revenue": "300"}))
    assert "kb-chart__marker" not in reduced and "break-even" not in reduced
    funnel = chart_svg(compute("cpl", {"media_spend": "100", "leads": "4"}))
    assert funnel.count('class="kb-chart__step') == 2  # no customers without a close rate


def test_chart_tones_follow_the_result() -> None:
    loss = chart_svg(
        compute("roas", {"ad_spend": "1.000", "revenue": "1.000", "gross_margin": "40"})
    )
    win = chart_svg(
        compute("roas", {"ad_spend": "1.000", "revenue": "9.000", "gross_margin": "40"})
    )
    assert "kb-chart__bar--bad" in loss and "kb-chart__bar--good" in win
    assert loss != win


@PROPERTY
@given(st.data())
def test_any_input_gives_a_valid_chart(data: st.DataObject) -> None:
    calculator = data.draw(st.sampled_from(CALCULATORS))
    raw = {
        f.name: data.draw(
            st.one_of(valid_value(f).map(str), st.text(max_size=12), st.sampled_from(["", "0"]))
        )
        for f in calculator.fields
    }
    result = calculator.compute(raw)
    parse_svg(chart_svg(result))
    json.dumps(result.to_dict(), allow_nan=False)
