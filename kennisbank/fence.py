"""The ```calculator fenced block: a `pymdownx.superfences` custom fence.

Editors place a calculator with optional pre-filled values:

    ```calculator
    id: roas
    defaults:
      ad_spend: 2.500
      revenue: 10000
    ```

The fence renders the whole form from the calculator's Python definition with
Jinja2, with the result of those values computed now, at build time, so the
page shows a correct answer before (and without) any JavaScript. Being a plain
Python-Markdown extension point, it renders the same under any tool that
reads `mkdocs.yml`'s Markdown settings; MkDocs-specific checks (file and line
of a mistake) live in `kennisbank/fences.py`.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from functools import cache
from pathlib import Path
from typing import NoReturn

import yaml
from jinja2 import Environment, FileSystemLoader, select_autoescape
from markupsafe import Markup
from pymdownx.superfences import SuperFencesException

import calculators
from calculators import Calculator, Kind, Output, Result, blocks
from calculators.blocks import echo_value
from kennisbank.strict_yaml import StrictComposer

FENCE_KEYS = ("id", "defaults")
TEMPLATES = Path(__file__).parent / "templates"
# A block names a calculator and a few values; anything bigger is a mistake or an attack.
MAX_BLOCK_CHARS = 4_000


class FenceError(ValueError):
    """A mistake in a calculator block; `line` counts from 1 inside the block."""

    def __init__(self, message: str, line: int = 1) -> None:
        super().__init__(message)
        self.message = message
        self.line = line


@dataclass(frozen=True)
class Embed:
    """A validated calculator block: which calculator, with which starting values."""

    calculator: Calculator
    inputs: dict[str, Decimal | None]
    result: Result


class _BlockLoader(StrictComposer, yaml.BaseLoader):
    """BaseLoader without anchors, aliases or repeated keys (kennisbank/strict_yaml.py)."""

    def refuse_alias(self, line: int) -> NoReturn:
        raise FenceError(
            "gebruik geen YAML-ankers of -verwijzingen (& en *); schrijf elke waarde uit", line
        )

    def refuse_repeated_key(self, key: str, line: int) -> NoReturn:
        raise FenceError(
            f"de sleutel '{echo_value(key)}' staat er meer dan eens; "
            "houd er één (anders telt stilletjes de laatste)",
            line,
        )


def parse_block(source: str) -> Embed:
    """Validate a block against the calculator definitions; FenceError if wrong."""
    if len(source) > MAX_BLOCK_CHARS:
        limit = f"{MAX_BLOCK_CHARS:,}".replace(",", ".")
        raise FenceError(
            f"is te groot ({len(source)} tekens); een rekenhulp-blok is hooguit {limit} "
            "tekens: een id en een paar standaardwaarden"
        )
    # BaseLoader keeps every value as text: "10.000" must stay the Dutch ten
    # thousand, not become YAML's float 10.0.
    # One parse gives both the values and, from the nodes, their line numbers.
    loader = _BlockLoader(source)
    try:
        node = loader.get_single_node()
        if not isinstance(node, yaml.MappingNode):
            raise FenceError("schrijf 'id: <rekenhulp>' en eventueel 'defaults:'")
        data = loader.construct_document(node)
    except yaml.YAMLError as error:
        mark = getattr(error, "problem_mark", None)
        raise FenceError("is geen geldige YAML", (mark.line + 1) if mark else 1) from None
    finally:
        loader.dispose()
    lines = _key_lines(node)

    for key in data:
        if key not in FENCE_KEYS:
            raise FenceError(
                f"onbekende sleutel '{echo_value(key)}'; gebruik {' en '.join(FENCE_KEYS)}",
                lines[key],
            )
    calculator_id = data.get("id")
    if not calculator_id:
        raise FenceError("geef met 'id:' aan welke rekenhulp hier staat; kies uit " + blocks.ids())
    calculator = calculators.registry.get(calculator_id) if isinstance(calculator_id, str) else None
    if calculator is None:
        raise FenceError(blocks.unknown_calculator(calculator_id).message, lines["id"])

    defaults = data.get("defaults") or {}
    if not isinstance(defaults, dict):
        raise FenceError("'defaults' moet velden met waarden bevatten", lines["defaults"])
    default_lines = _key_lines(_child(node, "defaults"))
    if problem := blocks.unknown_field(calculator, defaults):
        raise FenceError(problem.message, default_lines[problem.field])
    for name, value in defaults.items():
        if not isinstance(value, str):
            raise FenceError(
                f"'{name}' moet één waarde zijn, bijvoorbeeld {name}: 1.250", default_lines[name]
            )

    result, problem = blocks.starting_result(calculator, defaults)
    if problem:
        raise FenceError(
            problem.message, default_lines.get(problem.field, lines.get("defaults", 1))
        )
    return Embed(calculator, result.inputs, result)


def _key_lines(node: yaml.Node | None) -> dict[str, int]:
    if not isinstance(node, yaml.MappingNode):
        return {}
    return {key.value: key.start_mark.line + 1 for key, _ in node.value}


def _child(node: yaml.MappingNode, name: str) -> yaml.Node | None:
    return next((value for key, value in node.value if key.value == name), None)


# -- Rendering ------------------------------------------------------------------


@cache
def _environment() -> Environment:
    return Environment(
        loader=FileSystemLoader(TEMPLATES),
        autoescape=select_autoescape(default=True),
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=False,
    )


# How a tone reads next to its colour (SPEC §5.8): never colour alone.
TONE_WORDS = (("good", "✓", "goed"), ("warn", "!", "let op"), ("bad", "✗", "verlies"))


def render(embed: Embed, instance: str, key: str | None = None) -> str:
    """The calculator's HTML: form, build-time result and chart, and the DOM contract.

    `instance` makes element ids unique on the page; `key` prefixes the URL
    parameters of this calculator (its id, or `roas-2` for a second one).
    """
    calculator = embed.calculator
    result = embed.result
    groups: list[tuple[str | None, list]] = []
    for field in calculator.fields:
        if not groups or groups[-1][0] != field.group:
            groups.append((field.group, []))
        groups[-1][1].append(field)
    return (
        _environment()
        .get_template("calculator.html")
        .render(
            calculator=calculator,
            groups=groups,
            values={
                field.name: calculators.format_input(embed.inputs.get(field.name), field.kind)
                for field in calculator.fields
            },
            result=result,
            tones=result.tones,
            notes=result.notes,
            tone_words=TONE_WORDS,
            # Python's own SVG: escaped where it is made (calculators/charts.py).
            chart=Markup(calculators.chart_svg(result)),
            primary=[output for output in calculator.outputs if output.primary],
            solvable=_solvable(calculator),
            prefix=instance,
            key=key or calculator.id,
        )
    )


def _solvable(calculator: Calculator) -> list[tuple[Output, tuple[str, ...]]]:
    """Outputs a reader can set a target for, with the fields that move them."""
    return [
        (output, calculator.depends_on(output.name))
        for output in calculator.outputs
        if output.kind is not Kind.TEXT
    ]


# -- pymdownx.superfences entry points --------------------------------------------


def fence_validator(language, inputs, options, attrs, md) -> bool:
    """The fence takes no options on its opening line: anything there is a mistake.

    Raising (rather than returning False) keeps SuperFences from quietly showing
    the block as plain code under any tool that renders this Markdown.
    """
    if inputs or attrs:
        given = " ".join([*(f"{k}={v!r}" for k, v in inputs.items()), *map(str, attrs)])
        raise SuperFencesException(
            f"calculator-blok: onbekende optie op de openingsregel ({given[:60]}); "
            "zet alles in het blok zelf"
        )
    return True


# This build's blocks, parsed and rendered: the blog renders a post's Markdown
# again for each listing page that shows it (about five times), and parsing and
# computing took 3.3 s of a build with 1,000 posts. Emptied for each build
# (forget_blocks), as the calculators' code may have changed since.
_parsed: dict[str, Embed] = {}
_rendered: dict[tuple[str, str, str], str] = {}


def forget_blocks() -> None:
    _parsed.clear()
    _rendered.clear()


def fence_format(source, language, class_name, options, md, **kwargs) -> str:
    """Render a ```calculator block (called by SuperFences for each block)."""
    embed = _parsed.get(source)
    if embed is None:
        try:
            embed = _parsed[source] = parse_block(source)
        except FenceError as error:
            raise SuperFencesException(
                f"calculator-blok, regel {error.line}: {error.message}"
            ) from None
    # Number instances per page so that element ids stay unique, and per
    # calculator for the URL: the first `roas` keeps `?roas.…`, a second is `roas-2`.
    count = getattr(md, "_kennisbank_calculators", 0) + 1
    md._kennisbank_calculators = count
    seen = getattr(md, "_kennisbank_ids", {})
    md._kennisbank_ids = seen
    calculator_id = embed.calculator.id
    seen[calculator_id] = seen.get(calculator_id, 0) + 1
    key = calculator_id if seen[calculator_id] == 1 else f"{calculator_id}-{seen[calculator_id]}"
    instance = f"kb-{calculator_id.replace('_', '-')}-{count}"
    done = _rendered.get((source, instance, key))
    if done is None:
        done = _rendered[(source, instance, key)] = render(embed, instance, key)
    return done
