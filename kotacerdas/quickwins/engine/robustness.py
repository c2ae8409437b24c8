"""How much the selection depends on the exact weights.

Each draw multiplies every weight by a factor drawn uniformly from [1 − spread, 1 + spread]
(then renormalises) and solves the selection again exactly. A candidate's frequency is the share
of draws whose optimum includes it. The picks of the baseline selection that survive at least
``stable_threshold`` of the draws are the stable core; the other picks are fragile; candidates
left out that still win some draws are contenders.

The draws are seeded (numpy's PCG64), so a run is reproducible from its seed.

Each draw is an exact MIP solve (about 1–5 ms for 60 candidates). Large runs are split into
chunks solved by worker processes (spawned, so nothing of a web or job process is inherited);
the draws are made up front in the parent, so the result does not depend on the worker count.
"""

from __future__ import annotations

import multiprocessing
import os
import time
from collections import Counter
from collections.abc import Callable, Sequence
from concurrent.futures import ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool
from dataclasses import dataclass

import numpy as np

from kotacerdas.quickwins.engine.model import Problem
from kotacerdas.quickwins.engine.scoring import VALUE_SCALE, Scoring
from kotacerdas.quickwins.engine.solver import SelectionModel

CHUNKS = 20  # progress is reported per chunk
TUNE_DRAWS = 8
PARALLEL_FROM = 5000  # below this, starting worker processes costs about what they save (measured)

STABLE_THRESHOLD = 0.9
CONTENDER_THRESHOLD = 0.1

Progress = Callable[[int, int], None]


@dataclass(frozen=True)
class Robustness:
    draws: int
    spread: float
    seed: int
    frequency: tuple[float, ...]  # per candidate, 0–1
    baseline: tuple[int, ...]
    stable: tuple[int, ...]
    fragile: tuple[int, ...]
    contenders: tuple[int, ...]
    selections: tuple[tuple[tuple[int, ...], int], ...]  # the most frequent selections and their counts
    unsolved: int  # draws that hit the time limit without a proven optimum (counted as they stood)
    seconds: float
    stable_threshold: float = STABLE_THRESHOLD


def _solve_chunk(problem: Problem, values: np.ndarray) -> list[tuple[tuple[int, ...], bool]]:
    """Optimal selections for each row of ``values`` (and whether each was proven optimal)."""
    return _solve_with(SelectionModel(problem, values[0], repeat=True), values)


def _solve_with(model: SelectionModel, values: np.ndarray) -> list[tuple[tuple[int, ...], bool]]:
    results: list[tuple[tuple[int, ...], bool]] = []

    def run(rows: np.ndarray) -> None:
        for row in rows:
            solution = model.solve(row)
            results.append((solution.chosen, solution.status == "optimal"))

    start = 0
    if not model.tuned and len(values) >= 3 * TUNE_DRAWS:
        # HiGHS's presolve halves the time of some rounds (a tight cap, one per dimension) and
        # triples it for others; the first draws, solved both ways, pick the faster for the rest.
        timings = {}
        for setting in ("off", "on"):
            model.highs.setOptionValue("presolve", setting)
            started = time.perf_counter()
            run(values[start : start + TUNE_DRAWS])
            timings[setting] = time.perf_counter() - started
            start += TUNE_DRAWS
        model.highs.setOptionValue("presolve", min(timings, key=lambda k: timings[k]))
        model.tuned = True
    run(values[start:])
    return results


def default_workers(draws: int) -> int:
    return min(os.cpu_count() or 1, 4) if draws >= PARALLEL_FROM else 1


def robustness(
    model: SelectionModel,
    scoring: Scoring,
    baseline: Sequence[int],
    draws: int = 2000,
    spread: float = 0.2,
    seed: int = 0,
    progress: Progress | None = None,
    stable_threshold: float = STABLE_THRESHOLD,
    workers: int | None = None,
) -> Robustness:
    if draws < 1:
        raise ValueError("draws must be at least 1")
    if not 0 <= spread < 1:
        raise ValueError("spread must be in [0, 1)")
    started = time.perf_counter()
    generator = np.random.Generator(np.random.PCG64(seed))
    weights = np.asarray(scoring.weights, dtype=float)
    normalised = np.asarray(scoring.normalised, dtype=float)
    n = normalised.shape[0]
    factors = generator.uniform(1 - spread, 1 + spread, size=(draws, weights.shape[0]))
    drawn = weights * factors
    values = VALUE_SCALE * (drawn @ normalised.T) / drawn.sum(axis=1, keepdims=True)  # [draw][candidate]
    chunks = np.array_split(values, min(CHUNKS, draws))
    workers = default_workers(draws) if workers is None else max(1, workers)
    results: list[tuple[tuple[int, ...], bool]] = []
    done = 0

    def collect(chunk: list[tuple[tuple[int, ...], bool]]) -> None:
        nonlocal done
        results.extend(chunk)
        done += len(chunk)
        if progress is not None:
            progress(done, draws)

    finished = 0
    if workers > 1:
        try:
            context = multiprocessing.get_context("spawn")
            with ProcessPoolExecutor(max_workers=workers, mp_context=context) as pool:
                for chunk_result in pool.map(_solve_chunk, [model.problem] * len(chunks), chunks):
                    collect(chunk_result)
                    finished += 1
        except (BrokenProcessPool, OSError):
            pass  # no worker processes here (e.g. a main module that cannot be re-imported): go on in-process
    for chunk in chunks[finished:]:
        collect(_solve_with(model, chunk))
    counts = np.zeros(n, dtype=np.int64)
    selections: Counter[tuple[int, ...]] = Counter()
    for chosen, _proven in results:
        counts[list(chosen)] += 1
        selections[chosen] += 1
    unsolved = sum(1 for _chosen, proven in results if not proven)
    frequency = tuple(float(c) / draws for c in counts)
    baseline = tuple(sorted(baseline))
    stable = tuple(i for i in baseline if frequency[i] >= stable_threshold)
    fragile = tuple(i for i in baseline if frequency[i] < stable_threshold)
    contenders = tuple(
        sorted(
            (i for i in range(n) if i not in baseline and frequency[i] >= CONTENDER_THRESHOLD),
            key=lambda i: -frequency[i],
        )
    )
    return Robustness(
        draws=draws,
        spread=spread,
        seed=seed,
        frequency=frequency,
        baseline=baseline,
        stable=stable,
        fragile=fragile,
        contenders=contenders,
        selections=tuple(selections.most_common(5)),
        unsolved=unsolved,
        seconds=time.perf_counter() - started,
        stable_threshold=stable_threshold,
    )
