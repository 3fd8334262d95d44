"""The ```calculator fence (SPEC §5.5): validation with file and line, and the DOM contract."""

from __future__ import annotations

import re
from pathlib import Path

import markdown
import pytest
from pymdownx.superfences import SuperFencesException

from calculators import registry
from kennisbank.fence import FenceError, fence_format, fence_validator, parse_block
from kennisbank.fences import fence_problems

from .support import build, copy_project, elements


def render_markdown(source: str) -> str:
    """Render Markdown with the fence configured exactly as in mkdocs.yml."""
    return markdown.markdown(
        source,
        extensions=["pymdownx.superfences"],
        extension_configs={
            "pymdownx.superfences": {
                "custom_fences": [
                    {
                        "name": "calculator",
                        "class": "kb-calculator",
                        "format": fence_format,
                        "validator": fence_validator,
                    }
                ]
            }
        },
    )


# -- Validation ---------------------------------------------------------------------


@pytest.mark.parametrize(
    ("block", "line", "message"),
    [
        (
            "id: winst\n",
            1,
            "onbekende rekenhulp 'winst'; kies uit cpl, roas, ltv_cac, influencer, video, mer, "
            "incrementality",
        ),
        ("defaults:\n  leads: 3\n", 1, "geef met 'id:' aan welke rekenhulp hier staat"),
        ("id: roas\nstandaard: 1\n", 2, "onbekende sleutel 'standaard'; gebruik id en defaults"),
        (
            "id: roas\ndefaults:\n  ad_spend: 100\n  omzet: 5\n",
            4,
            "onbekend veld 'omzet' voor rekenhulp 'roas'; kies uit ad_spend, revenue, gross_margin",
        ),
        (
            "id: cpl\ndefaults:\n  media_spend: 1.000\n  leads: twaalf\n",
            4,
            "ongeldige standaardwaarde voor 'leads' (twaalf): ",
        ),
        (
            "id: cpl\ndefaults:\n  leads: 0\n",
            3,
            "ongeldige standaardwaarde voor 'leads' (0): Het aantal leads moet groter zijn dan 0",
        ),
        ("id: roas\ndefaults:\n  - 1\n", 2, "'defaults' moet velden met waarden bevatten"),
        ("id: [roas\n", 2, "is geen geldige YAML"),
    ],
)
def test_mistakes_in_a_block_name_the_line(block: str, line: int, message: str) -> None:
    with pytest.raises(FenceError) as caught:
        parse_block(block)
    assert caught.value.line == line
    assert caught.value.message.startswith(message)


def test_dutch_defaults_are_read_as_text_not_yaml_numbers() -> None:
    # YAML would read 10.000 as the float 10.0; the fence reads it the Dutch way.
    embed = parse_block("id: roas\ndefaults:\n  ad_spend: 2.500\n  revenue: 10.000\n")
    assert str(embed.inputs["revenue"]) == "10000"
    assert embed.result.display["roas"] == "4:1"


def test_without_defaults_the_calculator_starts_from_its_worked_example() -> None:
    for calculator in registry.values():
        embed = parse_block(f"id: {calculator.id}\n")
        assert embed.result.ok, calculator.id
        assert embed.result.display == calculator.compute(calculator.example_inputs()).display


def test_fence_problems_report_file_and_line_of_each_block() -> None:
    page = (
        "# Titel\n\nTekst.\n\n```calculator\nid: roas\n```\n\n"
        "- lijst\n\n    ```calculator\n    id: cpl\n    defaults:\n      lead: 3\n    ```\n\n"
        "~~~calculator\nid: onbekend\n~~~\n"
    )
    assert fence_problems(page, "x/pagina.md") == [
        "x/pagina.md:14: rekenhulp: onbekend veld 'lead' voor rekenhulp 'cpl'; kies uit "
        "media_spend, other_costs, leads, close_rate, customer_value",
        "x/pagina.md:18: rekenhulp: onbekende rekenhulp 'onbekend'; kies uit cpl, roas, "
        "ltv_cac, influencer, video, mer, incrementality",
    ]


def test_outside_mkdocs_a_broken_block_raises_a_superfences_error() -> None:
    with pytest.raises(SuperFencesException, match="regel 1: onbekende rekenhulp 'x'"):
        render_markdown("```calculator\nid: x\n```\n")


@pytest.mark.parametrize("opening", ['```calculator title="x"', '```calculator linenums="1"'])
def test_outside_mkdocs_options_on_the_opening_line_are_an_error(opening: str) -> None:
    # Not a plain code block that quietly shows the YAML to readers.
    with pytest.raises(SuperFencesException, match="onbekende optie op de openingsregel"):
        render_markdown(f"{opening}\nid: roas\n```\n")


# -- Rendering: the DOM contract (SPEC §5.7) -------------------------------------------------


@pytest.mark.parametrize("calculator_id", list(registry))
def test_the_form_follows_the_dom_contract(calculator_id: str) -> None:
    calculator = registry[calculator_id]
    html = render_markdown(f"```calculator\nid: {calculator_id}\n```\n")
    found = elements(html)
    roots = [a for tag, a in found if "data-calculator" in a]
    assert len(roots) == 1
    assert roots[0]["data-calculator"] == calculator_id
    assert roots[0]["data-state"] == "static"

    # Scenario B and goal seeking have inputs of their own, without a name.
    inputs = {a["name"]: a for tag, a in found if tag == "input" and "name" in a}
    assert list(inputs) == [field.name for field in calculator.fields]
    labels = {a["for"] for tag, a in found if tag == "label"}
    errors = {a["data-error-for"] for _, a in found if "data-error-for" in a}
    for field in calculator.fields:
        attrs = inputs[field.name]
        assert attrs["type"] == "text", "never type=number: it mangles 1.234,56"
        assert attrs["inputmode"] == ("numeric" if field.kind == "count" else "decimal")
        assert attrs["id"] in labels
        assert field.name in errors
        assert "aria-invalid" not in attrs

    outputs = [a["data-output"] for _, a in found if "data-output" in a]
    assert outputs == [output.name for output in calculator.outputs]
    assert any(a.get("aria-live") == "polite" for _, a in found)
    result = calculator.compute(calculator.example_inputs())
    for name, display in result.display.items():
        assert re.search(rf'data-output="{name}"[^>]*>{re.escape(display)}<', html)
    assert "NaN" not in html and "Infinity" not in html


def test_two_calculators_on_one_page_have_distinct_ids() -> None:
    html = render_markdown("```calculator\nid: roas\n```\n\n```calculator\nid: roas\n```\n")
    ids = [a["id"] for _, a in elements(html) if "id" in a]
    assert len(ids) == len(set(ids))
    # Each keeps its own URL keys; the first keeps the plain id, so old links still work.
    keys = [a["data-key"] for _, a in elements(html) if "data-calculator" in a]
    assert keys == ["roas", "roas-2"]


# -- The real build stops on a broken block ------------------------------------------------


def test_a_broken_block_fails_the_build_with_file_and_line(tmp_path: Path) -> None:
    project = copy_project(tmp_path / "project")
    page = project / "docs" / "rekenhulpen" / "roas.md"
    original = page.read_text(encoding="utf-8")
    line = original.count("\n") + 3
    page.write_text(
        original
        + "\n\n```calculator\nid: roas\ndefaults:\n  revenue: veel\n  ad_spnd: 3\n```\n"
        + "\n```calculator\nid: rooas\n```\n",
        encoding="utf-8",
    )
    result = build(project, tmp_path / "site")
    output = result.stdout + result.stderr
    assert result.returncode == 1, output
    reported = [
        line.strip() for line in output.splitlines() if line.strip().startswith("rekenhulpen/")
    ]
    assert reported == [
        f"rekenhulpen/roas.md:{line + 4}: rekenhulp: onbekend veld 'ad_spnd' voor rekenhulp "
        "'roas'; kies uit ad_spend, revenue, gross_margin",
        f"rekenhulpen/roas.md:{line + 8}: rekenhulp: onbekende rekenhulp 'rooas'; kies uit "
        "cpl, roas, ltv_cac, influencer, video, mer, incrementality",
    ]
    assert "Traceback" not in output
    assert not (tmp_path / "site" / "index.html").exists()
