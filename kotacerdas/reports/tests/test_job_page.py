"""The job page follows the job: no stale "queued" message once the file is ready, polling stops
with the download link, a reload shows the state now, and every "still missing" item links to the
page where it is fixed."""

from __future__ import annotations

import pytest
from django.urls import reverse

from kotacerdas.reports import services
from kotacerdas.reports.models import DocumentJob
from kotacerdas.reports.tasks import generate_document_job

pytestmark = pytest.mark.django_db


def url(name: str, *args: object) -> str:
    return reverse(f"reports:{name}", args=["13.72", *args])


def _done_book(cast, book) -> DocumentJob:
    job = services.request_document(
        actor=cast.editor, region=cast.region_a, edition=book.edition, kind="buku2", fmt="docx", background=False
    )
    generate_document_job.call(job.pk)
    job.refresh_from_db()
    assert job.status == "done"
    return job


def test_the_job_page_of_a_finished_job_says_it_is_ready_not_queued(cast, book, english):
    client = cast.client(cast.editor)
    response = client.post(url("generate"), {"kind": "buku2", "fmt": "docx", "edition": book.edition.year})
    job = DocumentJob.objects.get(region=cast.region_a)
    generate_document_job.call(job.pk)
    page = client.get(response["Location"])
    html = page.content.decode()
    assert "queued" not in html.lower()
    assert "The document is ready." in html and url("download", job.pk) in html
    assert "every 2s" not in html
    assert "no-cache" in page["Cache-Control"] and "HX-Request" in page["Vary"]


def test_a_queued_job_polls_and_the_finished_panel_stops_polling(cast, book, english):
    client = cast.client(cast.editor)
    job = services.request_document(
        actor=cast.editor, region=cast.region_a, edition=book.edition, kind="buku2", fmt="docx", background=False
    )
    queued = client.get(url("job", job.pk)).content.decode()
    assert 'hx-trigger="every 2s"' in queued and "queued" in queued
    generate_document_job.call(job.pk)
    panel = client.get(url("job", job.pk), HTTP_HX_REQUEST="true").content.decode()
    assert "hx-trigger" not in panel and url("download", job.pk) in panel and "The document is ready." in panel


def test_every_missing_item_links_to_where_it_is_fixed(cast, book):
    job = _done_book(cast, book)
    assert job.missing and all(m.get("key") for m in job.missing)
    html = cast.client(cast.viewer).get(url("job", job.pk)).content.decode()
    listed = html.split('class="missing-list"', 1)[1].split("</ul>", 1)[0]
    items = listed.split("<li>")[1:]
    assert len(items) == len(job.missing)
    for item, missing in zip(items, job.missing, strict=True):
        if missing["key"] != "foreword":
            assert '<a href="/wilayah/13.72/' in item, item
    budget = reverse("plans:budgets", args=["13.72", book.edition.year])
    programmes = reverse("plans:programmes", args=["13.72", book.edition.year])
    keys = {m["key"] for m in job.missing}
    if "b2-budget" in keys:
        assert f'href="{budget}"' in listed
    if "b2-programmes" in keys or "b2-action-plans" in keys or "b2-indicators" in keys:
        assert f'href="{programmes}"' in listed


def test_an_outsider_gets_404_for_the_job_page_and_its_panel(cast, book):
    job = _done_book(cast, book)
    client = cast.client(cast.outsider)
    assert client.get(url("job", job.pk)).status_code == 404
    assert client.get(url("job", job.pk), HTTP_HX_REQUEST="true").status_code == 404
