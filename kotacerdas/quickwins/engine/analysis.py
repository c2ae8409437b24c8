"""One call that runs a round end to end: score, solve, explain, compare, and test robustness."""

from __future__ import annotations

from dataclasses import dataclass, field

import highspy

from kotacerdas.quickwins.engine.explain import (
    LeftOut,
    Level,
    RankingComparison,
    compare_with_ranking,
    explain_left_out,
)
from kotacerdas.quickwins.engine.infeasibility import Conflict
from kotacerdas.quickwins.engine.infeasibility import explain as explain_conflict
from kotacerdas.quickwins.engine.messages import Message, Number, gettext_noop
from kotacerdas.quickwins.engine.model import Must, Problem
from kotacerdas.quickwins.engine.robustness import Progress, Robustness, robustness
from kotacerdas.quickwins.engine.scoring import Scoring, score
from kotacerdas.quickwins.engine.solver import TIME_LIMIT, SelectionModel, Solution

SOLVER = f"HiGHS {highspy.HIGHS_VERSION_MAJOR}.{highspy.HIGHS_VERSION_MINOR}.{highspy.HIGHS_VERSION_PATCH}"


@dataclass
class Analysis:
    problem: Problem
    scoring: Scoring
    solution: Solution
    conflict: Conflict | None = None
    left_out: list[LeftOut] = field(default_factory=list)
    comparison: RankingComparison | None = None
    robustness: Robustness | None = None
    warnings: list[Message] = field(default_factory=list)
    solver: str = SOLVER

    @property
    def chosen(self) -> tuple[int, ...]:
        return self.solution.chosen

    def ranked(self) -> list[int]:
        """Candidates by value, best first (ties by id, so the order is stable)."""
        candidates = self.problem.candidates
        return sorted(range(len(candidates)), key=lambda i: (-self.scoring.values[i], candidates[i].id))


def _warnings(problem: Problem, scoring: Scoring, solution: Solution) -> list[Message]:
    warnings: list[Message] = []
    if scoring.ahp is not None and scoring.ahp.warning is not None:
        warnings.append(scoring.ahp.warning)
    for i, candidate in enumerate(problem.candidates):
        if candidate.must is Must.EXCLUDE:
            continue
        spread, k = scoring.disagreement(i)
        if scoring.disputed(i) and k is not None:
            warnings.append(
                Message(
                    gettext_noop("Evaluators disagree on %(candidate)s: scores on %(criterion)s differ by %(spread)s."),
                    {
                        "candidate": candidate.name,
                        "criterion": problem.criteria[k].name,
                        "spread": Number(spread, 1),
                    },
                    "disagreement",
                )
            )
    for limit in problem.dimensions:
        members = [c for c in problem.candidates if c.dimension == limit.code and c.must is not Must.EXCLUDE]
        if not members and not limit.explicit:
            warnings.append(
                Message(
                    gettext_noop("Dimension %(dimension)s has no candidate, so it gets no quick win."),
                    {"dimension": limit.name},
                    "empty_dimension",
                )
            )
    if solution.status == "feasible":
        warnings.append(
            Message(
                gettext_noop("The solver hit its time limit: the selection is the best found, not proven optimal."),
                {},
                "time_limit",
            )
        )
    return warnings


def analyse(
    problem: Problem,
    *,
    draws: int = 0,
    spread: float = 0.2,
    seed: int = 0,
    explain_limit: int = 60,
    explain: Level = Level.ALL,
    explain_seconds: float = 60.0,
    progress: Progress | None = None,
    time_limit: float = TIME_LIMIT,
) -> Analysis:
    """Score and solve ``problem``; explain the outcome; with ``draws`` > 0 also test robustness.

    ``explain`` sets how deep left-out candidates are explained (see :mod:`.explain`): with ``all``
    the ``explain_limit`` most valuable are analysed exactly within ``explain_seconds``."""
    scoring = score(problem)
    model = SelectionModel(problem, scoring.values, time_limit=time_limit)
    solution = model.solve()
    analysis = Analysis(problem, scoring, solution, warnings=_warnings(problem, scoring, solution))
    if solution.status == "infeasible":
        analysis.conflict = explain_conflict(SelectionModel(problem, scoring.values, time_limit, repeat=True))
        return analysis
    if not solution.feasible:
        return analysis
    # A twin tuned for many re-solves, only when something re-solves: the summary and the
    # comparison with a simple ranking need none.
    resolves = explain is Level.ALL or draws > 0
    repeat = SelectionModel(problem, scoring.values, time_limit=time_limit, repeat=True) if resolves else model
    analysis.left_out = explain_left_out(
        repeat, scoring, solution, limit=explain_limit, time_budget=explain_seconds, level=explain
    )
    analysis.comparison = compare_with_ranking(repeat, scoring, solution)
    if draws > 0:
        analysis.robustness = robustness(
            repeat, scoring, solution.chosen, draws=draws, spread=spread, seed=seed, progress=progress
        )
    return analysis


def run_robustness(
    problem: Problem, *, draws: int, spread: float = 0.2, seed: int = 0, progress: Progress | None = None
) -> Robustness:
    """Robustness alone (for a background job): solves the baseline, then the draws."""
    scoring = score(problem)
    model = SelectionModel(problem, scoring.values, repeat=True)
    baseline = model.solve()
    if not baseline.feasible:
        raise ValueError("the round has no feasible selection")
    return robustness(model, scoring, baseline.chosen, draws=draws, spread=spread, seed=seed, progress=progress)
