"""Quick-win selection end to end against an OR-Tools CP-SAT process on the same model (issue 17, §2).

Goal: ``kotacerdas quickwins select FILE --json`` (read, score, solve exactly, explain every
left-out candidate at the default ``--explain summary``) takes at most 1.5× a separate Python
process that loads the same model, solves it with CP-SAT and prints the selection.

For each size the bench writes a random round (bench/quickwins_engine.py's generator: 7 criteria,
3 evaluators, 6 dimensions, OPDs, dependencies, a budget cap, 1–30 per dimension (1–150 at 5,000),
at most 5 per OPD) as a candidates file, and the model our engine solves — each candidate's value
and cost, the same constraint rows — as a model file for CP-SAT (values scaled to whole numbers,
amounts in whole rupiah). Both run as subprocesses, timed from start to exit; medians over
``--repeats`` runs. The two optima are compared (they must agree to 1e-4 points).

    .venv/bin/pip install -e '.[bench]'     # ortools; without it the comparison is skipped
    .venv/bin/python bench/quickwins_vs_cpsat.py [--sizes 1000 5000] [--repeats 3] [--explain summary]

Measured on the 2-core development machine (load from other work around 4–6, so absolute times
vary ±30 %), ortools 9.15, HiGHS 1.16, medians of 3, 5 December 2026:

    candidates   ours (--explain summary)   CP-SAT process   ratio
         1,000                     0.99 s           1.62 s    0.61
         5,000                     2.79 s           3.93 s    0.71

    Before issue 17 the CLI took 8–9 s at 1,000 candidates (about 1 s of start-up, 7.7 s of
    re-solves for the explanations of the 60 most valuable left-out candidates) and refused
    5,000. ``--explain all`` keeps those exact re-solves (now sharing the free solves between
    candidates): about 9 s at 1,000 for the 60 most valuable.

Exit status 1 if the optima disagree or the ratio is above 1.5 at any size.
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))
GOAL = 1.5
SCALE = 1_000_000  # CP-SAT wants whole numbers: values (0–100 points) to a millionth of a point


def sizes_options(n: int) -> dict[str, Any]:
    if n <= 1000:
        return {"per_dimension": {"min": 1, "max": 30}, "max_per_opd": 5}
    return {"opds": n // 25, "dependencies": n // 10, "per_dimension": {"min": 1, "max": 150}, "max_per_opd": 5}


def model_file(data: dict[str, Any]) -> dict[str, Any]:
    """The engine's model of a round, written out for CP-SAT: values, whole-rupiah rows, bounds."""
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "kotacerdas.settings")
    from kotacerdas.quickwins.engine.model import Must
    from kotacerdas.quickwins.engine.parse import parse_problem
    from kotacerdas.quickwins.engine.scoring import score

    problem = parse_problem(data)
    values = score(problem).values
    index = problem.index
    rows: list[dict[str, Any]] = []
    for cap in problem.caps:
        spend = {i: int(cap.spending(c)) for i, c in enumerate(problem.candidates)}
        rows.append({"terms": [[i, s] for i, s in spend.items() if s], "low": None, "high": int(cap.amount)})
    for limit in problem.dimensions:
        members = [i for i, c in enumerate(problem.candidates) if c.dimension == limit.code]
        rows.append({"terms": [[i, 1] for i in members], "low": limit.minimum or None, "high": limit.maximum})
    by_opd: dict[str, list[int]] = {}
    for i, c in enumerate(problem.candidates):
        if c.opd:
            by_opd.setdefault(c.opd, []).append(i)
    for opd, members in by_opd.items():
        limit = problem.opd_limit(opd)
        if limit is not None and len(members) > limit:
            rows.append({"terms": [[i, 1] for i in members], "low": None, "high": limit})
    for i, c in enumerate(problem.candidates):
        rows.extend({"terms": [[i, 1], [index[r], -1]], "low": None, "high": 0} for r in c.requires)
        rows.extend({"terms": [[i, 1], [index[x], 1]], "low": None, "high": 1} for x in c.excludes)
    return {
        "values": [round(v * SCALE) for v in values],
        "fixed_in": [i for i, c in enumerate(problem.candidates) if c.must is Must.INCLUDE],
        "fixed_out": [i for i, c in enumerate(problem.candidates) if c.must is Must.EXCLUDE],
        "rows": rows,
        "float_values": list(values),
    }


def cpsat_process(path: str) -> int:
    """The reference process: load the model file, solve with CP-SAT, print the selection as JSON."""
    from ortools.sat.python import cp_model

    model_data = json.loads(Path(path).read_text())
    model = cp_model.CpModel()
    x = [model.new_bool_var(f"x{i}") for i in range(len(model_data["values"]))]
    for row in model_data["rows"]:
        expression = sum(c * x[i] for i, c in row["terms"])
        if row["low"] is not None:
            model.add(expression >= row["low"])
        if row["high"] is not None:
            model.add(expression <= row["high"])
    for i in model_data["fixed_in"]:
        model.add(x[i] == 1)
    for i in model_data["fixed_out"]:
        model.add(x[i] == 0)
    model.maximize(sum(v * xi for v, xi in zip(model_data["values"], x, strict=True)))
    solver = cp_model.CpSolver()
    solver.parameters.max_time_in_seconds = 60.0
    status = solver.solve(model)
    chosen = (
        [i for i, xi in enumerate(x) if solver.value(xi)] if status in (cp_model.OPTIMAL, cp_model.FEASIBLE) else []
    )
    print(json.dumps({"status": solver.status_name(status), "chosen": chosen}))
    return 0


def timed(command: list[str]) -> tuple[float, str]:
    started = time.perf_counter()
    done = subprocess.run(command, capture_output=True, text=True, check=True, cwd=ROOT)
    return time.perf_counter() - started, done.stdout


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[1000, 5000])
    parser.add_argument("--repeats", type=int, default=3)
    parser.add_argument("--explain", choices=["none", "summary", "all"], default="summary")
    parser.add_argument("--cpsat", metavar="MODEL", help=argparse.SUPPRESS)  # the reference process itself
    args = parser.parse_args()
    if args.cpsat:
        return cpsat_process(args.cpsat)

    from quickwins_engine import instance

    try:
        import ortools  # noqa: F401
    except ImportError:
        ortools_missing = True
        print("OR-Tools is not installed: the CP-SAT comparison is skipped (pip install -e '.[bench]').")
    else:
        ortools_missing = False
    python = sys.executable
    cli = str(Path(python).with_name("kotacerdas"))
    failed = False
    print(f"{'candidates':>10}  {'ours (--explain ' + args.explain + ')':>26}  {'CP-SAT process':>14}  ratio")
    with tempfile.TemporaryDirectory() as folder:
        for n in args.sizes:
            data = instance(n, seed=0, **sizes_options(n))
            candidates = Path(folder, f"candidates-{n}.json")
            candidates.write_text(json.dumps(data))
            ours_times = []
            for _ in range(args.repeats):
                seconds, out = timed([cli, "quickwins", "select", str(candidates), "--json", "--explain", args.explain])
                ours_times.append(seconds)
            ours = json.loads(out)
            ours_time = statistics.median(ours_times)
            if ortools_missing:
                print(f"{n:>10,}  {ours_time:>24.2f} s  {'skipped':>14}")
                continue
            model = model_file(data)
            model_path = Path(folder, f"model-{n}.json")
            model_path.write_text(json.dumps(model))
            reference_times = []
            for _ in range(args.repeats):
                seconds, out = timed([python, __file__, "--cpsat", str(model_path)])
                reference_times.append(seconds)
            reference = json.loads(out)
            reference_time = statistics.median(reference_times)
            theirs = sum(model["float_values"][i] for i in reference["chosen"])
            agree = reference["status"] == "OPTIMAL" and abs(theirs - ours["objective"]) <= 1e-4 * max(1, n / 100)
            ratio = ours_time / reference_time
            failed |= not agree or ratio > GOAL
            print(
                f"{n:>10,}  {ours_time:>24.2f} s  {reference_time:>12.2f} s  {ratio:5.2f}"
                f"  (optimum {ours['objective']:.4f}, CP-SAT {theirs:.4f} {reference['status']}"
                f"{'' if agree else ' DISAGREE'})"
            )
    if not ortools_missing:
        print(f"Goal: ratio ≤ {GOAL}.")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
