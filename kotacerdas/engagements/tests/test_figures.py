"""The pure computations: attendance rates, resolve times, reminders, iCalendar, stage checklists."""

from __future__ import annotations

import datetime

from hypothesis import given
from hypothesis import strategies as st

from kotacerdas.engagements import figures, stages

statuses = st.sampled_from(["head", "delegate", "absent"])
agencies = st.sampled_from(["A", "B", "C"])
dates = st.dates(min_value=datetime.date(2020, 1, 1), max_value=datetime.date(2030, 12, 31))


@given(st.lists(st.tuples(agencies, statuses), max_size=40), st.dictionaries(agencies, st.integers(0, 10)))
def test_attendance_rates_stay_between_0_and_100(rows, expected):
    for rate in figures.attendance_rates(rows, expected):
        assert 0 <= rate.percent <= 100
        assert rate.head <= rate.present <= rate.sessions
        assert rate.sessions == expected[rate.label]


def test_attendance_counts_delegates_as_present():
    (rate,) = figures.attendance_rates([("A", "head"), ("A", "delegate"), ("A", "absent")], {"A": 4})
    assert (rate.present, rate.head, rate.percent) == (2, 1, 50)


@given(st.lists(st.tuples(dates, dates), max_size=20))
def test_resolve_days_are_never_negative(pairs):
    result = figures.resolve_days(pairs)
    assert result["count"] == len(pairs)
    if pairs:
        assert 0 <= result["median"] <= result["max"]


@given(dates, st.none() | dates, dates, st.integers(0, 14))
def test_a_reminder_is_never_sent_twice_on_the_same_day(due, last, today, days):
    kind = figures.reminder_kind(due, last, today, days)
    if kind is not None:
        assert figures.reminder_kind(due, today, today, days) is None
    if today > due:
        assert kind in (None, figures.OVERDUE)
    elif (due - today).days > days:
        assert kind is None


def test_overdue_reminders_repeat_weekly():
    due = datetime.date(2024, 7, 1)
    assert figures.reminder_kind(due, datetime.date(2024, 6, 29), datetime.date(2024, 7, 2), 3) == figures.OVERDUE
    assert figures.reminder_kind(due, datetime.date(2024, 7, 2), datetime.date(2024, 7, 5), 3) is None
    assert figures.reminder_kind(due, datetime.date(2024, 7, 2), datetime.date(2024, 7, 9), 3) == figures.OVERDUE


def test_bar_chart_is_svg_with_escaped_labels():
    svg = figures.bar_chart([("<OPD>", 50), ("B", 0)], title="T", unit="%")
    assert svg.startswith("<svg") and "&lt;OPD&gt;" in svg and "50%" in svg


def test_stages_without_facts_read_not_tracked_yet():
    progress = stages.evaluate({})
    assert [p.stage.number for p in progress] == [1, 2, 3, 4]
    assert all(c.state == stages.NOT_TRACKED for p in progress for c in p.checks)


def test_every_dimension_needs_a_strategy():
    facts = {"strategies_per_dimension": [2, 1, 0, 3, 1, 1]}
    (strategy,) = [c for p in stages.evaluate(facts) for c in p.checks if c.key == "strategies"]
    assert strategy.state == stages.MISSING
    facts["strategies_per_dimension"] = [1] * 6
    (strategy,) = [c for p in stages.evaluate(facts) for c in p.checks if c.key == "strategies"]
    assert strategy.state == stages.DONE


def test_every_stage_output_has_a_check():
    assert {o.key for s in stages.STAGES for o in s.outputs} == set(stages.CHECKS)
