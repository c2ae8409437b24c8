"""Document jobs over the API: started through the reports service with the page's predicate,
followed, and downloaded through the access-checked file response."""

from __future__ import annotations

from typing import Any

import pytest
from django.test import Client
from django.urls import reverse

from kotacerdas.api.tests.conftest import bearer, token_for
from kotacerdas.audit.models import AuditEntry
from kotacerdas.reports import services
from kotacerdas.reports.models import DocumentJob
from kotacerdas.reports.tasks import generate_document_job


def _start(client: Client, code: str, body: dict[str, Any]) -> Any:
    return client.post(f"/api/v1/regions/{code}/document-jobs", body, content_type="application/json")


def _done(cast: Any, book: Any) -> DocumentJob:
    job = services.request_document(
        actor=cast.editor, region=cast.region_a, edition=book.edition, kind="buku2", fmt="docx", background=False
    )
    generate_document_job.call(job.pk)
    job.refresh_from_db()
    assert job.status == "done"
    return job


def test_an_editor_starts_a_book_and_the_audit_entry_names_the_token(cast: Any, book: Any) -> None:
    secret = token_for(cast.editor)
    client = Client(HTTP_AUTHORIZATION=f"Bearer {secret}")
    response = _start(client, cast.region_a.code, {"kind": "buku2", "fmt": "docx", "edition": book.edition.year})
    assert response.status_code == 202, response.content
    body = response.json()
    assert (body["kind"], body["status"], body["edition"], body["download"]) == (
        "buku2",
        "queued",
        book.edition.year,
        None,
    )
    entry = AuditEntry.objects.filter(object_type="reports.DocumentJob").get()
    assert entry.actor == cast.editor
    assert f"via API token {secret.split('_')[1]}" in entry.actor_name


@pytest.mark.parametrize("role", ["owner", "editor", "viewer", "mentor", "ministry"])
def test_starting_a_job_asks_what_the_documents_page_asks(cast: Any, book: Any, role: str) -> None:
    page = cast.client(getattr(cast, role)).post(
        reverse("reports:generate", args=[cast.region_a.code]),
        {"kind": "buku2", "fmt": "docx", "edition": book.edition.year},
    )
    api = _start(
        bearer(getattr(cast, role)), cast.region_a.code, {"kind": "buku2", "fmt": "docx", "edition": book.edition.year}
    )
    assert (page.status_code, api.status_code) in ((302, 202), (403, 403)), (page.status_code, api.content)
    if role in ("owner", "editor"):
        assert api.status_code == 202
    if role == "viewer":
        assert api.status_code == 403


def test_an_outsider_cannot_start_follow_or_download_a_job(cast: Any, book: Any) -> None:
    job = _done(cast, book)
    client = bearer(cast.outsider)
    a = cast.region_a.code
    assert _start(client, a, {"kind": "buku2", "fmt": "docx", "edition": book.edition.year}).status_code == 404
    for url in (
        f"/api/v1/regions/{a}/document-jobs",
        f"/api/v1/regions/{a}/document-jobs/{job.pk}",
        f"/api/v1/regions/{a}/document-jobs/{job.pk}/file",
        f"/api/v1/regions/{cast.region_b.code}/document-jobs/{job.pk}",
        f"/api/v1/regions/{cast.region_b.code}/document-jobs/{job.pk}/file",
    ):
        assert client.get(url).status_code == 404, url


def test_a_read_only_token_may_not_start_a_job(cast: Any, book: Any) -> None:
    response = _start(
        bearer(cast.editor, "read"), cast.region_a.code, {"kind": "buku2", "fmt": "docx", "edition": book.edition.year}
    )
    assert response.status_code == 403
    assert not DocumentJob.objects.exists()


def test_a_bad_request_names_the_field(cast: Any, book: Any) -> None:
    client = bearer(cast.editor)
    response = _start(client, cast.region_a.code, {"kind": "buku2", "fmt": "odt", "edition": book.edition.year})
    assert response.status_code == 422
    assert "fmt" in str(response.json())
    response = _start(client, cast.region_a.code, {"kind": "buku2", "fmt": "pdf", "edition": 2199})
    assert response.status_code == 422
    assert "edition" in str(response.json())


@pytest.mark.parametrize("role", ["owner", "editor", "viewer", "mentor", "ministry"])
def test_each_role_follows_and_downloads_a_finished_job(cast: Any, book: Any, role: str) -> None:
    job = _done(cast, book)
    client = bearer(getattr(cast, role), "read")
    body = client.get(f"/api/v1/regions/{cast.region_a.code}/document-jobs/{job.pk}").json()
    assert body["status"] == "done"
    assert body["download"] == f"/api/v1/regions/{cast.region_a.code}/document-jobs/{job.pk}/file"
    response = client.get(body["download"])
    assert response.status_code == 200
    assert b"".join(response.streaming_content)[:2] == b"PK"
    assert "attachment" in response["Content-Disposition"]


def test_a_queued_job_has_no_file_yet(cast: Any, book: Any) -> None:
    job = services.request_document(
        actor=cast.editor, region=cast.region_a, edition=book.edition, kind="buku2", fmt="docx", background=False
    )
    response = bearer(cast.viewer, "read").get(f"/api/v1/regions/{cast.region_a.code}/document-jobs/{job.pk}/file")
    assert response.status_code == 404


def test_the_job_list_takes_a_fixed_number_of_queries(
    cast: Any, book: Any, django_assert_max_num_queries: Any, one_minute: None
) -> None:
    def queue() -> None:
        services.request_document(
            actor=cast.editor, region=cast.region_a, edition=book.edition, kind="buku2", fmt="pdf", background=False
        )

    queue()
    client = bearer(cast.viewer, "read")
    url = f"/api/v1/regions/{cast.region_a.code}/document-jobs"
    client.get(url)
    with django_assert_max_num_queries(20) as few:
        client.get(url)
    for _ in range(5):
        queue()
    with django_assert_max_num_queries(len(few.captured_queries)):
        assert client.get(url).json()["count"] == 6
