"""Saying in plain words why no selection satisfies the constraints.

First the direct checks a mentor would do by hand (the must-include candidates against the
caps, each dimension's minimum against the candidates it has), then an irreducible conflicting
set: constraint groups are switched off one by one, keeping off every group whose removal
leaves the problem infeasible (deletion filter). What remains cannot all hold together, and
dropping any one of them would make a selection possible.
"""

from __future__ import annotations

import time
from collections.abc import Iterable
from dataclasses import dataclass
from decimal import Decimal

from kotacerdas.quickwins.engine.messages import Message, Money, gettext_noop
from kotacerdas.quickwins.engine.model import Must, Problem
from kotacerdas.quickwins.engine.solver import Group, SelectionModel, describe_cap, label

# Groups tried for removal first are the likeliest to be dropped from the explanation, so the
# structural ones go first and the forum's own decisions (caps, must-include, must-exclude) last:
# "B1 must be left out" explains more than "the cap", when either would do.
REMOVAL_ORDER = ("excludes", "requires", "opd", "dim_max", "dim_min", "cap", "must_in", "must_out")


@dataclass(frozen=True)
class Conflict:
    findings: tuple[Message, ...]  # specific sentences with amounts and counts
    groups: tuple[Group, ...]  # constraints that cannot all hold together
    complete: bool  # False when the search stopped at its time budget (the set may not be minimal)

    def headline(self) -> Message:
        return Message(gettext_noop("No selection satisfies all the constraints."), {}, "infeasible")


def _closure(problem: Problem, start: Iterable[str]) -> list[str]:
    """The candidates in ``start`` and everything they depend on, transitively."""
    seen: dict[str, None] = {}
    stack = list(start)
    while stack:
        cid = stack.pop()
        if cid in seen:
            continue
        seen[cid] = None
        stack.extend(problem.candidate(cid).requires)
    return list(seen)


def direct_findings(problem: Problem, forced: Iterable[str] = ()) -> list[Message]:
    findings: list[Message] = []
    must_in = [c.id for c in problem.candidates if c.must is Must.INCLUDE] + list(forced)
    closure = _closure(problem, must_in)
    chosen = set(closure)
    for cid in closure:
        candidate = problem.candidate(cid)
        if candidate.must is Must.EXCLUDE:
            findings.append(
                Message(
                    gettext_noop("%(a)s must be left out, but a must-include candidate depends on it."),
                    {"a": label(candidate)},
                    "must_conflict",
                )
            )
        for other in candidate.excludes:
            if other in chosen and cid < other:
                findings.append(
                    Message(
                        gettext_noop("%(a)s and %(b)s must both be chosen but exclude each other."),
                        {"a": label(candidate), "b": label(problem.candidate(other))},
                        "must_conflict",
                    )
                )
    for cap in problem.caps:
        spend = sum((cap.spending(problem.candidate(cid)) for cid in closure), Decimal(0))
        if spend > cap.amount:
            findings.append(
                Message(
                    gettext_noop(
                        "The %(n)s candidates that must be chosen (with what they depend on) need %(spend)s, "
                        "above %(cap)s."
                    ),
                    {"n": len(closure), "spend": Money(spend), "cap": describe_cap(cap)},
                    "must_over_cap",
                )
            )
    for limit in problem.dimensions:
        members = [c for c in problem.candidates if c.dimension == limit.code]
        available = [c for c in members if c.must is not Must.EXCLUDE]
        if limit.minimum > len(available):
            findings.append(
                Message(
                    gettext_noop(
                        "Dimension %(dimension)s needs at least %(n)s, but only %(available)s of its "
                        "candidates may be chosen."
                    ),
                    {"dimension": limit.name, "n": limit.minimum, "available": len(available)},
                    "dimension_short",
                )
            )
        forced_here = [c for c in members if c.id in chosen]
        if limit.maximum is not None and len(forced_here) > limit.maximum:
            findings.append(
                Message(
                    gettext_noop(
                        "%(count)s candidates that must be chosen are in dimension %(dimension)s, above its "
                        "maximum of %(n)s."
                    ),
                    {"count": len(forced_here), "dimension": limit.name, "n": limit.maximum},
                    "dimension_over",
                )
            )
    opds = sorted({problem.candidate(cid).opd for cid in closure if problem.candidate(cid).opd})
    for opd in opds:
        limit_n = problem.opd_limit(opd)
        count = sum(1 for cid in closure if problem.candidate(cid).opd == opd)
        if limit_n is not None and count > limit_n:
            findings.append(
                Message(
                    gettext_noop(
                        "%(count)s candidates that must be chosen are led by %(opd)s, above the maximum of "
                        "%(n)s per agency."
                    ),
                    {"count": count, "opd": opd, "n": limit_n},
                    "opd_over",
                )
            )
    for cap in problem.caps:
        least = Decimal(0)
        for limit in problem.dimensions:
            if limit.minimum <= 0:
                continue
            spends = sorted(
                cap.spending(c) for c in problem.candidates if c.dimension == limit.code and c.must is not Must.EXCLUDE
            )
            least += sum(spends[: limit.minimum], Decimal(0))
        if least > cap.amount:
            findings.append(
                Message(
                    gettext_noop(
                        "Even the cheapest choice meeting the minimum per dimension needs %(spend)s, above %(cap)s."
                    ),
                    {"spend": Money(least), "cap": describe_cap(cap)},
                    "dimensions_over_cap",
                )
            )
    return findings


def conflicting_groups(
    model: SelectionModel, fix_in: Iterable[int] = (), time_budget: float = 10.0
) -> tuple[list[Group], bool]:
    """An irreducible set of groups that cannot hold together (with ``fix_in`` forced in)."""
    fix_in = list(fix_in)
    started = time.perf_counter()
    active = {g.id for g in model.groups}
    if model.feasible(active, fix_in):
        return [], True
    complete = True
    # Whole kinds first (one solve each), then single groups within the kinds that remain.
    for kind in REMOVAL_ORDER:
        ids = {g.id for g in model.groups if g.kind == kind} & active
        if ids and not model.feasible(active - ids, fix_in):
            active -= ids
    for kind in REMOVAL_ORDER:
        for group in [g for g in model.groups if g.kind == kind and g.id in active]:
            if time.perf_counter() - started > time_budget:
                complete = False
                break
            if not model.feasible(active - {group.id}, fix_in):
                active.discard(group.id)
    return [g for g in model.groups if g.id in active], complete


def explain(model: SelectionModel, fix_in: Iterable[int] = (), time_budget: float = 10.0) -> Conflict:
    fix_in = list(fix_in)
    # With a candidate forced in (to explain why it is out) the conflicting groups say it plainly;
    # the direct findings speak of the round's own must-includes, so they only apply without one.
    findings = [] if fix_in else direct_findings(model.problem)
    groups, complete = conflicting_groups(model, fix_in, time_budget)
    active = {g.id for g in groups}
    for group in groups:
        if group.kind != "cap":
            continue
        others = active - {group.id}
        least = model.min_spend(model.cap_index(group), others, fix_in)
        cap = model.problem.caps[model.cap_index(group)]
        if least is not None and least > cap.amount:
            findings.append(
                Message(
                    gettext_noop(
                        "The cheapest selection meeting the other conflicting constraints needs %(spend)s, "
                        "above %(cap)s."
                    ),
                    {"spend": Money(least), "cap": describe_cap(cap)},
                    "cheapest_over_cap",
                )
            )
    unique: dict[tuple[str, str], Message] = {}
    for finding in findings:
        unique.setdefault((finding.code, finding.render()), finding)
    return Conflict(tuple(unique.values()), tuple(groups), complete)
