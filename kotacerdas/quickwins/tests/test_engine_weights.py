"""AHP weights and consistency; combining evaluators' scores."""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from kotacerdas.quickwins.engine.ahp import ahp
from kotacerdas.quickwins.engine.model import Aggregation
from kotacerdas.quickwins.engine.parse import parse_problem
from kotacerdas.quickwins.engine.scoring import combine, score

SAATY = [1 / 9, 1 / 7, 1 / 5, 1 / 3, 1, 3, 5, 7, 9]


@st.composite
def reciprocal_matrices(draw, low=2, high=10):
    n = draw(st.integers(low, high))
    m = [[1.0] * n for _ in range(n)]
    for i in range(n):
        for j in range(i + 1, n):
            m[i][j] = draw(st.sampled_from(SAATY))
            m[j][i] = 1 / m[i][j]
    return m


@settings(max_examples=200, deadline=None)
@given(reciprocal_matrices())
def test_the_weights_are_the_principal_eigenvector(matrix):
    result = ahp(matrix)
    values, vectors = np.linalg.eig(np.array(matrix))
    k = int(np.argmax(values.real))
    expected = np.abs(vectors[:, k].real)
    expected /= expected.sum()
    assert result.weights == pytest.approx(list(expected), abs=1e-8)
    assert result.lambda_max == pytest.approx(values[k].real, abs=1e-8)
    assert sum(result.weights) == pytest.approx(1) and min(result.weights) > 0
    assert result.lambda_max >= len(matrix) - 1e-9  # a positive reciprocal matrix has λmax ≥ n


@settings(max_examples=100, deadline=None)
@given(st.lists(st.floats(0.1, 10), min_size=3, max_size=10))
def test_a_consistent_matrix_gives_its_ratios_back_with_cr_zero(priorities):
    matrix = [[a / b for b in priorities] for a in priorities]
    result = ahp(matrix)
    total = sum(priorities)
    assert result.weights == pytest.approx([p / total for p in priorities], rel=1e-6)
    assert result.cr == pytest.approx(0, abs=1e-9) and result.consistent


def test_saatys_random_index_gives_the_consistency_ratio():
    # A textbook 3×3 example: A is 3× B and 5× C, B is 3× C (slightly inconsistent).
    result = ahp([[1, 3, 5], [1 / 3, 1, 3], [1 / 5, 1 / 3, 1]])
    assert result.ri == 0.58
    assert result.ci == pytest.approx((result.lambda_max - 3) / 2)
    assert result.cr == pytest.approx(result.ci / 0.58)
    assert result.cr == pytest.approx(0.033, abs=0.001) and result.warning is None


def test_inconsistent_judgements_warn_above_ten_percent():
    result = ahp([[1, 9, 1 / 9], [1 / 9, 1, 9], [9, 1 / 9, 1]])  # A > B > C > A
    assert result.cr > 0.10 and not result.consistent
    assert "consistency ratio" in result.warning.render()


def test_more_criteria_than_saatys_table_has_no_ratio_but_says_so():
    result = ahp([[1.0] * 11 for _ in range(11)])
    assert result.cr is None and "More than 10 criteria" in result.warning.render()


def _round(scores, direction="benefit", aggregation="mean"):
    return parse_problem(
        {
            "aggregation": aggregation,
            "candidates": [{"id": "a", "dimension": "GOV"}, {"id": "b", "dimension": "GOV"}],
            "criteria": [{"id": "k", "weight": 1, "direction": direction}],
            "scores": {f"e{n}": {"a": {"k": s}, "b": {"k": 3}} for n, s in enumerate(scores)},
        }
    )


def test_scores_combine_by_mean_or_geometric_mean():
    assert combine([1, 5], Aggregation.MEAN) == 3
    assert combine([1, 4], Aggregation.GEOMETRIC) == pytest.approx(2)
    assert score(_round([1, 4], aggregation="geometric")).cells[0][0].combined == pytest.approx(2)


def test_a_cost_criterion_counts_inversely():
    benefit = score(_round([5]))
    cost = score(_round([5], direction="cost"))
    assert benefit.values[0] == 100 and cost.values[0] == 0
    assert score(_round([1], direction="cost")).values[0] == 100


def test_disagreement_between_evaluators_is_measured_and_flagged():
    scoring = score(_round([1, 5, 3]))
    cell = scoring.cells[0][0]
    assert cell.spread == 4 and cell.std == pytest.approx(np.std([1, 5, 3]))
    assert scoring.disputed(0) and not scoring.disputed(1)
    assert not score(_round([2, 4])).disputed(0)  # a spread of half the scale is not yet a dispute
