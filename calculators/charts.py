"""Small inline SVG charts drawn from a result: bars, a funnel, or a "not yet" text.

The SVG carries no script and no style attribute: colours come from classes
that the site's stylesheet sets (kb-chart__bar--good etc.), with
currentColor as a readable fallback. role="img" plus a Dutch aria-label that
states the figures make it one accessible image. Coordinates are Decimals
rounded to one decimal place, so CPython and Pyodide give the same text.
"""

from collections.abc import Sequence
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal

from .dutch_numbers import format_value
from .kinds import Kind
from .model import Result

WIDTH = 360
_PAD = 8
_ROW = 44  # label line, then the bar
_BAR = 16
_TENTH = Decimal("0.1")


@dataclass(frozen=True)
class Bar:
    """One bar: a label, its value (>= 0 for drawing), the Dutch figure and a tone class."""

    label: str
    value: Decimal
    shown: str
    tone: str | None = None


def _esc(text: str) -> str:
    return (
        text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace('"', "&quot;")
    )


def _n(value: Decimal | int) -> str:
    """A coordinate: one decimal, no exponent, no "-0"."""
    rounded = Decimal(value).quantize(_TENTH, rounding=ROUND_HALF_UP)
    text = format(rounded.normalize() if rounded else Decimal(0), "f")
    return text


def _svg(label: str, height: int, body: Sequence[str]) -> str:
    return (
        f'<svg class="kb-chart" xmlns="http://www.w3.org/2000/svg" role="img" '
        f'viewBox="0 0 {WIDTH} {height}" aria-label="{_esc(label)}">' + "".join(body) + "</svg>"
    )


def _text(x: Decimal | int, y: Decimal | int, text: str, cls: str, anchor: str = "start") -> str:
    anchor_attr = "" if anchor == "start" else f' text-anchor="{anchor}"'
    return (
        f'<text class="kb-chart__{cls}" x="{_n(x)}" y="{_n(y)}"{anchor_attr} '
        f'fill="currentColor">{_esc(text)}</text>'
    )


def _lines(text: str, width: int = 44) -> list[str]:
    """Word-wrap: SVG text does not wrap by itself, and 360 px holds ~44 characters."""
    lines: list[str] = []
    for word in text.split():
        if lines and len(lines[-1]) + 1 + len(word) <= width:
            lines[-1] += " " + word
        else:
            lines.append(word)
    return lines


def not_yet(reason: str) -> str:
    """A valid chart that says why there is nothing to draw yet."""
    text = f"Nog geen grafiek: {reason[:1].lower()}{reason[1:]}"
    lines = _lines(text)
    body = [_text(_PAD, 22 + 20 * i, line, "note") for i, line in enumerate(lines)]
    return _svg(text, 16 + 20 * len(lines), body)


def missing(result: Result, *outputs: str) -> str | None:
    """The reason of the first named output that has no value, if any."""
    for name in outputs:
        if result.values.get(name) is None:
            return result.reasons.get(name, "vul de invoer aan.")
    return None


def bars(label: str, items: Sequence[Bar], marker: tuple[Decimal, str] | None = None) -> str:
    """Horizontal bars on one scale, each with its label and figure above it.

    `marker` draws a dashed vertical line at a value (e.g. break-even) with its text.
    """
    top = 20 if marker else 0
    height = top + _ROW * len(items) + _PAD
    scale_max = max([b.value for b in items] + [marker[0] if marker else Decimal(0)])
    span = Decimal(WIDTH - 2 * _PAD)

    def x_of(value: Decimal) -> Decimal:
        if scale_max <= 0 or value <= 0:
            return Decimal(_PAD)
        return _PAD + span * min(value, scale_max) / scale_max

    body: list[str] = []
    for i, item in enumerate(items):
        y = top + _ROW * i
        body.append(_text(_PAD, y + 16, item.label, "label"))
        body.append(_text(WIDTH - _PAD, y + 16, item.shown, "value", "end"))
        width = x_of(item.value) - _PAD
        tone = f" kb-chart__bar--{item.tone}" if item.tone else ""
        body.append(
            f'<rect class="kb-chart__bar{tone}" x="{_PAD}" y="{_n(y + 22)}" '
            f'width="{_n(max(width, Decimal(1)))}" height="{_BAR}" fill="currentColor" '
            f'fill-opacity="0.55" rx="2"/>'
        )
    if marker:
        x = x_of(marker[0])
        for i in range(len(items)):  # only across the bars, never through the figures
            y = top + _ROW * i
            body.append(
                f'<line class="kb-chart__marker" x1="{_n(x)}" y1="{_n(y + 19)}" x2="{_n(x)}" '
                f'y2="{_n(y + 22 + _BAR + 3)}" stroke="currentColor" stroke-dasharray="3 2"/>'
            )
        anchor = "end" if x > WIDTH / 2 else "start"
        offset = -4 if anchor == "end" else 4
        body.append(_text(x + offset, 12, marker[1], "marker-label", anchor))
    return _svg(label, height, body)


def bars_with_break_even(
    label: str, items: Sequence[Bar], spend: Decimal, break_even: object
) -> str:
    """Bars with a dashed line at the revenue that breaks even on `spend`.

    `break_even` is the break-even ratio (revenue per euro spent), or None when
    it is not applicable: then the bars stand alone.
    """
    if not isinstance(break_even, Decimal):
        return bars(label + ".", items)
    needed = spend * break_even
    shown = format_value(needed, Kind.MONEY)
    label += f"; break-even ligt bij {shown} omzet."
    return bars(label, items, (needed, f"break-even {shown}"))


def revenue_against_spend(
    result: Result,
    ratio: str,
    revenue: tuple[str, str],
    spend: tuple[str, str],
    break_even: str,
    part: tuple[str, str, str] | None = None,
) -> str:
    """Revenue against spend (each a field and its bar label), the revenue bar in the
    tone of `ratio`, with a dashed line at the revenue that breaks even. `part` is an
    optional share of the revenue: its field, bar label and words ("van nieuwe klanten")."""
    reason = missing(result, ratio)
    if reason is not None:
        return not_yet(reason)
    total, spent = result.inputs[revenue[0]], result.inputs[spend[0]]
    assert total is not None and spent is not None  # the ratio has a value
    shown_total, shown_spent = format_value(total, Kind.MONEY), format_value(spent, Kind.MONEY)
    items = [Bar(revenue[1], total, shown_total, result.tones.get(ratio))]
    label = f"{revenue[1]} {shown_total}"
    share = result.inputs[part[0]] if part else None
    if part and share is not None:
        shown_share = format_value(share, Kind.MONEY)
        items.append(Bar(part[1], share, shown_share))
        label += f", waarvan {shown_share} {part[2]},"
    items.append(Bar(spend[1], spent, shown_spent))
    label += f" tegenover {spend[1].lower()} {shown_spent}"
    return bars_with_break_even(label, items, spent, result.values[break_even])


def funnel(label: str, steps: Sequence[tuple[str, str]]) -> str:
    """Stacked, narrowing steps (label, figure): spend -> leads -> customers."""
    height = 48 * len(steps) + _PAD
    body: list[str] = []
    for i, (name, shown) in enumerate(steps):
        inset = Decimal(28 * i)
        opacity = _n(Decimal("0.15") + Decimal("0.1") * i)
        y = 48 * i + 4
        body.append(
            f'<rect class="kb-chart__step kb-chart__step--{i + 1}" x="{_n(_PAD + inset)}" '
            f'y="{y}" width="{_n(WIDTH - 2 * _PAD - 2 * inset)}" height="42" '
            f'fill="currentColor" fill-opacity="{opacity}" rx="4"/>'
        )
        body.append(_text(WIDTH // 2, y + 18, name, "label", "middle"))
        body.append(_text(WIDTH // 2, y + 35, shown, "value", "middle"))
    return _svg(label, height, body)
