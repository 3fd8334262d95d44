"""Goal seeking (SPEC 5.9): calculators.solve and the browser's web.handle."""

import json
from decimal import ROUND_CEILING, Decimal

import pytest
from hypothesis import assume, given, settings
from hypothesis import strategies as st

from calculators import Calculator, Kind, UnknownFieldError, get, registry, solve
from calculators.solve import grid, parse_target
from calculators.web import handle

from .test_calculators import valid_inputs, valid_value

PROPERTY = settings(max_examples=100, deadline=None)
NBSP = "\u00a0"
HALF_UNIT = {
    Kind.MONEY: Decimal("0.005"),
    Kind.PERCENT: Decimal("0.05"),
    Kind.RATIO: Decimal("0.05"),
    Kind.MONTHS: Decimal("0.05"),
}


def test_spec_examples() -> None:
    revenue = solve("roas", "revenue", "roas", "5", {"ad_spend": "2.000"})
    assert revenue.ok and revenue.value == 10000 and revenue.display == "10.000"
    assert revenue.result.display["roas"] == "5:1"
    leads = solve("cpl", "leads", "cpl", "25", {"media_spend": "4.000"})
    assert (leads.value, leads.display) == (160, "160")
    assert leads.result.display["cpl"] == f"€{NBSP}25,00"
    rounded_up = solve("cpl", "leads", "cpl", "€ 30", {"media_spend": "4.000"})
    assert rounded_up.value == 134  # 133,3 leads: a count rounds up
    assert rounded_up.result.inputs["leads"] == 134


@pytest.mark.parametrize(
    ("calculator_id", "field", "output", "target", "inputs", "expected"),
    [
        ("roas", "ad_spend", "roas", "4:1", {"revenue": "10.000"}, "2.500"),
        ("roas", "gross_margin", "break_even_roas", "2,5", {"ad_spend": "1", "revenue": "1"}, "40"),
        ("roas", "revenue", "profit_after_ads", "€ 0", {"ad_spend": "1.000", "gross_margin": "40"},
         "2.500"),
        ("cpl", "close_rate", "cpa", "200", {"media_spend": "5.000", "leads": "125"}, "20"),
        ("cpl", "media_spend", "cpl", "40", {"other_costs": "1.000", "leads": "125"}, "4.000"),
        ("ltv_cac", "churn_rate", "ltv_cac_ratio", "4",
         {"revenue_per_month": "50", "gross_margin": "80", "acquisition_costs": "25.000",
          "new_customers": "100"}, "4"),
        ("ltv_cac", "acquisition_costs", "payback_months", "6,25 maanden",
         {"revenue_per_month": "50", "gross_margin": "80", "churn_rate": "4",
          "new_customers": "100"}, "25.000"),
        ("influencer", "posts", "total_cost", "8.000",
         {"fee_per_post": "800", "units": "40", "product_cost": "25", "shipping_per_unit": "6",
          "production_costs": "1.500", "team_hours": "24", "hourly_rate": "65",
          "other_costs": "500"}, "4"),
        ("influencer", "fee_per_post", "fee_share", "50%",
         {"posts": "4", "other_costs": "3.200"}, "800"),
    ],
)  # fmt: skip
def test_solves_closed_forms_and_searches(
    calculator_id: str, field: str, output: str, target: str, inputs: dict, expected: str
) -> None:
    solved = solve(calculator_id, field, output, target, inputs)
    assert solved.ok, solved.reason
    assert solved.display == expected
    assert solved.result.ok and solved.result.inputs[field] == solved.value


@pytest.mark.parametrize(
    ("calculator_id", "field", "output", "target", "inputs", "reason"),
    [
        ("cpl", "close_rate", "cpl", "30", {"media_spend": "4.000", "leads": "5"},
         "De sluitingsratio heeft geen invloed op de CPL; kies een ander veld."),
        ("cpl", "leads", "cpl", "-5", {"media_spend": "4.000"},
         f"De CPL kan niet \u2212€{NBSP}5,00 worden: daarvoor zou het aantal leads onder 0 "
         "moeten komen."),
        ("cpl", "leads", "cpl", "0", {"media_spend": "4.000"},
         f"De CPL komt wel steeds dichter bij €{NBSP}0,00, maar haalt het nooit."),
        ("cpl", "leads", "cpl", "30", {"media_spend": "veel"},
         "Corrigeer eerst het mediabudget: dan kan het aantal leads worden uitgerekend."),
        ("cpl", "close_rate", "max_cpl", "30", {"media_spend": "1", "leads": "5"},
         "Vul eerst de klantwaarde in: dan kan de sluitingsratio worden uitgerekend."),
        ("roas", "gross_margin", "break_even_roas", "0,5", {"ad_spend": "1", "revenue": "1"},
         "De break-even ROAS kan niet 0,5:1 worden: daarvoor zou de brutomarge boven 100% "
         "moeten komen. Met de brutomarge op 100% is de break-even ROAS 1:1."),
        ("ltv_cac", "churn_rate", "verdict", "gezond", {},
         "Voor het oordeel kun je geen doelwaarde opgeven; kies een uitkomst met een getal."),
        ("roas", "revenue", "roas", "veel", {"ad_spend": "1"},
         "Vul een geldige doelwaarde in voor de ROAS, bijvoorbeeld 4:1."),
        ("cpl", "leads", "cpl", "30", {"media_spend": "0"},
         "Het aantal leads verandert de CPL niet bij deze andere invoer."),
        ("influencer", "posts", "fee_share", "150%", {"fee_per_post": "100", "units": "1",
                                                      "product_cost": "5"},
         "Het aandeel fees kan met deze invoer niet 150% worden, wat je ook invult bij "
         "'Aantal posts'."),
    ],
)  # fmt: skip
def test_unreachable_targets_give_a_dutch_reason(
    calculator_id: str, field: str, output: str, target: str, inputs: dict, reason: str
) -> None:
    solved = solve(calculator_id, field, output, target, inputs)
    assert not solved.ok
    assert (solved.value, solved.display) == (None, "")
    assert solved.reason == reason


def test_unknown_names_raise_lookup_errors() -> None:
    with pytest.raises(UnknownFieldError):
        solve("cpl", "lead", "cpl", "5", {})
    with pytest.raises(LookupError, match="Onbekende uitkomst 'cpx'"):
        solve("cpl", "leads", "cpx", "5", {})


def test_targets_are_read_the_way_outputs_are_shown() -> None:
    ratio, months = get("roas").output("roas"), get("ltv_cac").output("payback_months")
    assert parse_target("4,5:1", ratio) == Decimal("4.5")
    assert parse_target(" 6 maanden", months) == 6
    assert parse_target("1 maand", months) == 1
    assert parse_target("12,5%", get("roas").output("roas_percent")) == Decimal("12.5")
    assert parse_target("€ 1.250,50", get("cpl").output("cpl")) == Decimal("1250.50")


# -- Round trips (hypothesis) --------------------------------------------------


def pairs(calculator: Calculator) -> list[tuple[str, str]]:
    """Every (field, output) pair where the output is a number that reads the field."""
    return [
        (f.name, o.name)
        for o in calculator.outputs
        if o.kind is not Kind.TEXT
        for f in calculator.fields
        if f.name in calculator.depends_on(o.name, through_rules=False)
    ]


CASES = [(c, pair) for c in registry.values() for pair in pairs(c)]


@st.composite
def goal_case(draw: st.DrawFn) -> tuple:
    calculator, (field, output) = draw(st.sampled_from(CASES))
    raw = draw(valid_inputs(calculator))
    f = calculator.field(field)
    for other in calculator.depends_on(output):
        if raw.get(other) in (None, ""):
            raw[other] = calculator.field(other).example  # everything it reads is given
    x1, x2 = draw(valid_value(f)), draw(valid_value(f))
    return calculator, field, output, raw, x1, x2, draw(st.integers(0, 100))


@PROPERTY
@given(goal_case())
def test_solve_round_trips_within_display_precision(case: tuple) -> None:
    """A target between the outputs at two valid values of the field is reached."""
    calculator, field, output, raw, x1, x2, share = case
    f = calculator.field(field)
    first, second = calculator.compute({**raw, field: x1}), calculator.compute({**raw, field: x2})
    assume(first.ok and second.ok)  # random values may break a cross-field rule
    y1, y2 = first.values[output], second.values[output]
    assume(isinstance(y1, Decimal) and isinstance(y2, Decimal) and y1 != y2)
    # Invertible: monotone over the field's range (a p-value, say, need not be).
    ys = [calculator.compute({**raw, field: x}).values[output] for x in grid(f)]
    ys = [y for y in ys if isinstance(y, Decimal)]
    assume(ys == sorted(ys) or ys == sorted(ys, reverse=True))
    target = y1 + (y2 - y1) * share / 100
    o = calculator.output(output)
    solved = solve(calculator.id, field, output, target, raw)
    assert solved.ok, solved.reason
    assert solved.result.inputs[field] == solved.value
    reached = solved.result.values[output]
    assert isinstance(reached, Decimal)
    if f.kind is Kind.COUNT:
        # rounded up: one fewer would land on the other side of the target (or on it)
        exact_side = abs(reached - target) <= abs(target) * Decimal("1E-20")  # 28th digit
        below = calculator.compute({**raw, field: solved.value - 1}).values[output]
        assert (
            exact_side
            or not isinstance(below, Decimal)
            or ((below - target) * (reached - target) <= 0)
        )
        assert solved.value == solved.value.to_integral_value(rounding=ROUND_CEILING)
    else:
        # Half a display unit; beyond 10**19 the 28 digits of Decimal hold no more cents.
        half = HALF_UNIT.get(o.kind, Decimal("0.005"))
        assert abs(reached - target) <= max(half, abs(target) * Decimal("1E-20"))


# -- web.handle ----------------------------------------------------------------


def ask(request: object) -> dict:
    return json.loads(handle(json.dumps(request)))


def test_web_compute_gives_result_and_chart() -> None:
    answer = ask(
        {"op": "compute", "calculator": "cpl", "inputs": {"media_spend": "4.000", "leads": "0"}}
    )
    assert list(answer) == ["result", "chart"]
    assert answer["result"]["display"]["total_cost"] == f"€{NBSP}4.000,00"
    assert answer["result"]["errors"] == {"leads": "Het aantal leads moet groter zijn dan 0"}
    assert answer["chart"].startswith('<svg class="kb-chart"')


def test_web_solve_gives_the_value_the_result_and_the_chart() -> None:
    answer = ask(
        {
            "op": "solve",
            "calculator": "roas",
            "field": "revenue",
            "output": "roas",
            "target": "5",
            "inputs": {"ad_spend": "2.000", "revenue": "1"},
        }
    )
    assert answer["solved"] == {
        "field": "revenue",
        "value": 10000.0,
        "display": "10.000",
        "shown": "€\u00a010.000",
    }
    assert answer["result"]["display"]["roas"] == "5:1"
    assert "€" in answer["chart"] and "10.000,00" in answer["chart"]
    unreachable = ask(
        {
            "op": "solve",
            "calculator": "cpl",
            "field": "close_rate",
            "output": "cpl",
            "target": "5",
            "inputs": {},
        }
    )
    assert unreachable == {
        "error": "De sluitingsratio heeft geen invloed op de CPL; kies een ander veld."
    }


@pytest.mark.parametrize(
    ("request_text", "start"),
    [
        ("{", "Deze vraag aan de rekenhulp klopt niet."),
        ("[]", "Deze vraag aan de rekenhulp klopt niet."),
        ('{"op": "compute", "calculator": "nope"}', "Onbekende rekenhulp 'nope'"),
        ('{"op": "compute", "calculator": "cpl", "inputs": {"x": "1"}}', "Onbekend veld 'x'"),
        ('{"op": "dance", "calculator": "cpl"}', "Deze vraag aan de rekenhulp klopt niet."),
        ('{"op": "compute", "calculator": "cpl", "inputs": [1]}', "Deze vraag"),
        ('{"op": "compute", "calculator": "cpl", "inputs": {"leads": [1]}}', "Deze vraag"),
        ('{"op": "solve", "calculator": "cpl", "field": "leads", "output": "x", "target": "1"}',
         "Onbekende uitkomst 'x'"),
        ('{"op": "solve", "calculator": "cpl", "field": "leads", "output": "cpl"}', "Deze vraag"),
    ],
)  # fmt: skip
def test_web_errors_are_dutch(request_text: str, start: str) -> None:
    answer = json.loads(handle(request_text))
    assert list(answer) == ["error"] and answer["error"].startswith(start)


@settings(max_examples=200, deadline=None)
@given(
    st.one_of(
        st.text(max_size=80),
        st.fixed_dictionaries(
            {
                "op": st.sampled_from(["compute", "solve", None]),
                "calculator": st.sampled_from([*registry, "", None]),
                "field": st.sampled_from(["leads", "revenue", "posts", ""]),
                "output": st.sampled_from(["cpl", "roas", "roi", "verdict", ""]),
                "target": st.one_of(st.text(max_size=12), st.integers(), st.floats()),
                "inputs": st.dictionaries(
                    st.sampled_from(["leads", "media_spend", "revenue", "ad_spend", "posts"]),
                    st.one_of(st.none(), st.text(max_size=12), st.integers(), st.floats()),
                ),
            }
        ).map(lambda d: json.dumps(d)),
    )
)
def test_web_handle_never_raises(request_text: str) -> None:
    answer = json.loads(handle(request_text))
    assert "error" in answer or "result" in answer


@settings(max_examples=150, deadline=None)
@given(st.data())
def test_solve_never_raises_on_any_input(data: st.DataObject) -> None:
    calculator = data.draw(st.sampled_from(list(registry.values())))
    field = data.draw(st.sampled_from(calculator.field_names()))
    output = data.draw(st.sampled_from([o.name for o in calculator.outputs]))
    raw = {
        f.name: data.draw(st.one_of(st.none(), st.text(max_size=10), valid_value(f).map(str)))
        for f in calculator.fields
    }
    target = data.draw(
        st.one_of(st.text(max_size=12), st.decimals(allow_nan=True), st.integers(), st.floats())
    )
    solved = solve(calculator.id, field, output, target, raw)
    assert solved.ok == (solved.value is not None) == (solved.reason == "")
    if not solved.ok:
        assert solved.reason[0].isupper() and solved.reason.endswith(".")
