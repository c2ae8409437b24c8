"""The ministry's evaluation writes over the API: create a draft, save its scores, release it.

The same services as the pages (access, versions, audit naming the token); the ministry alone
writes, a draft is not the region's to see (404 before 403), a read-only token is 403.
"""

from __future__ import annotations

from typing import Any

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from kotacerdas.api.tests.conftest import bearer, token_for
from kotacerdas.audit.models import AuditEntry
from kotacerdas.evaluation.models import Evaluation
from kotacerdas.evaluation.tests.conftest import SCORES, new_draft, released

REGION_ROLES = ["owner", "editor", "viewer", "mentor"]


def _post(client: Client, url: str, body: Any) -> Any:
    return client.post(url, body, content_type="application/json")


def _put(client: Client, url: str, body: Any) -> Any:
    return client.put(url, body, content_type="application/json")


def _base(cast: Any) -> str:
    return f"/api/v1/regions/{cast.region_a.code}/evaluations"


def _full_scores(evaluation: Evaluation) -> dict[str, Any]:
    codes = evaluation.area_scores.values_list("dimension__code", flat=True)
    return {
        "version": evaluation.version,
        "scores": {name: {"score": value, "note": f"Catatan {name}"} for name, value in SCORES.items()},
        "areas": {code: {"score": "3.00", "programmes": 2} for code in codes},
    }


def _entries() -> Any:
    return AuditEntry.objects.filter(object_type="evaluation.Evaluation").order_by("id")


def _unchanged(evaluation: Evaluation, audit_count: int) -> None:
    current = Evaluation.objects.get(pk=evaluation.pk)
    assert current.version == evaluation.version
    assert not current.scores.exclude(score=None).exists()
    assert not current.area_scores.exclude(score=None).exists()
    assert _entries().count() == audit_count


def test_the_ministry_creates_scores_and_releases_an_evaluation_and_the_audit_names_the_token(cast: Any) -> None:
    secret = token_for(cast.ministry)
    client = Client(HTTP_AUTHORIZATION=f"Bearer {secret}")
    prefix = secret.split("_")[1]

    made = _post(client, _base(cast), {"year": 2025, "scheme_year": 2022, "panel": "Tim Evaluasi"})
    assert made.status_code == 201, made.content
    body = made.json()
    assert (body["year"], body["status"], body["version"], body["panel"]) == (2025, "draft", 1, "Tim Evaluasi")
    assert {s["dimension"] for s in body["scores"]} == set(SCORES)
    assert {a["dimension"] for a in body["areas"]} >= {"GOV", "ENV"}

    evaluation = Evaluation.objects.get()
    saved = _put(client, f"{_base(cast)}/2025/scores", {**_full_scores(evaluation), "conclusion": "Baik."})
    assert saved.status_code == 200, saved.content
    assert saved.json()["version"] == 2
    assert {s["dimension"]: s["score"] for s in saved.json()["scores"]} == SCORES
    assert saved.json()["conclusion"] == "Baik."

    done = _post(client, f"{_base(cast)}/2025/release", {"version": 2})
    assert done.status_code == 200, done.content
    assert (done.json()["status"], done.json()["index"]) == ("released", "3.275000")

    entries = list(_entries())
    assert [e.action for e in entries] == ["create", "update", "publish"]
    assert all(e.actor == cast.ministry and f"via API token {prefix}" in e.actor_name for e in entries)
    update = entries[1]
    assert update.before["scores"]["baseline"]["score"] is None
    assert update.after["scores"]["baseline"]["score"] == "3.00"
    assert update.after["conclusion"] == "Baik."


@pytest.mark.parametrize(("role", "status"), [*((r, 403) for r in REGION_ROLES), ("outsider", 404)])
def test_only_the_ministry_creates_an_evaluation(cast: Any, role: str, status: int) -> None:
    response = _post(bearer(getattr(cast, role)), _base(cast), {"year": 2025, "scheme_year": 2022})
    assert response.status_code == status
    assert response["Content-Type"] == "application/problem+json"
    assert not Evaluation.objects.exists()


@pytest.mark.parametrize("role", [*REGION_ROLES, "outsider"])
def test_a_draft_is_not_the_regions_to_see_so_its_writes_answer_404(cast: Any, role: str) -> None:
    draft = new_draft(cast.region_a)
    client = bearer(getattr(cast, role))
    scores = _put(client, f"{_base(cast)}/2025/scores", _full_scores(draft))
    release = _post(client, f"{_base(cast)}/2025/release", {"version": draft.version})
    assert (scores.status_code, release.status_code) == (404, 404)
    _unchanged(draft, audit_count=1)


@pytest.mark.parametrize(("role", "status"), [*((r, 403) for r in REGION_ROLES), ("outsider", 404)])
def test_a_released_evaluation_is_seen_by_the_region_but_only_the_ministry_may_write(
    cast: Any, role: str, status: int
) -> None:
    evaluation = released(cast.region_a)
    client = bearer(getattr(cast, role))
    scores = _put(client, f"{_base(cast)}/2025/scores", {"version": evaluation.version, "conclusion": "Diubah."})
    release = _post(client, f"{_base(cast)}/2025/release", {"version": evaluation.version})
    assert (scores.status_code, release.status_code) == (status, status)
    assert scores["Content-Type"] == "application/problem+json"
    assert Evaluation.objects.get().conclusion == ""


def test_the_ministry_cannot_change_a_released_evaluation(cast: Any) -> None:
    evaluation = released(cast.region_a)
    response = _put(bearer(cast.ministry), f"{_base(cast)}/2025/scores", {"version": evaluation.version})
    assert response.status_code == 422
    assert "frozen" in response.json()["errors"][0]["reason"]


def test_a_read_only_token_of_the_ministry_cannot_write(cast: Any) -> None:
    draft = new_draft(cast.region_a)
    client = bearer(cast.ministry, "read")
    created = _post(client, _base(cast), {"year": 2026, "scheme_year": 2022})
    scores = _put(client, f"{_base(cast)}/2025/scores", _full_scores(draft))
    release = _post(client, f"{_base(cast)}/2025/release", {"version": draft.version})
    assert [r.status_code for r in (created, scores, release)] == [403, 403, 403]
    assert "read" in scores.json()["detail"]
    assert Evaluation.objects.count() == 1
    _unchanged(draft, audit_count=1)


def test_a_stale_version_is_a_409_naming_the_conflict_and_changes_nothing(cast: Any) -> None:
    draft = new_draft(cast.region_a)
    client = bearer(cast.ministry)
    url = f"{_base(cast)}/2025/scores"
    first = _put(client, url, {"version": 1, "scores": {"baseline": {"score": "2.00"}}})
    assert first.status_code == 200
    stale = _put(client, url, {"version": 1, "scores": {"baseline": {"score": "4.00"}}})
    assert stale.status_code == 409
    assert stale["Content-Type"] == "application/problem+json"
    assert stale.json()["title"] == "Edit conflict"
    assert stale.json()["detail"]
    current = Evaluation.objects.get(pk=draft.pk)
    assert current.version == 2
    assert str(current.scores.get(dimension="baseline").score) == "2.00"
    assert _entries().count() == 2
    late = _post(client, f"{_base(cast)}/2025/release", {"version": 1})
    assert late.status_code == 409


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({"scores": {"baseline": {"score": "5.5"}}}, "scores.baseline.score"),
        ({"scores": {"output": {"score": "3.125"}}}, "scores.output.score"),
        ({"scores": {"outcome": {"score": "tiga"}}}, "scores.outcome.score"),
        ({"scores": {"baseline": {"score": " "}}}, "scores.baseline.score"),
        ({"scores": {"beauty": {"score": "3"}}}, "scores.beauty"),
        ({"scores": {"": {"score": "3"}}}, "scores"),
        ({"scores": {"baseline": {"score": "3", "evidence_link": "not a link"}}}, "scores.baseline.evidence_link"),
        ({"scores": {"baseline": {}}}, "scores.baseline.score"),
        ({"areas": {"GOV": {"score": "0"}}}, "areas.GOV.score"),
        ({"areas": {"XYZ": {"score": "3"}}}, "areas.XYZ"),
        ({"areas": {"GOV": {"score": "3", "programmes": -1}}}, "areas.GOV.programmes"),
        ({"previous_index": "9"}, "previous_index"),
        ({"evaluators": ["nobody"]}, "evaluators"),
        ({"evaluators": ["no\x00body"]}, "evaluators"),
        ({"evaluators": ["owner"]}, "evaluators"),
    ],
)
def test_bad_scores_are_a_422_naming_the_field_and_nothing_changes(cast: Any, body: dict[str, Any], field: str) -> None:
    draft = new_draft(cast.region_a)
    response = _put(bearer(cast.ministry), f"{_base(cast)}/2025/scores", {"version": draft.version, **body})
    assert response.status_code == 422, response.content
    assert response["Content-Type"] == "application/problem+json"
    errors = response.json()["errors"]
    assert field in {e["field"] for e in errors}, errors
    assert all(e["reason"] for e in errors)
    _unchanged(draft, audit_count=1)


def test_a_body_that_is_not_json_is_a_400_and_changes_nothing(cast: Any) -> None:
    draft = new_draft(cast.region_a)
    response = bearer(cast.ministry).put(f"{_base(cast)}/2025/scores", "{not json", content_type="application/json")
    assert response.status_code == 400
    assert response["Content-Type"] == "application/problem+json"
    _unchanged(draft, audit_count=1)


def test_scores_without_a_version_are_a_422_naming_it(cast: Any) -> None:
    draft = new_draft(cast.region_a)
    response = _put(bearer(cast.ministry), f"{_base(cast)}/2025/scores", {"scores": {}})
    assert response.status_code == 422
    assert {e["field"] for e in response.json()["errors"]} == {"version"}
    _unchanged(draft, audit_count=1)


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({"year": 2025, "scheme_year": 2022}, "year"),  # the draft of 2025 exists
        ({"year": 2026, "scheme_year": 2031}, "scheme_year"),
        ({"year": 1999, "scheme_year": 2022}, "year"),
        ({"year": 2026, "scheme_year": 2022, "previous_index": "lima"}, "previous_index"),
        ({"year": 2026, "scheme_year": 2022, "evaluators": ["owner"]}, "evaluators"),
        ({"year": 2026, "scheme_year": 2022, "evaluators": ["nobody"]}, "evaluators"),
        ({"year": 2026, "scheme_year": 2022, "evaluators": ["no\x00body"]}, "evaluators"),  # a 500 on PostgreSQL
        ({"scheme_year": 2022}, "year"),
    ],
)
def test_a_bad_new_evaluation_is_a_422_naming_the_field(cast: Any, body: dict[str, Any], field: str) -> None:
    new_draft(cast.region_a)
    response = _post(bearer(cast.ministry), _base(cast), body)
    assert response.status_code == 422, response.content
    assert field in {e["field"] for e in response.json()["errors"]}
    assert Evaluation.objects.count() == 1


def test_an_incomplete_draft_is_not_released_and_the_answer_says_what_is_missing(cast: Any) -> None:
    draft = new_draft(cast.region_a)
    response = _post(bearer(cast.ministry), f"{_base(cast)}/2025/release", {"version": draft.version})
    assert response.status_code == 422
    assert "still missing" in response.json()["errors"][0]["reason"]
    assert Evaluation.objects.get().status == "draft"


def test_an_evaluation_of_another_region_is_not_reached_through_region_a(cast: Any) -> None:
    other = new_draft(cast.region_b)
    response = _put(bearer(cast.ministry), f"{_base(cast)}/2025/scores", _full_scores(other))
    assert response.status_code == 404
    _unchanged(other, audit_count=1)


def _queries(client: Client, method: str, url: str, body: Any = None) -> int:
    with CaptureQueriesContext(connection) as queries:
        response = getattr(client, method)(url, body, content_type="application/json")
    assert response.status_code == 200, response.content
    return len(queries)


def test_reads_and_writes_cost_the_same_queries_whatever_the_number_of_evaluations(cast: Any) -> None:
    client = bearer(cast.ministry)
    first = new_draft(cast.region_a, 2025)
    client.get(_base(cast))  # the token's first use and the rate window are written once
    one = _queries(client, "put", f"{_base(cast)}/2025/scores", _full_scores(first))
    listed = _queries(client, "get", _base(cast))
    for year in (2022, 2023, 2024):
        released(cast.region_a, year)
    first.refresh_from_db()
    more = _queries(client, "put", f"{_base(cast)}/2025/scores", _full_scores(first))
    assert (more, _queries(client, "get", _base(cast))) == (one, listed)
    assert _queries(client, "get", f"{_base(cast)}/2025") <= listed
