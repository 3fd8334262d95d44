"""Return on ad spend, with break-even ROAS and POAS (SPEC 5.2 `roas`)."""

from . import charts
from .fields import money, percent
from .kinds import Kind
from .model import (
    Calculator,
    Goal,
    Output,
    Preset,
    Result,
    against_break_even,
    break_even_ratio,
    loss_is_bad,
)

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
        "Omzet per euro advertentiebudget: 4:1 betekent €\u00a04 omzet voor elke €\u00a01.",
        formula=lambda revenue, ad_spend: revenue / ad_spend,  # ad_spend > 0
        noun="de ROAS",
        primary=True,
        tone=lambda roas, break_even_roas: against_break_even(roas, break_even_roas),
    ),
    Output(
        "roas_percent",
        "ROAS in procenten",
        Kind.PERCENT,
        "Dezelfde ROAS als percentage: 400% is vier keer de advertentiekosten.",
        formula=lambda roas: roas * 100,
        noun="de ROAS in procenten",
    ),
    break_even_ratio(
        "break_even_roas",
        "Break-even ROAS",
        "De ROAS waarbij de brutowinst precies de advertentiekosten dekt; daarboven verdien je.",
        "de break-even ROAS",
    ),
    Output(
        "poas",
        "POAS (brutowinst per advertentie-euro)",
        Kind.RATIO,
        "Brutowinst per euro advertentiebudget; boven 1:1 leveren de advertenties winst op.",
        formula=lambda revenue, gross_margin, ad_spend: revenue * gross_margin / 100 / ad_spend,
        noun="de POAS",
    ),
    Output(
        "profit_after_ads",
        "Brutowinst na advertentiekosten",
        Kind.MONEY,
        "Wat er van de brutowinst overblijft na aftrek van het advertentiebudget.",
        formula=lambda revenue, gross_margin, ad_spend: revenue * gross_margin / 100 - ad_spend,
        noun="de brutowinst na advertentiekosten",
        tone=lambda profit_after_ads: loss_is_bad(profit_after_ads, "na advertentiekosten"),
    ),
)

PRESETS = (
    Preset(
        "webshop",
        "Webshop",
        {"ad_spend": "2.500", "revenue": "10.000", "gross_margin": "40"},
    ),
    Preset(
        "lage_marge",
        "Webshop met lage marge (elektronica)",
        {"ad_spend": "5.000", "revenue": "30.000", "gross_margin": "15"},
    ),
    Preset(
        "b2b",
        "B2B-dienstverlening",
        {"ad_spend": "3.000", "revenue": "18.000", "gross_margin": "60"},
    ),
)


def chart(result: Result) -> str:
    """Revenue against ad spend, with the revenue needed to break even."""
    return charts.revenue_against_spend(
        result, "roas", ("revenue", "Omzet"), ("ad_spend", "Advertentiebudget"), "break_even_roas"
    )


CALCULATOR = Calculator(
    id="roas",
    title="ROAS berekenen",
    purpose="Bereken hoeveel omzet en brutowinst elke euro advertentiebudget oplevert.",
    fields=FIELDS,
    outputs=OUTPUTS,
    presets=PRESETS,
    chart=chart,
    goal=Goal("roas", "revenue"),
)
