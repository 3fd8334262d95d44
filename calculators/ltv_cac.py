"""Customer lifetime value against acquisition cost (SPEC 5.2 `ltv_cac`)."""

from decimal import Decimal

from . import charts
from .dutch_numbers import format_value
from .fields import count, money, percent
from .kinds import Kind
from .model import BAD, GOOD, WARN, Calculator, Goal, NotApplicable, Output, Preset, Result, Toned

LOSS = "verlies"
BELOW_NORM = "onder_norm"
HEALTHY = "gezond"
UNDER_INVESTING = "onderinvestering"

VERDICTS = (
    (LOSS, "Verlieslatend: een klant levert minder op dan het kost om hem te werven."),
    (BELOW_NORM, "Onder de gangbare norm van 3:1: er blijft weinig over per klant."),
    (HEALTHY, "Gezond: een klant levert 3 tot 5 keer zijn acquisitiekosten op."),
    (UNDER_INVESTING, "Zeer ruim: je investeert mogelijk te weinig in groei."),
)

FIELDS = (
    money(
        "revenue_per_month",
        "Omzet per klant per maand",
        "de omzet per klant per maand",
        "De gemiddelde omzet die een klant per maand oplevert, zonder btw.",
        example="50",
        required=True,
        positive=True,
    ),
    percent(
        "gross_margin",
        "Brutomarge",
        "de brutomarge",
        "Het deel van die omzet dat overblijft na de directe kosten van levering.",
        example="80",
        required=True,
    ),
    percent(
        "churn_rate",
        "Churn per maand",
        "de churn",
        "Het percentage klanten dat per maand opzegt.",
        example="4",
        required=True,
    ),
    money(
        "acquisition_costs",
        "Acquisitiekosten",
        "het bedrag aan acquisitiekosten",
        "Alle marketing- en saleskosten van de periode, inclusief salarissen en tools.",
        example="25000",
        required=True,
    ),
    count(
        "new_customers",
        "Nieuwe klanten",
        "het aantal nieuwe klanten",
        "Het aantal klanten dat je in dezelfde periode hebt gewonnen.",
        example="100",
        required=True,
        positive=True,
    ),
)

NO_ACQUISITION_COSTS = "Niet te berekenen: er zijn geen acquisitiekosten."


def classify(ratio: Decimal) -> str:
    """Classify the exact, unrounded ratio.

    Boundaries: 1 and 3 belong to the higher band (1 is break-even, not a loss;
    3 is the norm itself), 5 is still healthy; only above 5 does the ratio
    suggest under-investment. Using the exact value means 2,96 (shown as "3:1")
    is still "onder_norm": the verdict follows the money, not the rounding.
    """
    if ratio < 1:
        return LOSS
    if ratio < 3:
        return BELOW_NORM
    if ratio <= 5:
        return HEALTHY
    return UNDER_INVESTING


_BANDS = {
    LOSS: Toned(BAD, "onder 1:1: een klant kost meer dan hij oplevert"),
    BELOW_NORM: Toned(WARN, "onder de norm van 3:1"),
    HEALTHY: Toned(GOOD, "binnen de norm van 3:1 tot 5:1"),
    UNDER_INVESTING: Toned(WARN, "boven 5:1"),
}


def ratio_tone(ratio: Decimal) -> Toned:
    """The tone of a ratio and why: the same bands as the verdict."""
    return _BANDS[classify(ratio)]


def payback_tone(payback_months: Decimal, lifetime_months: Decimal) -> Toned:
    """Paid back within the time a customer stays is good, after it bad."""
    lifetime = format_value(lifetime_months, Kind.MONTHS)
    if payback_months > lifetime_months:
        return Toned(BAD, f"CAC wordt pas na de gemiddelde klantduur van {lifetime} terugverdiend")
    return Toned(GOOD, f"CAC wordt binnen de gemiddelde klantduur van {lifetime} terugverdiend")


OUTPUTS = (
    Output(
        "ltv",
        "Customer lifetime value (LTV)",
        Kind.MONEY,
        "De brutowinst die een klant gemiddeld oplevert zolang hij klant blijft.",
        formula=lambda revenue_per_month, gross_margin, churn_rate: (
            revenue_per_month * gross_margin / 100 / (churn_rate / 100)
        ),
        noun="de LTV",
    ),
    Output(
        "cac",
        "Acquisitiekosten per klant (CAC)",
        Kind.MONEY,
        "Wat het gemiddeld kost om een nieuwe klant te werven.",
        formula=lambda acquisition_costs, new_customers: acquisition_costs / new_customers,
        noun="de CAC",
    ),
    Output(
        "ltv_cac_ratio",
        "LTV:CAC-verhouding",
        Kind.RATIO,
        "Hoeveel keer een klant zijn acquisitiekosten terugverdient; 3:1 geldt als gezond.",
        formula=lambda ltv, cac: ltv / cac if cac > 0 else NotApplicable(NO_ACQUISITION_COSTS),
        noun="de LTV:CAC-verhouding",
        primary=True,
        tone=lambda ltv_cac_ratio: ratio_tone(ltv_cac_ratio),
    ),
    Output(
        "payback_months",
        "Terugverdientijd",
        Kind.MONTHS,
        "Na hoeveel maanden de brutowinst van een klant zijn acquisitiekosten heeft gedekt.",
        # Without acquisition costs a customer pays back at once: 0 months.
        formula=lambda cac, revenue_per_month, gross_margin: (
            cac / (revenue_per_month * gross_margin / 100)
        ),
        noun="de terugverdientijd",
        tone=payback_tone,
    ),
    Output(
        "lifetime_months",
        "Gemiddelde klantduur",
        Kind.MONTHS,
        "Hoe lang een klant gemiddeld blijft bij deze churn.",
        formula=lambda churn_rate: 100 / churn_rate,
        noun="de klantduur",
    ),
    Output(
        "verdict",
        "Oordeel",
        Kind.TEXT,
        "Hoe de verhouding zich verhoudt tot de gangbare norm van 3:1 tot 5:1.",
        formula=lambda ltv_cac_ratio: classify(ltv_cac_ratio),
        noun="het oordeel",
        primary=True,
        choices=VERDICTS,
        tone=lambda ltv_cac_ratio: ratio_tone(ltv_cac_ratio),
    ),
)

PRESETS = (
    Preset(
        "saas",
        "SaaS-abonnement",
        {
            "revenue_per_month": "50",
            "gross_margin": "80",
            "churn_rate": "4",
            "acquisition_costs": "25.000",
            "new_customers": "100",
        },
    ),
    Preset(
        "abonnementsbox",
        "Abonnementsbox (webshop)",
        {
            "revenue_per_month": "35",
            "gross_margin": "35",
            "churn_rate": "10",
            "acquisition_costs": "12.000",
            "new_customers": "200",
        },
    ),
    Preset(
        "b2b",
        "B2B-dienstverlening (retainer)",
        {
            "revenue_per_month": "1.500",
            "gross_margin": "50",
            "churn_rate": "2",
            "acquisition_costs": "60.000",
            "new_customers": "6",
        },
    ),
)


def chart(result: Result) -> str:
    """What a customer brings in (LTV) against what winning one costs (CAC)."""
    reason = charts.missing(result, "ltv", "cac")
    if reason is not None:
        return charts.not_yet(reason)
    ltv, cac = result.values["ltv"], result.values["cac"]
    assert isinstance(ltv, Decimal) and isinstance(cac, Decimal)
    label = f"LTV {result.display['ltv']} tegenover CAC {result.display['cac']}"
    if result.values["ltv_cac_ratio"] is not None:
        label += f": een verhouding van {result.display['ltv_cac_ratio']}"
    items = [
        charts.Bar(
            "LTV (wat een klant oplevert)",
            ltv,
            result.display["ltv"],
            result.tones.get("ltv_cac_ratio"),
        ),
        charts.Bar("CAC (wat een klant kost)", cac, result.display["cac"]),
    ]
    return charts.bars(label + ".", items)


CALCULATOR = Calculator(
    id="ltv_cac",
    title="LTV en CAC berekenen",
    purpose="Vergelijk wat een klant oplevert met wat het kost om hem te werven.",
    fields=FIELDS,
    outputs=OUTPUTS,
    presets=PRESETS,
    chart=chart,
    goal=Goal("ltv_cac_ratio", "acquisition_costs"),
)
