"""Customer lifetime value against acquisition cost (SPEC 5.2 `ltv_cac`)."""

from decimal import Decimal

from .fields import count, money, percent
from .kinds import Kind
from .model import Calculator, FormulaResult, Inputs, NotApplicable, Output

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

OUTPUTS = (
    Output(
        "ltv",
        "Customer lifetime value (LTV)",
        Kind.MONEY,
        "De brutowinst die een klant gemiddeld oplevert zolang hij klant blijft.",
    ),
    Output(
        "cac",
        "Acquisitiekosten per klant (CAC)",
        Kind.MONEY,
        "Wat het gemiddeld kost om een nieuwe klant te werven.",
    ),
    Output(
        "ltv_cac_ratio",
        "LTV:CAC-verhouding",
        Kind.RATIO,
        "Hoeveel keer een klant zijn acquisitiekosten terugverdient; 3:1 geldt als gezond.",
        primary=True,
    ),
    Output(
        "payback_months",
        "Terugverdientijd",
        Kind.MONTHS,
        "Na hoeveel maanden de brutowinst van een klant zijn acquisitiekosten heeft gedekt.",
    ),
    Output(
        "lifetime_months",
        "Gemiddelde klantduur",
        Kind.MONTHS,
        "Hoe lang een klant gemiddeld blijft bij deze churn.",
    ),
    Output(
        "verdict",
        "Oordeel",
        Kind.TEXT,
        "Hoe de verhouding zich verhoudt tot de gangbare norm van 3:1 tot 5:1.",
        primary=True,
        choices=VERDICTS,
    ),
)


def verdict(ratio: Decimal) -> str:
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


def formula(inputs: Inputs) -> FormulaResult:
    revenue_per_month = inputs.required("revenue_per_month")  # > 0
    gross_margin = inputs.required("gross_margin")  # > 0
    churn_rate = inputs.required("churn_rate")  # > 0
    new_customers = inputs.required("new_customers")  # > 0

    margin_per_month = revenue_per_month * gross_margin / 100  # > 0
    ltv = margin_per_month / (churn_rate / 100)
    cac = inputs.required("acquisition_costs") / new_customers
    result: dict[str, Decimal | str | NotApplicable] = {"ltv": ltv, "cac": cac}
    if cac > 0:
        ratio = ltv / cac
        result["ltv_cac_ratio"] = ratio
        result["verdict"] = verdict(ratio)
    else:
        reason = "Niet te berekenen: er zijn geen acquisitiekosten."
        result["ltv_cac_ratio"] = NotApplicable(reason)
        result["verdict"] = NotApplicable(reason)
    # Without acquisition costs a customer pays back at once: 0 months.
    result["payback_months"] = cac / margin_per_month
    result["lifetime_months"] = 100 / churn_rate
    return result


CALCULATOR = Calculator(
    id="ltv_cac",
    title="LTV en CAC",
    purpose="Vergelijk wat een klant oplevert met wat het kost om hem te werven.",
    fields=FIELDS,
    outputs=OUTPUTS,
    formula=formula,
)
