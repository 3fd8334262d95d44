"""Incrementality: what a campaign added, from a test group and a control group that
did not see it, and whether chance explains the difference (SPEC 5.10 `incrementality`)."""

from decimal import ROUND_HALF_UP, Context, Decimal

from . import charts
from .fields import count, money
from .kinds import Kind
from .model import (
    BAD,
    GOOD,
    WARN,
    Calculator,
    Goal,
    NotApplicable,
    Output,
    OutputValue,
    Preset,
    Result,
    Toned,
    against_break_even,
    at_most,
)
from .significance import is_significant, pooled_z, two_sided_p_value

SIGNIFICANT = "significant"
NOT_SIGNIFICANT = "niet significant"
VERDICTS = (
    (SIGNIFICANT, "Significant: waarschijnlijk geen toeval."),
    (NOT_SIGNIFICANT, "Niet significant: dit verschil kan toeval zijn."),
)

_THOUSANDTH = Decimal("0.001")
_DISPLAY_CONTEXT = Context(prec=28)  # whatever the caller's decimal context


class PValueOutput(Output):
    """A p-value, read as it is reported: always three decimals ("0,002", "0,050"),
    and "< 0,001" below that, never "0,000": no p-value is ever zero.

    Only the display differs from a NUMBER output; the value stays unrounded.
    """

    def display(self, value: OutputValue) -> str:
        if not isinstance(value, Decimal):
            return super().display(value)
        if value < _THOUSANDTH:
            return "< 0,001"
        shown = value.quantize(_THOUSANDTH, ROUND_HALF_UP, _DISPLAY_CONTEXT)  # 0 <= p <= 1
        return format(shown, "f").replace(".", ",")


FIELDS = (
    count(
        "test_size",
        "Grootte testgroep",
        "de grootte van de testgroep",
        "Het aantal mensen (of huishoudens, bezoekers) dat de campagne te zien kreeg.",
        example="20000",
        required=True,
        positive=True,
        group="Testgroep (zag de campagne)",
    ),
    count(
        "test_conversions",
        "Conversies testgroep",
        "het aantal conversies in de testgroep",
        "Hoeveel mensen uit de testgroep converteerden in de testperiode.",
        example="600",
        required=True,
        group="Testgroep (zag de campagne)",
    ),
    count(
        "control_size",
        "Grootte controlegroep",
        "de grootte van de controlegroep",
        "Het aantal vergelijkbare mensen dat de campagne niet te zien kreeg.",
        example="20000",
        required=True,
        positive=True,
        group="Controlegroep (zag de campagne niet)",
    ),
    count(
        "control_conversions",
        "Conversies controlegroep",
        "het aantal conversies in de controlegroep",
        "Hoeveel mensen uit de controlegroep in dezelfde periode converteerden.",
        example="500",
        required=True,
        group="Controlegroep (zag de campagne niet)",
    ),
    money(
        "ad_spend",
        "Advertentiebudget",
        "het advertentiebudget",
        "Wat de campagne voor de testgroep kostte, zonder btw.",
        example="5000",
        positive=True,
        group="Kosten en waarde",
    ),
    money(
        "value_per_conversion",
        "Waarde per conversie",
        "de waarde per conversie",
        "Wat één conversie oplevert; gebruik de brutowinst om te zien of de campagne winst maakt.",
        example="80",
        group="Kosten en waarde",
    ),
)

RULES = (
    at_most(
        "test_conversions",
        "test_size",
        "Het aantal conversies in de testgroep kan niet hoger zijn dan de testgroep",
    ),
    at_most(
        "control_conversions",
        "control_size",
        "Het aantal conversies in de controlegroep kan niet hoger zijn dan de controlegroep",
    ),
)


def _lift(test_rate: Decimal, control_rate: Decimal) -> Decimal | NotApplicable:
    if control_rate == 0:
        return NotApplicable("Niet te berekenen: de controlegroep had geen conversies.")
    return (test_rate - control_rate) / control_rate * 100


def _cost_per_incremental(
    ad_spend: Decimal, incremental_conversions: Decimal
) -> Decimal | NotApplicable:
    if incremental_conversions <= 0:
        return NotApplicable("Niet te berekenen: de campagne leverde geen extra conversies op.")
    return ad_spend / incremental_conversions


def _p_value(
    test_conversions: Decimal,
    test_size: Decimal,
    control_conversions: Decimal,
    control_size: Decimal,
) -> Decimal | NotApplicable:
    if test_conversions + control_conversions == 0:
        return NotApplicable("Niet te berekenen: in geen van beide groepen was er een conversie.")
    z = pooled_z(test_conversions, test_size, control_conversions, control_size)
    if z is None:  # the pooled rate is 1: everybody converted
        return NotApplicable("Niet te berekenen: in beide groepen converteerde iedereen.")
    return two_sided_p_value(z)


def _verdict(p_value: Decimal) -> str:
    return SIGNIFICANT if is_significant(p_value) else NOT_SIGNIFICANT


def _direction_tone(verdict: str, test_rate: Decimal, control_rate: Decimal) -> Toned:
    """A difference chance explains as well is not proven (warn); a proven one is good
    when the test group did better and bad when it did worse."""
    if verdict != SIGNIFICANT or test_rate == control_rate:  # equal cannot be significant
        return Toned(WARN, "niet significant: het verschil kan toeval zijn")
    if test_rate > control_rate:
        return Toned(GOOD, "de testgroep converteerde aantoonbaar beter")
    return Toned(BAD, "de testgroep converteerde aantoonbaar slechter")


OUTPUTS = (
    Output(
        "test_rate",
        "Conversieratio testgroep",
        Kind.PERCENT,
        "Het deel van de testgroep dat converteerde.",
        formula=lambda test_conversions, test_size: test_conversions / test_size * 100,
        noun="de conversieratio van de testgroep",
    ),
    Output(
        "control_rate",
        "Conversieratio controlegroep",
        Kind.PERCENT,
        "Het deel van de controlegroep dat converteerde: wat er zonder campagne gebeurt.",
        formula=lambda control_conversions, control_size: control_conversions / control_size * 100,
        noun="de conversieratio van de controlegroep",
    ),
    Output(
        "lift",
        "Lift",
        Kind.PERCENT,
        "Hoeveel procent beter (of slechter) de testgroep converteerde dan de controlegroep.",
        formula=_lift,
        noun="de lift",
        primary=True,
        tone=lambda lift, verdict, test_rate, control_rate: _direction_tone(
            verdict, test_rate, control_rate
        ),
    ),
    Output(
        "incremental_conversions",
        "Incrementele conversies",
        Kind.NUMBER,
        "Conversies die de testgroep meer had dan zonder campagne te verwachten was; "
        "negatief als het er minder waren.",
        formula=lambda test_conversions, control_rate, test_size: (
            test_conversions - control_rate / 100 * test_size
        ),
        noun="het aantal incrementele conversies",
    ),
    Output(
        "cost_per_incremental",
        "Kosten per incrementele conversie",
        Kind.MONEY,
        "Wat elke extra conversie kostte: de eerlijke kosten per conversie van de campagne.",
        formula=_cost_per_incremental,
        noun="de kosten per incrementele conversie",
    ),
    Output(
        "iroas",
        "iROAS (incrementele ROAS)",
        Kind.RATIO,
        "Waarde van de extra conversies per euro budget; met brutowinst als waarde verdient "
        "de campagne zich vanaf 1:1 terug.",
        formula=lambda ad_spend, incremental_conversions, value_per_conversion: (
            incremental_conversions * value_per_conversion / ad_spend  # ad_spend > 0
        ),
        noun="de iROAS",
        tone=lambda iroas: against_break_even(iroas, Decimal(1)),
    ),
    PValueOutput(
        "p_value",
        "p-waarde",
        Kind.NUMBER,
        "De kans dat alleen toeval een verschil van minstens deze omvang geeft als de campagne "
        "geen effect heeft; onder 0,05 heet het verschil significant.",
        formula=_p_value,
        noun="de p-waarde",
    ),
    Output(
        "verdict",
        "Oordeel",
        Kind.TEXT,
        "Significant (p < 0,05) betekent: als de campagne geen effect had, zou een verschil "
        "als dit minder dan 5 op de 100 keer door toeval ontstaan. Dat is een sterke "
        "aanwijzing, geen garantie. Niet significant betekent dat een effect niet is "
        "aangetoond, niet dat er geen effect is.",
        formula=_verdict,
        noun="het oordeel",
        primary=True,
        choices=VERDICTS,
        tone=lambda verdict, test_rate, control_rate: _direction_tone(
            verdict, test_rate, control_rate
        ),
    ),
)

PRESETS = (
    Preset(
        "regio",
        "Regiotest webshop",
        {
            "test_size": "20.000",
            "test_conversions": "600",
            "control_size": "20.000",
            "control_conversions": "500",
            "ad_spend": "5.000",
            "value_per_conversion": "80",
        },
    ),
    Preset(
        "kleine_test",
        "Te kleine test: nog geen bewijs",
        {
            "test_size": "2.000",
            "test_conversions": "50",
            "control_size": "2.000",
            "control_conversions": "42",
            "ad_spend": "1.000",
            "value_per_conversion": "60",
        },
    ),
    Preset(
        "retargeting",
        "Retargeting die vooral bestaande kopers bereikt",
        {
            "test_size": "50.000",
            "test_conversions": "1.000",
            "control_size": "50.000",
            "control_conversions": "1.020",
            "ad_spend": "8.000",
            "value_per_conversion": "50",
        },
    ),
)


def chart(result: Result) -> str:
    """The conversion rate of the test group against that of the control group."""
    reason = charts.missing(result, "test_rate", "control_rate")
    if reason is not None:
        return charts.not_yet(reason)
    test_rate, control_rate = result.values["test_rate"], result.values["control_rate"]
    assert isinstance(test_rate, Decimal) and isinstance(control_rate, Decimal)
    shown_test, shown_control = result.display["test_rate"], result.display["control_rate"]
    items = [
        charts.Bar("Testgroep (zag de campagne)", test_rate, shown_test, result.tones.get("lift")),
        charts.Bar("Controlegroep (zag de campagne niet)", control_rate, shown_control),
    ]
    label = f"Conversieratio testgroep {shown_test} tegenover controlegroep {shown_control}"
    if result.values["lift"] is not None:
        label += f"; lift {result.display['lift']}"
    if result.values["p_value"] is not None:
        label += f"; p-waarde {result.display['p_value']}, {result.values['verdict']}"
    return charts.bars(label + ".", items)


CALCULATOR = Calculator(
    id="incrementality",
    title="Incrementaliteit berekenen",
    purpose="Vergelijk een testgroep met een controlegroep en zie wat je campagne echt opleverde.",
    fields=FIELDS,
    outputs=OUTPUTS,
    rules=RULES,
    presets=PRESETS,
    chart=chart,
    goal=Goal("cost_per_incremental", "ad_spend"),
)
