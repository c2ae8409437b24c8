"""Hypothesis strategies and a brute-force oracle for the quick-win engine's property tests."""

from __future__ import annotations

import itertools
from decimal import Decimal
from typing import Any

from hypothesis import strategies as st

from kotacerdas.quickwins.engine.model import Must, Problem

DIMENSIONS = ["GOV", "ECO", "ENV"]
OPDS = ["Diskominfo", "Bappeda", "Dinkes"]


@st.composite
def problems(
    draw: Any, max_candidates: int = 8, loose: bool = False, relations: bool = True, scales: bool = True
) -> dict[str, Any]:
    """A random round in the file format (small enough for exhaustive search)."""
    n = draw(st.integers(1, max_candidates))
    dims = DIMENSIONS[: draw(st.integers(1, len(DIMENSIONS)))]
    ids = [f"c{i}" for i in range(n)]
    candidates = []
    for cid in ids:
        years = draw(st.lists(st.sampled_from([2024, 2025]), min_size=1, max_size=2, unique=True))
        candidates.append(
            {
                "id": cid,
                "dimension": draw(st.sampled_from(dims)),
                "opd": draw(st.sampled_from(OPDS)),
                "costs": [
                    {
                        "year": y,
                        "source": draw(st.sampled_from(["APBD", "DAK"])),
                        "amount": draw(st.integers(0, 900)) * 1_000_000,
                    }
                    for y in years
                ],
            }
        )
    if relations and n > 1:
        for item in candidates:
            others = [x for x in ids if x != item["id"]]
            if draw(st.integers(0, 4)) == 0:
                item["requires"] = [draw(st.sampled_from(others))]
            if draw(st.integers(0, 4)) == 0:
                item["excludes"] = [draw(st.sampled_from(others))]
        must = draw(st.lists(st.sampled_from(ids), max_size=2, unique=True))
        for k, cid in enumerate(must):
            candidates[ids.index(cid)]["must"] = "include" if k == 0 else "exclude"
    criteria = [
        {"id": f"k{j}", "direction": draw(st.sampled_from(["benefit", "cost"])), "weight": draw(st.integers(1, 5))}
        for j in range(draw(st.integers(1, 3)))
    ]
    evaluators = [f"e{j}" for j in range(draw(st.integers(1, 3)))]
    # The whole documented scale space: 1-based (the default), 0-based (0–10) and negative bottoms.
    low = draw(st.sampled_from([1, 0, -2]) if scales else st.just(1))
    high = low + draw(st.integers(1, 10)) if scales else 5
    scores = {e: {cid: {k["id"]: draw(st.integers(low, high)) for k in criteria} for cid in ids} for e in evaluators}
    total = sum(line["amount"] for c in candidates for line in c["costs"])
    caps = [{"year": 2024, "cap": total + 1 if loose else draw(st.integers(0, max(total, 1)))}]
    if not loose and draw(st.booleans()):
        caps.append({"source": "DAK", "cap": draw(st.integers(0, max(total, 1)))})
    constraints: dict[str, Any] = {"budget": caps}
    if not loose:
        constraints["per_dimension"] = {"min": draw(st.integers(0, 1)), "max": draw(st.sampled_from([1, 2, None]))}
        if draw(st.booleans()):
            constraints["max_per_opd"] = draw(st.integers(1, 2))
    return {
        "year": 2024,
        "scale": {"min": low, "max": high},
        # The geometric mean needs a scale above zero (the parser refuses it otherwise).
        "aggregation": draw(st.sampled_from(["mean", "geometric"] if low > 0 else ["mean"])),
        "candidates": candidates,
        "criteria": criteria,
        "scores": scores,
        "constraints": constraints,
    }


def satisfies(problem: Problem, chosen: set[int]) -> bool:
    """Every constraint, checked in exact arithmetic (the oracle for the solver)."""
    candidates = problem.candidates
    ids = {candidates[i].id for i in chosen}
    for cap in problem.caps:
        if sum((cap.spending(candidates[i]) for i in chosen), Decimal(0)) > cap.amount:
            return False
    for limit in problem.dimensions:
        count = sum(1 for i in chosen if candidates[i].dimension == limit.code)
        if count < limit.minimum or (limit.maximum is not None and count > limit.maximum):
            return False
    for opd in {c.opd for c in candidates}:
        limit_n = problem.opd_limit(opd)
        if limit_n is not None and sum(1 for i in chosen if candidates[i].opd == opd) > limit_n:
            return False
    for i, candidate in enumerate(candidates):
        if candidate.must is Must.INCLUDE and i not in chosen:
            return False
        if candidate.must is Must.EXCLUDE and i in chosen:
            return False
        if i in chosen and (any(r not in ids for r in candidate.requires) or any(x in ids for x in candidate.excludes)):
            return False
    return True


def brute_force(problem: Problem, values: tuple[float, ...]) -> float | None:
    """The best total value over every subset, or None when no subset satisfies the constraints."""
    best: float | None = None
    n = len(problem.candidates)
    for size in range(n + 1):
        for subset in itertools.combinations(range(n), size):
            if satisfies(problem, set(subset)):
                value = sum(values[i] for i in subset)
                best = value if best is None else max(best, value)
    return best
