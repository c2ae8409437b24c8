"""The value-for-cost chart as server-side SVG (plain Python, no Django): the same markup serves the
result page and the printable forum summary.

Each candidate is a point: cost on the x axis, value (0–100) on the y axis; chosen candidates are
filled, the others hollow, every point has a ``<title>`` for screen readers and tooltips, and the
page shows the same figures as a table next to it.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from xml.sax.saxutils import escape

PALETTE = ["#1d70b8", "#d4351c", "#00703c", "#f47738", "#4c2c92", "#b58840", "#28a197", "#6f72af"]


@dataclass(frozen=True)
class Point:
    code: str
    name: str
    cost: float  # rupiah
    value: float  # 0–100
    chosen: bool
    group: str  # dimension code, for the colour


def _ticks(high: float, count: int = 5) -> list[float]:
    """Round tick values from 0 to at least ``high``."""
    if high <= 0:
        return [0.0, 1.0]
    raw = high / count
    magnitude = 10 ** math.floor(math.log10(raw))
    step = next(m * magnitude for m in (1, 2, 2.5, 5, 10) if m * magnitude >= raw)
    return [step * k for k in range(math.ceil(high / step) + 1)]


def _label_positions(
    chosen: Sequence[Point], x: Callable[[float], float], y: Callable[[float], float]
) -> dict[str, tuple[float, float]]:
    """Label positions right of each point, nudged down so that no two labels overlap."""
    placed: list[tuple[float, float]] = []
    positions: dict[str, tuple[float, float]] = {}
    for p in sorted(chosen, key=lambda p: (y(p.value), x(p.cost))):
        lx, ly = x(p.cost) + 10, y(p.value) + 4
        while any(abs(lx - px) < 56 and abs(ly - py) < 12 for px, py in placed):
            lx, ly = x(p.cost) + 24, ly + 12
        placed.append((lx, ly))
        positions[p.code] = (lx, ly)
    return positions


def value_for_cost_svg(
    points: Sequence[Point],
    *,
    title: str,
    x_label: str,
    y_label: str,
    chosen_label: str,
    other_label: str,
    tick: Callable[[float], str],
    point_title: Callable[[Point], str],
    width: int = 680,
    height: int = 380,
) -> str:
    """The chart as an inline ``<svg>`` element. ``tick`` formats an x tick (rupiah)."""
    left, right, top, bottom = 64, 24, 20, 56
    labels: dict[str, tuple[float, float]] = {}
    plot_w, plot_h = width - left - right, height - top - bottom
    x_ticks = _ticks(1.04 * max((p.cost for p in points), default=0.0))  # room for the rightmost point
    x_max = x_ticks[-1] or 1.0
    y_ticks = [0, 20, 40, 60, 80, 100]
    groups = sorted({p.group for p in points})
    colour = {g: PALETTE[n % len(PALETTE)] for n, g in enumerate(groups)}

    def x(cost: float) -> float:
        return left + plot_w * cost / x_max

    def y(value: float) -> float:
        return top + plot_h * (1 - value / 100)

    labels = _label_positions([p for p in points if p.chosen], x, y)

    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {width} {height}" width="100%" role="img" '
        f'aria-labelledby="vfc-title" class="chart value-for-cost" font-family="system-ui, sans-serif">',
        f'<title id="vfc-title">{escape(title)}</title>',
        f'<rect x="{left}" y="{top}" width="{plot_w}" height="{plot_h}" fill="#fff" stroke="#b1b4b6"/>',
    ]
    for value in y_ticks:
        parts.append(
            f'<line x1="{left}" x2="{left + plot_w}" y1="{y(value):.1f}" y2="{y(value):.1f}" stroke="#e5e6e7"/>'
            f'<text x="{left - 6}" y="{y(value) + 4:.1f}" text-anchor="end" font-size="11">{value}</text>'
        )
    for cost in x_ticks:
        parts.append(
            f'<line x1="{x(cost):.1f}" x2="{x(cost):.1f}" y1="{top + plot_h}" y2="{top + plot_h + 4}" '
            'stroke="#0b0c0c"/>'
            f'<text x="{x(cost):.1f}" y="{top + plot_h + 17}" text-anchor="middle" font-size="11">'
            f"{escape(tick(cost))}</text>"
        )
    parts.append(
        f'<text x="{left + plot_w / 2:.1f}" y="{height - 22}" text-anchor="middle" font-size="12">'
        f"{escape(x_label)}</text>"
        f'<text transform="translate(16 {top + plot_h / 2:.1f}) rotate(-90)" text-anchor="middle" font-size="12">'
        f"{escape(y_label)}</text>"
    )
    for p in sorted(points, key=lambda p: p.chosen):
        fill = colour[p.group] if p.chosen else "#fff"
        radius = 7 if p.chosen else 5
        parts.append(
            f'<g class="point{" chosen" if p.chosen else ""}"><title>{escape(point_title(p))}</title>'
            f'<circle cx="{x(p.cost):.1f}" cy="{y(p.value):.1f}" r="{radius}" fill="{fill}" '
            f'stroke="{colour[p.group]}" stroke-width="2"/></g>'
        )
    # Only the chosen are labelled (the others crowd; their codes are in the titles and the table),
    # drawn last with a white halo so that no point hides them.
    for p in points:
        if not p.chosen:
            continue
        lx, ly = labels[p.code]
        if ly - (y(p.value) + 4) > 1:  # nudged away from its point: a leader line shows which is which
            parts.append(
                f'<line x1="{x(p.cost):.1f}" y1="{y(p.value):.1f}" x2="{lx - 2:.1f}" y2="{ly - 4:.1f}" '
                f'stroke="{colour[p.group]}" stroke-width="1"/>'
            )
        parts.append(
            f'<text x="{lx:.1f}" y="{ly:.1f}" font-size="11" font-weight="600" paint-order="stroke" '
            f'stroke="#fff" stroke-width="3">{escape(p.code)}</text>'
        )
    legend_y = height - 6
    parts.append(
        f'<circle cx="{left + 6}" cy="{legend_y - 4}" r="6" fill="#0b0c0c"/>'
        f'<text x="{left + 16}" y="{legend_y}" font-size="11">{escape(chosen_label)}</text>'
        f'<circle cx="{left + 136}" cy="{legend_y - 4}" r="5" fill="#fff" stroke="#0b0c0c" stroke-width="2"/>'
        f'<text x="{left + 146}" y="{legend_y}" font-size="11">{escape(other_label)}</text>'
    )
    for n, group in enumerate(groups):
        gx = left + 290 + n * 46
        parts.append(
            f'<rect x="{gx}" y="{legend_y - 10}" width="10" height="10" fill="{colour[group]}"/>'
            f'<text x="{gx + 14}" y="{legend_y}" font-size="11">{escape(group)}</text>'
        )
    parts.append("</svg>")
    return "".join(parts)
