"""Reporting periods: whole calendar periods without gaps or overlaps, keys that read back, and a
cadence change that applies from the next quarter, never cutting a period in two."""

from __future__ import annotations

import datetime
import itertools

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from kotacerdas.monitoring.periods import Cadence, effective_from, parse_key, period_of, schedule

D = datetime.date
DAYS = st.dates(min_value=D(2020, 1, 1), max_value=D(2032, 12, 31))
CADENCES = st.sampled_from(list(Cadence))
CHANGES = st.lists(st.tuples(DAYS, CADENCES), max_size=4)


@settings(max_examples=300)
@given(DAYS, DAYS, CADENCES, CHANGES)
def test_periods_are_whole_contiguous_and_cover_the_plan(a, b, cadence, changes):
    first, last = sorted([a, b])
    periods = schedule(first, last, cadence, changes)
    assert periods[0].start <= first and periods[-1].contains(last)
    for before, after in itertools.pairwise(periods):
        assert after.start == before.end + datetime.timedelta(days=1)
    for period in periods:
        assert period == period_of(period.start, period.cadence) == parse_key(period.key)
    keys = [p.key for p in periods]
    assert len(set(keys)) == len(keys)


@settings(max_examples=300)
@given(DAYS, DAYS, CADENCES, CHANGES)
def test_each_period_has_the_cadence_in_force_when_it_starts(a, b, cadence, changes):
    first, last = sorted([a, b])
    for period in schedule(first, last, cadence, changes):
        applied = [
            new
            for day, new in sorted(changes, key=lambda c: (effective_from(c[0]), c[0]))
            if effective_from(day) <= period.start
        ]
        assert period.cadence is (applied[-1] if applied else cadence)


@settings(max_examples=200)
@given(DAYS)
def test_a_change_applies_from_the_next_quarter_start(day):
    start = effective_from(day)
    assert start > day and start.day == 1 and start.month in (1, 4, 7, 10)
    assert (start - day).days <= 92


def test_worked_examples():
    assert effective_from(D(2025, 2, 10)) == D(2025, 4, 1)
    assert effective_from(D(2025, 4, 1)) == D(2025, 7, 1)
    assert effective_from(D(2025, 12, 31)) == D(2026, 1, 1)
    periods = schedule(D(2025, 1, 1), D(2025, 12, 31), Cadence.QUARTERLY, [(D(2025, 5, 20), Cadence.MONTHLY)])
    assert [p.key for p in periods] == [
        "2025-Q1",
        "2025-Q2",
        "2025-M07",
        "2025-M08",
        "2025-M09",
        "2025-M10",
        "2025-M11",
        "2025-M12",
    ]


def test_due_dates_follow_the_period_end():
    q1 = parse_key("2025-Q1")
    assert (q1.start, q1.end) == (D(2025, 1, 1), D(2025, 3, 31))
    assert q1.due() == D(2025, 4, 10) and q1.due(grace_days=0) == D(2025, 3, 31)
    february = parse_key("2024-M02")
    assert february.end == D(2024, 2, 29)


@pytest.mark.parametrize("key", ["2025-Q5", "2025-Q0", "2025-M13", "2025-M00", "2025-3", "25-Q1", "", "2025-q1x"])
def test_a_bad_key_is_refused(key):
    with pytest.raises(ValueError, match="2025-Q1"):
        parse_key(key)


def test_an_empty_span_has_no_periods():
    assert schedule(D(2025, 6, 1), D(2025, 5, 1), Cadence.MONTHLY) == []
