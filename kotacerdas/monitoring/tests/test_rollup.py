"""The roll-up rule: scores in [0, 1], RAG bands, what pulls a level down, budget weights."""

from __future__ import annotations

from decimal import Decimal

from hypothesis import given
from hypothesis import strategies as st

from kotacerdas.monitoring.rollup import Item, Rag, count, level, tree

STATUSES = [None, "not_started", "on_track", "at_risk", "off_track", "achieved", "not_achieved", "cancelled"]

items = st.lists(
    st.builds(
        Item,
        key=st.integers(),
        dimension=st.sampled_from(["GOV", "ENV"]),
        element=st.sampled_from(["a", "b"]),
        status=st.sampled_from(STATUSES),
        budget=st.integers(min_value=0, max_value=10**12).map(Decimal),
        due=st.booleans(),
    ),
    max_size=30,
)


@given(items, st.booleans())
def test_every_level_scores_between_0_and_1_and_colours_by_its_score(rows, weighted):
    plan = tree(rows, budget_weighted=weighted)
    for node in [plan, *plan.children, *(e for d in plan.children for e in d.children)]:
        if node.score is None:
            assert node.rag is Rag.GREY and node.counted == 0
        else:
            assert Decimal(0) <= node.score <= Decimal(1)
            assert (node.rag is Rag.GREEN) == (node.score >= Decimal("0.8"))


@given(items)
def test_slipping_one_programme_never_raises_the_score(rows):
    counted = [r for r in rows if count(r) is not None and r.status in {"on_track", "achieved"}]
    if not counted:
        return
    worse = [Item(r.key, r.dimension, r.element, "off_track", r.budget, r.due) if r is counted[0] else r for r in rows]
    before, after = level("x", rows), level("x", worse)
    assert after.score is not None and before.score is not None and after.score < before.score
    assert counted[0].key in after.pulling_down


def test_cancelled_unreported_and_not_yet_due_programmes_are_left_out():
    rows = [
        Item(1, "GOV", "a", "on_track"),
        Item(2, "GOV", "a", "cancelled"),
        Item(3, "GOV", "a", None),
        Item(4, "GOV", "a", "not_started", due=False),
    ]
    result = level("GOV", rows)
    assert result.score == 1 and result.counted == 1 and result.not_reported == [3]


def test_budget_weights_let_the_big_programme_decide_and_fall_back_when_no_budget():
    rows = [Item(1, "GOV", "a", "on_track", Decimal(900)), Item(2, "GOV", "a", "off_track", Decimal(100))]
    assert level("GOV", rows, budget_weighted=True).score == Decimal("0.9")
    assert level("GOV", rows).score == Decimal("0.5")
    no_budget = [Item(1, "GOV", "a", "on_track"), Item(2, "GOV", "a", "off_track")]
    assert level("GOV", no_budget, budget_weighted=True).score == Decimal("0.5")
    assert level("GOV", rows, budget_weighted=True).pulling_down == [2]


def test_a_programme_not_yet_due_is_not_listed_as_not_reported():
    rows = [Item(1, "GOV", "a", None, due=False), Item(2, "GOV", "a", None)]
    assert level("GOV", rows).not_reported == [2]
