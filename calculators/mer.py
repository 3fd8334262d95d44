"""Marketing Efficiency Ratio: all revenue against all marketing spend (SPEC 5.10 `mer`)."""

from decimal import Decimal

from . import charts
from .dutch_numbers import format_value
from .fields import money, percent
from .kinds import Kind
from .model import (
    BAD,
    GOOD,
    Calculator,
    Goal,
    NotApplicable,
    Output,
    Preset,
    Result,
    Rule,
    Toned,
    break_even_ratio,
    loss_is_bad,
)

FIELDS = (
    money(
        "total_revenue",
        "Totale omzet",
        "de totale omzet",
        "Al je omzet in de periode, uit alle kanalen en van alle klanten, zonder btw.",
        example="250000",
        required=True,
    ),
    money(
        "marketing_spend",
        "Totale marketingkosten",
        "het bedrag aan marketingkosten",
        "Alle marketingkosten van dezelfde periode: media, bureaus, tools, content, team.",
        example="50000",
        required=True,
        positive=True,
    ),
    money(
        "new_customer_revenue",
        "Omzet van nieuwe klanten",
        "de omzet van nieuwe klanten",
        "Het deel van de totale omzet dat van klanten komt die voor het eerst kochten.",
        example="100000",
    ),
    percent(
        "gross_margin",
        "Brutomarge",
        "de brutomarge",
        "Het deel van de omzet dat overblijft na inkoop- of productiekosten.",
        example="40",
    ),
)

RULES = (
    Rule(
        "new_customer_revenue",
        lambda new_customer_revenue, total_revenue: new_customer_revenue <= total_revenue,
        "De omzet van nieuwe klanten kan niet hoger zijn dan de totale omzet",
    ),
)


def _marketing_share(marketing_spend: Decimal, total_revenue: Decimal) -> Decimal | NotApplicable:
    if total_revenue == 0:
        return NotApplicable("Niet te berekenen: er is geen omzet.")
    return marketing_spend / total_revenue * 100


def _mer_tone(
    mer: Decimal,
    total_revenue: Decimal,
    gross_margin: Decimal,
    marketing_spend: Decimal,
    break_even_mer: Decimal,
) -> Toned:
    """Below break_even_mer is bad, at or above good. Compared without dividing, so the
    tone of mer always agrees with that of contribution (no rounding in between)."""
    shown = format_value(break_even_mer, Kind.RATIO)
    if total_revenue * gross_margin < marketing_spend * 100:
        return Toned(BAD, f"onder je break-even van {shown}")
    return Toned(GOOD, f"op of boven je break-even van {shown}")


OUTPUTS = (
    Output(
        "mer",
        "MER (Marketing Efficiency Ratio)",
        Kind.RATIO,
        "Omzet per euro marketing, uit alle kanalen samen: 5:1 is € 5 omzet voor elke € 1.",
        # marketing_spend > 0 by validation
        formula=lambda total_revenue, marketing_spend: total_revenue / marketing_spend,
        noun="de MER",
        primary=True,
        tone=_mer_tone,
    ),
    Output(
        "amer",
        "aMER (omzet van nieuwe klanten per marketing-euro)",
        Kind.RATIO,
        "Omzet van nieuwe klanten per euro marketing: laat zien of je marketing nieuwe "
        "klanten wint.",
        formula=lambda new_customer_revenue, marketing_spend: (
            new_customer_revenue / marketing_spend
        ),
        noun="de aMER",
    ),
    Output(
        "marketing_share",
        "Aandeel marketing in de omzet",
        Kind.PERCENT,
        "Welk deel van je omzet naar marketing gaat.",
        formula=_marketing_share,
        noun="het aandeel marketing in de omzet",
    ),
    break_even_ratio(
        "break_even_mer",
        "Break-even-MER",
        "De MER waarbij je brutowinst precies je marketingkosten dekt; daarboven houd je over.",
        "de break-even-MER",
    ),
    Output(
        "contribution",
        "Bijdrage na marketing",
        Kind.MONEY,
        "Brutowinst op de totale omzet min de marketingkosten; negatief is verlies.",
        formula=lambda total_revenue, gross_margin, marketing_spend: (
            total_revenue * gross_margin / 100 - marketing_spend
        ),
        noun="de bijdrage na marketing",
        tone=lambda contribution: loss_is_bad(contribution, "na marketing"),
    ),
)

PRESETS = (
    Preset(
        "webshop",
        "Webshop (kwartaal)",
        {
            "total_revenue": "250.000",
            "marketing_spend": "50.000",
            "new_customer_revenue": "100.000",
            "gross_margin": "40",
        },
    ),
    Preset(
        "saas",
        "SaaS met vaste klantenbasis (maand)",
        {
            "total_revenue": "120.000",
            "marketing_spend": "30.000",
            "new_customer_revenue": "15.000",
            "gross_margin": "80",
        },
    ),
    Preset(
        "groothandel",
        "Groothandel met lage marge (kwartaal)",
        {
            "total_revenue": "400.000",
            "marketing_spend": "45.000",
            "new_customer_revenue": "60.000",
            "gross_margin": "10",
        },
    ),
)


def chart(result: Result) -> str:
    """Revenue, and the part from new customers, against marketing spend, with the
    revenue needed to break even."""
    return charts.revenue_against_spend(
        result,
        "mer",
        ("total_revenue", "Totale omzet"),
        ("marketing_spend", "Marketingkosten"),
        "break_even_mer",
        part=("new_customer_revenue", "Omzet van nieuwe klanten", "van nieuwe klanten"),
    )


CALCULATOR = Calculator(
    id="mer",
    title="Marketing Efficiency Ratio (MER) berekenen",
    purpose="Zet al je omzet af tegen al je marketingkosten en zie of je marketing winst oplevert.",
    fields=FIELDS,
    outputs=OUTPUTS,
    rules=RULES,
    presets=PRESETS,
    chart=chart,
    goal=Goal("mer", "marketing_spend"),
)
