"""Background jobs of the documents capability (django-tasks; the database is the queue).

Run by ``kotacerdas db_worker``. A 300-programme book takes seconds to lay out: too long for a
request, so the page shows the job's progress while the worker renders it.
"""

from __future__ import annotations

from django_tasks import task

from kotacerdas.jobs.lost import when_lost


@task()
def generate_document_job(job_id: int) -> int:
    from kotacerdas.reports.services import run_job

    return run_job(job_id).size


@when_lost(generate_document_job)
def document_job_lost(job_id: int, *, retried: bool) -> None:
    from kotacerdas.reports.services import job_lost

    job_lost(job_id, retried=retried)
