"""A document whose worker died: its job is queued again once and its page says so; lost twice it
fails in plain words with a "generate again" button; the previous file stays downloadable."""

from __future__ import annotations

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone
from django_tasks_db.models import DBTaskResult

from kotacerdas.audit.models import AuditEntry
from kotacerdas.jobs import reaper
from kotacerdas.jobs.models import WorkerBeat
from kotacerdas.reports import services
from kotacerdas.reports.models import DocumentJob
from kotacerdas.reports.tasks import generate_document_job

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _english_messages(english: None) -> None:
    """These tests read the English messages."""


def url(name: str, *args: object) -> str:
    return reverse(f"reports:{name}", args=["13.72", *args])


def killed_at_40_percent(job: DocumentJob, worker_id: str) -> None:
    """What a worker killed while laying out the pages leaves behind."""
    result = DBTaskResult.objects.get(pk=job.task_id)
    result.claim(worker_id)
    DocumentJob.objects.filter(pk=job.pk).update(status="running", progress=40, step="menata halaman")
    long_ago = timezone.now() - datetime.timedelta(minutes=10)
    WorkerBeat.objects.update_or_create(worker_id=worker_id, defaults={"started_at": long_ago, "beat_at": long_ago})


@pytest.fixture
def queued(cast, book) -> DocumentJob:
    return services.request_document(
        actor=cast.editor, region=cast.region_a, edition=book.edition, kind="buku2", fmt="docx"
    )


def test_a_job_whose_worker_died_is_queued_again_and_its_page_says_so(cast, queued, english):
    killed_at_40_percent(queued, "killed")
    assert [r.outcome for r in reaper.reap()] == ["retried"]
    queued.refresh_from_db()
    assert (queued.status, queued.progress, queued.step, queued.interruptions) == ("queued", 0, "", 1)
    html = cast.client(cast.viewer).get(url("job", queued.pk)).content.decode()
    assert "The worker stopped while making this document; it was started again." in html
    assert 'hx-trigger="every 2s"' in html  # still followed
    entry = AuditEntry.objects.filter(object_id=str(queued.pk)).latest("id")
    assert entry.before["status"] == "running" and entry.after["status"] == "queued"


def test_the_retried_job_is_run_by_the_next_worker_to_the_end(cast, queued):
    killed_at_40_percent(queued, "killed")
    reaper.reap()
    generate_document_job.call(queued.pk)
    queued.refresh_from_db()
    assert queued.status == "done" and queued.file and queued.interruptions == 1


def test_a_job_lost_twice_fails_in_plain_words_and_the_previous_file_stays(cast, book, english):
    earlier = services.request_document(
        actor=cast.editor, region=cast.region_a, edition=book.edition, kind="buku2", fmt="docx", background=False
    )
    generate_document_job.call(earlier.pk)
    job = services.request_document(
        actor=cast.editor, region=cast.region_a, edition=book.edition, kind="buku2", fmt="docx"
    )
    killed_at_40_percent(job, "first")
    reaper.reap()
    killed_at_40_percent(job, "second")
    assert [r.outcome for r in reaper.reap()] == ["failed"]
    job.refresh_from_db()
    assert job.status == "failed" and job.interruptions == 2 and job.finished_at
    assert "pekerja berhenti" in job.error  # stored in the document's language (Indonesian), like its own errors
    editor = cast.client(cast.editor)
    html = editor.get(url("job", job.pk)).content.decode()
    assert "The generation failed:" in html and 'data-job="start-again"' in html and "every 2s" not in html
    assert 'name="kind" value="buku2"' in html and f'name="edition" value="{book.edition.year}"' in html
    assert url("download", earlier.pk) in editor.get(url("documents")).content.decode()
    assert editor.get(url("download", earlier.pk)).status_code == 200
    # "Generate again" is the ordinary generate form: it queues a new job.
    response = editor.post(url("generate"), {"kind": "buku2", "fmt": "docx", "edition": book.edition.year})
    assert response.status_code == 302 and DocumentJob.objects.filter(region=cast.region_a).count() == 3


def test_a_viewer_sees_the_failure_without_the_button(cast, queued, english):
    killed_at_40_percent(queued, "first")
    reaper.reap()
    killed_at_40_percent(queued, "second")
    reaper.reap()
    html = cast.client(cast.viewer).get(url("job", queued.pk)).content.decode()
    assert "The generation failed:" in html and 'data-job="start-again"' not in html


def test_the_lost_job_of_another_region_is_a_404(cast, queued):
    killed_at_40_percent(queued, "killed")
    reaper.reap()
    assert cast.client(cast.outsider).get(url("job", queued.pk)).status_code == 404


def test_a_finished_job_is_not_touched_by_a_late_reaper(cast, queued):
    generate_document_job.call(queued.pk)
    services.job_lost(queued.pk, retried=False)
    queued.refresh_from_db()
    assert queued.status == "done" and queued.interruptions == 0
