"""Server-side SVG charts of scores (0-100): a radar and horizontal bars, one or two series.

Plain strings so the same code serves the page and a PDF renderer; labels are escaped here.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass
from html import escape

COLOURS = ("#1d70b8", "#d4351c", "#00703c")  # series colours; also told apart by dash and legend
DASHES = ("", ' stroke-dasharray="6 4"', ' stroke-dasharray="2 3"')


@dataclass(frozen=True)
class Series:
    name: str
    values: Sequence[float | None]  # one per axis, None = not applicable (drawn at 0, marked)


def _fmt(x: float) -> str:
    return f"{x:.1f}"


def radar(axes: Sequence[str], series: Sequence[Series], title: str, size: int = 420) -> str:
    """A radar chart; needs three axes or more (use :func:`bars` otherwise)."""
    n = len(axes)
    pad = 110  # room for long axis labels left and right
    cx, cy = size / 2 + pad, size / 2
    radius = size / 2 - 50
    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {size + 2 * pad} {size + 30 * len(series)}" '
        f'role="img" aria-label="{escape(title)}" class="chart chart-radar"><title>{escape(title)}</title>'
    ]

    def point(k: int, value: float) -> tuple[float, float]:
        angle = -math.pi / 2 + 2 * math.pi * k / n
        r = radius * max(0.0, min(value, 100.0)) / 100
        return cx + r * math.cos(angle), cy + r * math.sin(angle)

    for ring in (20, 40, 60, 80, 100):
        ring_points = " ".join(f"{_fmt(x)},{_fmt(y)}" for x, y in (point(k, ring) for k in range(n)))
        parts.append(f'<polygon points="{ring_points}" fill="none" stroke="#b1b4b6" stroke-width="1"/>')
    for k, label in enumerate(axes):
        x, y = point(k, 100)
        lx, ly = point(k, 118)
        anchor = "middle" if abs(lx - cx) < 10 else ("start" if lx > cx else "end")
        parts.append(f'<line x1="{_fmt(cx)}" y1="{_fmt(cy)}" x2="{_fmt(x)}" y2="{_fmt(y)}" stroke="#b1b4b6"/>')
        parts.append(
            f'<text x="{_fmt(lx)}" y="{_fmt(ly)}" text-anchor="{anchor}" font-size="12" '
            f'dominant-baseline="middle">{escape(label)}</text>'
        )
    for s_index, s in enumerate(series):
        colour = COLOURS[s_index % len(COLOURS)]
        dash = DASHES[s_index % len(DASHES)]
        pts = " ".join(f"{_fmt(x)},{_fmt(y)}" for x, y in (point(k, v or 0) for k, v in enumerate(s.values)))
        parts.append(
            f'<polygon points="{pts}" fill="{colour}" fill-opacity="0.15" stroke="{colour}" stroke-width="2"{dash}/>'
        )
        for k, v in enumerate(s.values):
            x, y = point(k, v or 0)
            label = "n/a" if v is None else _fmt(v)
            parts.append(
                f'<circle cx="{_fmt(x)}" cy="{_fmt(y)}" r="3" fill="{colour}">'
                f"<title>{escape(axes[k])}: {label}</title></circle>"
            )
        ly = size + 20 + 30 * s_index
        parts.append(f'<rect x="20" y="{ly - 10}" width="14" height="14" fill="{colour}"/>')
        parts.append(f'<text x="42" y="{ly + 2}" font-size="13">{escape(s.name)}</text>')
    parts.append("</svg>")
    return "".join(parts)


def bars(axes: Sequence[str], series: Sequence[Series], title: str, width: int = 560) -> str:
    """Horizontal bars, one group per axis, with the score written at the end of each bar."""
    label_w, bar_h, gap = 180, 16, 10
    group_h = bar_h * len(series) + gap
    height = group_h * len(axes) + 40
    plot_w = width - label_w - 50
    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {width} {height}" role="img" '
        f'aria-label="{escape(title)}" class="chart chart-bars"><title>{escape(title)}</title>'
    ]
    for tick in (0, 20, 40, 60, 80, 100):
        x = label_w + plot_w * tick / 100
        parts.append(f'<line x1="{_fmt(x)}" y1="0" x2="{_fmt(x)}" y2="{height - 30}" stroke="#e5e6e7"/>')
        parts.append(f'<text x="{_fmt(x)}" y="{height - 14}" font-size="11" text-anchor="middle">{tick}</text>')
    for k, label in enumerate(axes):
        top = k * group_h + 4
        parts.append(
            f'<text x="{label_w - 8}" y="{top + group_h / 2}" font-size="12" text-anchor="end" '
            f'dominant-baseline="middle">{escape(label)}</text>'
        )
        for s_index, s in enumerate(series):
            value = s.values[k]
            colour = COLOURS[s_index % len(COLOURS)]
            y = top + s_index * bar_h
            w = plot_w * max(0.0, min(value or 0, 100)) / 100
            text = "n/a" if value is None else _fmt(value)
            parts.append(
                f'<rect x="{label_w}" y="{y}" width="{_fmt(w)}" height="{bar_h - 3}" fill="{colour}">'
                f"<title>{escape(s.name)} · {escape(label)}: {text}</title></rect>"
            )
            parts.append(f'<text x="{_fmt(label_w + w + 4)}" y="{y + bar_h - 5}" font-size="11">{text}</text>')
    parts.append("</svg>")
    return "".join(parts)
