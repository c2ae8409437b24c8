"""The progress of a programme over its reporting periods, as a small server-side SVG.

Plain Python (no Django), in the house style of ``plans/figures.py``: ``role="img"`` with a title
and a description; the page puts the same numbers in a table under it (the text alternative).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from html import escape

WIDTH, HEIGHT = 640, 220
LEFT, RIGHT, TOP, BOTTOM = 44, 16, 16, 40
LINE = "#005a8c"


@dataclass(frozen=True)
class Point:
    label: str  # the period, e.g. 2025-Q1
    progress: int  # 0–100
    status: str  # the status label shown in the point's tooltip


def progress_svg(points: Sequence[Point], *, ident: str, title: str, description: str) -> str:
    """A line of physical progress (0–100 %) by period; an empty frame when there is no point."""
    plot_w, plot_h = WIDTH - LEFT - RIGHT, HEIGHT - TOP - BOTTOM
    base = TOP + plot_h
    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" class="chart progress-chart" role="img" width="{WIDTH}" '
        f'height="{HEIGHT}" viewBox="0 0 {WIDTH} {HEIGHT}" '
        f'font-family="DejaVu Sans, sans-serif" font-size="12" aria-labelledby="{ident}-title {ident}-desc">',
        f'<title id="{ident}-title">{escape(title)}</title>',
        f'<desc id="{ident}-desc">{escape(description)}</desc>',
    ]
    for value in (0, 25, 50, 75, 100):
        y = base - plot_h * value / 100
        parts.append(f'<line x1="{LEFT}" y1="{y:.1f}" x2="{WIDTH - RIGHT}" y2="{y:.1f}" stroke="#dedede"/>')
        parts.append(f'<text x="{LEFT - 6}" y="{y + 4:.1f}" text-anchor="end">{value}%</text>')
    step = plot_w / max(len(points), 1)
    # Label every period when they fit, otherwise every n-th one (about 8 labels at most).
    every = max(1, -(-len(points) // 8))
    coords = []
    for n, point in enumerate(points):
        x = LEFT + step * (n + 0.5)
        y = base - plot_h * max(0, min(100, point.progress)) / 100
        coords.append((x, y))
        if n % every == 0 or n == len(points) - 1:
            parts.append(f'<text x="{x:.1f}" y="{base + 16}" text-anchor="middle">{escape(point.label)}</text>')
    if len(coords) > 1:
        path = " ".join(f"{x:.1f},{y:.1f}" for x, y in coords)
        parts.append(f'<polyline points="{path}" fill="none" stroke="{LINE}" stroke-width="2"/>')
    for (x, y), point in zip(coords, points, strict=True):
        tip = escape(f"{point.label}: {point.progress}% ({point.status})")
        parts.append(f'<circle cx="{x:.1f}" cy="{y:.1f}" r="4" fill="{LINE}"><title>{tip}</title></circle>')
    parts.append("</svg>")
    return "".join(parts)
