"""Server-rendered SVG charts (no JavaScript): a line chart for trends, horizontal bars for comparisons.

Percentages on a fixed 0–100 axis. Labels are escaped; colours are SVG attributes (allowed by the CSP,
unlike style attributes). Each chart has a text alternative; pages also show the numbers as a table.
"""

from __future__ import annotations

from collections.abc import Sequence
from decimal import Decimal

from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe

from friendlygov.core.templatetags.vn import format_number

RED = "#b3261e"
GOLD = "#c99a06"
GRID = "#d9d6d0"
INK = "#1c1b1f"
MUTED = "#555555"


def _pct(value: Decimal | None) -> str:
    return "—" if value is None else format_number(value, 1) + "%"


def line_chart(
    points: Sequence[tuple[str, Decimal | None]], *, title: str, width: int = 640, height: int = 260
) -> SafeString:
    """A line through the periods' percentages (gaps where a period has no figure)."""
    left, right, top, bottom = 40, 12, 16, 36
    plot_w, plot_h = width - left - right, height - top - bottom
    n = max(len(points), 1)
    step = plot_w / n

    def x(index: int) -> float:
        return left + step * index + step / 2

    def y(value: Decimal) -> float:
        return top + plot_h * (1 - float(value) / 100)

    parts = [
        f'<svg class="chart" viewBox="0 0 {width} {height}" role="img" aria-label="{escape(title)}" '
        f'xmlns="http://www.w3.org/2000/svg"><title>{escape(title)}</title>'
    ]
    for tick in (0, 25, 50, 75, 100):
        ty = y(Decimal(tick))
        parts.append(f'<line x1="{left}" x2="{width - right}" y1="{ty:.1f}" y2="{ty:.1f}" stroke="{GRID}" />')
        parts.append(
            f'<text x="{left - 6}" y="{ty + 4:.1f}" text-anchor="end" font-size="11" fill="{MUTED}">{tick}%</text>'
        )
    segment: list[str] = []
    segments: list[list[str]] = []
    for index, (_label, value) in enumerate(points):
        if value is None:
            if segment:
                segments.append(segment)
            segment = []
            continue
        segment.append(f"{x(index):.1f},{y(value):.1f}")
    if segment:
        segments.append(segment)
    for seg in segments:
        if len(seg) > 1:
            parts.append(
                f'<polyline fill="none" stroke="{RED}" stroke-width="2.5" points="{" ".join(seg)}" />'
            )
    for index, (label, value) in enumerate(points):
        cx = x(index)
        parts.append(
            f'<text x="{cx:.1f}" y="{height - bottom + 18}" text-anchor="middle" font-size="11" fill="{INK}">'
            f"{escape(label)}</text>"
        )
        if value is not None:
            cy = y(value)
            parts.append(f'<circle cx="{cx:.1f}" cy="{cy:.1f}" r="4" fill="{RED}" />')
            parts.append(
                f'<text x="{cx:.1f}" y="{cy - 8:.1f}" text-anchor="middle" font-size="11" fill="{INK}">'
                f"{escape(_pct(value))}</text>"
            )
    parts.append("</svg>")
    return mark_safe("".join(parts))  # noqa: S308 - every text part is escaped above


def bar_chart(
    rows: Sequence[tuple[str, Decimal | None]], *, title: str, width: int = 640, bar_height: int = 22
) -> SafeString:
    """Horizontal bars, one per row, 0–100%."""
    label_w, right, gap, top = 190, 64, 8, 8
    plot_w = width - label_w - right
    height = top * 2 + max(len(rows), 1) * (bar_height + gap)
    parts = [
        f'<svg class="chart" viewBox="0 0 {width} {height}" role="img" aria-label="{escape(title)}" '
        f'xmlns="http://www.w3.org/2000/svg"><title>{escape(title)}</title>'
    ]
    for tick in (0, 50, 100):
        tx = label_w + plot_w * tick / 100
        parts.append(f'<line x1="{tx:.1f}" x2="{tx:.1f}" y1="0" y2="{height}" stroke="{GRID}" />')
    for index, (label, value) in enumerate(rows):
        ty = top + index * (bar_height + gap)
        text = label if len(label) <= 28 else label[:27] + "…"
        parts.append(
            f'<text x="{label_w - 8}" y="{ty + bar_height * 0.7:.1f}" text-anchor="end" font-size="12" fill="{INK}">'
            f"{escape(text)}</text>"
        )
        if value is not None:
            bw = plot_w * float(value) / 100
            parts.append(
                f'<rect x="{label_w}" y="{ty}" width="{bw:.1f}" height="{bar_height}" rx="3" fill="{RED}" />'
            )
        parts.append(
            f'<text x="{label_w + (plot_w * float(value) / 100 if value is not None else 0) + 6:.1f}" '
            f'y="{ty + bar_height * 0.7:.1f}" font-size="12" fill="{INK}">{escape(_pct(value))}</text>'
        )
    parts.append("</svg>")
    return mark_safe("".join(parts))  # noqa: S308 - every text part is escaped above
