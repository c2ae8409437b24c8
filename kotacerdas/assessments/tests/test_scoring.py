"""The pure scoring module: hand-computed examples and properties."""

from __future__ import annotations

import math

import pytest
from hypothesis import given
from hypothesis import strategies as st

from kotacerdas.assessments import scoring
from kotacerdas.assessments.scoring import ItemInput, ScoringError


def item(code, section, element, weight, *scores):
    return ItemInput(code=code, section=section, element=element, weight=weight, scores=tuple(scores))


def test_a_level_answer_maps_to_points_on_a_zero_to_hundred_scale():
    assert [scoring.normalise("level", {}, 5, v, "") for v in (1, 2, 3, 4, 5)] == [0, 25, 50, 75, 100]


def test_number_bands_count_how_many_thresholds_the_value_reaches():
    options = {"bands": [60, 70, 80]}
    assert scoring.normalise("number", options, 5, 59.9, "") == 0
    assert scoring.normalise("number", options, 5, 70, "") == pytest.approx(200 / 3)
    assert scoring.normalise("number", options | {"direction": "lower"}, 5, 65, "") == pytest.approx(200 / 3)


def test_out_of_scale_answers_are_named():
    assert scoring.check_answer("level", {}, 5, 6, "") is not None
    assert scoring.check_answer("level", {}, 5, 2.5, "") is not None
    assert scoring.check_answer("yesno", {}, 5, 2, "") is not None
    assert scoring.check_answer("number", {"min": 0, "max": 100}, 5, 101, "") is not None
    assert scoring.check_answer("choice", {"choices": [{"code": "B"}]}, 5, None, "X") is not None
    assert scoring.check_answer("level", {}, 5, 3, "") is None


def test_hand_computed_weighted_roll_up():
    # GOV: GOV-1 has items 100 (w1) and 50 (w3) -> 62.5; GOV-2 has 0 -> GOV = (62.5 + 0) / 2 = 31.25
    # ECO: one item 75 -> 75. Overall with GOV weighted 2, ECO 1: (2*31.25 + 75) / 3 = 45.833...
    tree = scoring.score(
        [
            item("a", "GOV", "GOV-1", 1, 100),
            item("b", "GOV", "GOV-1", 3, 50),
            item("c", "GOV", "GOV-2", 1, 0),
            item("d", "ECO", "ECO-1", 1, 75),
        ],
        section_weights={"GOV": 2},
    )
    gov, eco = tree.children
    assert gov.children[0].score == pytest.approx(62.5)
    assert gov.score == pytest.approx(31.25)
    assert eco.score == 75
    assert tree.score == pytest.approx(137.5 / 3)
    assert gov.share == pytest.approx(2 / 3)
    assert gov.children[0].children[1].share == pytest.approx(0.75)
    # the explanation adds up: every parent's score is the sum of its children's contributions
    for node in tree.walk():
        if node.children and node.score is not None:
            assert node.score == pytest.approx(sum(c.contribution() for c in node.children))


def test_not_applicable_items_drop_out_and_the_weights_renormalise():
    tree = scoring.score([item("a", "S", "E", 1, 100), item("b", "S", "E", 3, None), item("c", "S", "E", 1, 50)])
    element = tree.children[0].children[0]
    assert element.score == pytest.approx(75)  # (100 + 50) / 2, b ignored
    assert [c.share for c in element.children] == [pytest.approx(0.5), 0, pytest.approx(0.5)]


def test_an_element_with_only_not_applicable_items_drops_out_of_its_section():
    tree = scoring.score([item("a", "S", "E1", 1, None), item("b", "S", "E2", 1, 40)])
    assert tree.children[0].children[0].not_applicable
    assert tree.children[0].score == 40


def test_several_assessors_combine_by_mean_or_median_with_the_spread_shown():
    items = [item("a", "S", "E", 1, 0, 50, 100, 100)]
    mean_tree = scoring.score(items, method="mean")
    median_tree = scoring.score(items, method="median")
    leaf = mean_tree.children[0].children[0].children[0]
    assert leaf.mean == 62.5 and leaf.median == 75 and leaf.spread == 100 and leaf.assessors == 4
    assert mean_tree.score == 62.5
    assert median_tree.score == 75


def test_an_assessor_who_marks_not_applicable_is_left_out_of_the_mean():
    tree = scoring.score([item("a", "S", "E", 1, 100, None, 50)])
    assert tree.score == 75


def test_thresholds_map_scores_to_levels():
    assert [scoring.level_for(s) for s in (0, 19.9, 20, 50, 79.99, 80, 100)] == [1, 1, 2, 3, 4, 5, 5]


def test_bad_weights_and_thresholds_are_refused():
    with pytest.raises(ScoringError):
        scoring.check_weights([0, 0], "section X")
    with pytest.raises(ScoringError):
        scoring.check_thresholds([20, 20, 60, 80])
    with pytest.raises(ScoringError):
        scoring.score([item("a", "S", "E", -1, 50)])


def test_a_refusal_is_a_translatable_message_with_its_values():
    with pytest.raises(ScoringError) as refused:
        scoring.check_weights([0, 0], "section X")
    message = refused.value.message
    assert (message.code, dict(message.params)) == ("zero_weights", {"where": "section X"})
    assert message.render({"%(where)s: the weights sum to zero": "%(where)s: bobotnya berjumlah nol"}.get) == (
        "section X: bobotnya berjumlah nol"
    )
    assert str(refused.value) == "section X: the weights sum to zero"
    with pytest.raises(ScoringError) as refused:
        scoring.check_thresholds([20, 20, 60, 80])
    assert refused.value.message.code == "threshold_order"


def test_gaps_rank_the_largest_gap_and_then_the_weakest_element_first():
    tree = scoring.score([item("a", "S", "E1", 1, 50), item("b", "S", "E2", 1, 30), item("c", "S", "E3", 1, 100)])
    gaps = scoring.gaps(tree, targets={"E1": 5})
    assert [(g.code, g.current, g.target) for g in gaps] == [("E1", 3, 5), ("E2", 2, 3)]  # E3 is at the top


scores = st.one_of(st.none(), st.floats(min_value=0, max_value=100))
items_strategy = st.lists(
    st.builds(
        ItemInput,
        code=st.text("abc", min_size=1, max_size=3),
        section=st.sampled_from(["S1", "S2", "S3"]),
        element=st.sampled_from(["E1", "E2", "E3", "E4"]),
        weight=st.one_of(st.just(0.0), st.floats(min_value=0.001, max_value=10)),
        scores=st.lists(scores, max_size=4).map(tuple),
    ),
    max_size=30,
)


@given(items_strategy, st.sampled_from(["mean", "median"]))
def test_every_score_stays_on_the_scale_and_is_explained_by_its_children(items, method):
    tree = scoring.score(items, method=method)
    for node in tree.walk():
        if node.score is not None:
            assert -1e-9 <= node.score <= 100 + 1e-9
        if node.children and node.score is not None:
            assert math.isclose(node.score, sum(c.contribution() for c in node.children), abs_tol=1e-6)
            assert math.isclose(sum(c.share for c in node.children), 1.0, abs_tol=1e-9)


@given(items_strategy, st.floats(min_value=0.01, max_value=100))
def test_scaling_every_item_weight_changes_nothing(items, factor):
    scaled = [ItemInput(i.code, i.section, i.element, i.weight * factor, i.scores) for i in items]
    a, b = scoring.score(items), scoring.score(scaled)
    assert (a.score is None) == (b.score is None)
    if a.score is not None and b.score is not None:
        assert math.isclose(a.score, b.score, abs_tol=1e-6)


@given(items_strategy)
def test_adding_not_applicable_items_changes_nothing(items):
    padded = [*items, *(ItemInput(f"na{n}", i.section, i.element, 5.0, (None,)) for n, i in enumerate(items))]
    a, b = scoring.score(items), scoring.score(padded)
    assert (a.score is None) == (b.score is None)
    if a.score is not None and b.score is not None:
        assert math.isclose(a.score, b.score, abs_tol=1e-6)


@given(st.floats(min_value=0, max_value=100), st.integers(min_value=1, max_value=12))
def test_when_every_item_scores_the_same_so_does_everything_above(value, n):
    items = [ItemInput(str(k), f"S{k % 3}", f"E{k % 5}", 1 + k % 4, (value,)) for k in range(n)]
    tree = scoring.score(items)
    assert all(math.isclose(node.score or 0, value, abs_tol=1e-6) for node in tree.walk())


@given(st.lists(st.floats(min_value=0, max_value=100), min_size=1, max_size=9))
def test_the_median_and_mean_lie_within_the_assessors_range(values):
    node = scoring.combine(values, "median")
    assert min(values) - 1e-9 <= (node.median or 0) <= max(values) + 1e-9
    assert min(values) - 1e-9 <= (node.mean or 0) <= max(values) + 1e-9
    assert node.spread == max(values) - min(values)


@given(st.floats(min_value=0, max_value=100), st.floats(min_value=0, max_value=100))
def test_a_higher_score_never_gets_a_lower_level(a, b):
    low, high = sorted((a, b))
    assert scoring.level_for(low) <= scoring.level_for(high)
