"""A video campaign from spend to sale: CPM, view and completion rate, CPV, CTR, CPA, ROAS
(SPEC 5.10 `video`)."""

from decimal import Decimal

from . import charts
from .dutch_numbers import format_value
from .fields import count, money
from .kinds import Kind
from .model import (
    BAD,
    Calculator,
    Goal,
    NotApplicable,
    Output,
    Preset,
    Result,
    Toned,
    at_most,
    per,
)

NO_VIEWS = NotApplicable("Niet te berekenen: er zijn geen views.")
NO_CONVERSIONS = NotApplicable("Niet te berekenen: er zijn geen conversies.")

COSTS = "Kosten"
VIEWING = "Bereik en kijkgedrag"
RESULTS = "Resultaten"

FIELDS = (
    money(
        "media_spend",
        "Mediabudget",
        "het mediabudget",
        "Wat je aan advertentieruimte voor de video hebt betaald, zonder btw.",
        example="5000",
        required=True,
        positive=True,
        group=COSTS,
    ),
    money(
        "production_cost",
        "Productiekosten",
        "het bedrag aan productiekosten",
        "Wat het maken van de video kostte: opnames, montage, bureau. Leeg telt als 0.",
        example="2500",
        default=Decimal(0),
        group=COSTS,
    ),
    count(
        "impressions",
        "Impressies",
        "het aantal impressies",
        "Hoe vaak de video in beeld kwam, bekeken of niet.",
        example="400000",
        required=True,
        positive=True,
        group=VIEWING,
    ),
    count(
        "views",
        "Views",
        "het aantal views",
        "Hoe vaak de video als bekeken telt, volgens de regels van het platform.",
        example="100000",
        required=True,
        group=VIEWING,
    ),
    count(
        "completed_views",
        "Volledig bekeken views",
        "het aantal volledig bekeken views",
        "Hoe vaak de video tot het eind is bekeken.",
        example="30000",
        group=VIEWING,
    ),
    count(
        "clicks",
        "Klikken",
        "het aantal klikken",
        "Klikken van de video naar je site of landingspagina.",
        example="2000",
        group=RESULTS,
    ),
    count(
        "conversions",
        "Conversies",
        "het aantal conversies",
        "Aankopen, aanvragen of inschrijvingen die uit de campagne voortkwamen.",
        example="80",
        group=RESULTS,
    ),
    money(
        "revenue",
        "Omzet",
        "de omzet",
        "De omzet die je aan de campagne toeschrijft, zonder btw.",
        example="12000",
        group=RESULTS,
    ),
)

RULES = (
    at_most(
        "views", "impressions", "Het aantal views kan niet hoger zijn dan het aantal impressies"
    ),
    at_most(
        "completed_views",
        "views",
        "Het aantal volledig bekeken views kan niet hoger zijn dan het aantal views",
    ),
)


def _roas_tone(roas: Decimal) -> Toned | None:
    # Without a margin there is no break-even point, but below 1:1 the revenue
    # does not even cover the costs: that is a loss whatever the margin.
    return Toned(BAD, "onder 1:1: de omzet dekt de kosten niet") if roas < 1 else None


OUTPUTS = (
    Output(
        "total_cost",
        "Totale kosten",
        Kind.MONEY,
        "Mediabudget plus productiekosten: alles wat de campagne kostte.",
        formula=lambda media_spend, production_cost: media_spend + production_cost,
        noun="de totale kosten",
    ),
    Output(
        "cpm",
        "CPM (kosten per 1.000 impressies)",
        Kind.MONEY,
        "Wat duizend keer in beeld komen aan mediabudget kostte.",
        # impressions > 0 by validation
        formula=lambda media_spend, impressions: media_spend / impressions * 1000,
        noun="de CPM",
    ),
    Output(
        "view_rate",
        "View rate",
        Kind.PERCENT,
        "Het deel van de impressies dat een view werd; laag betekent dat de eerste seconden "
        "niet pakken.",
        formula=lambda views, impressions: views / impressions * 100,
        noun="de view rate",
    ),
    Output(
        "cpv",
        "Kosten per view (CPV)",
        Kind.MONEY,
        "Wat een view aan mediabudget kostte.",
        formula=lambda media_spend, views: per(media_spend, views, NO_VIEWS),
        noun="de kosten per view",
    ),
    Output(
        "completion_rate",
        "Completion rate",
        Kind.PERCENT,
        "Het deel van de views dat tot het eind keek; laag betekent dat de video onderweg "
        "kijkers verliest.",
        formula=lambda completed_views, views: per(completed_views, views, NO_VIEWS, 100),
        noun="de completion rate",
    ),
    Output(
        "ctr",
        "CTR (klikratio)",
        Kind.PERCENT,
        "Het deel van de impressies dat tot een klik leidde; laag betekent dat de video niet "
        "tot actie aanzet.",
        formula=lambda clicks, impressions: clicks / impressions * 100,
        noun="de CTR",
    ),
    Output(
        "cpa",
        "Kosten per conversie (CPA)",
        Kind.MONEY,
        "Wat een conversie kostte, productie inbegrepen: de maat die telt.",
        formula=lambda total_cost, conversions: per(total_cost, conversions, NO_CONVERSIONS),
        noun="de kosten per conversie",
        primary=True,
    ),
    Output(
        "roas",
        "ROAS",
        Kind.RATIO,
        "Omzet per euro totale kosten; onder 1:1 dekt de omzet de kosten niet.",
        # total_cost >= media_spend > 0
        formula=lambda revenue, total_cost: revenue / total_cost,
        noun="de ROAS",
        primary=True,
        tone=_roas_tone,
    ),
)

PRESETS = (
    Preset(
        "webshop",
        "Webshop: pre-rollvideo",
        {
            "media_spend": "5.000",
            "production_cost": "2.500",
            "impressions": "400.000",
            "views": "100.000",
            "completed_views": "30.000",
            "clicks": "2.000",
            "conversions": "80",
            "revenue": "12.000",
        },
    ),
    Preset(
        "b2b",
        "B2B: LinkedIn-video voor leads",
        {
            "media_spend": "3.000",
            "production_cost": "4.000",
            "impressions": "60.000",
            "views": "18.000",
            "completed_views": "4.500",
            "clicks": "300",
            "conversions": "12",
            "revenue": "",
        },
    ),
    Preset(
        "merk",
        "Merkcampagne: bereik zonder verkoopdoel",
        {
            "media_spend": "10.000",
            "production_cost": "0",
            "impressions": "2.000.000",
            "views": "600.000",
            "completed_views": "90.000",
            "clicks": "4.000",
            "conversions": "",
            "revenue": "",
        },
    ),
)


def _count(value: Decimal | None) -> str:
    return format_value(value, Kind.COUNT)


def chart(result: Result) -> str:
    """The funnel from impressions to views, completed views, clicks and conversions."""
    reason = charts.missing(result, "view_rate")
    if reason is not None:
        return charts.not_yet(reason)
    inputs = result.inputs
    steps = [
        ("Impressies", _count(inputs["impressions"])),
        ("Views", f"{_count(inputs['views'])} ({result.display['view_rate']})"),
    ]
    words = [f"{_count(inputs['impressions'])} impressies", f"{_count(inputs['views'])} views"]
    if result.values["completion_rate"] is not None:
        steps.append(
            (
                "Volledig bekeken",
                f"{_count(inputs['completed_views'])} ({result.display['completion_rate']})",
            )
        )
        words.append(f"{_count(inputs['completed_views'])} volledig bekeken")
    if result.values["ctr"] is not None:
        steps.append(("Klikken", f"{_count(inputs['clicks'])} ({result.display['ctr']})"))
        words.append(f"{_count(inputs['clicks'])} klikken")
    if result.values["cpa"] is not None:
        steps.append(("Conversies", f"{_count(inputs['conversions'])} × {result.display['cpa']}"))
        words.append(
            f"{_count(inputs['conversions'])} conversies van {result.display['cpa']} per stuk"
        )
    label = "Trechter: " + ", ".join(words[:-1]) + " en " + words[-1] + "."
    return charts.funnel(label, steps)


CALCULATOR = Calculator(
    id="video",
    title="Videocampagne doorrekenen",
    purpose="Bereken wat je video kost per view, klik en conversie, en waar kijkers afhaken.",
    fields=FIELDS,
    outputs=OUTPUTS,
    rules=RULES,
    presets=PRESETS,
    chart=chart,
    goal=Goal("cpa", "conversions"),
)
