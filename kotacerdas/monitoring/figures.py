"""SVG figures of the monitoring pages, in plain Python (no Django).

Same house style as ``plans/figures.py``: an ``<svg role="img">`` labelled by its ``<title>`` and
``<desc>``, every text escaped, a ``<title>`` on each bar for the exact number; the page puts a
table with the same numbers next to it (the text alternative). The same SVG serves page and PDF.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from xml.sax.saxutils import escape

PLANNED = "#005a8c"
REALISED = "#00703c"
WIDTH = 640


def _open(width: int, height: int, ident: str, title: str, description: str) -> list[str]:
    return [
        f'<svg xmlns="http://www.w3.org/2000/svg" class="chart" role="img" width="{width}" height="{height}" '
        f'viewBox="0 0 {width} {height}" font-family="DejaVu Sans, sans-serif" font-size="12" '
        f'aria-labelledby="{ident}-title {ident}-desc">',
        f'<title id="{ident}-title">{escape(title)}</title>',
        f'<desc id="{ident}-desc">{escape(description)}</desc>',
    ]


def planned_vs_realised_svg(
    years: Sequence[tuple[int, int, int]],
    *,
    ident: str,
    title: str,
    description: str,
    planned_label: str,
    realised_label: str,
    amount: Callable[[int], str],
) -> str:
    """Paired columns per year: the planned budget and the budget realised, ``(year, planned,
    realised)`` in whole rupiah. ``amount`` formats an amount for the axis and the bar titles."""
    top = max([max(p, r) for _y, p, r in years] or [0])
    plot_top, plot_height, left = 20, 180, 90
    column = max(44, min(100, (WIDTH - left - 10) // max(len(years), 1)))
    width = max(WIDTH, left + column * len(years) + 10)
    height = plot_top + plot_height + 30 + 30
    base = plot_top + plot_height
    parts = _open(width, height, ident, title, description)
    for step in range(5):
        y = base - plot_height * step / 4
        parts.append(f'<line x1="{left}" y1="{y:.1f}" x2="{width - 10}" y2="{y:.1f}" stroke="#dedede"/>')
        label = escape(amount(int(top * step / 4)))
        parts.append(f'<text x="{left - 6}" y="{y + 4:.1f}" text-anchor="end">{label}</text>')
    bar = column * 0.36
    for n, (year, planned, realised) in enumerate(years):
        x = left + n * column + column * 0.12
        for offset, value, colour, name in (
            (0.0, planned, PLANNED, planned_label),
            (bar, realised, REALISED, realised_label),
        ):
            h = plot_height * value / top if top else 0
            tip = escape(f"{name} {year}: {amount(value)}")
            parts.append(
                f'<rect x="{x + offset:.1f}" y="{base - h:.1f}" width="{bar:.1f}" height="{h:.1f}" fill="{colour}">'
                f"<title>{tip}</title></rect>"
            )
        parts.append(f'<text x="{x + bar:.1f}" y="{base + 16}" text-anchor="middle">{year}</text>')
    legend_y = base + 42
    x = 10
    for colour, name in ((PLANNED, planned_label), (REALISED, realised_label)):
        parts.append(f'<rect x="{x}" y="{legend_y - 10}" width="12" height="12" fill="{colour}"/>')
        parts.append(f'<text x="{x + 18}" y="{legend_y}">{escape(name)}</text>')
        x += 40 + 7 * len(name)
    parts.append("</svg>")
    return "".join(parts)
