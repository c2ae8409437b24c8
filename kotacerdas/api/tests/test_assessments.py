"""Assessment runs and their scores over the API: each role, the outsider, filters, query counts."""

from __future__ import annotations

from typing import Any

import pytest

from kotacerdas.api.tests.conftest import bearer
from kotacerdas.assessments import selectors
from kotacerdas.assessments.tests.conftest import answer_all

ROLES_IN_A = ["owner", "editor", "viewer", "mentor", "ministry"]


@pytest.mark.parametrize("role", ROLES_IN_A)
def test_each_role_of_the_region_reads_its_runs_and_scores(cast: Any, maturity: Any, role: str) -> None:
    client = bearer(getattr(cast, role), "read")
    listed = client.get(f"/api/v1/regions/{cast.region_a.code}/assessment-runs")
    assert listed.status_code == 200
    assert [r["id"] for r in listed.json()["results"]] == [maturity.pk]
    one = client.get(f"/api/v1/regions/{cast.region_a.code}/assessment-runs/{maturity.pk}")
    assert one.status_code == 200
    assert one.json()["run"]["template"] == maturity.template.code


def test_an_outsider_gets_404_for_the_runs_and_for_a_run_under_their_own_region(cast: Any, maturity: Any) -> None:
    client = bearer(cast.outsider, "read")
    for url in (
        f"/api/v1/regions/{cast.region_a.code}/assessment-runs",
        f"/api/v1/regions/{cast.region_a.code}/assessment-runs/{maturity.pk}",
        f"/api/v1/regions/{cast.region_b.code}/assessment-runs/{maturity.pk}",
    ):
        response = client.get(url)
        assert response.status_code == 404, url
        assert response["Content-Type"] == "application/problem+json"


def test_the_scores_are_the_pages_scores(cast: Any, maturity: Any) -> None:
    answer_all(maturity, cast.owner, level=3)
    expected = selectors.run_result(maturity)
    body = bearer(cast.viewer, "read").get(f"/api/v1/regions/{cast.region_a.code}/assessment-runs/{maturity.pk}").json()
    assert body["overall"] == pytest.approx(expected.tree.score, abs=1e-3)
    assert body["level"] == expected.level_of(expected.tree)
    assert [s["code"] for s in body["sections"]] == [s.code for s in expected.tree.children]
    first = expected.tree.children[0]
    assert [e["code"] for e in body["sections"][0]["elements"]] == [e.code for e in first.children]
    assert body["sections"][0]["score"] == pytest.approx(first.score, abs=1e-3)
    assert body["unanswered"] == 0


def test_an_unanswered_run_has_no_score(cast: Any, maturity: Any) -> None:
    body = bearer(cast.viewer, "read").get(f"/api/v1/regions/{cast.region_a.code}/assessment-runs/{maturity.pk}").json()
    assert body["overall"] is None
    assert body["level"] is None
    assert body["unanswered"] > 0


@pytest.mark.parametrize(
    ("query", "kinds"),
    [
        ("", ["maturity", "readiness"]),
        ("year=2024", ["maturity", "readiness"]),
        ("year=2023", []),
        ("status=draft", ["maturity", "readiness"]),
        ("status=accepted", []),
        ("updated_since=2999-01-01T00:00:00", []),
        ("updated_since=2000-01-01", ["maturity", "readiness"]),
        # Offsets PostgreSQL refuses and times that leave the calendar once in UTC (a 500 before).
        ("updated_since=2130-08-27T02%3A59%3A12.25094-17%3A11", []),
        ("updated_since=2000-01-01T00%3A00%3A00-17%3A11", ["maturity", "readiness"]),
        ("updated_since=9999-12-31T23%3A59%3A59-17%3A00", []),
        ("updated_since=0001-01-01T00%3A00%3A00%2B05%3A00", ["maturity", "readiness"]),
    ],
)
def test_runs_filter_by_template_status_year_and_updated_since(
    cast: Any, maturity: Any, readiness: Any, query: str, kinds: list[str]
) -> None:
    url = f"/api/v1/regions/{cast.region_a.code}/assessment-runs?{query}"
    response = bearer(cast.viewer, "read").get(url)
    assert response.status_code == 200, response.content
    assert sorted(r["kind"] for r in response.json()["results"]) == kinds


def test_runs_filter_by_template_code(cast: Any, maturity: Any, readiness: Any) -> None:
    url = f"/api/v1/regions/{cast.region_a.code}/assessment-runs?template={maturity.template.code}"
    assert [r["id"] for r in bearer(cast.viewer, "read").get(url).json()["results"]] == [maturity.pk]


def test_the_run_list_takes_a_fixed_number_of_queries(
    cast: Any, templates: Any, maturity: Any, django_assert_max_num_queries: Any, one_minute: None
) -> None:
    from kotacerdas.assessments.services import runs as services

    client = bearer(cast.viewer, "read")
    url = f"/api/v1/regions/{cast.region_a.code}/assessment-runs"
    client.get(url)
    with django_assert_max_num_queries(20) as few:
        client.get(url)
    for year in range(2015, 2020):
        services.start_run(actor=cast.owner, region=cast.region_a, template=templates["maturity"], year=year)
    with django_assert_max_num_queries(len(few.captured_queries)):
        assert client.get(url).json()["count"] == 6


def test_a_read_only_token_reads_the_runs_and_no_write_is_offered(cast: Any, maturity: Any) -> None:
    client = bearer(cast.viewer, "read")
    url = f"/api/v1/regions/{cast.region_a.code}/assessment-runs/{maturity.pk}"
    assert client.get(url).status_code == 200
    assert client.post(url, {}, content_type="application/json").status_code == 405
