"""Total cost of an influencer campaign and what it bought (SPEC 5.2 `influencer`)."""

from decimal import Decimal

from .fields import HOURS_CAP, count, money, number, percent
from .kinds import Kind
from .model import Calculator, FormulaResult, Inputs, NotApplicable, Output

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
        "Bureau, platform en gebruiksrechten; leeg laten telt als € 0.",
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


def _money(name: str, label: str, explanation: str, *, primary: bool = False) -> Output:
    return Output(name, label, Kind.MONEY, explanation, primary=primary)


OUTPUTS = (
    _money("fees", "Fees influencers", "Fee per post maal het aantal posts."),
    _money("product_costs", "Productkosten", "Kostprijs per product maal het aantal producten."),
    _money("shipping_costs", "Verzendkosten", "Verzendkosten per stuk maal het aantal producten."),
    _money("production_costs", "Productiekosten", "De kosten voor foto- en videoproductie."),
    _money("team_costs", "Kosten eigen team", "Uren van je eigen team maal het uurtarief."),
    _money("other_costs", "Overige kosten", "Bureau, platform en gebruiksrechten."),
    _money(
        "total_cost",
        "Totale campagnekosten",
        "Alle kosten van de campagne bij elkaar: wat de campagne je echt kost.",
        primary=True,
    ),
    Output(
        "fee_share",
        "Aandeel fees",
        Kind.PERCENT,
        "Welk deel van de totale kosten naar de influencers zelf gaat.",
    ),
    _money("cpm", "Kosten per 1.000 bereik (CPM)", "Wat het kost om 1.000 mensen te bereiken."),
    Output(
        "engagement_rate",
        "Engagementratio",
        Kind.PERCENT,
        "Interacties als percentage van het bereik.",
    ),
    _money("cost_per_engagement", "Kosten per interactie", "Wat een like, reactie of share kost."),
    _money("cpc", "Kosten per klik (CPC)", "Wat een bezoeker op je website kost."),
    _money("cost_per_conversion", "Kosten per conversie", "Wat een aankoop of aanmelding kost."),
    Output(
        "roas",
        "ROAS",
        Kind.RATIO,
        "Omzet per euro campagnekosten: 2,5:1 betekent € 2,50 omzet voor elke € 1.",
    ),
    Output(
        "roi",
        "ROI",
        Kind.PERCENT,
        "Brutowinst min kosten, als percentage van de kosten; negatief betekent verlies.",
    ),
)

_NO_COSTS = "Niet te berekenen: er zijn geen kosten."
_NO_REACH = "Niet te berekenen: het bereik is 0."


def _missing(output: str, *inputs: tuple[str, Decimal | None]) -> NotApplicable:
    """Why `output` is not applicable: it names every input that is not given."""
    names = " en ".join(what for what, value in inputs if value is None)
    return NotApplicable(f"Vul {names} in om de {output} te berekenen.")


def _per(
    amount: Decimal, base: Decimal | None, what: str, output: str, zero_reason: str
) -> Decimal | NotApplicable:
    """`amount` per unit of `base`, when the base is given and above 0."""
    if base is None:
        return NotApplicable(f"Vul {what} in om de {output} te berekenen.")
    if base == 0:
        return NotApplicable(zero_reason)
    return amount / base


def formula(inputs: Inputs) -> FormulaResult:
    units = inputs.required("units")
    parts = {
        "fees": inputs.required("fee_per_post") * inputs.required("posts"),
        "product_costs": inputs.required("product_cost") * units,
        "shipping_costs": inputs.required("shipping_per_unit") * units,
        "production_costs": inputs.required("production_costs"),
        "team_costs": inputs.required("team_hours") * inputs.required("hourly_rate"),
        "other_costs": inputs.required("other_costs"),
    }
    total_cost = sum(parts.values(), _ZERO)
    reach = inputs.optional("reach")
    engagements = inputs.optional("engagements")
    revenue = inputs.optional("revenue")
    gross_margin = inputs.optional("gross_margin")

    result: dict[str, Decimal | NotApplicable] = {**parts, "total_cost": total_cost}
    result["fee_share"] = (
        parts["fees"] / total_cost * 100 if total_cost > 0 else NotApplicable(_NO_COSTS)
    )

    cpm = _per(total_cost, reach, "het bereik", "CPM", _NO_REACH)
    result["cpm"] = cpm * 1000 if isinstance(cpm, Decimal) else cpm
    if reach is None or engagements is None:
        result["engagement_rate"] = _missing(
            "engagementratio", ("het bereik", reach), ("de interacties", engagements)
        )
    else:
        result["engagement_rate"] = (
            engagements / reach * 100 if reach > 0 else NotApplicable(_NO_REACH)
        )
    result["cost_per_engagement"] = _per(
        total_cost,
        engagements,
        "de interacties",
        "kosten per interactie",
        "Niet te berekenen: er zijn geen interacties.",
    )
    result["cpc"] = _per(
        total_cost,
        inputs.optional("clicks"),
        "de klikken",
        "CPC",
        "Niet te berekenen: er zijn geen klikken.",
    )
    result["cost_per_conversion"] = _per(
        total_cost,
        inputs.optional("conversions"),
        "de conversies",
        "kosten per conversie",
        "Niet te berekenen: er zijn geen conversies.",
    )

    if total_cost == 0:  # nothing to earn back: ROAS and ROI have no meaning
        result["roas"] = result["roi"] = NotApplicable(_NO_COSTS)
        return result
    if revenue is None:
        result["roas"] = _missing("ROAS", ("de omzet", revenue))
    else:
        result["roas"] = revenue / total_cost
    if revenue is None or gross_margin is None:
        result["roi"] = _missing("ROI", ("de omzet", revenue), ("de brutomarge", gross_margin))
    else:
        gross_profit = revenue * gross_margin / 100
        result["roi"] = (gross_profit - total_cost) / total_cost * 100
    return result


CALCULATOR = Calculator(
    id="influencer",
    title="Totale kosten influencercampagne",
    purpose="Tel alle kosten van een influencercampagne op en zie wat elk resultaat kost.",
    fields=FIELDS,
    outputs=OUTPUTS,
    formula=formula,
)
