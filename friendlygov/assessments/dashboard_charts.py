"""Inline SVG charts of the city dashboard, built as text (no Django, no JavaScript, no CDN).

Each chart is an ``<svg role="img">`` named by its ``<title>`` and described by its ``<desc>``; every bar or
point carries its number as text next to it, and two series differ by pattern and by a text label as well as
by colour (never colour alone). Colours are SVG attributes (the content security policy forbids style
attributes). All text is escaped here; the caller marks the result safe. Numbers are written the Vietnamese
way (:func:`friendlygov.rules.text.format_vn_number`). The pages show the same numbers in a table beside
each chart.
"""

from __future__ import annotations

import itertools
import math
from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal
from html import escape

from friendlygov.rules.text import format_vn_number

# Contrast against white: INK 16.8:1, MUTED 7.5:1 (text); BLUE 8.6:1, ORANGE 3.9:1, GRID 1.4:1 (shapes only).
INK = "#1c1b1f"
MUTED = "#4a4a4a"
BLUE = "#1f4e99"
ORANGE = "#b35900"
RED = "#b3261e"
GRID = "#d9d6d0"
FONT = 'font-family="system-ui, sans-serif"'
_ids = itertools.count(1)


@dataclass(frozen=True)
class Bar:
    label: str
    value: Decimal | int | None
    text: str = ""  # the number as shown; formatted from ``value`` when empty
    note: str = ""  # a short addition after the number (a level, a stage)


@dataclass(frozen=True)
class Interval:
    label: str
    value: Decimal | None
    low: Decimal | None
    high: Decimal | None
    note: str = ""


def number(value: Decimal | int | float, places: int = 0, *, trim: bool = True) -> str:
    return format_vn_number(value, places, trim_zeros=trim and places > 0)


def ticks(maximum: float, most: int = 5) -> list[float]:
    """Round tick values from 0 up to ``maximum`` (steps of 1, 2, 2.5 or 5 times a power of ten), at most
    ``most`` + 1 of them."""
    if maximum <= 0:
        return [0.0]
    power = 10 ** math.floor(math.log10(maximum / most))
    step = next(f * power for f in (1, 2, 2.5, 5, 10, 20) if maximum / (f * power) <= most)
    if step < 1 and maximum >= 1:
        step = 1.0
    count = int(maximum / step + 1e-9)
    return [i * step for i in range(count + 1)]


def _short(label: str, limit: int = 30) -> str:
    return label if len(label) <= limit else label[: limit - 1] + "…"


def _open(width: float, height: float, title: str, desc: str, css: str = "chart") -> list[str]:
    n = next(_ids)
    return [
        f'<svg class="{css}" viewBox="0 0 {width:.0f} {height:.0f}" width="{width:.0f}" height="{height:.0f}" '
        f'role="img" aria-labelledby="chart-t{n} chart-d{n}" xmlns="http://www.w3.org/2000/svg" {FONT}>'
        f'<title id="chart-t{n}">{escape(title)}</title><desc id="chart-d{n}">{escape(desc)}</desc>'
    ]


def _text(x: float, y: float, content: str, *, anchor: str = "start", size: int = 12, fill: str = INK) -> str:
    return (
        f'<text x="{x:.1f}" y="{y:.1f}" text-anchor="{anchor}" font-size="{size}" fill="{fill}">'
        f"{escape(content)}</text>"
    )


def funnel(stages: Sequence[Bar], *, title: str, desc: str, width: int = 560) -> str:
    """Centred bars narrowing stage by stage; each stage's count and its share of the first stage as text."""
    label_w, row_h, gap, top = 170, 30, 8, 6
    plot_w = width - label_w - 120
    height = top * 2 + max(len(stages), 1) * (row_h + gap)
    first = max((int(s.value or 0) for s in stages[:1]), default=0) or 1
    parts = _open(width, height, title, desc)
    for index, stage in enumerate(stages):
        count = int(stage.value or 0)
        y = top + index * (row_h + gap)
        w = max(plot_w * count / first, 2 if count else 0)
        x = label_w + (plot_w - w) / 2
        parts.append(_text(label_w - 8, y + row_h * 0.65, _short(stage.label, 26), anchor="end"))
        if w:
            parts.append(
                f'<rect x="{x:.1f}" y="{y}" width="{w:.1f}" height="{row_h}" rx="3" fill="{BLUE}" />'
            )
        share = number(Decimal(count * 100) / first, 1) + "%"
        parts.append(_text(label_w + plot_w + 8, y + row_h * 0.65, stage.text or f"{count} ({share})"))
    parts.append("</svg>")
    return "".join(parts)


def paired_bars(
    groups: Sequence[tuple[str, int, int]],
    *,
    series: tuple[str, str],
    title: str,
    desc: str,
    width: int = 560,
) -> str:
    """Two horizontal bars per group (e.g. units registered for a level, units reaching it): the first solid
    blue, the second hatched orange, each followed by its series name and count."""
    label_w, bar_h, gap, top, legend_h = 190, 16, 14, 6, 26
    plot_w = width - label_w - 150
    largest = max((max(a, b) for _g, a, b in groups), default=0) or 1
    height = top + legend_h + max(len(groups), 1) * (2 * bar_h + 2 + gap)
    n = next(_ids)
    parts = _open(width, height, title, desc)
    parts.append(
        f'<defs><pattern id="hatch{n}" width="6" height="6" patternUnits="userSpaceOnUse" '
        f'patternTransform="rotate(45)"><rect width="6" height="6" fill="#ffffff" />'
        f'<rect width="3" height="6" fill="{ORANGE}" /></pattern></defs>'
    )
    fills = (BLUE, f"url(#hatch{n})")
    # legend
    for i, name in enumerate(series):
        lx = label_w + i * 170
        parts.append(
            f'<rect x="{lx}" y="{top}" width="14" height="14" fill="{fills[i]}" stroke="{[BLUE, ORANGE][i]}" />'
        )
        parts.append(_text(lx + 20, top + 12, name))
    for index, (label, first, second) in enumerate(groups):
        y = top + legend_h + index * (2 * bar_h + 2 + gap)
        parts.append(_text(label_w - 8, y + bar_h + 5, _short(label, 28), anchor="end"))
        for i, count in enumerate((first, second)):
            by = y + i * (bar_h + 2)
            w = plot_w * count / largest
            if w:
                parts.append(
                    f'<rect x="{label_w}" y="{by}" width="{w:.1f}" height="{bar_h}" fill="{fills[i]}" '
                    f'stroke="{[BLUE, ORANGE][i]}" />'
                )
            parts.append(_text(label_w + w + 6, by + bar_h - 4, f"{series[i]}: {count}", size=11))
    parts.append("</svg>")
    return "".join(parts)


def ranked_bars(
    bars: Sequence[Bar],
    *,
    maximum: Decimal,
    title: str,
    desc: str,
    width: int = 640,
    places: int = 2,
    bar_h: int = 14,
) -> str:
    """One horizontal bar per row in the given order (highest first), on a 0–``maximum`` axis, with the
    number and its note after the bar. Rows without a value show «—»."""
    label_w, gap, top, axis_h = 200, 5, 4, 18
    plot_w = width - label_w - 160
    scale = float(maximum) or 1.0
    height = top + axis_h + max(len(bars), 1) * (bar_h + gap) + 4
    parts = _open(width, height, title, desc)
    for tick in ticks(scale):
        x = label_w + plot_w * tick / scale
        parts.append(f'<line x1="{x:.1f}" x2="{x:.1f}" y1="{axis_h}" y2="{height}" stroke="{GRID}" />')
        parts.append(_text(x, 12, number(Decimal(str(tick)), 1), anchor="middle", size=10, fill=MUTED))
    for index, bar in enumerate(bars):
        y = top + axis_h + index * (bar_h + gap)
        parts.append(_text(label_w - 6, y + bar_h - 3, _short(bar.label), anchor="end", size=11))
        w = 0.0
        if bar.value is not None:
            w = plot_w * min(float(bar.value) / scale, 1.0)
            parts.append(f'<rect x="{label_w}" y="{y}" width="{w:.1f}" height="{bar_h}" fill="{BLUE}" />')
        shown = bar.text or ("—" if bar.value is None else number(bar.value, places, trim=False))
        parts.append(_text(label_w + w + 5, y + bar_h - 3, f"{shown} {bar.note}".strip(), size=11))
    parts.append("</svg>")
    return "".join(parts)


def axis_start(values: Sequence[float]) -> float:
    """Where a 0–100% axis of points may start so that close values stay apart: the lowest value rounded
    down to a ten, when that is 50% or more (the axis is labelled; the points are not bars), else 0."""
    if not values:
        return 0.0
    start = math.floor(min(values) / 10) * 10
    return float(start) if start >= 50 else 0.0


def intervals(rows: Sequence[Interval], *, title: str, desc: str, width: int = 640) -> str:
    """Each row's percentage as a dot on a percent axis (from :func:`axis_start` to 100%) with its interval
    as a line with end ticks, and the figures as text at the right. Rows without a figure show «chưa có» (the caller's note)."""
    label_w, row_h, top, axis_h = 200, 19, 4, 18
    text_w = 170
    plot_w = width - label_w - text_w
    height = top + axis_h + max(len(rows), 1) * row_h + 4

    lows = [float(r.low if r.low is not None else r.value) for r in rows if r.value is not None]
    start = axis_start(lows)

    def x(value: Decimal) -> float:
        return label_w + plot_w * (min(max(float(value), start), 100.0) - start) / (100 - start)

    parts = _open(width, height, title, desc)
    for tick in range(int(start), 101, 10 if start >= 50 else 25):
        tx = x(Decimal(tick))
        parts.append(f'<line x1="{tx:.1f}" x2="{tx:.1f}" y1="{axis_h}" y2="{height}" stroke="{GRID}" />')
        parts.append(_text(tx, 12, f"{tick}%", anchor="middle", size=10, fill=MUTED))
    for index, row in enumerate(rows):
        y = top + axis_h + index * row_h
        mid = y + row_h / 2
        parts.append(_text(label_w - 6, mid + 4, _short(row.label), anchor="end", size=11))
        if row.value is None:
            parts.append(_text(label_w + plot_w + 8, mid + 4, row.note or "—", size=11, fill=MUTED))
            continue
        if row.low is not None and row.high is not None:
            lo, hi = x(row.low), x(row.high)
            parts.append(f'<line x1="{lo:.1f}" x2="{hi:.1f}" y1="{mid:.1f}" y2="{mid:.1f}" stroke="{INK}" />')
            for end in (lo, hi):
                parts.append(
                    f'<line x1="{end:.1f}" x2="{end:.1f}" y1="{mid - 5:.1f}" y2="{mid + 5:.1f}" stroke="{INK}" />'
                )
        parts.append(f'<circle cx="{x(row.value):.1f}" cy="{mid:.1f}" r="4" fill="{RED}" />')
        shown = number(row.value, 2, trim=False) + "%"
        if row.low is not None and row.high is not None:
            shown += f" ({number(row.low, 1, trim=False)}–{number(row.high, 1, trim=False)})"
        parts.append(_text(label_w + plot_w + 8, mid + 4, shown, size=11))
    parts.append("</svg>")
    return "".join(parts)
