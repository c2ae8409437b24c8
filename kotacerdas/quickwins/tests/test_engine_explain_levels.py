"""Explanations at three depths (issue 17): the fast ones say what the old re-solves said.

The oracle is the explanation as it was computed before (tests/explain_reference.py: every
figure by re-solving). The detailed level must state the same figures; the summary's bounds,
from one solve of the relaxation, must never contradict them.
"""

from __future__ import annotations

import pytest
from hypothesis import HealthCheck, assume, given, settings

from kotacerdas.quickwins.engine.analysis import analyse
from kotacerdas.quickwins.engine.explain import Level, explain_left_out, explain_one
from kotacerdas.quickwins.engine.output import left_out_messages, to_dict
from kotacerdas.quickwins.engine.parse import parse_problem
from kotacerdas.quickwins.engine.scoring import score
from kotacerdas.quickwins.engine.solver import TOLERANCE, SelectionModel
from kotacerdas.quickwins.tests.engine_strategies import problems
from kotacerdas.quickwins.tests.explain_reference import reference_left_out
from kotacerdas.quickwins.tests.test_engine_selection import round_data

PROPERTY = settings(max_examples=120, deadline=None, suppress_health_check=[HealthCheck.too_slow])


def solved(data):
    problem = parse_problem(data)
    scoring = score(problem)
    optimum = SelectionModel(problem, scoring.values).solve()
    assume(optimum.feasible)
    return problem, scoring, optimum


def by_index(entries):
    return {e.index: e for e in entries}


@PROPERTY
@given(problems(max_candidates=6))
def test_the_detailed_explanation_states_the_figures_of_the_old_re_solves(data):
    problem, scoring, optimum = solved(data)
    old = by_index(reference_left_out(SelectionModel(problem, scoring.values, repeat=True), scoring, optimum))
    new = by_index(explain_left_out(SelectionModel(problem, scoring.values, repeat=True), scoring, optimum))
    assert old.keys() == new.keys()
    for j, before in old.items():
        after = new[j]
        assert after.decided == before.decided
        if before.decided:
            continue  # left out by decision: nothing to analyse
        assert after.analysed
        assert (after.conflict is None) == (before.conflict is None)
        assert after.loss == pytest.approx(before.loss, abs=1e-7)
        assert after.budget_increase == before.budget_increase
        if before.weight_change is None:
            assert after.weight_change is None
        else:
            assert after.weight_change is not None
            assert after.weight_change[0] == before.weight_change[0]
            assert after.weight_change[1:] == pytest.approx(before.weight_change[1:])
        assert [m.code for m in after.notes] == [m.code for m in before.notes]


@PROPERTY
@given(problems(max_candidates=6))
def test_the_summary_bounds_never_contradict_the_re_solves(data):
    problem, scoring, optimum = solved(data)
    old = by_index(reference_left_out(SelectionModel(problem, scoring.values, repeat=True), scoring, optimum))
    summary = explain_left_out(SelectionModel(problem, scoring.values), scoring, optimum, level=Level.SUMMARY)
    for entry in summary:
        exact = old[entry.index]
        assert not entry.analysed
        if entry.decided:
            assert exact.decided and not entry.summarised
            continue
        assert entry.summarised
        if entry.relaxation_blocked:
            assert exact.conflict is not None  # no fraction fits, so no selection holds it
        if exact.loss is not None:
            assert entry.loss_at_least is not None
            assert entry.loss_at_least <= exact.loss + 1e-6


@PROPERTY
@given(problems(max_candidates=6))
def test_raising_a_left_out_value_by_the_loss_brings_it_in_and_less_does_not(data):
    """Why the summary may say "its value would have to rise by at least as much"."""
    problem, scoring, optimum = solved(data)
    model = SelectionModel(problem, scoring.values, repeat=True)
    for entry in explain_left_out(model, scoring, optimum):
        if entry.loss is None or entry.loss <= TOLERANCE:
            continue
        j = entry.index
        for rise, chosen in ((entry.loss + 1e-5, True), (entry.loss - 1e-3, False)):
            values = list(scoring.values)
            values[j] += rise
            free, forced = model.solve(values), model.solve(values, fix_in=[j])
            assert (forced.objective >= free.objective - TOLERANCE) is chosen


@PROPERTY
@given(problems(max_candidates=5))
def test_one_candidate_on_demand_is_explained_as_in_the_full_analysis(data):
    problem, scoring, optimum = solved(data)
    everything = explain_left_out(SelectionModel(problem, scoring.values, repeat=True), scoring, optimum)
    for entry in everything:
        alone = explain_one(SelectionModel(problem, scoring.values, repeat=True), scoring, optimum, entry.index)
        assert (alone.decided, alone.analysed, alone.loss, alone.budget_increase) == (
            entry.decided,
            entry.analysed,
            pytest.approx(entry.loss) if entry.loss is not None else None,
            entry.budget_increase,
        )


def test_the_summary_names_a_lower_bound_and_the_detail_the_exact_figures():
    problem = parse_problem(round_data())
    summary = analyse(problem, explain=Level.SUMMARY)
    detail = analyse(problem, explain=Level.ALL)
    b1 = problem.index["b1"]
    brief = next(e for e in summary.left_out if e.index == b1)
    full = next(e for e in detail.left_out if e.index == b1)
    assert brief.summarised and not brief.analysed
    assert 0 < brief.loss_at_least <= full.loss
    said = [m.render() for m in left_out_messages(summary, brief)]
    assert said[0].startswith("Choosing it would lower the total value by at least ")
    assert said[0].endswith("its own value would have to rise by at least as much for it to be chosen.")
    why = {c["id"]: c["why_not"] for c in to_dict(summary)["candidates"] if not c["selected"]}
    assert why["b1"]["level"] == "summary" and why["b1"]["budget_increase"] is None
    assert why["b1"]["loss_at_least"] == pytest.approx(brief.loss_at_least, abs=1e-4)
    assert {c["id"]: c["why_not"]["level"] for c in to_dict(detail)["candidates"] if not c["selected"]}["b1"] == (
        "detailed"
    )


def test_with_explanations_off_left_out_candidates_are_listed_without_a_word():
    analysis = analyse(parse_problem(round_data()), explain=Level.NONE)
    assert analysis.left_out and all(left_out_messages(analysis, e) == [] for e in analysis.left_out)
    assert {c["why_not"]["level"] for c in to_dict(analysis)["candidates"] if not c["selected"]} == {"none"}


def test_a_candidate_too_dear_for_any_budget_share_is_proven_blocked_by_the_summary():
    data = round_data()
    data["candidates"][2]["cost"] = 5_000_000_000  # a3 alone breaks the cap
    analysis = analyse(parse_problem(data), explain=Level.SUMMARY)
    entry = next(e for e in analysis.left_out if analysis.problem.candidates[e.index].id == "a3")
    assert entry.relaxation_blocked and entry.blocked
    assert [m.code for m in left_out_messages(analysis, entry)] == ["blocked"]


def test_the_detail_is_capped_and_the_rest_get_the_summary():
    analysis = analyse(parse_problem(round_data()), explain=Level.ALL, explain_limit=1)
    open_entries = [e for e in analysis.left_out if not e.decided]
    assert open_entries[0].analysed and not open_entries[0].summarised
    assert all(e.summarised and not e.analysed for e in open_entries[1:])
