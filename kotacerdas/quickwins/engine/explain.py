"""Why each left-out candidate is out, and what the optimisation gains over a simple ranking.

Two depths, chosen by :class:`Level`:

* **summary**, from one solve: the LP relaxation of the selection, solved once, gives every
  left-out candidate a proven lower bound on the value lost by forcing it in (its reduced cost
  against the relaxation's optimum; by weak duality no selection with it is worth more than the
  relaxation's optimum plus that reduced cost). That bound is also how far its own value would
  have to rise before it is chosen: raising one candidate's value by d raises every selection
  with it by d and leaves the others alone. For the most valuable few the relaxation is solved
  again with the candidate fixed in (warm start: a handful of dual simplex pivots), which
  tightens the bound or proves the candidate cannot be chosen at all.
* **detailed** (``all``), exact re-solves: the engine forces the candidate in and re-solves (the
  value lost, the chosen candidates it displaces), then looks for the smallest budget increase
  (raising every cap by the same amount) and the smallest rise of one criterion's weight (the
  others scaled down) at which it belongs to an optimal selection, by bisection. "Belongs to an
  optimal selection" is tested as: the best selection with it is worth as much as the best
  selection overall, so ties count as in. The best selection *without* the candidate forced in
  does not depend on the candidate, so those solves are shared by all candidates; and where the
  relaxation with the candidate fixed in is already worth less than that best selection, the
  integer re-solve is skipped. Both shortcuts are exact: the figures are those of re-solving
  everything (the property tests compare them with the old re-solve).

The web page stores the detail of the most valuable few and computes any other on demand
(:func:`explain_one`); the command line chooses with ``--explain none|summary|all``.
"""

from __future__ import annotations

import time
from collections.abc import Hashable, Sequence
from dataclasses import dataclass, field
from decimal import Decimal
from enum import StrEnum

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
RESOLVED = 20  # summary: the most valuable left-out candidates get the relaxation re-solved with them in
# A relaxation bound is a float from a solver with tolerances of 1e-9: a bound is only trusted to
# rule a candidate out (or reported) with this margin, relative to the objective.
MARGIN = 1e-7


class Level(StrEnum):
    NONE = "none"  # no explanation of left-out candidates
    SUMMARY = "summary"  # bounds from one solve of the relaxation, for every left-out candidate
    ALL = "all"  # exact re-solves for the most valuable (``limit``), the summary for the rest


@dataclass
class LeftOut:
    index: int
    analysed: bool = True  # the exact re-solve analysis was done
    decided: bool = False  # left out by a must-exclude decision
    summarised: bool = False  # the one-solve bounds below are filled in
    conflict: Conflict | None = None  # it cannot be chosen at all under the constraints
    loss: float | None = None  # value lost by forcing it in
    displaces: tuple[int, ...] = ()
    brings: tuple[int, ...] = ()  # other candidates that come in with it
    budget_increase: Decimal | None = None
    weight_change: tuple[int, float, float] | None = None  # criterion, weight now, weight needed
    loss_at_least: float | None = None  # summary: a proven lower bound on ``loss``
    relaxation_blocked: bool = False  # summary: not even a fraction of it fits (so it cannot be chosen)
    notes: list[Message] = field(default_factory=list)

    @property
    def blocked(self) -> bool:
        return self.conflict is not None or self.relaxation_blocked


@dataclass(frozen=True)
class RankingComparison:
    chosen: tuple[int, ...]  # what a simple ranking by value picks
    value: float
    difference: float  # optimal − simple
    feasible: bool  # whether the simple pick meets every constraint (minimums and must-includes)
    notes: tuple[Message, ...]


class _Oracle:
    """Exact answers to "is candidate j in an optimal selection?" under changed budgets or weights.

    The best selection without anything forced depends on the setting only, so it is solved once
    per setting for all candidates; a relaxation bound below it settles a "no" without the
    integer re-solve."""

    def __init__(self, model: SelectionModel, optimum: Solution) -> None:
        self.model = model
        self.free: dict[Hashable, Solution] = {("budget", Decimal(0)): optimum}
        self._relaxed: SelectionModel | None = None

    @property
    def relaxed(self) -> SelectionModel:
        if self._relaxed is None:
            self._relaxed = SelectionModel(self.model.problem, self.model.values, relaxed=True)
        return self._relaxed

    def best(self, key: Hashable, values: Sequence[float] | None, cap_extra: Decimal) -> Solution:
        if key not in self.free:
            self.free[key] = self.model.solve(values, cap_extra=cap_extra)
        return self.free[key]

    def in_optimum(self, j: int, key: Hashable, values: Sequence[float] | None, cap_extra: Decimal) -> bool:
        free = self.best(key, values, cap_extra)
        if not free.feasible:
            return False
        if j in free.chosen:
            return True
        bound = self.relaxed.bound(self.model.values if values is None else values, fix_in=(j,), cap_extra=cap_extra)
        if bound is None or bound < free.objective - MARGIN * max(1.0, abs(free.objective)):
            return False  # even a fraction of a selection with it is worth less: no need for the integer solve
        forced = self.model.solve(values, fix_in=[j], cap_extra=cap_extra)
        return forced.feasible and forced.objective >= free.objective - TOLERANCE


def _budget_increase(oracle: _Oracle, j: int) -> Decimal | None:
    model = oracle.model
    problem = model.problem
    if not problem.caps:
        return None

    def fits(extra: Decimal) -> bool:
        return oracle.in_optimum(j, ("budget", extra), None, extra)

    ceiling = sum((c.total_cost for c in problem.candidates), Decimal(0)) + BUDGET_RESOLUTION
    if not fits(ceiling):
        return None  # even an unlimited budget would not bring it in: the budget is not the reason
    low, high = Decimal(0), ceiling
    while high - low > BUDGET_RESOLUTION:
        middle = ((low + high) / 2).quantize(Decimal(1))
        if fits(middle):
            high = middle
        else:
            low = middle
    # The bisection lands within a juta of the threshold; the selection with the candidate at that
    # budget usually tells the exact amount (what it spends beyond the caps).
    with_it = model.solve(fix_in=[j], cap_extra=high)
    if with_it.feasible:
        exact = max((used - cap.amount for cap, used in model.spending(with_it.chosen)), default=Decimal(0))
        if Decimal(0) < exact <= high and fits(exact):
            return exact
    return high


def _weighted(weights: Sequence[float], k: int, share: float) -> list[float]:
    rest = sum(w for n, w in enumerate(weights) if n != k)
    if rest <= 0:
        return [1.0 if n == k else 0.0 for n in range(len(weights))]
    return [share if n == k else w * (1 - share) / rest for n, w in enumerate(weights)]


def _weight_change(oracle: _Oracle, scoring: Scoring, j: int, rivals: Sequence[int]) -> tuple[int, float, float] | None:
    weights = scoring.weights
    normalised = scoring.normalised
    rivals = list(rivals) or [i for i in range(len(normalised)) if i != j]
    advantage = [
        (normalised[j][k] - sum(normalised[r][k] for r in rivals) / len(rivals), k) for k in range(len(weights))
    ]

    def fits(k: int, share: float) -> bool:
        return oracle.in_optimum(
            j, ("weight", k, share), values_for(_weighted(weights, k, share), normalised), Decimal(0)
        )

    best: tuple[int, float, float] | None = None
    for gain, k in sorted(advantage, reverse=True)[:CRITERIA_TRIED]:
        if gain <= 0 or weights[k] >= SHARE_CEILING:
            continue
        if not fits(k, SHARE_CEILING):
            continue
        low, high = weights[k], SHARE_CEILING
        while high - low > SHARE_RESOLUTION:
            middle = (low + high) / 2
            if fits(k, middle):
                high = middle
            else:
                low = middle
        if best is None or high - weights[k] < best[2] - best[1]:
            best = (k, weights[k], high)
    return best


def _detail(oracle: _Oracle, scoring: Scoring, optimum: Solution, entry: LeftOut) -> None:
    """The exact re-solve analysis of one left-out candidate, filled into ``entry``."""
    model = oracle.model
    problem = model.problem
    j = entry.index
    chosen = set(optimum.chosen)
    entry.analysed = True
    forced = model.solve(fix_in=[j])
    if not forced.feasible:
        entry.conflict = explain_conflict(model, fix_in=[j], time_budget=2.0)
        if any(group.kind == "cap" for group in entry.conflict.groups):
            entry.budget_increase = _budget_increase(oracle, j)
        return
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
        return
    entry.budget_increase = _budget_increase(oracle, j)
    candidate = problem.candidates[j]
    rivals = entry.displaces or tuple(i for i in chosen if problem.candidates[i].dimension == candidate.dimension)
    entry.weight_change = _weight_change(oracle, scoring, j, rivals)


def summarise(model: SelectionModel, optimum: Solution, entries: Sequence[LeftOut], resolved: int = RESOLVED) -> None:
    """Fill in the one-solve bounds of ``entries`` (left-out candidates, most valuable first)."""
    relaxed = SelectionModel(model.problem, model.values, relaxed=True)
    top = relaxed.relaxation()
    if top is None:
        return  # cannot happen when ``optimum`` exists: the relaxation holds every selection
    objective, x, duals = top
    margin = MARGIN * max(1.0, abs(optimum.objective))
    open_entries = [e for e in entries if not e.decided]
    for entry in open_entries:
        j = entry.index
        # Fixing x_j at 1 moves the relaxation's dual bound by the reduced cost when x_j sits at 0.
        bound = objective + (min(float(duals[j]), 0.0) if x[j] <= 1e-9 else 0.0)
        entry.summarised = True
        entry.loss_at_least = max(0.0, optimum.objective - bound - margin)
    for entry in open_entries[:resolved]:
        fixed = relaxed.bound(model.values, fix_in=(entry.index,))
        if fixed is None:
            entry.relaxation_blocked = True
            entry.loss_at_least = None
        else:
            entry.loss_at_least = max(entry.loss_at_least or 0.0, optimum.objective - fixed - margin)


def explain_left_out(
    model: SelectionModel,
    scoring: Scoring,
    optimum: Solution,
    limit: int = 60,
    time_budget: float = 60.0,
    level: Level = Level.ALL,
) -> list[LeftOut]:
    """An entry for every candidate not chosen, most valuable first; what it holds depends on ``level``:
    with ``all`` the ``limit`` most valuable are analysed exactly (within ``time_budget`` seconds)
    and the rest get the summary."""
    problem: Problem = model.problem
    chosen = set(optimum.chosen)
    left = sorted((i for i in range(len(problem.candidates)) if i not in chosen), key=lambda i: -scoring.values[i])
    result = [LeftOut(j, analysed=False, decided=problem.candidates[j].must is Must.EXCLUDE) for j in left]
    if level is Level.NONE:
        return result
    started = time.perf_counter()
    oracle = _Oracle(model, optimum)
    rest: list[LeftOut] = []
    for position, entry in enumerate(result):
        if entry.decided:
            continue
        if level is Level.ALL and position < limit and time.perf_counter() - started <= time_budget:
            _detail(oracle, scoring, optimum, entry)
        else:
            rest.append(entry)
    if rest:
        summarise(model, optimum, rest)
    return result


def explain_one(model: SelectionModel, scoring: Scoring, optimum: Solution, j: int) -> LeftOut:
    """The exact analysis of one left-out candidate (the page's "what would bring it in?")."""
    entry = LeftOut(j, analysed=False, decided=model.problem.candidates[j].must is Must.EXCLUDE)
    if not entry.decided and j not in optimum.chosen:
        _detail(_Oracle(model, optimum), scoring, optimum, entry)
    return entry


def simple_ranking(model: SelectionModel, values: Sequence[float]) -> tuple[list[int], list[Message]]:
    """What a forum would pick going down the list by value, taking what still fits."""
    problem = model.problem
    order = sorted(range(len(problem.candidates)), key=lambda i: (-values[i], problem.candidates[i].id))
    must_first = [i for i in order if problem.candidates[i].must is Must.INCLUDE]
    picked: list[int] = []
    taken: set[str] = set()  # ids picked so far
    shut_out: set[str] = set()  # ids a picked candidate excludes
    spend = {cap.key: Decimal(0) for cap in problem.caps}
    per_dimension: dict[str, int] = {}
    per_opd: dict[str, int] = {}
    limits = {d.code: d for d in problem.dimensions}
    first = set(must_first)
    for i in must_first + [i for i in order if i not in first]:
        candidate = problem.candidates[i]
        if candidate.must is Must.EXCLUDE:
            continue
        limit = limits.get(candidate.dimension)
        if limit and limit.maximum is not None and per_dimension.get(candidate.dimension, 0) >= limit.maximum:
            continue
        opd_limit = problem.opd_limit(candidate.opd) if candidate.opd else None
        if opd_limit is not None and per_opd.get(candidate.opd, 0) >= opd_limit:
            continue
        if any(r not in taken for r in candidate.requires):
            continue
        if candidate.id in shut_out or any(x in taken for x in candidate.excludes):
            continue
        if any(spend[cap.key] + cap.spending(candidate) > cap.amount for cap in problem.caps):
            continue
        picked.append(i)
        taken.add(candidate.id)
        shut_out.update(candidate.excludes)
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
