"""Every read endpoint as each role of the cast and as the outsider; ETags, paging and filters."""

from __future__ import annotations

from typing import Any

import pytest

from kotacerdas.api.tests.conftest import Monitored, bearer
from kotacerdas.monitoring import services as monitoring
from kotacerdas.monitoring.tests.conftest import update_data

ROLES_IN_A = ["owner", "editor", "viewer", "mentor", "ministry"]


def endpoints(m: Monitored, update_id: int, actual_id: int) -> list[str]:
    a = m.edition.region.code
    return [
        f"/api/v1/regions/{a}",
        f"/api/v1/regions/{a}/agencies",
        f"/api/v1/regions/{a}/governance-bodies",
        f"/api/v1/regions/{a}/editions",
        f"/api/v1/regions/{a}/editions/{m.edition.year}",
        f"/api/v1/regions/{a}/editions/{m.edition.year}/findings",
        f"/api/v1/regions/{a}/programmes",
        f"/api/v1/regions/{a}/programmes/{m.first.pk}",
        f"/api/v1/regions/{a}/updates",
        f"/api/v1/regions/{a}/updates/{update_id}",
        f"/api/v1/regions/{a}/actuals",
    ]


@pytest.fixture
def reported(cast: Any, monitored: Monitored) -> tuple[Monitored, int, int]:
    update = monitoring.create_update(actor=None, programme=monitored.first, period=monitored.q1, data=update_data())
    indicator = monitored.first.indicators.get()
    actual = monitoring.record_actual(
        actor=None, indicator=indicator, year=2025, period=None, data={"value": "12"}, expected_version=0
    )
    return monitored, update.pk, actual.pk


@pytest.mark.parametrize("role", ROLES_IN_A)
def test_every_read_endpoint_answers_each_role_of_the_region(cast: Any, reported: Any, role: str) -> None:
    client = bearer(getattr(cast, role), "read")
    for url in endpoints(*reported):
        response = client.get(url)
        assert response.status_code == 200, (url, response.content)
        assert response["Content-Type"] == "application/json; charset=utf-8"


def test_an_outsider_gets_404_problems_for_every_region_endpoint(cast: Any, reported: Any) -> None:
    client = bearer(cast.outsider, "read")
    for url in endpoints(*reported):
        response = client.get(url)
        assert response.status_code == 404, url
        assert response["Content-Type"] == "application/problem+json"
        assert response.json()["status"] == 404


def test_another_regions_row_under_my_region_is_404(cast: Any, reported: Any) -> None:
    m, update_id, _actual = reported
    client = bearer(cast.outsider, "read")
    response = client.get(f"/api/v1/regions/{cast.region_b.code}/updates/{update_id}")
    assert response.status_code == 404
    response = client.get(f"/api/v1/regions/{cast.region_b.code}/programmes/{m.first.pk}")
    assert response.status_code == 404


def test_the_region_list_holds_only_the_regions_one_may_see(cast: Any) -> None:
    codes = [r["code"] for r in bearer(cast.viewer, "read").get("/api/v1/regions").json()["results"]]
    assert codes == [cast.region_a.code]
    codes = [r["code"] for r in bearer(cast.ministry, "read").get("/api/v1/regions").json()["results"]]
    assert codes == [cast.region_a.code, cast.region_b.code]


def test_a_region_shows_its_population_and_agencies(cast: Any) -> None:
    body = bearer(cast.viewer, "read").get(f"/api/v1/regions/{cast.region_a.code}").json()
    assert body["label"] == "Kota Solok"
    assert body["population"] == [{"year": 2020, "population": 73438, "source": "", "is_estimate": False}]
    assert [a["abbreviation"] for a in body["agencies"]] == ["Diskominfo"]


def test_a_programme_carries_its_budgets_indicators_and_targets(cast: Any, monitored: Monitored) -> None:
    url = f"/api/v1/regions/{cast.region_a.code}/programmes/{monitored.first.pk}"
    body = bearer(cast.viewer, "read").get(url).json()
    assert body["code"] == "GOV-01"
    assert body["budgets"] == [{"year": 2025, "source": "apbd", "amount": "150000000", "note": ""}]
    (indicator,) = body["indicators"]
    assert indicator["baseline"] == "10.00"
    assert [(t["year"], t["value"]) for t in indicator["targets"]] == [(2025, "15.00"), (2026, "20.00")]
    assert body["quick_win_years"] == [2025]


def test_a_repeated_read_with_its_etag_answers_304(cast: Any, monitored: Monitored) -> None:
    client = bearer(cast.viewer, "read")
    url = f"/api/v1/regions/{cast.region_a.code}/programmes"
    first = client.get(url)
    etag = first["ETag"]
    again = client.get(url, HTTP_IF_NONE_MATCH=etag)
    assert again.status_code == 304
    assert again["ETag"] == etag
    assert again.content == b""
    assert client.get(url, HTTP_IF_NONE_MATCH='"other"').status_code == 200


def test_the_etag_changes_when_the_data_does(cast: Any, reported: Any) -> None:
    m, update_id, _actual = reported
    client = bearer(cast.owner)
    url = f"/api/v1/regions/{cast.region_a.code}/updates/{update_id}"
    before = client.get(url)
    monitoring.submit_update(actor=None, update=m.first.updates.get(), expected_version=1)
    after = client.get(url, HTTP_IF_NONE_MATCH=before["ETag"])
    assert after.status_code == 200
    assert after.json()["state"] == "submitted"


def test_lists_page_in_a_stable_order(cast: Any, monitored: Monitored) -> None:
    client = bearer(cast.viewer, "read")
    url = f"/api/v1/regions/{cast.region_a.code}/programmes?page_size=1"
    first = client.get(url).json()
    assert first["count"] == 2
    assert first["next"].endswith("page=2") or "page=2" in first["next"]
    second = client.get(url + "&page=2").json()
    assert [first["results"][0]["code"], second["results"][0]["code"]] == ["ENV-01", "GOV-01"]
    assert second["next"] is None
    beyond = client.get(url + "&page=3")
    assert beyond.status_code == 404


@pytest.mark.parametrize(
    ("query", "codes"),
    [
        ("dimension=ENV", ["ENV-01"]),
        ("edition=2023", []),
        ("status=planned", ["ENV-01", "GOV-01"]),
        ("updated_since=2999-01-01T00:00:00", []),
    ],
)
def test_programmes_filter_by_the_fields_people_filter_on(
    cast: Any, monitored: Monitored, query: str, codes: list[str]
) -> None:
    url = f"/api/v1/regions/{cast.region_a.code}/programmes?{query}"
    body = bearer(cast.viewer, "read").get(url).json()
    assert [p["code"] for p in body["results"]] == codes


def test_the_programme_list_takes_a_fixed_number_of_queries(
    cast: Any, plan: Any, django_assert_max_num_queries: Any, one_minute: None
) -> None:
    from kotacerdas.plans.tests.factories import make_programme

    client = bearer(cast.viewer, "read")
    url = f"/api/v1/regions/{cast.region_a.code}/programmes"
    client.get(url)
    with django_assert_max_num_queries(20) as few:
        client.get(url)
    for n in range(10):
        make_programme(plan.edition, f"X-{n:02}", lead_opd=cast.opd_a)
    with django_assert_max_num_queries(len(few.captured_queries)):
        assert client.get(url).json()["count"] == 12


def test_bad_query_parameters_are_422_problems_naming_the_field(cast: Any) -> None:
    response = bearer(cast.viewer, "read").get(f"/api/v1/regions/{cast.region_a.code}/programmes?page_size=1000")
    assert response.status_code == 422
    assert response["Content-Type"] == "application/problem+json"
    assert [e["field"] for e in response.json()["errors"]] == ["page_size"]


def test_an_unknown_api_path_is_a_404_problem(cast: Any) -> None:
    response = bearer(cast.viewer, "read").get("/api/v1/nothing-here")
    assert response.status_code == 404
    assert response["Content-Type"] == "application/problem+json"


def test_governance_bodies_list_their_members(cast: Any) -> None:
    body = bearer(cast.viewer, "read").get(f"/api/v1/regions/{cast.region_a.code}/governance-bodies").json()
    assert [(b["kind"], b["name"]) for b in body["results"]] == [("dewan", "Dewan Smart City Kota Solok")]
    assert body["results"][0]["members"] == []


@pytest.mark.parametrize("role", [*ROLES_IN_A, "outsider"])
def test_every_signed_in_person_reads_the_frameworks(cast: Any, role: str) -> None:
    client = bearer(getattr(cast, role), "read")
    listed = client.get("/api/v1/frameworks?kind=taxonomy").json()
    assert listed["count"] >= 1
    first = listed["results"][0]
    detail = client.get(f"/api/v1/frameworks/{first['code']}/{first['version']}").json()
    assert detail["entries"]
    assert any(entry["parent"] for entry in detail["entries"])
    assert client.get(f"/api/v1/frameworks/{first['code']}/999").status_code == 404


def test_frameworks_need_a_token_or_a_session(cast: Any) -> None:
    from django.test import Client

    assert Client().get("/api/v1/frameworks").status_code == 401
