"""The monitoring page and the actuals table cost the same number of queries for a small and a
large region (more programmes, updates, indicators and actuals)."""

from __future__ import annotations

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from kotacerdas.monitoring import services
from kotacerdas.monitoring.tests.bulk import add_programmes
from kotacerdas.monitoring.tests.test_overview_pages import accepted

pytestmark = pytest.mark.django_db

A = "13.72"
# Both with the unread notifications in the header (notifications.context): one query.
OVERVIEW_QUERIES = 20
ACTUALS_QUERIES = 14


def _count(client, url):
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    assert response.status_code == 200
    return len(queries)


@pytest.mark.parametrize("who", ["owner", "mentor"])
def test_the_monitoring_page_costs_a_fixed_number_of_queries(cast, monitored, who, django_assert_num_queries):
    client = cast.client(getattr(cast, who))
    url = reverse("monitoring:overview", args=[A]) + "?period=2025-Q4"
    # One accepted update: with none at all, Django skips the query for an empty ``IN ()``.
    accepted(monitored.first, monitored.q1)
    client.get(url)  # warm the session and the translation catalogue
    few = _count(client, url)
    add_programmes(monitored.edition, programmes=24, quarters=8, indicators=40, actuals=8, opd=cast.opd_a)
    with django_assert_num_queries(OVERVIEW_QUERIES):
        response = client.get(url)
    assert few == OVERVIEW_QUERIES
    assert "B-0006" in response.content.decode()  # at risk in 2025-Q4 (see bulk.STATUSES)


def test_the_actuals_table_costs_a_fixed_number_of_queries(cast, monitored, django_assert_num_queries):
    client = cast.client(cast.editor)
    url = reverse("monitoring:actuals", args=[A, 2024]) + "?tahun=2025"
    services.record_actual(
        actor=None,
        indicator=monitored.first.indicators.get(),
        year=2025,
        period=None,
        data={"value": "1"},
        expected_version=0,
    )
    client.get(url)
    few = _count(client, url)
    add_programmes(monitored.edition, programmes=12, quarters=8, indicators=60, actuals=8, opd=cast.opd_a)
    with django_assert_num_queries(ACTUALS_QUERIES):
        client.get(url)
    assert few == ACTUALS_QUERIES


def test_the_actuals_table_shows_a_hundred_indicators_a_page(cast, monitored):
    add_programmes(monitored.edition, programmes=5, quarters=0, indicators=150, actuals=0, opd=cast.opd_a)
    client = cast.client(cast.viewer)
    url = reverse("monitoring:actuals", args=[A, 2024]) + "?tahun=2025"
    first = client.get(url).content.decode()
    assert "halaman=2" in first and first.count("metadata/") == 100
    second = client.get(url + "&halaman=2").content.decode()
    assert second.count("metadata/") == 51  # 150 + the plan's own indicator
    assert client.get(url + "&halaman=99").status_code == 200


def test_the_overview_read_itself_costs_fifteen_queries(cast, monitored, django_assert_num_queries):
    import datetime

    from kotacerdas.monitoring import selectors

    accepted(monitored.first, monitored.q1)
    add_programmes(monitored.edition, programmes=6, quarters=4, indicators=9, actuals=4)
    with django_assert_num_queries(15):
        selectors.overview(monitored.edition, period_key="2025-Q2", today=datetime.date(2026, 1, 1))
