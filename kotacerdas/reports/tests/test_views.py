"""The documents page: access (viewer reads, editor generates, outsider 404, anonymous to /masuk/),
generation as a background job with progress, download, failure kept on the job with the
previous file left in place, audit, and a query count that does not grow with the jobs."""

from __future__ import annotations

from io import StringIO

import pytest
from django.core.management import call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext

from kotacerdas.audit.models import AuditEntry
from kotacerdas.reports import services
from kotacerdas.reports.models import DocumentJob
from kotacerdas.reports.tasks import generate_document_job

pytestmark = pytest.mark.django_db


def url(name: str, *args: object) -> str:
    from django.urls import reverse

    return reverse(f"reports:{name}", args=["13.72", *args])


def test_a_viewer_sees_the_documents_of_the_region(cast, book):
    response = cast.client(cast.viewer).get(url("documents"))
    text = response.content.decode()
    assert response.status_code == 200 and book.edition.title in text
    assert "Generate PDF" not in text and 'name="kind"' not in text  # viewers do not generate


def test_an_outsider_gets_404_and_the_anonymous_are_sent_to_sign_in(cast, book):
    job = services.request_document(
        actor=cast.editor, region=cast.region_a, edition=book.edition, kind="buku2", fmt="docx", background=False
    )
    for target in (url("documents"), url("job", job.pk), url("download", job.pk)):
        assert cast.client(cast.outsider).get(target).status_code == 404
        response = cast.client(None).get(target)
        assert response.status_code == 302 and response["Location"].startswith("/masuk/")
    assert cast.client(cast.outsider).post(url("generate"), {"kind": "buku2", "fmt": "pdf"}).status_code == 404


# The worker closes its database connection after each job, as a long-running worker should; only
# a test whose data is committed survives that (on PostgreSQL the open test transaction would die).
@pytest.mark.django_db(transaction=True)
def test_an_editor_generates_a_book_in_the_background_and_downloads_it(cast, book):
    client = cast.client(cast.editor)
    response = client.post(url("generate"), {"kind": "buku2", "fmt": "docx", "edition": book.edition.year})
    job = DocumentJob.objects.get(region=cast.region_a)
    assert response.status_code == 302 and response["Location"] == url("job", job.pk)
    assert job.status == "queued" and job.task_id
    polling = client.get(url("job", job.pk), HTTP_HX_REQUEST="true").content.decode()
    assert 'hx-trigger="every 2s"' in polling and "<progress" in polling
    call_command("db_worker", "--batch", stdout=StringIO(), stderr=StringIO())
    job.refresh_from_db()
    assert job.status == "done" and job.progress == 100 and job.size > 10_000 and job.file.name.endswith(".docx")
    done = client.get(url("job", job.pk), HTTP_HX_REQUEST="true").content.decode()
    assert "every 2s" not in done and url("download", job.pk) in done
    download = cast.client(cast.viewer).get(url("download", job.pk))
    assert download.status_code == 200 and b"".join(download.streaming_content)[:2] == b"PK"
    assert AuditEntry.objects.filter(object_type="reports.DocumentJob", object_id=str(job.pk), action="create").exists()
    assert url("download", job.pk) in client.get(url("documents")).content.decode()


def test_a_viewer_may_not_generate(cast, book):
    response = cast.client(cast.viewer).post(url("generate"), {"kind": "buku2", "fmt": "pdf", "edition": 2024})
    assert response.status_code == 403 and not DocumentJob.objects.exists()


def test_a_bad_request_names_the_problem_and_queues_nothing(cast, book):
    response = cast.client(cast.editor).post(
        url("generate"), {"kind": "changelog", "fmt": "pdf", "edition": book.edition.year}, follow=True
    )
    assert response.status_code == 200 and not DocumentJob.objects.exists()
    assert "compare" in response.content.decode().lower() or "edisi" in response.content.decode().lower()


def test_a_failed_generation_is_recorded_and_the_previous_file_stays(cast, book, monkeypatch):
    first = services.request_document(
        actor=cast.editor, region=cast.region_a, edition=book.edition, kind="buku2", fmt="docx", background=False
    )
    generate_document_job.call(first.pk)
    first.refresh_from_db()
    assert first.status == "done"

    def broken(*args: object, **kwargs: object) -> None:
        raise RuntimeError("renderer exploded")

    monkeypatch.setattr("kotacerdas.reports.services.generate", broken)
    second = services.request_document(
        actor=cast.editor, region=cast.region_a, edition=book.edition, kind="buku2", fmt="docx", background=False
    )
    with pytest.raises(RuntimeError):
        services.run_job(second.pk)
    second.refresh_from_db()
    first.refresh_from_db()
    assert second.status == "failed" and "renderer exploded" in second.error
    assert first.file.storage.exists(first.file.name)
    page = cast.client(cast.editor).get(url("documents")).content.decode()
    assert url("download", first.pk) in page and "renderer exploded" in page


def test_the_documents_page_query_count_does_not_grow_with_jobs(cast, book):
    client = cast.client(cast.viewer)
    client.get(url("documents"))
    with CaptureQueriesContext(connection) as few:
        client.get(url("documents"))
    for fmt in ("pdf", "docx", "pdf", "docx"):
        services.request_document(
            actor=cast.editor, region=cast.region_a, edition=book.edition, kind="buku1", fmt=fmt, background=False
        )
    with CaptureQueriesContext(connection) as many:
        client.get(url("documents"))
    assert len(few) == len(many)
