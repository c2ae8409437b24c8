"""Infeasibility in plain words, why each left-out candidate is out, the simple ranking, robustness."""

from __future__ import annotations

from decimal import Decimal

import pytest

from kotacerdas.quickwins.engine.analysis import analyse, run_robustness
from kotacerdas.quickwins.engine.output import conflict_messages, left_out_messages, to_dict
from kotacerdas.quickwins.engine.parse import parse_problem
from kotacerdas.quickwins.engine.scoring import score, values_for
from kotacerdas.quickwins.engine.solver import SelectionModel
from kotacerdas.quickwins.tests.test_engine_selection import round_data


def texts(messages):
    return [m.render() for m in messages]


def test_must_includes_above_the_cap_are_named_with_their_cost():
    data = round_data(must_include=["a1", "b1", "a3"], per_dimension={"min": 0, "max": None})
    data["constraints"]["budget"] = [{"year": 2024, "cap": 1_500_000_000}]
    analysis = analyse(parse_problem(data))
    assert analysis.solution.status == "infeasible"
    said = texts(conflict_messages(analysis))
    assert said[0] == "No selection satisfies all the constraints."
    assert (
        "The 3 candidates that must be chosen (with what they depend on) need Rp 1,800,000,000, above the budget "
        "cap of Rp 1,500,000,000 for 2024." in said
    )
    # a1 and b1 alone already break the cap: a3 is not part of the conflict
    assert said[-1] == (
        "These constraints cannot all hold together: the budget cap of Rp 1,500,000,000 for 2024; A1 (a1) must be "
        "included; B1 (b1) must be included."
    )


def test_a_dimension_minimum_without_enough_candidates_is_named():
    data = round_data()
    data["dimensions"] = [{"code": "A", "name": "Smart Governance", "min": 4, "max": None}]
    analysis = analyse(parse_problem(data))
    said = texts(conflict_messages(analysis))
    assert "Dimension Smart Governance needs at least 4, but only 3 of its candidates may be chosen." in said
    assert any(s.startswith("These constraints cannot all hold together: at least 4 from dimension") for s in said)


def test_dimension_minimums_above_the_cap_give_the_cheapest_possible_cost():
    data = round_data()
    data["constraints"]["budget"] = [{"year": 2024, "cap": 150_000_000}]
    analysis = analyse(parse_problem(data))
    said = texts(conflict_messages(analysis))
    assert (
        "Even the cheapest choice meeting the minimum per dimension needs Rp 200,000,000, above the budget cap "
        "of Rp 150,000,000 for 2024." in said
    )
    assert {g.kind for g in analysis.conflict.groups} == {"cap", "dim_min"}
    assert analysis.conflict.complete


def test_the_conflicting_set_is_irreducible():
    data = round_data(must_include=["a1"], max_per_opd=1, per_dimension={"min": 0, "max": 1})
    data["candidates"][0]["requires"] = ["b1"]  # a1 needs b1; both led by Diskominfo, one allowed
    data["constraints"]["budget"] = []
    analysis = analyse(parse_problem(data))
    groups = analysis.conflict.groups
    assert {g.kind for g in groups} == {"must_in", "requires", "opd"}
    model = SelectionModel(analysis.problem, analysis.scoring.values)
    ids = {g.id for g in groups}
    assert not model.feasible(ids)
    for group in groups:
        assert model.feasible(ids - {group.id})


def test_each_left_out_candidate_says_what_would_bring_it_in():
    analysis = analyse(parse_problem(round_data()))
    problem = analysis.problem
    chosen = {problem.candidates[i].id for i in analysis.chosen}
    assert chosen == {"a1", "b2"}
    by_id = {problem.candidates[e.index].id: e for e in analysis.left_out}
    b1 = by_id["b1"]
    assert [problem.candidates[i].id for i in b1.displaces] == ["a1", "b2"]
    # b1 + a2 (value 175, above a1 + b2's 150) needs 1.2 bn: 200 million more
    assert b1.budget_increase == Decimal(200_000_000)
    said = texts(left_out_messages(analysis, b1))
    assert said[0].startswith("Choosing it, the best selection would drop A1, B2 and take A3 as well")
    assert "Raising the budget cap by Rp 200,000,000 would bring it in." in said
    # one criterion only: weights cannot change anything
    assert "No rise of a single criterion's weight would bring it in." in said


def test_the_budget_increase_really_brings_the_candidate_in():
    data = round_data()
    analysis = analyse(parse_problem(data))
    for entry in analysis.left_out:
        if entry.budget_increase is None:
            continue
        raised = parse_problem(
            data | {"constraints": {"budget": [{"year": 2024, "cap": 1_000_000_000 + int(entry.budget_increase)}]}}
        )
        model = SelectionModel(raised, score(raised).values)
        free, forced = model.solve(), model.solve(fix_in=[entry.index])
        assert forced.objective == pytest.approx(free.objective)


def test_the_weight_change_really_brings_the_candidate_in():
    data = round_data()
    data["constraints"]["budget"] = [{"year": 2024, "cap": 950_000_000}]
    data["criteria"] = [{"id": "impact", "weight": 3}, {"id": "innovation", "weight": 1}]
    for evaluator in data["scores"].values():
        for cid, row in evaluator.items():
            row["innovation"] = 5 if cid == "a3" else 1
    analysis = analyse(parse_problem(data))
    problem = analysis.problem
    entry = next(e for e in analysis.left_out if problem.candidates[e.index].id == "a3")
    k, now, needed = entry.weight_change
    # a3 + b2 overtakes a2 + b2 when innovation holds a third of the weight
    assert problem.criteria[k].id == "innovation" and now == pytest.approx(0.25)
    assert needed == pytest.approx(1 / 3, abs=0.005)
    weights = [1 - needed, needed]
    values = values_for(weights, analysis.scoring.normalised)
    model = SelectionModel(problem, values)
    assert model.solve(fix_in=[entry.index]).objective == pytest.approx(model.solve().objective)
    said = texts(left_out_messages(analysis, entry))
    assert any(s.startswith("Raising the weight of innovation from 25.0 % to ") for s in said)


def test_a_candidate_that_cannot_be_chosen_at_all_says_which_constraints_rule_it_out():
    data = round_data(must_exclude=["b1"])
    data["candidates"][1]["requires"] = ["b1"]  # a2 needs b1, which is excluded
    analysis = analyse(parse_problem(data))
    entries = {analysis.problem.candidates[e.index].id: e for e in analysis.left_out}
    said = texts(left_out_messages(analysis, entries["a2"]))
    assert said == [
        "It cannot be chosen under the constraints; these rule it out: A2 (a2) only together with B1 (b1); "
        "B1 (b1) must be left out."
    ]
    assert texts(left_out_messages(analysis, entries["b1"])) == ["Left out by decision (must exclude)."]


def test_the_optimum_is_compared_with_a_simple_ranking():
    analysis = analyse(parse_problem(round_data()))
    comparison = analysis.comparison
    problem = analysis.problem
    # by value: a1 (100) then b1 (100) does not fit, b2 (50) does
    assert {problem.candidates[i].id for i in comparison.chosen} == {"a1", "b2"}
    assert comparison.difference == pytest.approx(0)
    data = round_data()
    data["constraints"]["budget"] = [{"year": 2024, "cap": 850_000_000}]
    analysis = analyse(parse_problem(data))
    # greedy takes a1 (800), then nothing in B fits; the optimum takes a2 + b2
    assert analysis.comparison.difference == pytest.approx(75 + 50 - 100)
    assert texts(analysis.comparison.notes) == ["The simple ranking leaves dimension B below its minimum of 1."]


def test_robustness_is_reproducible_from_its_seed_and_reports_progress():
    data = round_data()
    data["criteria"] = [{"id": "impact", "weight": 1}, {"id": "innovation", "weight": 1}]
    for n, evaluator in enumerate(data["scores"].values()):
        for m, row in enumerate(evaluator.values()):
            row["innovation"] = 1 + (n + m) % 5
    problem = parse_problem(data)
    seen = []
    first = run_robustness(problem, draws=200, seed=7, progress=lambda done, total: seen.append((done, total)))
    second = run_robustness(problem, draws=200, seed=7)
    assert first.frequency == second.frequency
    assert seen[-1] == (200, 200) and len(seen) == 20  # one report per chunk
    assert all(0 <= f <= 1 for f in first.frequency)
    assert sum(first.frequency) == pytest.approx(sum(n * len(s) for s, n in first.selections) / 200, abs=2)
    assert set(first.stable) | set(first.fragile) == set(first.baseline)


def test_without_perturbation_every_draw_picks_the_baseline():
    problem = parse_problem(round_data())
    result = run_robustness(problem, draws=20, spread=0.0)
    assert result.fragile == () and result.contenders == ()
    assert all(result.frequency[i] == 1 for i in result.baseline)


def test_the_json_report_carries_every_part():
    data = analyse(parse_problem(round_data()), draws=50, seed=1)
    report = to_dict(data)
    assert report["status"] == "optimal" and report["selection"] == ["a1", "b2"]
    assert report["budget"] == [{"year": 2024, "source": None, "cap": 1_000_000_000, "used": 1_000_000_000, "left": 0}]
    assert report["robustness"]["draws"] == 50 and report["simple_ranking"]["difference"] == 0
    left = {c["id"]: c for c in report["candidates"] if not c["selected"]}
    assert left["b1"]["why_not"]["budget_increase"] == 200_000_000


def test_worker_processes_give_the_same_frequencies_as_one_process():
    from kotacerdas.quickwins.engine.robustness import robustness

    data = round_data()
    data["criteria"] = [{"id": "impact", "weight": 1}, {"id": "innovation", "weight": 1}]
    for n, evaluator in enumerate(data["scores"].values()):
        for m, row in enumerate(evaluator.values()):
            row["innovation"] = 1 + (n * 2 + m) % 5
    problem = parse_problem(data)
    scoring = score(problem)
    model = SelectionModel(problem, scoring.values, repeat=True)
    baseline = model.solve().chosen
    alone = robustness(model, scoring, baseline, draws=60, seed=4, workers=1)
    shared = robustness(model, scoring, baseline, draws=60, seed=4, workers=2)
    assert alone.frequency == shared.frequency and alone.selections == shared.selections
