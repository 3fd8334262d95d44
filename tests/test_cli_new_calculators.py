"""The command line for video, mer and incrementality, as a real subprocess (SPEC 5.4, 5.10)."""

import json

from .support import run_cli as run


def test_video_json() -> None:
    done = run(
        "video", "--media-spend", "€ 5.000", "--production_cost", "2.500",
        "--impressions", "400.000", "--views", "100.000", "--conversions", "80", "--json",
    )  # fmt: skip
    assert done.returncode == 0, done.stderr
    data = json.loads(done.stdout)
    assert data["calculator"] == "video" and data["ok"] is True
    assert data["values"]["total_cost"] == 7500.0
    assert data["display"]["cpm"] == "€\u00a012,50"
    assert data["display"]["cpa"] == "€\u00a093,75"
    assert data["values"]["roas"] is None
    assert data["reasons"]["roas"] == "Vul de omzet in om de ROAS te berekenen."


def test_video_more_views_than_impressions_exits_2() -> None:
    done = run("video", "--media_spend", "100", "--impressions", "1.000", "--views", "1.001",
               "--json")  # fmt: skip
    assert done.returncode == 2
    data = json.loads(done.stdout)
    assert data["ok"] is False
    assert data["errors"] == {
        "views": "Het aantal views kan niet hoger zijn dan het aantal impressies"
    }
    assert data["display"]["cpm"] == "€\u00a0100,00"  # does not depend on views
    assert data["values"]["view_rate"] is None


def test_mer_json() -> None:
    done = run("mer", "--total_revenue", "250.000", "--marketing_spend", "50.000",
               "--gross_margin", "40%", "--json")  # fmt: skip
    assert done.returncode == 0, done.stderr
    data = json.loads(done.stdout)
    assert data["display"]["mer"] == "5:1"
    assert data["display"]["break_even_mer"] == "2,5:1"
    assert data["display"]["contribution"] == "€\u00a050.000,00"
    assert data["tones"] == {"mer": "good", "contribution": "good"}


def test_mer_new_customer_revenue_above_total_exits_2() -> None:
    done = run("mer", "--total_revenue", "1.000", "--marketing_spend", "500",
               "--new_customer_revenue", "1.000,01", "--json")  # fmt: skip
    assert done.returncode == 2
    assert json.loads(done.stdout)["errors"] == {
        "new_customer_revenue": (
            "De omzet van nieuwe klanten kan niet hoger zijn dan de totale omzet"
        )
    }


def test_incrementality_json_and_table() -> None:
    args = ("incrementality", "--test_size", "20.000", "--test_conversions", "600",
            "--control_size", "20.000", "--control_conversions", "500")  # fmt: skip
    done = run(*args, "--json")
    assert done.returncode == 0, done.stderr
    data = json.loads(done.stdout)
    assert data["display"]["p_value"] == "0,002"
    assert data["values"]["verdict"] == "significant"
    table = run(*args)
    assert table.returncode == 0
    assert "Incrementaliteit" in table.stdout
    assert "0,002" in table.stdout and "Significant:" in table.stdout


def test_incrementality_more_conversions_than_people_exits_2() -> None:
    done = run("incrementality", "--test_size", "100", "--test_conversions", "101",
               "--control_size", "100", "--control_conversions", "200", "--json")  # fmt: skip
    assert done.returncode == 2
    assert json.loads(done.stdout)["errors"] == {
        "test_conversions": (
            "Het aantal conversies in de testgroep kan niet hoger zijn dan de testgroep"
        ),
        "control_conversions": (
            "Het aantal conversies in de controlegroep kan niet hoger zijn dan de controlegroep"
        ),
    }


def test_help_lists_the_new_calculators() -> None:
    overview = run("--help")
    assert overview.returncode == 0
    for calculator_id in ("video", "mer", "incrementality"):
        assert calculator_id in overview.stdout
        help_text = run(calculator_id, "--help").stdout
        example = help_text.split("Voorbeeld:\n", 1)[1].strip().splitlines()[0].split()
        done = run(*example[3:], "--json")
        assert done.returncode == 0, done.stdout
