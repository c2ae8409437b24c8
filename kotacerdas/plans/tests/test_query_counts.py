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


def _counts(client, url: str) -> tuple[int, int]:
    """Queries of the first read after a change (it recomputes the stored summary), then of a read."""
    return _count(client, url), _count(client, url)


# Pinned: a page that costs more queries than this fails here, and a change is a decision, not drift.
# Each page: (first read after a change, which recomputes the stored summary; a read once stored),
# both with the one query of the header's unread notifications.
# The recomputation reads the SIPD code list of the year, its codes and the region's setting (3).
PAGE_QUERIES = {
    "edition": (41, 10),
    "programmes": (37, 6),
    "check": (37, 6),
    "roadmap": (37, 6),
    "budgets": (37, 6),
    "changes": (6, 6),
    "threads": (6, 6),
}


@pytest.mark.parametrize("name", ["edition", "programmes", "check", "roadmap", "budgets", "changes", "threads"])
def test_plan_page_query_count_does_not_grow_with_programmes(cast, plan, name):
    client = cast.client(cast.editor)
    url = reverse(f"plans:{name}", args=[A, plan.edition.year])
    _grow(plan, cast, 1, 2)
    few = _counts(client, url)
    _grow(plan, cast, 3, 8)
    many = _counts(client, url)
    assert many == few, f"{name}: {few} queries with 4 programmes, {many} with 12"
    assert few == PAGE_QUERIES[name], f"{name}: {few} queries, pinned at {PAGE_QUERIES[name]}"


# Pages that read the stored summary: what a read costs once it is stored (session, user, region,
# edition, the summary row, the unread notifications in the header, and what the page shows
# besides the plan check and figures).
READ_QUERIES = {"edition": 10, "programmes": 6, "check": 6, "roadmap": 6, "budgets": 6}


@pytest.mark.parametrize("name", sorted(READ_QUERIES))
def test_plan_page_reads_the_stored_summary_in_fixed_queries(cast, plan, name, django_assert_num_queries):
    client = cast.client(cast.editor)
    url = reverse(f"plans:{name}", args=[A, plan.edition.year])
    _grow(plan, cast, 1, 3)
    cold = _count(client, url)
    with django_assert_num_queries(READ_QUERIES[name]):
        assert client.get(url).status_code == 200
    assert READ_QUERIES[name] < cold


def test_programme_detail_query_count_is_fixed(cast, plan):
    client = cast.client(cast.editor)
    url = reverse("plans:programme", args=[A, plan.edition.year, "GOV-01"])
    _grow(plan, cast, 1, 2)
    few = _counts(client, url)
    _grow(plan, cast, 3, 6)
    # pinned: first read after a change, then a stored read (each with the header's unread count)
    assert _counts(client, url) == few == (47, 16)
