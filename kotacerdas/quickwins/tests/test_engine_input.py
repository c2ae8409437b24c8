"""Bad input is refused with a specific message naming where it is; good input reads back equal."""

from __future__ import annotations

import copy
import io
import json
from pathlib import Path

import pytest
from openpyxl import load_workbook

from kotacerdas.quickwins.engine.messages import ProblemError
from kotacerdas.quickwins.engine.parse import parse_problem, to_dict
from kotacerdas.quickwins.engine.xlsx import read_xlsx, write_xlsx

EXAMPLES = Path(__file__).resolve().parents[1] / "examples"


@pytest.fixture
def data():
    return json.loads((EXAMPLES / "solok-2025.json").read_text(encoding="utf-8"))


def issues(data):
    with pytest.raises(ProblemError) as caught:
        parse_problem(data)
    return [issue.render() for issue in caught.value.issues]


def with_weights(data, *weights):
    data = copy.deepcopy(data)
    del data["pairwise"]
    for criterion, weight in zip(data["criteria"], weights, strict=True):
        criterion["weight"] = weight
    return data


def test_the_example_file_reads(data):
    problem = parse_problem(data)
    assert len(problem.candidates) == 14 and len(problem.criteria) == 7 and problem.pairwise is not None


def test_it_refuses_weights_that_are_all_zero(data):
    assert issues(with_weights(data, *[0] * 7)) == [
        "criteria: The weights are all zero; give at least one criterion a positive weight."
    ]


def test_it_refuses_a_negative_weight(data):
    assert issues(with_weights(data, 1, 1, -1, 1, 1, 1, 1)) == ["criteria[2].weight: A weight cannot be negative."]


def test_it_refuses_weights_and_a_pairwise_matrix_together(data):
    data["criteria"][0]["weight"] = 1
    assert "pairwise: Give either weights or a pairwise matrix, not both." in issues(data)


def test_it_refuses_a_pairwise_matrix_that_is_not_positive(data):
    data["pairwise"]["matrix"][0][1] = -2
    assert "pairwise.matrix[0][1]: Pairwise judgements must be positive (1/9 to 9)." in issues(data)


def test_it_refuses_a_pairwise_matrix_that_is_not_reciprocal(data):
    data["pairwise"]["matrix"][1][0] = 2  # impact over feasible is 2, so feasible over impact must be 1/2
    assert issues(data) == [
        "pairwise.matrix[0][1]: The matrix is not reciprocal: impact over feasible is 2, so feasible over impact "
        "must be 1/2, not 2."
    ]


def test_it_refuses_a_matrix_of_the_wrong_size(data):
    data["pairwise"]["matrix"] = data["pairwise"]["matrix"][:3]
    assert issues(data) == ["pairwise.matrix: The matrix must be square: 7 rows of 7 numbers."]


def test_it_fills_the_lower_triangle_with_reciprocals(data):
    problem = parse_problem(data)
    assert problem.pairwise.matrix[2][0] == pytest.approx(1 / 3)
    assert problem.pairwise.matrix[4][2] == pytest.approx(2)  # "1/2" written above the diagonal


def test_it_refuses_scores_outside_the_scale(data):
    data["scores"]["Bappeda"]["GOV-1"]["impact"] = 6
    data["scores"]["Bappeda"]["GOV-2"]["cost"] = 0
    assert issues(data) == [
        "scores.Bappeda.GOV-1.impact: The score 6 is outside the scale 1–5.",
        "scores.Bappeda.GOV-2.cost: The score 0 is outside the scale 1–5.",
    ]


def test_it_refuses_unknown_candidates_in_constraints(data):
    data["candidates"][0]["requires"] = ["GOV-9"]
    data["candidates"][1]["excludes"] = "ECO-1, XX-1"
    data["constraints"]["must_include"] = ["NOPE"]
    assert issues(data) == [
        "candidates[0].requires: Unknown candidate GOV-9 (no candidate has that id).",
        "candidates[1].excludes: Unknown candidate XX-1 (no candidate has that id).",
        "constraints.must_include: Unknown candidate NOPE (no candidate has that id).",
    ]


def test_it_refuses_contradictory_must_include_and_must_exclude(data):
    data["constraints"]["must_include"] = ["LIV-1"]
    data["constraints"]["must_exclude"] = ["LIV-1"]
    assert issues(data) == ["candidates[7].must: LIV-1 is both a must-include and a must-exclude; choose one."]


def test_it_refuses_a_candidate_nobody_scored(data):
    for evaluator in data["scores"].values():
        del evaluator["ENV-2"]["impact"]
    assert issues(data) == ["scores: Nobody scored ENV-2 on impact."]


def test_an_excluded_candidate_need_not_be_scored(data):
    for evaluator in data["scores"].values():
        del evaluator["ENV-2"]
    data["constraints"]["must_exclude"] = ["ENV-2"]
    assert parse_problem(data).candidate("ENV-2").must == "exclude"


def test_it_lists_every_problem_at_once(data):
    data["candidates"][0]["id"] = "GOV-2"
    data["candidates"][2]["dimension"] = ""
    data["constraints"]["budget"][0]["cap"] = "lots"
    assert {
        "candidates[1].id: The id GOV-2 is used twice.",
        "candidates[2].dimension: This cannot be empty.",
        "scores.Bappeda.GOV-1: Unknown candidate GOV-1 (no candidate has that id).",
        "constraints.budget[0].cap: lots is not an amount in rupiah.",
    } <= set(issues(data))


def test_it_refuses_something_that_is_not_an_object():
    assert issues([1, 2]) == ["The file must hold one JSON object."]


def test_the_file_format_round_trips_through_json_and_xlsx(data):
    problem = parse_problem(data)
    assert parse_problem(json.loads(json.dumps(to_dict(problem)))) == problem
    assert read_xlsx(io.BytesIO(write_xlsx(problem))) == problem


def test_the_example_spreadsheet_holds_the_same_round_as_the_example_json(data):
    with (EXAMPLES / "solok-2025.xlsx").open("rb") as handle:
        assert read_xlsx(handle) == parse_problem(data)


def test_spreadsheet_problems_are_reported_by_sheet_and_row(data):
    book = load_workbook(io.BytesIO(write_xlsx(parse_problem(data))))
    book["candidates"]["C3"] = None  # the second candidate's dimension
    book["scores"]["C4"] = 9  # third scores row, first criterion
    buffer = io.BytesIO()
    book.save(buffer)
    buffer.seek(0)
    with pytest.raises(ProblemError) as caught:
        read_xlsx(buffer)
    assert [i.render() for i in caught.value.issues] == [
        "candidates row 3 dimension: This cannot be empty.",
        "scores row 4 impact: The score 9 is outside the scale 1–5.",
    ]


def test_a_file_that_is_not_a_workbook_is_refused():
    with pytest.raises(ProblemError, match="not a readable XLSX workbook"):
        read_xlsx(io.BytesIO(b"not a zip"))
