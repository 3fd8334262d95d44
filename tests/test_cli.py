"""The command line, run as a real subprocess: python -m calculators ... (SPEC 5.4)."""

import json

import pytest

from .support import run_cli as run


def test_json_for_valid_input() -> None:
    done = run(
        "roas", "--ad_spend", "2.500", "--revenue", "€ 10.000", "--gross-margin=40", "--json"
    )
    assert done.returncode == 0, done.stderr
    assert done.stderr == ""
    data = json.loads(done.stdout)
    assert list(data) == [
        "calculator", "ok", "values", "display", "errors", "reasons", "tones", "notes",
        "tone_reasons",
    ]  # fmt: skip
    assert data == {
        "calculator": "roas",
        "ok": True,
        "values": {
            "roas": 4.0,
            "roas_percent": 400.0,
            "break_even_roas": 2.5,
            "poas": 1.6,
            "profit_after_ads": 1500.0,
        },
        "display": {
            "roas": "4:1",
            "roas_percent": "400%",
            "break_even_roas": "2,5:1",
            "poas": "1,6:1",
            "profit_after_ads": "€\u00a01.500,00",
        },
        "errors": {},
        "reasons": {},
        "tones": {"roas": "good", "profit_after_ads": "good"},
        "notes": {},
        "tone_reasons": {
            "roas": "boven je break-even van 2,5:1",
            "profit_after_ads": "winst na advertentiekosten",
        },
    }
    assert "€\u00a01.500,00" in done.stdout  # ensure_ascii=False: readable Dutch


def test_json_for_invalid_input_exits_2() -> None:
    done = run("cpl", "--media-spend", "2.500", "--leads", "0", "--json")
    assert done.returncode == 2
    data = json.loads(done.stdout)
    assert data["ok"] is False
    assert data["errors"] == {"leads": "Het aantal leads moet groter zijn dan 0"}
    # only what depends on the leads is blanked
    assert data["values"]["total_cost"] == 2500.0
    assert data["values"]["cpl"] is None and data["display"]["cpl"] == "n.v.t."
    assert data["reasons"]["cpl"] == "Corrigeer eerst het aantal leads."


def test_json_with_not_applicable_outputs() -> None:
    done = run("cpl", "--json", "--media_spend", "2500", "--leads", "50")
    assert done.returncode == 0
    data = json.loads(done.stdout)
    assert data["values"]["cpa"] is None
    assert data["reasons"]["cpa"] == "Vul de sluitingsratio in om de CPA te berekenen."


def test_negative_values_are_values_not_options() -> None:
    done = run("roas", "--ad_spend", "-5", "--revenue", "10", "--json")
    assert done.returncode == 2
    assert json.loads(done.stdout)["errors"] == {
        "ad_spend": "Het advertentiebudget kan niet negatief zijn"
    }


def test_unknown_calculator_exits_64() -> None:
    done = run("cpm", "--json")
    assert done.returncode == 64
    assert done.stdout == ""
    assert "Onbekende rekenhulp 'cpm'" in done.stderr
    assert "cpl, roas, ltv_cac, influencer" in done.stderr


def test_unknown_field_exits_64() -> None:
    done = run("roas", "--ad_spend", "1", "--budget", "2", "--json")
    assert done.returncode == 64
    assert done.stdout == ""
    assert "Onbekend veld 'budget'" in done.stderr
    assert "ad_spend, revenue, gross_margin" in done.stderr


@pytest.mark.parametrize("args", [(), ("roas", "--revenue"), ("roas", "extra", "woord")])
def test_usage_errors_exit_64(args: tuple[str, ...]) -> None:
    done = run(*args)
    assert done.returncode == 64
    assert done.stderr.startswith("Fout: ")


def test_dutch_table() -> None:
    done = run("cpl", "--media_spend", "€ 4.000", "--leads", "125", "--close_rate", "20%")
    assert done.returncode == 0, done.stderr
    out = done.stdout
    assert out.startswith("Kosten per lead berekenen (cpl)\n")
    assert "Invoer" in out and "Uitkomst" in out
    lines = out.splitlines()

    def row(label: str) -> str:
        return next(line for line in lines if line.strip().startswith(label))

    assert row("Mediabudget").endswith("€ 4.000")  # as given
    assert row("Overige kosten").endswith("(leeg, telt als 0)")
    assert row("Kosten per lead (CPL)").endswith("€\u00a032,00")
    assert row("Kosten per klant (CPA)").endswith("€\u00a0160,00")
    assert row("Maximale CPL").endswith(
        "n.v.t.: Vul de klantwaarde in om de maximale CPL te berekenen."
    )
    assert "Fouten" not in out


def test_dutch_table_with_errors_exits_2() -> None:
    done = run("ltv_cac", "--revenue_per_month", "50", "--churn_rate", "0")
    assert done.returncode == 2
    assert "Fouten in de invoer" in done.stdout
    assert "Churn per maand: De churn moet groter zijn dan 0" in done.stdout
    assert "Brutomarge: Vul de brutomarge in" in done.stdout
    assert "n.v.t.: Corrigeer eerst de churn en vul de brutomarge in." in done.stdout


def test_help_lists_calculators_and_fields_in_dutch() -> None:
    overview = run("--help")
    assert overview.returncode == 0
    assert "Gebruik: python -m calculators <rekenhulp>" in overview.stdout
    for calculator_id, title in [
        ("cpl", "Kosten per lead berekenen"),
        ("roas", "ROAS berekenen"),
        ("ltv_cac", "LTV en CAC berekenen"),
        ("influencer", "Kosten influencercampagne berekenen"),
    ]:
        assert calculator_id in overview.stdout and title in overview.stdout
    fields = run("influencer", "--help")
    assert fields.returncode == 0
    assert "--fee_per_post" in fields.stdout and "Fee per post" in fields.stdout
    assert "Uren eigen team (getal, optioneel, leeg telt als 0)" in fields.stdout
    assert "Bereik (heel getal, optioneel)" in fields.stdout
    assert "Voorbeeld:" in fields.stdout
    assert (
        "  roi" in fields.stdout and "--solve <veld> --target <uitkomst>=<waarde>" in fields.stdout
    )


def test_help_example_command_runs() -> None:
    help_text = run("ltv_cac", "--help").stdout
    example = help_text.split("Voorbeeld:\n", 1)[1].split("\n\n")[0].strip().split()
    assert example[:3] == ["python", "-m", "calculators"]
    done = run(*example[3:], "--json")
    assert done.returncode == 0
    assert json.loads(done.stdout)["values"]["verdict"] == "gezond"


# -- Tones, goal seeking, hostile input -----------------------------------------


def test_json_carries_tones_and_notes() -> None:
    done = run("roas", "--ad_spend", "1.000", "--revenue", "1.000", "--gross_margin", "40.5",
               "--json")  # fmt: skip
    data = json.loads(done.stdout)
    assert data["tones"] == {"roas": "bad", "profit_after_ads": "bad"}
    assert data["notes"] == {"gross_margin": "gelezen als 40,5%"}
    table = run("roas", "--ad_spend", "1.000", "--revenue", "9.000", "--gross_margin", "40")
    assert "9:1 (goed: boven je break-even van 2,5:1)" in table.stdout


def test_solve_prints_the_needed_value_as_json() -> None:
    done = run("cpl", "--solve", "leads", "--target", "cpl=30", "--media_spend", "4.000", "--json")
    assert done.returncode == 0, done.stderr
    data = json.loads(done.stdout)
    assert data["solved"] == {"field": "leads", "value": 134.0, "display": "134", "shown": "134"}
    assert data["display"]["cpl"] == "€\u00a029,85"
    roas = json.loads(
        run(
            "roas", "--ad-spend", "2.000", "--solve", "revenue", "--target", "roas=5", "--json"
        ).stdout
    )
    assert roas["solved"]["display"] == "10.000" and roas["values"]["roas"] == 5.0


def test_solve_table_and_unreachable_target() -> None:
    done = run("cpl", "--solve", "leads", "--target", "cpl=25", "--media_spend", "4.000")
    assert done.returncode == 0
    assert done.stdout.startswith("Nodig voor Kosten per lead (CPL) €\u00a025,00: Aantal leads 160")
    unreachable = run(
        "cpl", "--solve", "close_rate", "--target", "cpl=5", "--media_spend", "1", "--leads", "2",
        "--json",
    )  # fmt: skip
    assert unreachable.returncode == 2
    data = json.loads(unreachable.stdout)
    assert data["solved"]["value"] is None
    assert data["solved"]["reason"] == (
        "De sluitingsratio heeft geen invloed op de CPL; kies een ander veld."
    )
    text = run("cpl", "--solve", "leads", "--target", "cpl=-1", "--media_spend", "5")
    assert text.returncode == 2
    assert text.stdout.startswith("Niet op te lossen: De CPL kan niet \u2212€\u00a01,00 worden")


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (("cpl", "--leads", "1", "--leads", "2"), "Het veld 'leads' staat twee keer"),
        (("cpl", "--media-spend", "1", "--media_spend", "2"), "Het veld 'media_spend' staat"),
        (("cpl", "--solve", "leads", "--target", "cpx=1"), "Onbekende uitkomst 'cpx'"),
        (("cpl", "--solve", "lead", "--target", "cpl=1"), "Onbekend veld 'lead'"),
        (("cpl", "--solve", "leads"), "Gebruik --solve <veld> samen met --target"),
        (("cpl", "--solve", "leads", "--target", "cpl"), "Schrijf het doel als"),
    ],
)
def test_solve_and_repeat_usage_errors_exit_64(args: tuple[str, ...], message: str) -> None:
    done = run(*args)
    assert done.returncode == 64
    assert done.stdout == ""
    assert message in done.stderr


def test_control_characters_and_long_values_are_not_echoed_raw() -> None:
    hostile = "\x1b[31mrood\x07\u202e"
    done = run("cpl", "--media_spend", hostile, "--leads", "9" * 10_000)
    assert done.returncode == 2
    assert "\x1b" not in done.stdout and "\x07" not in done.stdout and "\u202e" not in done.stdout
    assert "\\x1b[31mrood\\x07\\u202e" in done.stdout
    assert "9" * 61 not in done.stdout and "(10000 tekens)" in done.stdout
    assert max(len(line) for line in done.stdout.splitlines()) < 200
    unknown = run("cpl", "--" + "x" * 5000, "1", f"--{hostile}", "2")
    assert unknown.returncode == 64
    assert "\x1b" not in unknown.stderr and len(unknown.stderr) < 1000
    calculator = run("\x1b[2J" + "y" * 500)
    assert calculator.returncode == 64
    assert "\x1b" not in calculator.stderr and "(504 tekens)" in calculator.stderr


def test_a_comma_thousand_in_a_count_is_refused() -> None:
    done = run("cpl", "--media_spend", "4.000", "--leads", "1,000", "--json")
    assert done.returncode == 2
    assert json.loads(done.stdout)["errors"]["leads"].startswith("Bedoel je 1.000?")
