"""Return on ad spend, with break-even ROAS and POAS (SPEC 5.2 `roas`)."""

from decimal import Decimal

from .fields import money, percent
from .kinds import Kind
from .model import Calculator, FormulaResult, Inputs, NotApplicable, Output

FIELDS = (
    money(
        "ad_spend",
        "Advertentiebudget",
        "het advertentiebudget",
        "Wat je in de periode aan advertenties hebt uitgegeven, zonder btw.",
        example="2500",
        required=True,
        positive=True,
    ),
    money(
        "revenue",
        "Omzet uit advertenties",
        "de omzet",
        "De omzet die je aan deze advertenties toeschrijft, zonder btw.",
        example="10000",
        required=True,
    ),
    percent(
        "gross_margin",
        "Brutomarge",
        "de brutomarge",
        "Het deel van de omzet dat overblijft na inkoop- of productiekosten; nodig voor de winst.",
        example="40",
    ),
)

OUTPUTS = (
    Output(
        "roas",
        "ROAS",
        Kind.RATIO,
        "Omzet per euro advertentiebudget: 4:1 betekent € 4 omzet voor elke € 1.",
        primary=True,
    ),
    Output(
        "roas_percent",
        "ROAS in procenten",
        Kind.PERCENT,
        "Dezelfde ROAS als percentage: 400% is vier keer de advertentiekosten.",
    ),
    Output(
        "break_even_roas",
        "Break-even ROAS",
        Kind.RATIO,
        "De ROAS waarbij de brutowinst precies de advertentiekosten dekt; daarboven verdien je.",
    ),
    Output(
        "poas",
        "POAS (brutowinst per advertentie-euro)",
        Kind.RATIO,
        "Brutowinst per euro advertentiebudget; boven 1:1 leveren de advertenties winst op.",
    ),
    Output(
        "profit_after_ads",
        "Brutowinst na advertentiekosten",
        Kind.MONEY,
        "Wat er van de brutowinst overblijft na aftrek van het advertentiebudget.",
    ),
)


def formula(inputs: Inputs) -> FormulaResult:
    ad_spend = inputs.required("ad_spend")  # > 0 by validation
    revenue = inputs.required("revenue")
    gross_margin = inputs.optional("gross_margin")  # > 0 when given

    roas = revenue / ad_spend
    result: dict[str, Decimal | NotApplicable] = {"roas": roas, "roas_percent": roas * 100}
    if gross_margin is None:
        for name, label in (
            ("break_even_roas", "break-even ROAS"),
            ("poas", "POAS"),
            ("profit_after_ads", "brutowinst na advertentiekosten"),
        ):
            result[name] = NotApplicable(f"Vul de brutomarge in om de {label} te berekenen.")
        return result

    gross_profit = revenue * gross_margin / 100
    result["break_even_roas"] = 100 / gross_margin
    result["poas"] = gross_profit / ad_spend
    result["profit_after_ads"] = gross_profit - ad_spend
    return result


CALCULATOR = Calculator(
    id="roas",
    title="Return on ad spend",
    purpose="Bereken hoeveel omzet en brutowinst elke euro advertentiebudget oplevert.",
    fields=FIELDS,
    outputs=OUTPUTS,
    formula=formula,
)
