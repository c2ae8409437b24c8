"""The selection problem as plain data: candidates, criteria, weights, scores and constraints.

Everything here is immutable and validated by :mod:`.parse`; the computations in the other
modules of the engine take a :class:`Problem` and never look at files or the database.
"""

from __future__ import annotations

import enum
from dataclasses import dataclass, field
from decimal import Decimal
from functools import cached_property

FORMAT = "kotacerdas-quickwins/1"


class Direction(enum.StrEnum):
    BENEFIT = "benefit"  # a higher score is better
    COST = "cost"  # a higher score is worse: counted inversely


class Aggregation(enum.StrEnum):
    MEAN = "mean"
    GEOMETRIC = "geometric"


class Must(enum.StrEnum):
    INCLUDE = "include"
    EXCLUDE = "exclude"


@dataclass(frozen=True)
class CostLine:
    """What a candidate needs from one budget source in one year, in rupiah."""

    year: int
    source: str
    amount: Decimal


@dataclass(frozen=True)
class Candidate:
    id: str
    name: str
    dimension: str
    opd: str = ""
    costs: tuple[CostLine, ...] = ()
    requires: tuple[str, ...] = ()  # chosen only if every one of these is chosen too
    excludes: tuple[str, ...] = ()  # never chosen together with any of these
    must: Must | None = None

    @property
    def total_cost(self) -> Decimal:
        return sum((line.amount for line in self.costs), Decimal(0))


@dataclass(frozen=True)
class Criterion:
    id: str
    name: str
    direction: Direction = Direction.BENEFIT


@dataclass(frozen=True)
class BudgetCap:
    """Spending of the chosen candidates in ``year`` (all years if None) from ``source`` (all if None)."""

    amount: Decimal
    year: int | None = None
    source: str | None = None

    def covers(self, line: CostLine) -> bool:
        return (self.year is None or line.year == self.year) and (self.source is None or line.source == self.source)

    def spending(self, candidate: Candidate) -> Decimal:
        return sum((line.amount for line in candidate.costs if self.covers(line)), Decimal(0))

    @property
    def key(self) -> str:
        return f"{self.year if self.year is not None else '*'}/{self.source if self.source is not None else '*'}"


@dataclass(frozen=True)
class DimensionLimit:
    code: str
    name: str
    minimum: int
    maximum: int | None  # None: no upper limit
    # False when the default "exactly one where possible" applies; not part of equality, since a
    # written-out file states every limit explicitly and must still read back equal.
    explicit: bool = field(default=False, compare=False)


@dataclass(frozen=True)
class Pairwise:
    """A pairwise comparison matrix over the criteria, in the order of ``Problem.criteria``."""

    matrix: tuple[tuple[float, ...], ...]


@dataclass(frozen=True)
class Problem:
    """A validated selection round, ready to score and solve."""

    title: str
    year: int | None
    candidates: tuple[Candidate, ...]
    criteria: tuple[Criterion, ...]
    scores: dict[str, dict[str, dict[str, float]]]  # evaluator -> candidate -> criterion -> score
    weights: tuple[float, ...] | None = None  # given directly (normalised to sum 1), or
    pairwise: Pairwise | None = None  # derived from the pairwise matrix by AHP
    aggregation: Aggregation = Aggregation.MEAN
    scale_min: int = 1
    scale_max: int = 5
    dimensions: tuple[DimensionLimit, ...] = ()
    caps: tuple[BudgetCap, ...] = ()
    max_per_opd: int | None = None
    opd_limits: dict[str, int] = field(default_factory=dict)

    def candidate(self, candidate_id: str) -> Candidate:
        return self.candidates[self.index[candidate_id]]

    @cached_property
    def index(self) -> dict[str, int]:
        return {c.id: i for i, c in enumerate(self.candidates)}

    @property
    def evaluators(self) -> list[str]:
        return sorted(self.scores)

    def opd_limit(self, opd: str) -> int | None:
        return self.opd_limits.get(opd, self.max_per_opd)
