"""Kosten per lead: what a lead, and a customer, costs (SPEC 5.2 `cpl`)."""

from decimal import Decimal

from . import charts
from .dutch_numbers import format_value
from .fields import count, money, percent
from .kinds import Kind
from .model import Calculator, Goal, Output, Preset, Result, loss_is_bad

FIELDS = (
    money(
        "media_spend",
        "Mediabudget",
        "het mediabudget",
        "Wat je in de periode aan advertenties uitgaf, bijvoorbeeld in Google Ads en Meta.",
        example="4000",
        required=True,
    ),
    money(
        "other_costs",
        "Overige kosten",
        "het bedrag aan overige kosten",
        "Productie, tools en bureau voor dezelfde campagne; leeg laten telt als €\u00a00.",
        example="1000",
        default=Decimal(0),
    ),
    count(
        "leads",
        "Aantal leads",
        "het aantal leads",
        "Aanvragen, inschrijvingen of offerteverzoeken die de campagne in die periode opleverde.",
        example="125",
        required=True,
        positive=True,
    ),
    percent(
        "close_rate",
        "Sluitingsratio",
        "de sluitingsratio",
        "Het percentage leads dat klant wordt; nodig voor de kosten per klant.",
        example="20",
    ),
    money(
        "customer_value",
        "Klantwaarde (brutowinst)",
        "de klantwaarde",
        "De brutowinst die een nieuwe klant gemiddeld oplevert; nodig voor de maximale CPL.",
        example="600",
    ),
)

OUTPUTS = (
    Output(
        "total_cost",
        "Totale kosten",
        Kind.MONEY,
        "Mediabudget plus overige kosten: alles wat de leads hebben gekost.",
        formula=lambda media_spend, other_costs: media_spend + other_costs,
        noun="de totale kosten",
    ),
    Output(
        "cpl",
        "Kosten per lead (CPL)",
        Kind.MONEY,
        "Wat een lead je gemiddeld kost, inclusief de overige kosten.",
        formula=lambda total_cost, leads: total_cost / leads,  # leads > 0 by validation
        noun="de CPL",
        primary=True,
    ),
    Output(
        "media_cpl",
        "Media-CPL",
        Kind.MONEY,
        "Wat een lead alleen aan mediabudget kost; handig om kanalen te vergelijken.",
        formula=lambda media_spend, leads: media_spend / leads,
        noun="de media-CPL",
    ),
    Output(
        "cpa",
        "Kosten per klant (CPA)",
        Kind.MONEY,
        "Wat een nieuwe klant kost: de CPL gedeeld door de sluitingsratio.",
        formula=lambda cpl, close_rate: cpl / (close_rate / 100),  # close_rate > 0
        noun="de CPA",
    ),
    Output(
        "max_cpl",
        "Maximale CPL (break-even)",
        Kind.MONEY,
        "Het hoogste bedrag per lead waarbij je quitte speelt op de brutowinst.",
        formula=lambda customer_value, close_rate: customer_value * close_rate / 100,
        noun="de maximale CPL",
    ),
    Output(
        "profit_per_lead",
        "Winst per lead",
        Kind.MONEY,
        "Maximale CPL min de werkelijke CPL; een negatief bedrag is verlies op elke lead.",
        formula=lambda max_cpl, cpl: max_cpl - cpl,
        noun="de winst per lead",
        tone=lambda profit_per_lead: loss_is_bad(profit_per_lead, "op elke lead"),
    ),
)

PRESETS = (
    Preset(
        "b2b",
        "B2B-dienstverlening",
        {
            "media_spend": "4.000",
            "other_costs": "1.000",
            "leads": "125",
            "close_rate": "20",
            "customer_value": "600",
        },
    ),
    Preset(
        "installateur",
        "Installateur (offerteaanvragen)",
        {
            "media_spend": "2.500",
            "other_costs": "500",
            "leads": "60",
            "close_rate": "25",
            "customer_value": "1.100",
        },
    ),
    Preset(
        "saas",
        "SaaS (proefaccounts)",
        {
            "media_spend": "6.000",
            "other_costs": "1.500",
            "leads": "400",
            "close_rate": "12",
            "customer_value": "900",
        },
    ),
)


def chart(result: Result) -> str:
    """The funnel: what was spent, the leads it bought, the customers they became."""
    reason = charts.missing(result, "total_cost", "cpl")
    if reason is not None:
        return charts.not_yet(reason)
    spend, cpl = result.display["total_cost"], result.display["cpl"]
    leads = format_value(result.inputs["leads"], Kind.COUNT)
    steps = [("Totale kosten", spend), ("Leads", f"{leads} × {cpl}")]
    label = f"Trechter: {spend} aan kosten leverde {leads} leads op van {cpl} per lead"
    rate, cpa = result.inputs["close_rate"], result.values["cpa"]
    if rate is not None and isinstance(cpa, Decimal):
        customers = format_value(result.inputs["leads"] * rate / 100, Kind.NUMBER)
        steps.append(("Klanten", f"{customers} × {result.display['cpa']}"))
        label += f", en {customers} klanten van {result.display['cpa']} per klant"
    return charts.funnel(label + ".", steps)


CALCULATOR = Calculator(
    id="cpl",
    title="Kosten per lead berekenen",
    purpose="Bereken wat een lead en een nieuwe klant je kosten, en hoeveel een lead mag kosten.",
    fields=FIELDS,
    outputs=OUTPUTS,
    presets=PRESETS,
    chart=chart,
    goal=Goal("cpl", "leads"),
)
