"""An indicator's targets and actuals by year, as a small server-side SVG for the public portal.

Plain Python (no Django), in the house style of ``monitoring/progress_chart.py``: ``role="img"``
with a title and a description; the page puts the same numbers in a table under it (the text
alternative). Actuals are bars, targets a dark tick across the year (a band for a range target),
so the two differ by shape as well as colour (WCAG 1.4.1); every colour has at least 3:1 contrast
against white (1.4.11).
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from decimal import Decimal
from html import escape as _escape

WIDTH, HEIGHT = 560, 200
LEFT, RIGHT, TOP, BOTTOM = 56, 12, 14, 44
ACTUAL = "#005a8c"  # 7.0:1 on white
TARGET = "#1b1b1b"
BAND = "#6b6b6b"  # 5.3:1 on white
GRID = "#c8c8c8"


# What XML 1.0 cannot hold (C0 controls but tab, LF, CR; U+FFFE, U+FFFF; lone surrogates): pasted
# into an indicator's name, it would make the SVG ill-formed, so it is dropped.
UNHOLDABLE = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff\ud800-\udfff]")


def escape(text: str) -> str:
    return _escape(UNHOLDABLE.sub("", text))


@dataclass(frozen=True)
class Bar:
    label: str  # the year
    target: Decimal | None
    upper: Decimal | None  # the upper bound of a range target
    actual: Decimal | None


def _top(bars: Sequence[Bar]) -> Decimal:
    values = [v for b in bars for v in (b.target, b.upper, b.actual) if v is not None]
    top = max([Decimal(0), *values])
    return top if top > 0 else Decimal(1)


def indicator_svg(
    bars: Sequence[Bar],
    *,
    ident: str,
    title: str,
    description: str,
    legend: tuple[str, str],
    fmt: Callable[[Decimal], str] = str,
) -> str:
    """Bars of actuals and ticks of targets per year; negative values are drawn at zero (the
    table beside the chart gives every value as recorded)."""
    plot_w, plot_h = WIDTH - LEFT - RIGHT, HEIGHT - TOP - BOTTOM
    base = TOP + plot_h
    top = _top(bars)

    def y(value: Decimal) -> float:
        return base - plot_h * float(max(Decimal(0), min(value, top)) / top)

    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" class="chart indicator-chart" role="img" width="{WIDTH}" '
        f'height="{HEIGHT}" viewBox="0 0 {WIDTH} {HEIGHT}" '
        f'font-family="DejaVu Sans, sans-serif" font-size="12" aria-labelledby="{ident}-title {ident}-desc">',
        f'<title id="{ident}-title">{escape(title)}</title>',
        f'<desc id="{ident}-desc">{escape(description)}</desc>',
    ]
    for share in (0, 2, 4):
        value = top * share / 4
        parts.append(
            f'<line x1="{LEFT}" y1="{y(value):.1f}" x2="{WIDTH - RIGHT}" y2="{y(value):.1f}" stroke="{GRID}"/>'
        )
        parts.append(
            f'<text x="{LEFT - 6}" y="{y(value) + 4:.1f}" text-anchor="end" fill="{TARGET}">{escape(fmt(value))}</text>'
        )
    step = plot_w / max(len(bars), 1)
    width = min(36.0, step * 0.5)
    for n, bar in enumerate(bars):
        middle = LEFT + step * (n + 0.5)
        if bar.actual is not None:
            top_y = y(bar.actual)
            parts.append(
                f'<rect x="{middle - width / 2:.1f}" y="{top_y:.1f}" width="{width:.1f}" '
                f'height="{max(base - top_y, 0.5):.1f}" fill="{ACTUAL}"/>'
            )
        if bar.target is not None and bar.upper is not None:
            parts.append(
                f'<rect x="{middle - width * 0.75:.1f}" y="{y(bar.upper):.1f}" width="{width * 1.5:.1f}" '
                f'height="{max(y(bar.target) - y(bar.upper), 2):.1f}" fill="none" stroke="{BAND}" '
                f'stroke-width="2" stroke-dasharray="4 2"/>'
            )
        elif bar.target is not None:
            ty = y(bar.target)
            parts.append(
                f'<line x1="{middle - width * 0.75:.1f}" y1="{ty:.1f}" x2="{middle + width * 0.75:.1f}" '
                f'y2="{ty:.1f}" stroke="{TARGET}" stroke-width="3"/>'
            )
        parts.append(
            f'<text x="{middle:.1f}" y="{base + 16}" text-anchor="middle" fill="{TARGET}">{escape(bar.label)}</text>'
        )
    # The legend: what a bar and a tick mean.
    ly = HEIGHT - 10
    parts.append(f'<rect x="{LEFT}" y="{ly - 9}" width="12" height="10" fill="{ACTUAL}"/>')
    parts.append(f'<text x="{LEFT + 16}" y="{ly}" fill="{TARGET}">{escape(legend[0])}</text>')
    parts.append(
        f'<line x1="{LEFT + 150}" y1="{ly - 4}" x2="{LEFT + 166}" y2="{ly - 4}" stroke="{TARGET}" stroke-width="3"/>'
    )
    parts.append(f'<text x="{LEFT + 172}" y="{ly}" fill="{TARGET}">{escape(legend[1])}</text>')
    parts.append("</svg>")
    return "".join(parts)
