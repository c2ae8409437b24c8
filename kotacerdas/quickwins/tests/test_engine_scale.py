"""Scores are normalised on the round's own scale, whatever its bottom: 1–5, 0–10 or -2–3.

A 0-based scale was once read as starting at 1, so a score of 0 became a negative value and
the objective (and on some rounds the selection) was wrong.
"""

from __future__ import annotations

import io
import json
import math

import pytest
from hypothesis import HealthCheck, given, settings

from kotacerdas.quickwins.engine.parse import parse_problem, to_dict
from kotacerdas.quickwins.engine.scoring import VALUE_SCALE, score
from kotacerdas.quickwins.engine.solver import SelectionModel
from kotacerdas.quickwins.engine.xlsx import read_xlsx, write_xlsx
from kotacerdas.quickwins.tests.engine_strategies import brute_force, problems

PROPERTY = settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])


def expected_values(data: dict) -> list[float]:
    """The value of each candidate computed from the file by hand (the oracle)."""
    low, high = data["scale"]["min"], data["scale"]["max"]
    weights = {k["id"]: k["weight"] for k in data["criteria"]}
    values = []
    for candidate in data["candidates"]:
        total = 0.0
        for criterion in data["criteria"]:
            given_ = [data["scores"][e][candidate["id"]][criterion["id"]] for e in data["scores"]]
            if data["aggregation"] == "geometric":
                combined = math.exp(sum(math.log(s) for s in given_) / len(given_))
            else:
                combined = sum(given_) / len(given_)
            position = (combined - low) / (high - low)
            total += weights[criterion["id"]] * (1 - position if criterion["direction"] == "cost" else position)
        values.append(VALUE_SCALE * total / sum(weights.values()))
    return values


@PROPERTY
@given(problems())
def test_values_match_the_hand_computation_on_every_scale(data):
    scoring = score(parse_problem(data))
    assert scoring.values == pytest.approx(expected_values(data), abs=1e-9)
    assert all(
        -1e-12 <= x <= 1.0 + 1e-12 for row in scoring.normalised for x in row
    )  # floats: exp(log 3) is 3.0000000000000004


@PROPERTY
@given(problems())
def test_the_selection_is_the_best_under_the_hand_computed_values(data):
    problem = parse_problem(data)
    solution = SelectionModel(problem, score(problem).values).solve()
    best = brute_force(problem, tuple(expected_values(data)))
    if best is None:
        assert solution.status == "infeasible"
    else:
        assert solution.objective == pytest.approx(best, abs=1e-6)


def _zero_based() -> dict:
    return {
        "year": 2024,
        "scale": {"min": 0, "max": 10},
        "candidates": [
            {"id": "a", "dimension": "GOV", "opd": "Diskominfo", "cost": 100},
            {"id": "b", "dimension": "GOV", "opd": "Diskominfo", "cost": 100},
        ],
        "criteria": [{"id": "impact", "weight": 1}],
        "scores": {"e": {"a": {"impact": 0}, "b": {"impact": 10}}},
        "constraints": {"budget": [{"year": 2024, "cap": 1000}]},
    }


def test_a_zero_score_on_a_zero_based_scale_is_the_bottom_not_below_it():
    scoring = score(parse_problem(_zero_based()))
    assert scoring.normalised == ((0.0,), (1.0,))
    assert scoring.values == (0.0, VALUE_SCALE)


def test_a_zero_based_round_keeps_its_bottom_through_json_and_xlsx():
    problem = parse_problem(_zero_based())
    assert to_dict(problem)["scale"] == {"min": 0, "max": 10}
    assert parse_problem(json.loads(json.dumps(to_dict(problem)))) == problem
    assert read_xlsx(io.BytesIO(write_xlsx(problem))) == problem


@pytest.mark.django_db
def test_a_web_round_on_a_zero_to_ten_scale_ranks_a_zero_as_the_bottom(cast):
    from kotacerdas.quickwins import selectors, services
    from kotacerdas.quickwins.models import Criterion, Evaluator
    from kotacerdas.quickwins.tests.builders import make_round

    selection_round = make_round(cast.region_a)
    selection_round = services.update_round(
        actor=cast.editor,
        selection_round=selection_round,
        data={"scale_min": 0, "scale_max": 10},
        expected_version=selection_round.version,
    )
    first = selection_round.candidates.order_by("programme__code").first()
    criteria = list(Criterion.objects.filter(round=selection_round))
    for evaluator in Evaluator.objects.filter(round=selection_round):
        services.save_scores(
            actor=cast.editor,
            evaluator=evaluator,
            values={(first.pk, c.pk): 0 for c in criteria if c.direction != "cost"},
        )
    ranking = selectors.ranking(selectors.load_round(selection_round))
    index = [c.id for c in ranking.problem.candidates].index(first.programme.code)
    assert ranking.problem.scale_min == 0
    assert all(0.0 <= x <= 1.0 for row in ranking.scoring.normalised for x in row)
    benefit = [k for k, c in enumerate(ranking.problem.criteria) if c.direction.value != "cost"]
    assert all(ranking.scoring.normalised[index][k] == 0.0 for k in benefit)
