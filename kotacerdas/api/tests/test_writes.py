"""The monitoring writes over the API: the same services, access rules, versions and audit."""

from __future__ import annotations

from typing import Any

import pytest
from django.test import Client

from kotacerdas.api.tests.conftest import Monitored, bearer, token_for
from kotacerdas.audit.models import AuditEntry
from kotacerdas.monitoring import services as monitoring
from kotacerdas.monitoring.models import IndicatorActual, ProgrammeUpdate
from kotacerdas.monitoring.tests.conftest import update_data

BODY = {
    "status": "on_track",
    "progress": 40,
    "comment": "Aplikasi diuji coba di tiga kelurahan.",
    "reported_on": "2025-04-05",
    "budgets": {"apbd": "25.000.000"},
}


def _post(client: Client, url: str, body: dict[str, Any]) -> Any:
    return client.post(url, body, content_type="application/json")


def _put(client: Client, url: str, body: dict[str, Any]) -> Any:
    return client.put(url, body, content_type="application/json")


def _new(m: Monitored) -> dict[str, Any]:
    return {**BODY, "programme": m.first.pk, "period": m.q1.key}


def test_an_editor_writes_an_update_and_the_audit_entry_names_the_token(cast: Any, monitored: Monitored) -> None:
    secret = token_for(cast.editor)
    client = Client(HTTP_AUTHORIZATION=f"Bearer {secret}")
    response = _post(client, f"/api/v1/regions/{cast.region_a.code}/updates", _new(monitored))
    assert response.status_code == 201, response.content
    body = response.json()
    assert (body["state"], body["progress"], body["period"]) == ("draft", 40, "2025-Q1")
    assert body["budgets"] == [{"source": "apbd", "amount": "25000000"}]
    entry = AuditEntry.objects.filter(object_type="monitoring.ProgrammeUpdate").get()
    assert entry.actor == cast.editor
    prefix = secret.split("_")[1]
    assert f"via API token {prefix}" in entry.actor_name


@pytest.mark.parametrize(("role", "status"), [("viewer", 403), ("mentor", 403), ("outsider", 404)])
def test_people_who_may_not_report_cannot_write_an_update(
    cast: Any, monitored: Monitored, role: str, status: int
) -> None:
    response = _post(bearer(getattr(cast, role)), f"/api/v1/regions/{cast.region_a.code}/updates", _new(monitored))
    assert response.status_code == status
    assert response["Content-Type"] == "application/problem+json"
    assert not ProgrammeUpdate.objects.exists()


@pytest.mark.parametrize("role", ["owner", "editor", "ministry"])
def test_people_who_report_can_write_an_update(cast: Any, monitored: Monitored, role: str) -> None:
    response = _post(bearer(getattr(cast, role)), f"/api/v1/regions/{cast.region_a.code}/updates", _new(monitored))
    assert response.status_code == 201


def test_a_read_only_token_cannot_write(cast: Any, monitored: Monitored) -> None:
    response = _post(bearer(cast.owner, "read"), f"/api/v1/regions/{cast.region_a.code}/updates", _new(monitored))
    assert response.status_code == 403
    assert "read" in response.json()["detail"]
    assert not ProgrammeUpdate.objects.exists()


def test_a_read_only_token_writing_to_a_region_not_its_own_gets_404(cast: Any, monitored: Monitored) -> None:
    url = f"/api/v1/regions/{cast.region_a.code}/updates"
    response = _post(bearer(cast.outsider, "read"), url, _new(monitored))
    assert response.status_code == 404
    assert response["Content-Type"] == "application/problem+json"
    missing = _post(bearer(cast.owner, "read"), "/api/v1/regions/NOPE/updates", _new(monitored))
    assert missing.status_code == 404
    assert not ProgrammeUpdate.objects.exists()


def test_invalid_input_is_a_422_naming_each_field(cast: Any, monitored: Monitored) -> None:
    body = {**_new(monitored), "progress": 140, "comment": " ", "status": "cancelled", "budgets": {"apbd": "-5"}}
    response = _post(bearer(cast.owner), f"/api/v1/regions/{cast.region_a.code}/updates", body)
    assert response.status_code == 422
    fields = {e["field"] for e in response.json()["errors"]}
    assert {"progress", "comment", "reason", "budgets.apbd"} <= fields
    assert all(e["reason"] for e in response.json()["errors"])


def test_a_missing_field_or_wrong_type_is_a_422_naming_it(cast: Any, monitored: Monitored) -> None:
    body = {**_new(monitored), "progress": "much"}
    del body["comment"]
    response = _post(bearer(cast.owner), f"/api/v1/regions/{cast.region_a.code}/updates", body)
    assert response.status_code == 422
    assert {e["field"] for e in response.json()["errors"]} == {"progress", "comment"}


def test_a_programme_of_another_region_is_refused_by_field(cast: Any, monitored: Monitored) -> None:
    body = {**_new(monitored), "programme": monitored.first.pk}
    response = _post(bearer(cast.outsider), f"/api/v1/regions/{cast.region_b.code}/updates", body)
    assert response.status_code == 422
    assert response.json()["errors"][0]["field"] == "programme"


def test_a_stale_version_is_a_409_and_changes_nothing(cast: Any, monitored: Monitored) -> None:
    update = monitoring.create_update(actor=None, programme=monitored.first, period=monitored.q1, data=update_data())
    client = bearer(cast.editor)
    url = f"/api/v1/regions/{cast.region_a.code}/updates/{update.pk}"
    first = _put(client, url, {**BODY, "progress": 50, "version": 1})
    assert first.status_code == 200
    assert first.json()["version"] == 2
    stale = _put(client, url, {**BODY, "progress": 60, "version": 1})
    assert stale.status_code == 409
    assert stale["Content-Type"] == "application/problem+json"
    assert ProgrammeUpdate.objects.get().progress == 50


def test_an_update_is_submitted_and_accepted_by_the_mentor(cast: Any, monitored: Monitored) -> None:
    update = monitoring.create_update(actor=None, programme=monitored.first, period=monitored.q1, data=update_data())
    base = f"/api/v1/regions/{cast.region_a.code}/updates/{update.pk}"
    assert _post(bearer(cast.editor), base + "/accept", {"version": 1}).status_code == 403
    submitted = _post(bearer(cast.editor), base + "/submit", {"version": 1})
    assert submitted.json()["state"] == "submitted"
    accepted = _post(bearer(cast.mentor), base + "/accept", {"version": 2})
    assert accepted.status_code == 200
    assert accepted.json()["state"] == "accepted"
    monitored.first.refresh_from_db()
    assert monitored.first.status == "on_track"


def test_a_submitted_update_is_returned_with_a_reason(cast: Any, monitored: Monitored) -> None:
    update = monitoring.create_update(actor=None, programme=monitored.first, period=monitored.q1, data=update_data())
    monitoring.submit_update(actor=None, update=update, expected_version=1)
    base = f"/api/v1/regions/{cast.region_a.code}/updates/{update.pk}"
    empty = _post(bearer(cast.owner), base + "/return", {"version": 2, "reason": " "})
    assert empty.status_code == 422
    assert empty.json()["errors"][0]["field"] == "reason"
    returned = _post(bearer(cast.owner), base + "/return", {"version": 2, "reason": "Lampirkan bukti."})
    assert returned.json()["state"] == "returned"


def test_a_frozen_update_cannot_be_edited(cast: Any, monitored: Monitored) -> None:
    update = monitoring.create_update(actor=None, programme=monitored.first, period=monitored.q1, data=update_data())
    monitoring.submit_update(actor=None, update=update, expected_version=1)
    url = f"/api/v1/regions/{cast.region_a.code}/updates/{update.pk}"
    response = _put(bearer(cast.editor), url, {**BODY, "version": 2})
    assert response.status_code == 422
    assert response.json()["errors"][0]["field"] is None


def test_an_actual_is_recorded_then_changed_with_its_version(cast: Any, monitored: Monitored) -> None:
    indicator = monitored.first.indicators.get()
    url = f"/api/v1/regions/{cast.region_a.code}/indicators/{indicator.pk}/actual"
    client = bearer(cast.editor)
    made = _put(client, url, {"year": 2025, "period": "2025-Q1", "value": "12.5", "version": 0})
    assert made.status_code == 200, made.content
    assert (made.json()["value"], made.json()["period"], made.json()["version"]) == ("12.50", "2025-Q1", 1)
    again = _put(client, url, {"year": 2025, "period": "2025-Q1", "value": "13", "version": 0})
    assert again.status_code == 409
    changed = _put(client, url, {"year": 2025, "period": "2025-Q1", "value": "13", "version": 1})
    assert changed.json()["value"] == "13.00"
    assert IndicatorActual.objects.get().value == 13
    entries = AuditEntry.objects.filter(object_type="monitoring.IndicatorActual")
    assert [e.action for e in entries.order_by("id")] == ["create", "update"]
    assert all("via API token" in e.actor_name for e in entries)


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({"year": 2025, "value": "lots", "version": 0}, "value"),
        ({"year": 2025, "period": "2031-Q9", "value": "1", "version": 0}, "period"),
        ({"year": 2099, "value": "1", "version": 0}, "year"),
        ({"year": 2025, "value": "1", "producer": 999999, "version": 0}, "producer"),
    ],
)
def test_a_bad_actual_is_a_422_naming_the_field(
    cast: Any, monitored: Monitored, body: dict[str, Any], field: str
) -> None:
    indicator = monitored.first.indicators.get()
    url = f"/api/v1/regions/{cast.region_a.code}/indicators/{indicator.pk}/actual"
    response = _put(bearer(cast.owner), url, body)
    assert response.status_code == 422
    assert field in {e["field"] for e in response.json()["errors"]}


@pytest.mark.parametrize(("role", "status"), [("viewer", 403), ("outsider", 404)])
def test_who_may_not_report_cannot_record_an_actual(cast: Any, monitored: Monitored, role: str, status: int) -> None:
    indicator = monitored.first.indicators.get()
    code = cast.region_a.code if role != "outsider" else cast.region_b.code
    url = f"/api/v1/regions/{code}/indicators/{indicator.pk}/actual"
    response = _put(bearer(getattr(cast, role)), url, {"year": 2025, "value": "1", "version": 0})
    assert response.status_code == status
    assert not IndicatorActual.objects.exists()


def test_the_browser_writes_with_its_session_and_csrf_token(cast: Any, monitored: Monitored) -> None:
    client = Client(enforce_csrf_checks=True)
    client.force_login(cast.editor)
    client.get("/akun/token-api/")  # any page with a form sets the CSRF cookie
    csrf = client.cookies["csrftoken"].value
    response = client.post(
        f"/api/v1/regions/{cast.region_a.code}/updates",
        _new(monitored),
        content_type="application/json",
        HTTP_X_CSRFTOKEN=csrf,
    )
    assert response.status_code == 201, response.content
    entry = AuditEntry.objects.filter(object_type="monitoring.ProgrammeUpdate").get()
    assert entry.actor_name.endswith("via API")
