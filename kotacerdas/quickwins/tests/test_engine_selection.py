"""The selection model: exact optimality against exhaustive search, and the constraints it must keep."""

from __future__ import annotations

from decimal import Decimal

import pytest
from hypothesis import HealthCheck, given, settings

from kotacerdas.quickwins.engine.analysis import analyse
from kotacerdas.quickwins.engine.model import Must
from kotacerdas.quickwins.engine.parse import parse_problem
from kotacerdas.quickwins.engine.scoring import score
from kotacerdas.quickwins.engine.solver import SelectionModel
from kotacerdas.quickwins.tests.engine_strategies import brute_force, problems, satisfies

PROPERTY = settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])


def round_data(**constraints):
    """Six candidates in two dimensions, three evaluators agreeing, one criterion."""
    values = {"a1": 5, "a2": 4, "a3": 2, "b1": 5, "b2": 3, "b3": 1}
    costs = {"a1": 800, "a2": 300, "a3": 100, "b1": 900, "b2": 200, "b3": 100}
    return {
        "year": 2024,
        "candidates": [
            {
                "id": cid,
                "name": cid.upper(),
                "dimension": cid[0].upper(),
                "opd": "Diskominfo",
                "cost": costs[cid] * 1_000_000,
            }
            for cid in values
        ],
        "criteria": [{"id": "impact", "weight": 1}],
        "scores": {e: {cid: {"impact": v} for cid, v in values.items()} for e in ("x", "y", "z")},
        "constraints": {"budget": [{"year": 2024, "cap": 1_000_000_000}], **constraints},
    }


@PROPERTY
@given(problems())
def test_the_optimum_equals_exhaustive_search(data):
    problem = parse_problem(data)
    scoring = score(problem)
    solution = SelectionModel(problem, scoring.values).solve()
    best = brute_force(problem, scoring.values)
    if best is None:
        assert solution.status == "infeasible"
    else:
        assert solution.status == "optimal"
        assert solution.objective == pytest.approx(best, abs=1e-6)


@PROPERTY
@given(problems())
def test_the_selection_keeps_budget_must_choices_and_dependencies(data):
    problem = parse_problem(data)
    solution = SelectionModel(problem, score(problem).values).solve()
    if solution.status != "optimal":
        return
    chosen = set(solution.chosen)
    assert satisfies(problem, chosen)
    ids = {problem.candidates[i].id for i in chosen}
    for cap in problem.caps:
        assert sum((cap.spending(problem.candidates[i]) for i in chosen), Decimal(0)) <= cap.amount
    for i, candidate in enumerate(problem.candidates):
        assert (candidate.must is not Must.INCLUDE) or i in chosen
        assert (candidate.must is not Must.EXCLUDE) or i not in chosen
        if i in chosen:
            assert set(candidate.requires) <= ids
            assert not set(candidate.excludes) & ids


@PROPERTY
@given(problems(loose=True, relations=False))
def test_with_a_loose_budget_the_optimum_is_the_best_of_each_dimension(data):
    problem = parse_problem(data)
    scoring = score(problem)
    solution = SelectionModel(problem, scoring.values).solve()
    best_per_dimension = {}
    for i, candidate in enumerate(problem.candidates):
        best_per_dimension[candidate.dimension] = max(
            best_per_dimension.get(candidate.dimension, 0.0), scoring.values[i]
        )
    assert solution.status == "optimal"
    assert solution.objective == pytest.approx(sum(best_per_dimension.values()), abs=1e-9)
    assert sorted(problem.candidates[i].dimension for i in solution.chosen) == sorted(best_per_dimension)


def test_by_default_it_picks_exactly_one_per_dimension_within_the_cap():
    analysis = analyse(parse_problem(round_data()))
    chosen = sorted(analysis.problem.candidates[i].id for i in analysis.chosen)
    # a1 + b1 would cost 1.7 bn; a1 + b2 spends exactly the cap of 1 bn, which is allowed.
    assert chosen == ["a1", "b2"]
    assert analysis.solution.objective == pytest.approx(100 + 50)


def test_a_cap_per_source_binds_only_that_source():
    data = round_data()
    data["candidates"][0]["costs"] = [{"year": 2024, "source": "DAK", "amount": 800_000_000}]
    del data["candidates"][0]["cost"]
    data["constraints"]["budget"] = [{"year": 2024, "source": "DAK", "cap": 500_000_000}]
    problem = parse_problem(data)
    analysis = analyse(problem)
    chosen = {problem.candidates[i].id for i in analysis.chosen}
    assert "a1" not in chosen and "b1" in chosen  # b1 is APBD money, not capped


def test_a_maximum_per_opd_spreads_the_picks():
    data = round_data(max_per_opd=1, per_dimension={"min": 0, "max": 2})
    data["constraints"]["budget"] = []
    data["candidates"][3]["opd"] = "Dinkes"
    problem = parse_problem(data)
    chosen = {problem.candidates[i].id for i in analyse(problem).chosen}
    assert chosen == {"a1", "b1"}


def test_the_solver_banner_stays_off_standard_output(capfd):
    import kotacerdas.quickwins.engine.solver as solver

    solver._banner_done = False
    problem = parse_problem(round_data())
    SelectionModel(problem, score(problem).values).solve()
    assert "HiGHS" not in capfd.readouterr().out


def test_a_selection_one_rupiah_over_the_cap_is_refused_though_within_float_tolerance():
    data = round_data(per_dimension={"min": 0, "max": None})
    data["candidates"][0]["cost"] = 500_000_000_000
    data["candidates"][3]["cost"] = 500_000_000_001  # together one rupiah over a 1,000 bn cap
    data["constraints"]["budget"] = [{"year": 2024, "cap": 1_000_000_000_000}]
    problem = parse_problem(data)
    solution = SelectionModel(problem, score(problem).values).solve()
    chosen = {problem.candidates[i].id for i in solution.chosen}
    assert not {"a1", "b1"} <= chosen
    assert satisfies(problem, set(solution.chosen))
    assert solution.objective == pytest.approx(brute_force(problem, score(problem).values))


def test_exactly_the_cap_is_allowed_even_when_floats_add_up_above_it():
    data = round_data(per_dimension={"min": 0, "max": None})
    for item, amount in zip(data["candidates"], ("0.1", "0.2", "0.3", "5", "5", "5"), strict=True):
        item["cost"] = amount
    data["constraints"]["budget"] = [{"year": 2024, "cap": "0.3"}]
    problem = parse_problem(data)
    solution = SelectionModel(problem, score(problem).values).solve()
    assert {problem.candidates[i].id for i in solution.chosen} == {"a1", "a2"}  # 0.1 + 0.2 is exactly 0.3


def test_a_selection_found_over_a_cap_in_exact_arithmetic_is_cut_off_and_solved_again(monkeypatch):
    problem = parse_problem(round_data())
    model = SelectionModel(problem, score(problem).values)
    first = model.solve()
    flagged = []

    def over_cap(self, chosen, active, extra):
        flagged.append(tuple(chosen))
        return tuple(chosen) == first.chosen  # pretend the optimum broke the cap by a rounding error

    monkeypatch.setattr(SelectionModel, "_over_cap", over_cap)
    second = model.solve()
    assert flagged[0] == first.chosen and second.chosen != first.chosen
    assert second.objective < first.objective
    assert model.highs.getNumRow() == len(model.rows)  # the cut does not outlive the solve
