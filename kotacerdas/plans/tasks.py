"""Background jobs of the plans app (django-tasks; the database is the queue, ``kotacerdas db_worker``)."""

from __future__ import annotations

from django_tasks import task


@task()
def import_edition_job(job_id: int) -> str:
    from kotacerdas.plans.services.imports import run_import

    return run_import(job_id).status
