"""Kosten per lead: what a lead, and a customer, costs (SPEC 5.2 `cpl`)."""

from decimal import Decimal

from .fields import count, money, percent
from .kinds import Kind
from .model import Calculator, FormulaResult, Inputs, NotApplicable, Output

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
        "Productie, tools en bureau voor dezelfde campagne; leeg laten telt als € 0.",
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
    ),
    Output(
        "cpl",
        "Kosten per lead (CPL)",
        Kind.MONEY,
        "Wat een lead je gemiddeld kost, inclusief de overige kosten.",
        primary=True,
    ),
    Output(
        "media_cpl",
        "Media-CPL",
        Kind.MONEY,
        "Wat een lead alleen aan mediabudget kost; handig om kanalen te vergelijken.",
    ),
    Output(
        "cpa",
        "Kosten per klant (CPA)",
        Kind.MONEY,
        "Wat een nieuwe klant kost: de CPL gedeeld door de sluitingsratio.",
    ),
    Output(
        "max_cpl",
        "Maximale CPL (break-even)",
        Kind.MONEY,
        "Het hoogste bedrag per lead waarbij je quitte speelt op de brutowinst.",
    ),
    Output(
        "profit_per_lead",
        "Winst per lead",
        Kind.MONEY,
        "Maximale CPL min de werkelijke CPL; een negatief bedrag is verlies op elke lead.",
    ),
)


def _missing(what: str, output: str) -> NotApplicable:
    return NotApplicable(f"Vul {what} in om de {output} te berekenen.")


def formula(inputs: Inputs) -> FormulaResult:
    media_spend = inputs.required("media_spend")
    leads = inputs.required("leads")  # > 0 by validation
    close_rate = inputs.optional("close_rate")
    customer_value = inputs.optional("customer_value")

    total_cost = media_spend + inputs.required("other_costs")
    cpl = total_cost / leads
    result: dict[str, Decimal | NotApplicable] = {
        "total_cost": total_cost,
        "cpl": cpl,
        "media_cpl": media_spend / leads,
    }
    if close_rate is not None:  # > 0 by validation
        result["cpa"] = cpl / (close_rate / 100)
    else:
        result["cpa"] = _missing("de sluitingsratio", "CPA")

    if close_rate is not None and customer_value is not None:
        max_cpl = customer_value * close_rate / 100
        result["max_cpl"] = max_cpl
        result["profit_per_lead"] = max_cpl - cpl
    else:
        if close_rate is None and customer_value is None:
            what = "de klantwaarde en de sluitingsratio"
        elif close_rate is None:
            what = "de sluitingsratio"
        else:
            what = "de klantwaarde"
        result["max_cpl"] = _missing(what, "maximale CPL")
        result["profit_per_lead"] = _missing(what, "winst per lead")
    return result


CALCULATOR = Calculator(
    id="cpl",
    title="Kosten per lead",
    purpose="Bereken wat een lead en een nieuwe klant je kosten, en hoeveel een lead mag kosten.",
    fields=FIELDS,
    outputs=OUTPUTS,
    formula=formula,
)
