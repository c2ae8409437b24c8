"""Achievement against target: the documented formulas over the whole input space (directions,
targets above, at and below zero, baselines on either side, ranges, caps, missing values)."""

from __future__ import annotations

from decimal import Decimal

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from kotacerdas.monitoring.achievement import Direction, Target, achievement

VALUES = st.integers(-100_000, 100_000).map(lambda n: Decimal(n) / 100)
MAYBE = st.one_of(st.none(), VALUES)
CAPS = st.one_of(st.none(), st.sampled_from([Decimal(100), Decimal(110), Decimal(120)]))
SIMPLE = st.sampled_from([Direction.HIGHER, Direction.LOWER])
PROPERTY = settings(max_examples=400)


@st.composite
def targets(draw):
    direction = draw(st.sampled_from(list(Direction)))
    if direction is Direction.RANGE:
        low, high = sorted([draw(VALUES), draw(VALUES)])
        return Target(direction, low=low, high=high)
    return Target(direction, draw(VALUES))


@PROPERTY
@given(targets(), MAYBE, CAPS)
def test_hitting_the_target_is_exactly_100(target, baseline, cap):
    on_target = target.value if target.direction is not Direction.RANGE else target.low
    assert achievement(target, on_target, baseline, cap).percent == Decimal(100)


@PROPERTY
@given(targets(), VALUES, MAYBE)
def test_reached_exactly_when_100_or_more(target, actual, baseline):
    result = achievement(target, actual, baseline)
    assert (result.percent >= 100) == target.reached(actual)


@PROPERTY
@given(targets(), VALUES, MAYBE, CAPS)
def test_never_below_zero_and_never_above_the_cap(target, actual, baseline, cap):
    percent = achievement(target, actual, baseline, cap).percent
    assert percent >= 0
    if cap is not None:
        assert percent <= cap


@PROPERTY
@given(SIMPLE, VALUES, VALUES, VALUES, MAYBE)
def test_a_better_actual_never_scores_lower(direction, target, a1, a2, baseline):
    worse, better = sorted([a1, a2]) if direction is Direction.HIGHER else sorted([a1, a2], reverse=True)
    t = Target(direction, target)
    assert achievement(t, worse, baseline).percent <= achievement(t, better, baseline).percent


@PROPERTY
@given(VALUES, VALUES, VALUES, VALUES, MAYBE)
def test_a_range_is_best_inside_and_worse_the_further_outside(a, b, x1, x2, baseline):
    low, high = sorted([a, b])
    t = Target(Direction.RANGE, low=low, high=high)
    for x in (x1, x2):
        inside = low <= x <= high
        assert (achievement(t, x, baseline).percent == 100) == inside
    near, far = sorted([x1, x2], reverse=True)  # below the range, nearer is higher
    if far <= near < low:
        assert achievement(t, far, baseline).percent <= achievement(t, near, baseline).percent
    near, far = sorted([x1, x2])
    if high < near <= far:
        assert achievement(t, far, baseline).percent <= achievement(t, near, baseline).percent


@PROPERTY
@given(targets(), MAYBE)
def test_nothing_to_compare_is_none_never_zero(target, baseline):
    assert achievement(target, None, baseline).percent is None
    assert achievement(None, Decimal(5), baseline).percent is None


@PROPERTY
@given(SIMPLE, st.integers(1, 100_000).map(lambda n: Decimal(n) / 100), VALUES)
def test_the_standard_formulas_above_zero(direction, target, actual):
    percent = achievement(Target(direction, target), actual).percent
    expected = actual / target * 100 if direction is Direction.HIGHER else (2 * target - actual) / target * 100
    assert percent == max(expected, Decimal(0))


@pytest.mark.parametrize(
    ("direction", "target", "actual", "baseline", "expected"),
    [
        (Direction.HIGHER, "80", "100", None, "125"),  # over-achieved
        (Direction.HIGHER, "80", "60", None, "75"),
        (Direction.LOWER, "10", "12", None, "80"),  # (2 × 10 − 12) / 10
        (Direction.LOWER, "10", "8", None, "120"),
        (Direction.LOWER, "10", "25", None, "0"),  # far on the wrong side: 0, not −50
        (Direction.HIGHER, "1", "1", None, "100"),  # yes/no: yes
        (Direction.HIGHER, "1", "0", None, "0"),  # yes/no: no
        (Direction.LOWER, "0", "0", "12", "100"),  # zero accidents reached
        (Direction.LOWER, "0", "3", "12", "75"),  # three quarters of the way from 12 to 0
        (Direction.LOWER, "0", "3", None, "0"),  # no baseline: not reached
        (Direction.HIGHER, "-2", "-5", "-8", "50"),  # from −8 % towards −2 %, halfway
        (Direction.LOWER, "-2", "-3", "1", "133.3333333333333333333333333"),  # beyond the target
        (Direction.HIGHER, "50", "50", "50", "100"),  # hold the level, held
        (Direction.HIGHER, "50", "45", "50", "90"),  # hold the level, slipped: the ratio
        (Direction.LOWER, "0", "2", "0", "0"),  # baseline already at the target, slipped
    ],
)
def test_worked_examples(direction, target, actual, baseline, expected):
    result = achievement(
        Target(direction, Decimal(target)), Decimal(actual), None if baseline is None else Decimal(baseline)
    )
    assert result.percent == Decimal(expected)


def test_a_range_uses_the_near_bound():
    target = Target(Direction.RANGE, low=Decimal(80), high=Decimal(90))
    assert achievement(target, Decimal(85)).percent == 100
    assert achievement(target, Decimal(72)).percent == 90  # 72 / 80
    assert achievement(target, Decimal(99)).percent == 90  # (2 × 90 − 99) / 90


def test_the_cap_of_the_scheme_stops_over_achievement():
    target = Target(Direction.HIGHER, Decimal(80))
    assert achievement(target, Decimal(200), cap=Decimal(120)).percent == 120
    assert achievement(target, Decimal(200)).percent == 250


def test_the_printed_value_rounds_half_up():
    assert achievement(Target(Direction.HIGHER, Decimal(3)), Decimal(2)).rounded == Decimal("66.67")
    assert achievement(Target(Direction.HIGHER, Decimal(8)), Decimal("0.0001")).rounded == Decimal("0.00")


@pytest.mark.parametrize(
    ("percent", "band"),
    [
        ("0", "SANGAT-RENDAH"),
        ("50", "SANGAT-RENDAH"),
        ("50.01", "RENDAH"),
        ("65", "RENDAH"),
        ("66", "SEDANG"),
        ("75", "SEDANG"),
        ("76", "TINGGI"),
        ("90", "TINGGI"),
        ("91", "SANGAT-TINGGI"),
        ("125", "SANGAT-TINGGI"),
    ],
)
def test_the_shipped_achievement_bands_follow_the_regional_scale(percent, band):
    from kotacerdas.frameworks.bands import Band, band_problems, classify
    from kotacerdas.frameworks.loader import DATA_DIR, read_file

    data = read_file(DATA_DIR / "bands-achievement.v1.toml")
    bands = [
        Band(
            e["code"],
            e["name"],
            None if "lower_bound" not in e else Decimal(e["lower_bound"]),
            e.get("lower_inclusive", True),
        )
        for e in data["entries"]
    ]
    assert band_problems(bands) == []
    assert classify(Decimal(percent), bands).code == band
