"""Quick-win decision engine: solve time, robustness time, explanation time, optimality check.

Pure engine, no database. Figures named in issue 5:

1. 1,000 candidates in 6 dimensions, 40 OPDs, 100 dependencies and a budget cap: the optimal
   selection in under 2 s. Measured for the default rule (exactly one per dimension) and for a
   harder variant (1–30 per dimension, at most 5 per OPD, a cap that binds hard).
2. Robustness with 2,000 draws (±20 % weights) on 60 candidates (6 dimensions × 10): under 10 s.
3. Explanations of every left-out candidate on the 60-candidate round (no target; reported).
4. Optimality against exhaustive search on small random instances (also a property test).

    .venv/bin/python bench/quickwins_engine.py [--seeds 5] [--draws 2000] [--instances 300]

Exits with status 1 if a target is missed or a small instance disagrees with exhaustive search.
"""

from __future__ import annotations

import argparse
import os
import random
import statistics
import sys
import time
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "kotacerdas.test_settings")

DIMENSIONS = ["GOV", "BRD", "ECO", "LIV", "SOC", "ENV"]


def instance(
    n: int,
    seed: int,
    opds: int = 40,
    dependencies: int = 100,
    per_dimension: dict[str, Any] | None = None,
    max_per_opd: int | None = None,
    cap_share: float = 0.3,
) -> dict[str, Any]:
    """A random round: 7 criteria (one a cost criterion), 3 evaluators, costs Rp 50 juta – 2 miliar."""
    rng = random.Random(seed)
    candidates = [
        {
            "id": f"C{i:04d}",
            "dimension": DIMENSIONS[i % len(DIMENSIONS)],
            "opd": f"OPD-{rng.randrange(opds):02d}",
            "costs": [{"year": 2025, "source": "APBD", "amount": rng.randrange(50, 2000) * 1_000_000}],
        }
        for i in range(n)
    ]
    for _ in range(dependencies):
        a, b = rng.sample(range(n), 2)
        candidates[a].setdefault("requires", []).append(candidates[b]["id"])
    criteria = [
        {"id": f"k{j}", "direction": "cost" if j == 2 else "benefit", "weight": rng.randint(1, 9)} for j in range(7)
    ]
    scores = {e: {c["id"]: {k["id"]: rng.randint(1, 5) for k in criteria} for c in candidates} for e in ("A", "B", "C")}
    total = sum(c["costs"][0]["amount"] for c in candidates)
    constraints: dict[str, Any] = {"budget": [{"year": 2025, "cap": int(total * cap_share)}]}
    if per_dimension is not None:
        constraints["per_dimension"] = per_dimension
    if max_per_opd is not None:
        constraints["max_per_opd"] = max_per_opd
    return {"year": 2025, "candidates": candidates, "criteria": criteria, "scores": scores, "constraints": constraints}


def timed_solve(data: dict[str, Any]) -> tuple[float, str, int]:
    from kotacerdas.quickwins.engine.parse import parse_problem
    from kotacerdas.quickwins.engine.scoring import score
    from kotacerdas.quickwins.engine.solver import SelectionModel

    problem = parse_problem(data)
    started = time.perf_counter()
    scoring = score(problem)
    solution = SelectionModel(problem, scoring.values).solve()
    return time.perf_counter() - started, solution.status, len(solution.chosen)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seeds", type=int, default=5)
    parser.add_argument("--draws", type=int, default=2000)
    parser.add_argument("--instances", type=int, default=300)
    args = parser.parse_args()

    import django

    django.setup()
    from kotacerdas.quickwins.engine.analysis import analyse
    from kotacerdas.quickwins.engine.parse import parse_problem
    from kotacerdas.quickwins.engine.robustness import default_workers, robustness
    from kotacerdas.quickwins.engine.scoring import score
    from kotacerdas.quickwins.engine.solver import SelectionModel
    from kotacerdas.quickwins.tests.engine_strategies import brute_force

    failed = False
    print("1. Optimal selection, 1,000 candidates, 6 dimensions, 40 OPDs, 100 dependencies, budget cap")
    variants = {
        "exactly one per dimension (default), cap 30 % of all costs": {},
        "1–30 per dimension, max 5 per OPD, cap 30 %": {"per_dimension": {"min": 1, "max": 30}, "max_per_opd": 5},
        "1–30 per dimension, max 5 per OPD, cap 5 %": {
            "per_dimension": {"min": 1, "max": 30},
            "max_per_opd": 5,
            "cap_share": 0.05,
        },
    }
    for label, options in variants.items():
        times = []
        for seed in range(args.seeds):
            seconds, status, chosen = timed_solve(instance(1000, seed, **options))
            times.append(seconds)
            if status != "optimal":
                print(f"   seed {seed}: {status}")
                failed = True
        worst = max(times)
        failed |= worst >= 2.0
        print(
            f"   {label}: median {statistics.median(times):.3f} s, max {worst:.3f} s over {args.seeds} seeds "
            f"(scoring + model + solve; target < 2 s), last chose {chosen}"
        )

    print(f"2. Robustness, {args.draws} draws ±20 %, 60 candidates (6 dimensions × 10), cap, dependencies")
    for label, options in {
        "exactly one per dimension (default)": {},
        "1–3 per dimension, max 2 per OPD": {"per_dimension": {"min": 1, "max": 3}, "max_per_opd": 2},
    }.items():
        problem = parse_problem(instance(60, 11, opds=12, dependencies=6, cap_share=0.1, **options))
        scoring = score(problem)
        model = SelectionModel(problem, scoring.values, repeat=True)
        baseline = model.solve()
        for workers in (None, 2):
            started = time.perf_counter()
            result = robustness(model, scoring, baseline.chosen, draws=args.draws, seed=1, workers=workers)
            seconds = time.perf_counter() - started
            failed |= seconds >= 10.0 and not options and workers is None
            count = default_workers(args.draws) if workers is None else workers
            how = ("default, " if workers is None else "") + (
                "one process" if count == 1 else f"{count} worker processes"
            )
            print(
                f"   {label}, {how}: {seconds:.2f} s ({seconds / args.draws * 1000:.2f} ms per draw; "
                f"target < 10 s), stable core {len(result.stable)}/{len(result.baseline)}, "
                f"contenders {len(result.contenders)}, unsolved {result.unsolved}"
            )

    print("3. Explanations of every left-out candidate, 60 candidates")
    problem = parse_problem(instance(60, 11, opds=12, dependencies=6, cap_share=0.1))
    started = time.perf_counter()
    analysis = analyse(problem)
    print(
        f"   whole analysis (score, solve, explain {len(analysis.left_out)} left out, simple ranking): "
        f"{time.perf_counter() - started:.2f} s"
    )

    print(f"4. Optimality against exhaustive search, {args.instances} random instances of 2–10 candidates")
    rng = random.Random(5)
    mismatches = infeasible = 0
    started = time.perf_counter()
    for k in range(args.instances):
        n = rng.randint(2, 10)
        data = instance(
            n,
            1000 + k,
            opds=3,
            dependencies=rng.randint(0, 2),
            per_dimension={"min": rng.randint(0, 1), "max": rng.choice([1, 2, None])},
            max_per_opd=rng.choice([None, 1, 2]),
            cap_share=rng.uniform(0.1, 0.8),
        )
        problem = parse_problem(data)
        scoring = score(problem)
        solution = SelectionModel(problem, scoring.values).solve()
        best = brute_force(problem, scoring.values)
        if best is None:
            infeasible += 1
            mismatches += solution.status != "infeasible"
        else:
            mismatches += solution.status != "optimal" or abs(solution.objective - best) > 1e-6
    failed |= mismatches > 0
    print(
        f"   {mismatches} mismatches ({infeasible} infeasible instances, correctly reported), "
        f"{time.perf_counter() - started:.1f} s"
    )
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
