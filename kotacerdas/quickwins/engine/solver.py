"""The selection as a mixed-integer programme, solved exactly with HiGHS.

One binary variable per candidate; maximise the total value subject to the constraint groups
below. Every constraint belongs to a named :class:`Group` so that the same model can be solved
with some groups switched off: that is how an infeasible round is explained (which groups
conflict) and how a left-out candidate is explained (force it in, raise a cap).

Exactness: the gaps are set to zero, and since a floating-point solver accepts a row a hair
beyond its bound, every selection is re-checked in exact (Decimal) arithmetic against the budget
caps; a selection that breaks a cap by a rounding error is cut off and the model solved again.
"""

from __future__ import annotations

import os
import sys
import threading
import time
from collections.abc import Iterable, Iterator, Sequence
from contextlib import contextmanager, suppress
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

import highspy
import numpy as np

from kotacerdas.quickwins.engine.messages import Message, Money, gettext_noop
from kotacerdas.quickwins.engine.model import BudgetCap, Candidate, Must, Problem

INF = highspy.kHighsInf
TIME_LIMIT = 60.0
TOLERANCE = 1e-7  # value points; candidates' values are on 0–100

# For the many small re-solves (robustness draws, explanations): switching off HiGHS's restart,
# symmetry detection and heuristics cuts a 60-candidate solve from about 6 ms to about 1 ms
# without touching exactness (the gaps stay zero).
REPEAT_PROFILE: dict[str, Any] = {
    "presolve": "off",
    "mip_heuristic_effort": 0.0,
    "mip_heuristic_run_feasibility_jump": False,
    "mip_detect_symmetry": False,
    "mip_allow_restart": False,
}

_banner_lock = threading.Lock()
_banner_done = False


@contextmanager
def _stdout_silenced() -> Iterator[None]:
    """Keep HiGHS's C-level start-up banner off standard output (it would corrupt --json)."""
    with suppress(AttributeError, ValueError):
        sys.stdout.flush()
    saved = os.dup(1)
    devnull = os.open(os.devnull, os.O_WRONLY)
    try:
        os.dup2(devnull, 1)
        yield
    finally:
        os.dup2(saved, 1)
        os.close(saved)
        os.close(devnull)


def new_highs() -> highspy.Highs:
    """A silent HiGHS instance. The banner is printed once per process, at the first creation."""
    global _banner_done
    with _banner_lock:
        if not _banner_done:
            with _stdout_silenced():
                highs = highspy.Highs()
            _banner_done = True
        else:
            highs = highspy.Highs()
    highs.setOptionValue("output_flag", False)
    highs.setOptionValue("log_to_console", False)
    return highs


def label(candidate: Candidate) -> str:
    return f"{candidate.name} ({candidate.id})" if candidate.name != candidate.id else candidate.id


def describe_cap(cap: BudgetCap) -> Message:
    params: dict[str, Any] = {"amount": Money(cap.amount), "year": cap.year, "source": cap.source}
    if cap.year is not None and cap.source is not None:
        return Message(gettext_noop("the %(source)s budget cap of %(amount)s for %(year)s"), params, "cap")
    if cap.year is not None:
        return Message(gettext_noop("the budget cap of %(amount)s for %(year)s"), params, "cap")
    if cap.source is not None:
        return Message(gettext_noop("the %(source)s budget cap of %(amount)s over all years"), params, "cap")
    return Message(gettext_noop("the total budget cap of %(amount)s"), params, "cap")


@dataclass(frozen=True)
class Group:
    """One constraint the user set (or the default), which can be switched off as a whole."""

    kind: str  # cap, dim_min, dim_max, opd, requires, excludes, must_in, must_out
    key: tuple[Any, ...]
    description: Message
    row: int | None = None  # the model row it bounds; must_in/must_out bound a column instead
    column: int | None = None
    bound: float = 0.0  # the row bound this group sets (lower for dim_min, upper otherwise)

    @property
    def id(self) -> str:
        return ":".join([self.kind, *map(str, self.key)])


@dataclass(frozen=True)
class Solution:
    status: str  # optimal, feasible (time limit hit with a selection), infeasible, no_solution, error
    chosen: tuple[int, ...] = ()
    objective: float = 0.0
    seconds: float = 0.0
    solver_status: str = ""

    @property
    def feasible(self) -> bool:
        return self.status in {"optimal", "feasible"}


@dataclass
class _Row:
    columns: list[int]
    values: list[float]
    groups: list[Group] = field(default_factory=list)


class SelectionModel:
    """The MIP of one problem, built once and solved many times with different settings."""

    def __init__(
        self,
        problem: Problem,
        values: Sequence[float] | np.ndarray,
        time_limit: float = TIME_LIMIT,
        repeat: bool = False,
        relaxed: bool = False,
    ) -> None:
        """``repeat``: tuned for many small re-solves; ``relaxed``: the LP relaxation (for bounds only)."""
        self.problem = problem
        self.relaxed = relaxed
        self.tuned = False  # whether the solver options were tuned to this model (robustness runs)
        self.values = np.asarray(values, dtype=float)
        self.n = len(problem.candidates)
        self.rows: list[_Row] = []
        self.groups: list[Group] = []
        self._cap_rows: list[tuple[int, BudgetCap, float, list[Decimal]]] = []  # row, cap, scale, spend
        self._build()
        self.highs = new_highs()
        self.highs.setOptionValue("mip_rel_gap", 0.0)
        self.highs.setOptionValue("mip_abs_gap", 1e-9)
        self.highs.setOptionValue("mip_feasibility_tolerance", 1e-9)
        self.highs.setOptionValue("primal_feasibility_tolerance", 1e-9)
        self.highs.setOptionValue("time_limit", float(time_limit))
        self.highs.setOptionValue("threads", 1)
        for option, setting in (REPEAT_PROFILE if repeat else {}).items():
            self.highs.setOptionValue(option, setting)
        if relaxed:
            self.highs.setOptionValue("presolve", "off")  # keep the basis between bounds (warm starts)
        self._load()

    # Building -------------------------------------------------------------------------------

    def _row(self, columns: list[int], values: list[float]) -> int:
        self.rows.append(_Row(columns, values))
        return len(self.rows) - 1

    def _add(self, group: Group) -> None:
        self.groups.append(group)
        if group.row is not None:
            self.rows[group.row].groups.append(group)

    def _build(self) -> None:
        problem = self.problem
        index = problem.index
        for cap in problem.caps:
            spend = [cap.spending(c) for c in problem.candidates]
            scale = float(cap.amount) if cap.amount > 0 else float(max([*spend, Decimal(1)]))
            columns = [i for i, s in enumerate(spend) if s > 0]
            row = self._row(columns, [float(spend[i]) / scale for i in columns])
            self._cap_rows.append((row, cap, scale, spend))
            self._add(Group("cap", (cap.key,), describe_cap(cap), row=row, bound=float(cap.amount) / scale))
        by_dimension: dict[str, list[int]] = {}
        by_opd: dict[str, list[int]] = {}
        for i, c in enumerate(problem.candidates):  # one pass: thousands of candidates, hundreds of OPDs
            by_dimension.setdefault(c.dimension, []).append(i)
            if c.opd:
                by_opd.setdefault(c.opd, []).append(i)
        for limit in problem.dimensions:
            columns = by_dimension.get(limit.code, [])
            row = self._row(columns, [1.0] * len(columns))
            params = {"n": limit.minimum, "dimension": limit.name}
            if limit.minimum > 0:
                text = gettext_noop("at least %(n)s from dimension %(dimension)s")
                self._add(Group("dim_min", (limit.code,), Message(text, params), row=row, bound=limit.minimum))
            if limit.maximum is not None:
                params = {"n": limit.maximum, "dimension": limit.name}
                text = gettext_noop("at most %(n)s from dimension %(dimension)s")
                self._add(Group("dim_max", (limit.code,), Message(text, params), row=row, bound=limit.maximum))
        for opd in sorted(by_opd):
            cap_n = problem.opd_limit(opd)
            if cap_n is None:
                continue
            columns = by_opd[opd]
            if len(columns) <= cap_n:
                continue
            row = self._row(columns, [1.0] * len(columns))
            text = gettext_noop("at most %(n)s led by %(opd)s")
            self._add(Group("opd", (opd,), Message(text, {"n": cap_n, "opd": opd}), row=row, bound=cap_n))
        pairs: set[tuple[int, int]] = set()
        for i, candidate in enumerate(problem.candidates):
            for other in candidate.requires:
                j = index[other]
                row = self._row([i, j], [1.0, -1.0])
                text = gettext_noop("%(a)s only together with %(b)s")
                params = {"a": label(candidate), "b": label(problem.candidates[j])}
                self._add(Group("requires", (candidate.id, other), Message(text, params), row=row, bound=0.0))
            for other in candidate.excludes:
                j = index[other]
                pair = (min(i, j), max(i, j))
                if pair in pairs:
                    continue
                pairs.add(pair)
                row = self._row([pair[0], pair[1]], [1.0, 1.0])
                a, b = problem.candidates[pair[0]], problem.candidates[pair[1]]
                text = gettext_noop("%(a)s and %(b)s not together")
                params = {"a": label(a), "b": label(b)}
                self._add(Group("excludes", (a.id, b.id), Message(text, params), row=row, bound=1.0))
        for i, candidate in enumerate(problem.candidates):
            if candidate.must is Must.INCLUDE:
                text = gettext_noop("%(a)s must be included")
                self._add(Group("must_in", (candidate.id,), Message(text, {"a": label(candidate)}), column=i))
            elif candidate.must is Must.EXCLUDE:
                text = gettext_noop("%(a)s must be left out")
                self._add(Group("must_out", (candidate.id,), Message(text, {"a": label(candidate)}), column=i))

    def _load(self) -> None:
        highs = self.highs
        n = self.n
        highs.addCols(
            n,
            self.values,
            np.zeros(n),
            np.ones(n),
            0,
            np.array([], dtype=np.int32),
            np.array([], dtype=np.int32),
            np.array([], dtype=float),
        )
        if not self.relaxed:
            highs.changeColsIntegrality(n, np.arange(n, dtype=np.int32), np.full(n, highspy.HighsVarType.kInteger))
        starts: list[int] = []
        indices: list[int] = []
        coefficients: list[float] = []
        for row in self.rows:
            starts.append(len(indices))
            indices.extend(row.columns)
            coefficients.extend(row.values)
        if self.rows:
            highs.addRows(
                len(self.rows),
                np.full(len(self.rows), -INF),
                np.full(len(self.rows), INF),
                len(indices),
                np.array(starts, dtype=np.int32),
                np.array(indices, dtype=np.int32),
                np.array(coefficients, dtype=float),
            )
        highs.changeObjectiveSense(highspy.ObjSense.kMaximize)
        self._base_rows = len(self.rows)

    # Solving ---------------------------------------------------------------------------------

    def _apply(
        self, active: set[str] | None, fix_in: Iterable[int], fix_out: Iterable[int], cap_extra: Decimal
    ) -> None:
        lower = np.full(len(self.rows), -INF)
        upper = np.full(len(self.rows), INF)
        col_lower = np.zeros(self.n)
        col_upper = np.ones(self.n)
        for group in self.groups:
            if active is not None and group.id not in active:
                continue
            if group.kind == "must_in":
                col_lower[group.column] = 1
            elif group.kind == "must_out":
                col_upper[group.column] = 0
            elif group.kind == "dim_min":
                lower[group.row] = group.bound
            elif group.kind == "cap":
                upper[group.row] = group.bound
            else:
                upper[group.row] = group.bound
        if cap_extra:
            for row, _cap, scale, _spend in self._cap_rows:
                if upper[row] < INF:
                    upper[row] += float(cap_extra) / scale
        for i in fix_in:
            col_lower[i] = 1
        for i in fix_out:
            col_upper[i] = 0
        self.highs.changeColsBounds(self.n, np.arange(self.n, dtype=np.int32), col_lower, col_upper)
        if self.rows:
            rows = np.arange(len(self.rows), dtype=np.int32)
            self.highs.changeRowsBounds(len(self.rows), rows, lower, upper)  # type: ignore[attr-defined]

    def _over_cap(self, chosen: Sequence[int], active: set[str] | None, cap_extra: Decimal) -> bool:
        for _row, cap, _scale, spend in self._cap_rows:
            group_id = f"cap:{cap.key}"
            if active is not None and group_id not in active:
                continue
            if sum((spend[i] for i in chosen), Decimal(0)) > cap.amount + cap_extra:
                return True
        return False

    def solve(
        self,
        values: Sequence[float] | np.ndarray | None = None,
        *,
        active: set[str] | None = None,
        fix_in: Iterable[int] = (),
        fix_out: Iterable[int] = (),
        cap_extra: Decimal = Decimal(0),
    ) -> Solution:
        """Solve with ``values`` as objective (None: the model's), only the ``active`` groups (None: all)."""
        started = time.perf_counter()
        highs = self.highs
        objective = self.values if values is None else np.asarray(values, dtype=float)
        highs.changeColsCost(self.n, np.arange(self.n, dtype=np.int32), objective)
        self._apply(active, list(fix_in), list(fix_out), cap_extra)
        cuts = 0
        try:
            while True:
                highs.run()
                status = highs.getModelStatus()
                text = highs.modelStatusToString(status)
                if status == highspy.HighsModelStatus.kInfeasible:
                    return Solution("infeasible", seconds=time.perf_counter() - started, solver_status=text)
                has_solution = highs.getInfo().primal_solution_status == highspy.SolutionStatus.kSolutionStatusFeasible
                if status not in (highspy.HighsModelStatus.kOptimal, highspy.HighsModelStatus.kTimeLimit):
                    return Solution("error", seconds=time.perf_counter() - started, solver_status=text)
                if not has_solution:
                    return Solution("no_solution", seconds=time.perf_counter() - started, solver_status=text)
                x = np.asarray(highs.getSolution().col_value)
                chosen = tuple(int(i) for i in np.flatnonzero(x > 0.5))
                if self._over_cap(chosen, active, cap_extra) and cuts < 50:
                    # A rounding artefact: the solver accepted a set a fraction of a rupiah over a cap.
                    highs.addRow(
                        -INF, len(chosen) - 1.0, len(chosen), np.array(chosen, dtype=np.int32), np.ones(len(chosen))
                    )
                    cuts += 1
                    continue
                value = float(sum(objective[i] for i in chosen))
                kind = "optimal" if status == highspy.HighsModelStatus.kOptimal else "feasible"
                return Solution(kind, chosen, value, time.perf_counter() - started, text)
        finally:
            if cuts:
                extra = np.arange(self._base_rows, self._base_rows + cuts, dtype=np.int32)
                highs.deleteRows(cuts, extra)

    def bound(
        self, values: Sequence[float] | np.ndarray, fix_in: Iterable[int] = (), cap_extra: Decimal = Decimal(0)
    ) -> float | None:
        """The LP relaxation's optimum: no selection is worth more (None if infeasible). Relaxed models only.

        Successive calls start from the previous basis (HiGHS keeps it), so a bound after fixing one
        more column costs a few dual simplex pivots, not a fresh solve."""
        assert self.relaxed, "bounds come from the relaxed twin of a model"
        highs = self.highs
        highs.changeColsCost(self.n, np.arange(self.n, dtype=np.int32), np.asarray(values, dtype=float))
        self._apply(None, fix_in, (), cap_extra)
        highs.run()
        if highs.getModelStatus() != highspy.HighsModelStatus.kOptimal:
            return None
        return float(highs.getInfo().objective_function_value)

    def relaxation(self) -> tuple[float, np.ndarray, np.ndarray] | None:
        """The LP relaxation with the model's values: its optimum, the columns and their reduced costs."""
        bound = self.bound(self.values)
        if bound is None:
            return None
        solution = self.highs.getSolution()
        return bound, np.asarray(solution.col_value), np.asarray(solution.col_dual)

    def feasible(self, active: set[str] | None = None, fix_in: Iterable[int] = ()) -> bool:
        return self.solve(np.zeros(self.n), active=active, fix_in=fix_in).status != "infeasible"

    def min_spend(self, cap_row: int, active: set[str], fix_in: Iterable[int] = ()) -> Decimal | None:
        """The least a selection meeting the ``active`` groups spends under one cap (None: none exists)."""
        _row, _cap, scale, spend = self._cap_rows[cap_row]
        costs = -np.array([float(s) / scale for s in spend])  # maximise the negative spend
        solution = self.solve(costs, active=active, fix_in=fix_in)
        if solution.status == "infeasible":
            return None
        return sum((spend[i] for i in solution.chosen), Decimal(0))

    def spending(self, chosen: Iterable[int]) -> list[tuple[BudgetCap, Decimal]]:
        chosen = list(chosen)
        return [(cap, sum((spend[i] for i in chosen), Decimal(0))) for _r, cap, _s, spend in self._cap_rows]

    def cap_index(self, group: Group) -> int:
        return next(k for k, (row, _c, _s, _sp) in enumerate(self._cap_rows) if row == group.row)
