"""Total cost of an influencer campaign and what it bought (SPEC 5.2 `influencer`)."""

from decimal import Decimal

from . import charts
from .fields import HOURS_CAP, count, money, number, percent
from .kinds import Kind
from .model import (
    Calculator,
    Formula,
    Goal,
    NotApplicable,
    Output,
    Preset,
    Result,
    loss_is_bad,
    per,
)

COSTS = "Kosten"
RESULTS = "Resultaten"
_ZERO = Decimal(0)

FIELDS = (
    money(
        "fee_per_post",
        "Fee per post",
        "de fee per post",
        "Wat de influencer per post, video of story rekent.",
        example="800",
        default=_ZERO,
        group=COSTS,
    ),
    count(
        "posts",
        "Aantal posts",
        "het aantal posts",
        "Hoeveel posts, video's of stories er in de campagne zitten.",
        example="4",
        default=_ZERO,
        group=COSTS,
    ),
    money(
        "product_cost",
        "Productkosten per stuk",
        "de kostprijs per product",
        "De kostprijs (niet de verkoopprijs) van een product dat je weggeeft.",
        example="25",
        default=_ZERO,
        group=COSTS,
    ),
    count(
        "units",
        "Aantal producten",
        "het aantal producten",
        "Hoeveel producten je naar influencers stuurt.",
        example="40",
        default=_ZERO,
        group=COSTS,
    ),
    money(
        "shipping_per_unit",
        "Verzendkosten per stuk",
        "het verzendbedrag per stuk",
        "Wat het verzenden van een product kost, inclusief verpakking.",
        example="6",
        default=_ZERO,
        group=COSTS,
    ),
    money(
        "production_costs",
        "Productiekosten (foto/video)",
        "het bedrag aan productiekosten",
        "Kosten voor fotografie, video en montage die je zelf betaalt.",
        example="1500",
        default=_ZERO,
        group=COSTS,
    ),
    number(
        "team_hours",
        "Uren eigen team",
        "het aantal uren",
        "De uren die je eigen team aan selectie, briefing en begeleiding besteedt.",
        example="24",
        maximum=HOURS_CAP,
        default=_ZERO,
        group=COSTS,
    ),
    money(
        "hourly_rate",
        "Uurtarief",
        "het uurtarief",
        "Wat een uur van je eigen team kost.",
        example="65",
        default=_ZERO,
        group=COSTS,
    ),
    money(
        "other_costs",
        "Overige kosten",
        "het bedrag aan overige kosten",
        "Bureau, platform en gebruiksrechten; leeg laten telt als €\u00a00.",
        example="500",
        default=_ZERO,
        group=COSTS,
    ),
    count(
        "reach",
        "Bereik",
        "het bereik",
        "Het aantal unieke mensen dat de posts heeft gezien.",
        example="160000",
        group=RESULTS,
    ),
    count(
        "engagements",
        "Interacties",
        "het aantal interacties",
        "Likes, reacties, shares en saves bij elkaar opgeteld.",
        example="6400",
        group=RESULTS,
    ),
    count(
        "clicks",
        "Klikken",
        "het aantal klikken",
        "Klikken op de link of swipe-ups naar je website.",
        example="2000",
        group=RESULTS,
    ),
    count(
        "conversions",
        "Conversies",
        "het aantal conversies",
        "Aankopen, aanmeldingen of andere doelen die de campagne opleverde.",
        example="100",
        group=RESULTS,
    ),
    money(
        "revenue",
        "Omzet",
        "de omzet",
        "De omzet die je aan de campagne toeschrijft, zonder btw.",
        example="20000",
        group=RESULTS,
    ),
    percent(
        "gross_margin",
        "Brutomarge",
        "de brutomarge",
        "Het deel van de omzet dat overblijft na inkoopkosten; nodig voor de ROI.",
        example="60",
        group=RESULTS,
    ),
)


_NO_COSTS = NotApplicable("Niet te berekenen: er zijn geen kosten.")
_NO_REACH = NotApplicable("Niet te berekenen: het bereik is 0.")


def _total(
    fees: Decimal,
    product_costs: Decimal,
    shipping_costs: Decimal,
    production_costs: Decimal,
    team_costs: Decimal,
    other_costs: Decimal,
) -> Decimal:
    return fees + product_costs + shipping_costs + production_costs + team_costs + other_costs


def _money(name: str, label: str, explanation: str, formula: Formula, noun: str) -> Output:
    return Output(name, label, Kind.MONEY, explanation, formula=formula, noun=noun)


OUTPUTS = (
    _money(
        "fees",
        "Fees influencers",
        "Fee per post maal het aantal posts.",
        lambda fee_per_post, posts: fee_per_post * posts,
        "de fees",
    ),
    _money(
        "product_costs",
        "Productkosten",
        "Kostprijs per product maal het aantal producten.",
        lambda product_cost, units: product_cost * units,
        "de productkosten",
    ),
    _money(
        "shipping_costs",
        "Verzendkosten",
        "Verzendkosten per stuk maal het aantal producten.",
        lambda shipping_per_unit, units: shipping_per_unit * units,
        "de verzendkosten",
    ),
    _money(
        "production_costs",
        "Productiekosten",
        "De kosten voor foto- en videoproductie.",
        lambda production_costs: production_costs,
        "de productiekosten",
    ),
    _money(
        "team_costs",
        "Kosten eigen team",
        "Uren van je eigen team maal het uurtarief.",
        lambda team_hours, hourly_rate: team_hours * hourly_rate,
        "de kosten van je eigen team",
    ),
    _money(
        "other_costs",
        "Overige kosten",
        "Bureau, platform en gebruiksrechten.",
        lambda other_costs: other_costs,
        "de overige kosten",
    ),
    Output(
        "total_cost",
        "Totale campagnekosten",
        Kind.MONEY,
        "Alle kosten van de campagne bij elkaar: wat de campagne je echt kost.",
        formula=_total,
        noun="de totale campagnekosten",
        primary=True,
    ),
    Output(
        "fee_share",
        "Aandeel fees",
        Kind.PERCENT,
        "Welk deel van de totale kosten naar de influencers zelf gaat.",
        formula=lambda fees, total_cost: per(fees, total_cost, _NO_COSTS, 100),
        noun="het aandeel fees",
    ),
    _money(
        "cpm",
        "Kosten per 1.000 bereik (CPM)",
        "Wat het kost om 1.000 mensen te bereiken.",
        lambda total_cost, reach: per(total_cost, reach, _NO_REACH, 1000),
        "de CPM",
    ),
    Output(
        "engagement_rate",
        "Engagementratio",
        Kind.PERCENT,
        "Interacties als percentage van het bereik.",
        formula=lambda reach, engagements: per(engagements, reach, _NO_REACH, 100),
        noun="de engagementratio",
    ),
    _money(
        "cost_per_engagement",
        "Kosten per interactie",
        "Wat een like, reactie of share kost.",
        lambda total_cost, engagements: per(
            total_cost, engagements, NotApplicable("Niet te berekenen: er zijn geen interacties.")
        ),
        "de kosten per interactie",
    ),
    _money(
        "cpc",
        "Kosten per klik (CPC)",
        "Wat een bezoeker op je website kost.",
        lambda total_cost, clicks: per(
            total_cost, clicks, NotApplicable("Niet te berekenen: er zijn geen klikken.")
        ),
        "de CPC",
    ),
    _money(
        "cost_per_conversion",
        "Kosten per conversie",
        "Wat een aankoop of aanmelding kost.",
        lambda total_cost, conversions: per(
            total_cost, conversions, NotApplicable("Niet te berekenen: er zijn geen conversies.")
        ),
        "de kosten per conversie",
    ),
    Output(
        "roas",
        "ROAS",
        Kind.RATIO,
        "Omzet per euro campagnekosten: 2,5:1 betekent €\u00a02,50 omzet voor elke €\u00a01.",
        formula=lambda revenue, total_cost: per(revenue, total_cost, _NO_COSTS),
        noun="de ROAS",
    ),
    Output(
        "roi",
        "ROI",
        Kind.PERCENT,
        "Brutowinst min kosten, als percentage van de kosten; negatief betekent verlies.",
        formula=lambda revenue, gross_margin, total_cost: per(
            revenue * gross_margin / 100 - total_cost, total_cost, _NO_COSTS, 100
        ),
        noun="de ROI",
        tone=lambda roi: loss_is_bad(roi, "op de campagne"),
    ),
)

PRESETS = (
    Preset(
        "webshop",
        "Webshop met micro-influencers",
        {
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
        },
    ),
    Preset(
        "cadeaus",
        "Alleen producten cadeau (gifting)",
        {
            "product_cost": "18",
            "units": "60",
            "shipping_per_unit": "7,50",
            "team_hours": "16",
            "hourly_rate": "55",
            "reach": "45.000",
            "engagements": "2.700",
            "clicks": "600",
            "conversions": "24",
            "revenue": "1.450",
            "gross_margin": "55",
        },
    ),
    Preset(
        "merk",
        "Merkcampagne met één grote creator",
        {
            "fee_per_post": "6.000",
            "posts": "3",
            "production_costs": "4.000",
            "team_hours": "40",
            "hourly_rate": "75",
            "other_costs": "3.500",
            "reach": "850.000",
            "engagements": "25.500",
            "clicks": "5.100",
        },
    ),
)

_PARTS = (
    ("fees", "Fees"),
    ("product_costs", "Producten"),
    ("shipping_costs", "Verzending"),
    ("production_costs", "Productie"),
    ("team_costs", "Eigen team"),
    ("other_costs", "Overig"),
)


def chart(result: Result) -> str:
    """The cost breakdown: every cost part above 0 on one scale."""
    reason = charts.missing(result, "total_cost")
    if reason is not None:
        return charts.not_yet(reason)
    parts = [
        (label, value, result.display[name])
        for name, label in _PARTS
        if isinstance(value := result.values[name], Decimal) and value > 0
    ]
    if not parts:
        return charts.not_yet("vul de kosten van de campagne in.")
    figures = ", ".join(f"{label.lower()} {shown}" for label, _, shown in parts)
    label = f"Kostenverdeling van {result.display['total_cost']}: {figures}."
    return charts.bars(label, [charts.Bar(*part) for part in parts])


CALCULATOR = Calculator(
    id="influencer",
    title="Kosten influencercampagne berekenen",
    purpose="Tel alle kosten van een influencercampagne op en zie wat elk resultaat kost.",
    fields=FIELDS,
    outputs=OUTPUTS,
    presets=PRESETS,
    chart=chart,
    goal=Goal("cost_per_conversion", "conversions"),
)
