"""Why each left-out candidate is out, and what the optimisation gains over a simple ranking.

For a left-out candidate the engine forces it in and re-solves: the value lost and the chosen
candidates it would displace follow. It then looks for the smallest budget increase (raising
every cap by the same amount) and the smallest rise of one criterion's weight (the others scaled
down) at which it belongs to an optimal selection, by bisection on exact re-solves. "Belongs to
an optimal selection" is tested as: the best selection with it is worth as much as the best
selection overall, so ties count as in.
"""

from __future__ import annotations

import time
from collections.abc import Sequence
from dataclasses import dataclass, field
from decimal import Decimal

from kotacerdas.quickwins.engine.infeasibility import Conflict
from kotacerdas.quickwins.engine.infeasibility import explain as explain_conflict
from kotacerdas.quickwins.engine.messages import Message, gettext_noop
from kotacerdas.quickwins.engine.model import Must, Problem
from kotacerdas.quickwins.engine.scoring import Scoring, values_for
from kotacerdas.quickwins.engine.solver import TOLERANCE, SelectionModel, Solution

BUDGET_RESOLUTION = Decimal(1_000_000)  # one juta: finer steps mean nothing in a budget forum
SHARE_RESOLUTION = 0.005  # half a percentage point of weight
SHARE_CEILING = 0.95  # a criterion holding 95 % of the weight is as far as it is worth looking
CRITERIA_TRIED = 2


@dataclass
class LeftOut:
    index: int
    analysed: bool = True
    decided: bool = False  # left out by a must-exclude decision
    conflict: Conflict | None = None  # it cannot be chosen at all under the constraints
    loss: float | None = None  # value lost by forcing it in
    displaces: tuple[int, ...] = ()
    brings: tuple[int, ...] = ()  # other candidates that come in with it
    budget_increase: Decimal | None = None
    weight_change: tuple[int, float, float] | None = None  # criterion, weight now, weight needed
    notes: list[Message] = field(default_factory=list)


@dataclass(frozen=True)
class RankingComparison:
    chosen: tuple[int, ...]  # what a simple ranking by value picks
    value: float
    difference: float  # optimal − simple
    feasible: bool  # whether the simple pick meets every constraint (minimums and must-includes)
    notes: tuple[Message, ...]


def _in_optimum(model: SelectionModel, j: int, values: Sequence[float] | None, cap_extra: Decimal) -> bool:
    free = model.solve(values, cap_extra=cap_extra)
    if not free.feasible:
        return False
    if j in free.chosen:
        return True
    forced = model.solve(values, fix_in=[j], cap_extra=cap_extra)
    return forced.feasible and forced.objective >= free.objective - TOLERANCE


def _budget_increase(model: SelectionModel, j: int) -> Decimal | None:
    problem = model.problem
    if not problem.caps:
        return None
    ceiling = sum((c.total_cost for c in problem.candidates), Decimal(0)) + BUDGET_RESOLUTION
    if not _in_optimum(model, j, None, ceiling):
        return None  # even an unlimited budget would not bring it in: the budget is not the reason
    low, high = Decimal(0), ceiling
    while high - low > BUDGET_RESOLUTION:
        middle = ((low + high) / 2).quantize(Decimal(1))
        if _in_optimum(model, j, None, middle):
            high = middle
        else:
            low = middle
    # The bisection lands within a juta of the threshold; the selection with the candidate at that
    # budget usually tells the exact amount (what it spends beyond the caps).
    with_it = model.solve(fix_in=[j], cap_extra=high)
    if with_it.feasible:
        exact = max((used - cap.amount for cap, used in model.spending(with_it.chosen)), default=Decimal(0))
        if Decimal(0) < exact <= high and _in_optimum(model, j, None, exact):
            return exact
    return high


def _weighted(weights: Sequence[float], k: int, share: float) -> list[float]:
    rest = sum(w for n, w in enumerate(weights) if n != k)
    if rest <= 0:
        return [1.0 if n == k else 0.0 for n in range(len(weights))]
    return [share if n == k else w * (1 - share) / rest for n, w in enumerate(weights)]


def _weight_change(
    model: SelectionModel, scoring: Scoring, j: int, rivals: Sequence[int]
) -> tuple[int, float, float] | None:
    weights = scoring.weights
    normalised = scoring.normalised
    rivals = list(rivals) or [i for i in range(len(normalised)) if i != j]
    advantage = [
        (normalised[j][k] - sum(normalised[r][k] for r in rivals) / len(rivals), k) for k in range(len(weights))
    ]
    best: tuple[int, float, float] | None = None
    for gain, k in sorted(advantage, reverse=True)[:CRITERIA_TRIED]:
        if gain <= 0 or weights[k] >= SHARE_CEILING:
            continue
        if not _in_optimum(model, j, values_for(_weighted(weights, k, SHARE_CEILING), normalised), Decimal(0)):
            continue
        low, high = weights[k], SHARE_CEILING
        while high - low > SHARE_RESOLUTION:
            middle = (low + high) / 2
            if _in_optimum(model, j, values_for(_weighted(weights, k, middle), normalised), Decimal(0)):
                high = middle
            else:
                low = middle
        if best is None or high - weights[k] < best[2] - best[1]:
            best = (k, weights[k], high)
    return best


def explain_left_out(
    model: SelectionModel, scoring: Scoring, optimum: Solution, limit: int = 60, time_budget: float = 60.0
) -> list[LeftOut]:
    """An explanation for every candidate not chosen; the ``limit`` most valuable are analysed."""
    problem: Problem = model.problem
    chosen = set(optimum.chosen)
    left = sorted((i for i in range(len(problem.candidates)) if i not in chosen), key=lambda i: -scoring.values[i])
    started = time.perf_counter()
    result: list[LeftOut] = []
    for position, j in enumerate(left):
        candidate = problem.candidates[j]
        entry = LeftOut(j)
        result.append(entry)
        if candidate.must is Must.EXCLUDE:
            entry.decided = True
            continue
        if position >= limit or time.perf_counter() - started > time_budget:
            entry.analysed = False
            continue
        forced = model.solve(fix_in=[j])
        if not forced.feasible:
            entry.conflict = explain_conflict(model, fix_in=[j], time_budget=2.0)
            if any(group.kind == "cap" for group in entry.conflict.groups):
                entry.budget_increase = _budget_increase(model, j)
            continue
        entry.loss = max(0.0, optimum.objective - forced.objective)
        entry.displaces = tuple(sorted(chosen - set(forced.chosen)))
        entry.brings = tuple(sorted(set(forced.chosen) - chosen - {j}))
        if entry.loss <= TOLERANCE:
            entry.notes.append(
                Message(
                    gettext_noop("It ties with the chosen set: an equally good selection includes it."),
                    {},
                    "tie",
                )
            )
            continue
        entry.budget_increase = _budget_increase(model, j)
        rivals = entry.displaces or tuple(i for i in chosen if problem.candidates[i].dimension == candidate.dimension)
        entry.weight_change = _weight_change(model, scoring, j, rivals)
    return result


def simple_ranking(model: SelectionModel, values: Sequence[float]) -> tuple[list[int], list[Message]]:
    """What a forum would pick going down the list by value, taking what still fits."""
    problem = model.problem
    order = sorted(range(len(problem.candidates)), key=lambda i: (-values[i], problem.candidates[i].id))
    must_first = [i for i in order if problem.candidates[i].must is Must.INCLUDE]
    picked: list[int] = []
    spend = {cap.key: Decimal(0) for cap in problem.caps}
    per_dimension: dict[str, int] = {}
    per_opd: dict[str, int] = {}
    limits = {d.code: d for d in problem.dimensions}
    index = problem.index
    for i in must_first + [i for i in order if i not in must_first]:
        candidate = problem.candidates[i]
        if candidate.must is Must.EXCLUDE:
            continue
        limit = limits.get(candidate.dimension)
        if limit and limit.maximum is not None and per_dimension.get(candidate.dimension, 0) >= limit.maximum:
            continue
        opd_limit = problem.opd_limit(candidate.opd) if candidate.opd else None
        if opd_limit is not None and per_opd.get(candidate.opd, 0) >= opd_limit:
            continue
        if any(index[r] not in picked for r in candidate.requires):
            continue
        if any(index[x] in picked for x in candidate.excludes) or any(
            candidate.id in problem.candidates[p].excludes for p in picked
        ):
            continue
        if any(spend[cap.key] + cap.spending(candidate) > cap.amount for cap in problem.caps):
            continue
        picked.append(i)
        for cap in problem.caps:
            spend[cap.key] += cap.spending(candidate)
        per_dimension[candidate.dimension] = per_dimension.get(candidate.dimension, 0) + 1
        if candidate.opd:
            per_opd[candidate.opd] = per_opd.get(candidate.opd, 0) + 1
    notes: list[Message] = []
    for limit in problem.dimensions:
        if per_dimension.get(limit.code, 0) < limit.minimum:
            notes.append(
                Message(
                    gettext_noop("The simple ranking leaves dimension %(dimension)s below its minimum of %(n)s."),
                    {"dimension": limit.name, "n": limit.minimum},
                    "simple_short",
                )
            )
    for i in must_first:
        if i not in picked:
            notes.append(
                Message(
                    gettext_noop("The simple ranking cannot fit the must-include %(a)s."),
                    {"a": problem.candidates[i].name},
                    "simple_must",
                )
            )
    return picked, notes


def compare_with_ranking(model: SelectionModel, scoring: Scoring, optimum: Solution) -> RankingComparison:
    picked, notes = simple_ranking(model, scoring.values)
    value = sum(scoring.values[i] for i in picked)
    return RankingComparison(
        chosen=tuple(sorted(picked)),
        value=value,
        difference=optimum.objective - value,
        feasible=not notes,
        notes=tuple(notes),
    )
