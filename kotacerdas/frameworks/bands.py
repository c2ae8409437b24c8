"""Band tables: map a number to a class (population → size class, index → predicate).

Plain Python, no Django, so it can be property-tested and reused by the CLI and reports.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal

from kotacerdas.frameworks.problem import Problem, gettext_noop


@dataclass(frozen=True)
class Band:
    code: str
    label: str
    lower: Decimal | None  # None: open below (the lowest band)
    inclusive: bool = True  # whether ``lower`` itself belongs to this band


def _admits(band: Band, value: Decimal) -> bool:
    if band.lower is None:
        return True
    return value >= band.lower if band.inclusive else value > band.lower


def classify(value: Decimal | int | float, bands: Sequence[Band]) -> Band | None:
    """The highest band whose lower bound ``value`` reaches; None if below every band."""
    number = Decimal(str(value))
    chosen: Band | None = None
    for band in sorted(bands, key=_sort_key):
        if _admits(band, number):
            chosen = band
    return chosen


def _sort_key(band: Band) -> tuple[int, Decimal, int]:
    if band.lower is None:
        return (0, Decimal(0), 0)
    # At the same bound, the exclusive band starts just after the inclusive one.
    return (1, band.lower, 0 if band.inclusive else 1)


def band_problems(bands: Sequence[Band]) -> list[Problem]:
    """Why a band table is unusable; empty when it is fine."""
    problems: list[Problem] = []
    if not bands:
        return [Problem("no_bands", gettext_noop("The table has no bands."))]
    bounds = [b.lower for b in bands if b.lower is not None]
    if len(bounds) != len(set(bounds)):
        problems.append(Problem("same_bound", gettext_noop("Two bands start at the same value.")))
    if sum(1 for b in bands if b.lower is None) > 1:
        problems.append(Problem("open_bands", gettext_noop("Only the lowest band may have no lower bound.")))
    return problems
