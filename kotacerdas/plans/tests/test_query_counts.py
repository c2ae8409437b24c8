"""Plan pages read in a number of queries that does not grow with the number of programmes."""

from __future__ import annotations

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from kotacerdas.lib.concurrency import stored_version
from kotacerdas.plans import services
from kotacerdas.plans.tests.factories import make_programme

pytestmark = pytest.mark.django_db

A = "13.72"


def _grow(plan, cast, start: int, count: int) -> None:
    for n in range(start, start + count):
        p = make_programme(
            plan.edition,
            f"LIV-{n:02d}",
            dimension="LIV",
            lead_opd=cast.opd_a,
            supporting_opds=[cast.opd_a],
            dependencies=[plan.first],
        )
        p = services.set_budgets(
            actor=None,
            programme=p,
            expected_version=stored_version(p),
            lines=[{"year": 2025, "source": "apbd", "amount": 1000}],
        )
        p = services.set_indicators(
            actor=None,
            programme=p,
            expected_version=stored_version(p),
            indicators=[
                {"name": "a", "unit": "%", "targets": {2025: 1, 2026: 2}},
                {"name": "b", "unit": "%", "targets": {2025: 1}},
            ],
        )
        services.set_action_items(
            actor=None,
            programme=p,
            expected_version=stored_version(p),
            items=[{"activity": "x", "starts_on": "2025-01-01", "ends_on": "2025-02-01"}],
        )


def _count(client, url: str) -> int:
    with CaptureQueriesContext(connection) as ctx:
        assert client.get(url).status_code == 200
    return len(ctx.captured_queries)


@pytest.mark.parametrize("name", ["edition", "programmes", "check", "roadmap", "budgets", "changes", "threads"])
def test_plan_page_query_count_does_not_grow_with_programmes(cast, plan, name):
    client = cast.client(cast.editor)
    url = reverse(f"plans:{name}", args=[A, plan.edition.year])
    _grow(plan, cast, 1, 2)
    few = _count(client, url)
    _grow(plan, cast, 3, 8)
    many = _count(client, url)
    assert many == few, f"{name}: {few} queries with 4 programmes, {many} with 12"


def test_programme_detail_query_count_is_fixed(cast, plan):
    client = cast.client(cast.editor)
    url = reverse("plans:programme", args=[A, plan.edition.year, "GOV-01"])
    _grow(plan, cast, 1, 2)
    few = _count(client, url)
    _grow(plan, cast, 3, 6)
    assert _count(client, url) == few
