"""Pure computations of the assistance: attendance rates, time to resolve, SVG bars, reminders.

No database access: selectors gather the rows, these functions compute and render, so the
page, the PDF and the command line share them and hypothesis can test them.
"""

from __future__ import annotations

import datetime
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from html import escape
from statistics import median

PRESENT = ("head", "delegate")


@dataclass(frozen=True)
class Rate:
    label: str
    present: int
    head: int
    sessions: int

    @property
    def percent(self) -> int:
        return round(100 * self.present / self.sessions) if self.sessions else 0


def attendance_rates(rows: Iterable[tuple[str, str]], expected: dict[str, int]) -> list[Rate]:
    """Attendance rate per agency: ``rows`` are (agency, status); ``expected`` the number of
    sessions each agency was expected at (a session without a row for it counts as absent)."""
    present: dict[str, int] = {}
    head: dict[str, int] = {}
    for label, status in rows:
        if status in PRESENT:
            present[label] = present.get(label, 0) + 1
        if status == "head":
            head[label] = head.get(label, 0) + 1
    rates = [
        Rate(label, min(present.get(label, 0), n), min(head.get(label, 0), n), n)
        for label, n in expected.items()
        if n > 0
    ]
    return sorted(rates, key=lambda r: (-r.percent, r.label))


def resolve_days(pairs: Iterable[tuple[datetime.date, datetime.date]]) -> dict[str, float | int | None]:
    """Count, median and maximum days from opened to resolved."""
    days = [max(0, (end - start).days) for start, end in pairs]
    if not days:
        return {"count": 0, "median": None, "max": None}
    return {"count": len(days), "median": float(median(days)), "max": max(days)}


def bar_chart(items: Sequence[tuple[str, float]], *, title: str, unit: str = "", width: int = 480) -> str:
    """A horizontal bar chart as inline SVG (server-side; the same markup serves page and PDF)."""
    bar_h, gap, label_w = 18, 6, 170
    height = max(1, len(items)) * (bar_h + gap) + gap
    top = max((v for _label, v in items), default=0) or 1
    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" role="img" width="{width}" height="{height}" '
        f'viewBox="0 0 {width} {height}" class="chart"><title>{escape(title)}</title>'
    ]
    span = width - label_w - 50
    for i, (label, value) in enumerate(items):
        y = gap + i * (bar_h + gap)
        w = max(0.0, span * value / top)
        text = f"{value:g}{unit}"
        parts.append(
            f'<text x="{label_w - 6}" y="{y + 13}" text-anchor="end" font-size="12">{escape(label[:28])}</text>'
            f'<rect x="{label_w}" y="{y}" width="{w:.1f}" height="{bar_h}" fill="#1d70b8"><title>'
            f"{escape(label)}: {escape(text)}</title></rect>"
            f'<text x="{label_w + w + 4:.1f}" y="{y + 13}" font-size="12">{escape(text)}</text>'
        )
    parts.append("</svg>")
    return "".join(parts)


DUE_SOON, OVERDUE = "due_soon", "overdue"


def reminder_kind(
    due_on: datetime.date, last_reminded_on: datetime.date | None, today: datetime.date, days_ahead: int
) -> str | None:
    """Which reminder an open action needs today, if any.

    One "due soon" reminder within ``days_ahead`` days of the due date; once overdue, a first
    "overdue" reminder and then one a week, so a daily scheduled run never floods an owner.
    """
    if today > due_on:
        if last_reminded_on is None or last_reminded_on <= due_on or (today - last_reminded_on).days >= 7:
            return OVERDUE
        return None
    if (due_on - today).days <= days_ahead:
        window_start = due_on - datetime.timedelta(days=days_ahead)
        if last_reminded_on is None or last_reminded_on < window_start:
            return DUE_SOON
    return None
