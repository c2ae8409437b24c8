"""Reporting periods of an adopted plan, in plain Python.

A plan reports monthly or quarterly (triwulan). Periods follow the calendar: quarters start in
January, April, July and October. Each period is due ``grace_days`` after its last day (the
default of 10 days is the programme's choice [verify]; a plan may set its own).

A plan may change its cadence; the change applies "from the next period on" in one rule that
holds for both directions: from the first quarter that starts after the day of the change (a
quarter start is a period start of both cadences, so no period is ever cut in two). A change
made on 2025-02-10 applies from 2025-04-01; one made on 2025-04-01 (Q2 has begun) from 2025-07-01.
Keys are stable and sort in time order: ``2025-Q1``, ``2025-M03``.
"""

from __future__ import annotations

import datetime
import enum
import re
from collections.abc import Iterator, Sequence
from dataclasses import dataclass

DEFAULT_GRACE_DAYS = 10
KEY = re.compile(r"^(\d{4})-(Q([1-4])|M(0[1-9]|1[0-2]))$")


class Cadence(enum.Enum):
    MONTHLY = "monthly"
    QUARTERLY = "quarterly"


@dataclass(frozen=True)
class Period:
    start: datetime.date
    end: datetime.date
    cadence: Cadence

    @property
    def year(self) -> int:
        return self.start.year

    @property
    def number(self) -> int:
        """The quarter (1–4) or the month (1–12) within the year."""
        return (self.start.month - 1) // 3 + 1 if self.cadence is Cadence.QUARTERLY else self.start.month

    @property
    def key(self) -> str:
        if self.cadence is Cadence.QUARTERLY:
            return f"{self.year}-Q{self.number}"
        return f"{self.year}-M{self.number:02d}"

    def due(self, grace_days: int = DEFAULT_GRACE_DAYS) -> datetime.date:
        return self.end + datetime.timedelta(days=grace_days)

    def contains(self, day: datetime.date) -> bool:
        return self.start <= day <= self.end


def _month_end(year: int, month: int) -> datetime.date:
    first_next = datetime.date(year + month // 12, month % 12 + 1, 1)
    return first_next - datetime.timedelta(days=1)


def period_of(day: datetime.date, cadence: Cadence) -> Period:
    """The period of ``cadence`` that contains ``day``."""
    if cadence is Cadence.MONTHLY:
        return Period(day.replace(day=1), _month_end(day.year, day.month), cadence)
    first_month = (day.month - 1) // 3 * 3 + 1
    return Period(datetime.date(day.year, first_month, 1), _month_end(day.year, first_month + 2), cadence)


def parse_key(key: str) -> Period:
    """The period of a key such as ``2025-Q1`` or ``2025-M03``; ValueError otherwise."""
    match = KEY.match(key.strip())
    if not match:
        raise ValueError(f"{key!r} is not a period (write 2025-Q1 or 2025-M03).")
    year = int(match.group(1))
    if not 1900 <= year <= 2200:
        raise ValueError(f"{key!r} is not a period (write 2025-Q1 or 2025-M03).")
    if match.group(3):
        return period_of(datetime.date(year, (int(match.group(3)) - 1) * 3 + 1, 1), Cadence.QUARTERLY)
    return period_of(datetime.date(year, int(match.group(4)), 1), Cadence.MONTHLY)


def effective_from(changed_on: datetime.date) -> datetime.date:
    """The first day a cadence chosen on ``changed_on`` applies: the start of the next quarter."""
    quarter = period_of(changed_on, Cadence.QUARTERLY)
    return quarter.end + datetime.timedelta(days=1)


def schedule(
    first: datetime.date,
    last: datetime.date,
    cadence: Cadence,
    changes: Sequence[tuple[datetime.date, Cadence]] = (),
) -> list[Period]:
    """Every period from the one containing ``first`` to the one containing ``last``.

    ``cadence`` is the plan's cadence from the start; ``changes`` are (day chosen, new cadence),
    each applying from :func:`effective_from` that day. The first period starts on a quarter
    start too, so a plan always begins with whole periods of either cadence.
    """
    if last < first:
        return []
    # Changes taking effect together: the one chosen later wins (and, on one day, the one listed later).
    ordered = sorted(changes, key=lambda change: (effective_from(change[0]), change[0]))
    starts = [(effective_from(day), new) for day, new in ordered]
    return list(_periods(period_of(first, Cadence.QUARTERLY).start, last, cadence, starts))


def _periods(
    day: datetime.date, last: datetime.date, cadence: Cadence, starts: list[tuple[datetime.date, Cadence]]
) -> Iterator[Period]:
    pending = list(starts)
    while day <= last:
        while pending and pending[0][0] <= day:
            cadence = pending.pop(0)[1]
        period = period_of(day, cadence)
        yield period
        day = period.end + datetime.timedelta(days=1)
