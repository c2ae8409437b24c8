"""Background jobs of the documents capability (django-tasks; the database is the queue).

Run by ``kotacerdas db_worker``. A 300-programme book takes seconds to lay out: too long for a
request, so the page shows the job's progress while the worker renders it.
"""

from __future__ import annotations

from django_tasks import task


@task()
def generate_document_job(job_id: int) -> int:
    from kotacerdas.reports.services import run_job

    return run_job(job_id).size
