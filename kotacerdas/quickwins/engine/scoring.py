"""Combining evaluators' scores into one value per candidate.

Per candidate and criterion the evaluators' scores combine by mean or geometric mean; their
disagreement is kept (standard deviation and spread, max − min). Each combined score is put on
0–1 across the scale (a cost criterion the other way round: a high cost score counts as low
value), and the candidate's value is the weighted sum on 0–100.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass

from kotacerdas.quickwins.engine.ahp import AhpResult, ahp
from kotacerdas.quickwins.engine.model import Aggregation, Direction, Problem

VALUE_SCALE = 100.0


@dataclass(frozen=True)
class Cell:
    """The scores one candidate got on one criterion."""

    scores: tuple[float, ...]
    combined: float
    std: float  # population standard deviation across evaluators
    spread: float  # highest minus lowest score

    @property
    def count(self) -> int:
        return len(self.scores)


@dataclass(frozen=True)
class Scoring:
    weights: tuple[float, ...]
    ahp: AhpResult | None
    cells: tuple[tuple[Cell | None, ...], ...]  # [candidate][criterion]; None: not scored (excluded)
    normalised: tuple[tuple[float, ...], ...]  # [candidate][criterion], 0–1, cost criteria inverted
    values: tuple[float, ...]  # [candidate], 0–100
    disagreement_threshold: float  # a spread above this (half the scale) is flagged as disagreement

    def disagreement(self, candidate: int) -> tuple[float, int | None]:
        """The largest spread of a candidate's scores and the criterion it is on."""
        best, where = 0.0, None
        for k, cell in enumerate(self.cells[candidate]):
            if cell is not None and cell.spread > best:
                best, where = cell.spread, k
        return best, where

    def complete(self, candidate: int) -> bool:
        """Scored on every criterion (by at least one evaluator)."""
        return all(cell is not None for cell in self.cells[candidate])

    def disputed(self, candidate: int) -> bool:
        return self.disagreement(candidate)[0] > self.disagreement_threshold


def combine(scores: Sequence[float], aggregation: Aggregation) -> float:
    if aggregation is Aggregation.GEOMETRIC:
        return math.exp(sum(math.log(s) for s in scores) / len(scores))
    return sum(scores) / len(scores)


def _cell(scores: Sequence[float], aggregation: Aggregation) -> Cell:
    mean = sum(scores) / len(scores)
    std = math.sqrt(sum((s - mean) ** 2 for s in scores) / len(scores))
    return Cell(tuple(scores), combine(scores, aggregation), std, max(scores) - min(scores))


def values_for(weights: Sequence[float], normalised: Sequence[Sequence[float]]) -> tuple[float, ...]:
    total = sum(weights)
    return tuple(VALUE_SCALE * sum(w * x for w, x in zip(weights, row, strict=True)) / total for row in normalised)


def problem_weights(problem: Problem) -> tuple[tuple[float, ...], AhpResult | None]:
    if problem.pairwise is not None:
        result = ahp(problem.pairwise.matrix)
        return result.weights, result
    assert problem.weights is not None, "the parser guarantees weights or a pairwise matrix"
    return problem.weights, None


def score(problem: Problem) -> Scoring:
    weights, ahp_result = problem_weights(problem)
    low, high = problem.scale_min, problem.scale_max
    cells: list[tuple[Cell | None, ...]] = []
    normalised: list[tuple[float, ...]] = []
    for candidate in problem.candidates:
        row_cells: list[Cell | None] = []
        row: list[float] = []
        for criterion in problem.criteria:
            given = [
                problem.scores[e][candidate.id][criterion.id]
                for e in problem.evaluators
                if criterion.id in problem.scores[e].get(candidate.id, {})
            ]
            if not given:
                row_cells.append(None)
                row.append(0.0)
                continue
            cell = _cell(given, problem.aggregation)
            row_cells.append(cell)
            position = (cell.combined - low) / (high - low)
            row.append(1.0 - position if criterion.direction is Direction.COST else position)
        cells.append(tuple(row_cells))
        normalised.append(tuple(row))
    values = []
    for scored, marks in zip(cells, normalised, strict=True):
        # A candidate not yet scored on every criterion is valued on those it was scored on
        # (a provisional ranking while scoring goes on); complete rows are the plain weighted sum.
        present = [w for w, cell in zip(weights, scored, strict=True) if cell is not None]
        if len(present) == len(weights):
            values.append(values_for(weights, [marks])[0])
        elif present and sum(present) > 0:
            total = sum(w * x for w, x, cell in zip(weights, marks, scored, strict=True) if cell is not None)
            values.append(VALUE_SCALE * total / sum(present))
        else:
            values.append(0.0)
    return Scoring(
        weights=tuple(weights),
        ahp=ahp_result,
        cells=tuple(cells),
        normalised=tuple(normalised),
        values=tuple(values),
        disagreement_threshold=(high - low) / 2,
    )
