"""The explanation of left-out candidates as it was before issue 17: every figure by re-solving.

Kept verbatim as the oracle of the property tests: the engine's faster explanations (one solve
for the summary, shared free solves and relaxation bounds for the detail) must state the same
exact figures as these re-solves, and their bounds must never contradict them.
"""

from __future__ import annotations

import time
from collections.abc import Sequence
from decimal import Decimal

from kotacerdas.quickwins.engine.explain import (
    BUDGET_RESOLUTION,
    CRITERIA_TRIED,
    SHARE_CEILING,
    SHARE_RESOLUTION,
    LeftOut,
    _weighted,
)
from kotacerdas.quickwins.engine.infeasibility import explain as explain_conflict
from kotacerdas.quickwins.engine.messages import Message, gettext_noop
from kotacerdas.quickwins.engine.model import Must, Problem
from kotacerdas.quickwins.engine.scoring import Scoring, values_for
from kotacerdas.quickwins.engine.solver import TOLERANCE, SelectionModel, Solution


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


def reference_left_out(
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
