"""One rule for "an agency exists on a date": the query and the Python twin agree on every date."""

from __future__ import annotations

import datetime

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from kotacerdas.regions.models import OPD, valid_during

pytestmark = pytest.mark.django_db

DAYS = st.dates(min_value=datetime.date(2015, 1, 1), max_value=datetime.date(2035, 12, 31))


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(start=DAYS, length=st.one_of(st.none(), st.integers(0, 4000)), day=DAYS, span=st.integers(0, 800))
def test_the_query_and_the_row_agree(cast, start, length, day, span):
    end = None if length is None else start + datetime.timedelta(days=length)
    OPD.objects.filter(pk=cast.opd_a.pk).update(valid_from=start, valid_to=end)
    opd = OPD.objects.get(pk=cast.opd_a.pk)
    in_query = OPD.objects.filter(pk=opd.pk).valid_on(day).exists()
    assert in_query == opd.is_valid_on(day) == (start <= day and (end is None or day <= end))
    last = day + datetime.timedelta(days=span)
    overlaps = OPD.objects.filter(pk=opd.pk).filter(valid_during(day, last)).exists()
    assert overlaps == opd.is_valid_during(day, last)


def test_the_last_day_counts_and_the_day_after_does_not(cast):
    opd = cast.opd_a
    OPD.objects.filter(pk=opd.pk).update(valid_from=datetime.date(2020, 1, 1), valid_to=datetime.date(2024, 6, 30))
    current = OPD.objects.filter(region=cast.region_a)
    assert current.valid_on(datetime.date(2024, 6, 30)).filter(pk=opd.pk).exists()
    assert not current.valid_on(datetime.date(2024, 7, 1)).filter(pk=opd.pk).exists()
    assert not current.valid_on(datetime.date(2019, 12, 31)).filter(pk=opd.pk).exists()
