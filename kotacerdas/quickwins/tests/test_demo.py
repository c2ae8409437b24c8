"""The Kota Solok demo: a 2024 round over the review edition, three evaluators, solved, with robustness."""

from __future__ import annotations

import pytest

from kotacerdas.demo.loader import load_demo
from kotacerdas.quickwins.engine.analysis import analyse
from kotacerdas.quickwins.engine.parse import parse_problem
from kotacerdas.quickwins.models import RoundStatus, RunStatus, SelectionRound
from kotacerdas.quickwins.selectors import load_round, problem_data
from tests.support import snapshot

pytestmark = pytest.mark.django_db


def test_solok_gets_a_scored_and_solved_2024_round_marked_as_sample(request):
    snapshot.demo(request)
    selection_round = SelectionRound.objects.get(region__code="13.72", year=2024)
    assert selection_round.is_sample and selection_round.edition.year == 2024
    assert selection_round.budget_year == 2025 and selection_round.status == RoundStatus.SOLVED
    assert selection_round.weight_mode == "pairwise"
    evaluators = list(selection_round.evaluators.all())
    assert len(evaluators) == 3 and all(e.is_sample and "(contoh)" in e.name for e in evaluators)
    cells = selection_round.candidates.count() * selection_round.criteria.count()
    assert selection_round.scores.count() == 3 * cells
    solve = selection_round.solves.get()
    assert solve.is_sample and solve.status == "optimal" and len(solve.chosen_codes) == 6
    assert solve.report["ahp"]["consistent"]
    run = solve.robustness_runs.get()
    assert run.status == RunStatus.DONE and run.is_sample
    # the command line gives the same answer on the exported round
    again = analyse(parse_problem(problem_data(load_round(selection_round))))
    assert [again.problem.candidates[i].id for i in sorted(again.chosen)] == sorted(
        solve.chosen_codes, key=[c.id for c in again.problem.candidates].index
    )
    load_demo()  # idempotent
    assert SelectionRound.objects.filter(region__code="13.72").count() == 1
