"""Background jobs of the quick-win capability (django-tasks; the database is the queue).

Run by ``kotacerdas db_worker``. A robustness run of a few thousand draws takes seconds to tens
of seconds, too long for a request; the page shows the run's progress while the worker solves.
"""

from __future__ import annotations

from django_tasks import task

from kotacerdas.jobs.lost import when_lost


@task()
def robustness_job(run_id: int) -> int:
    from kotacerdas.quickwins.services import run_robustness

    return run_robustness(run_id).done


@when_lost(robustness_job)
def robustness_job_lost(run_id: int, *, retried: bool) -> None:
    from kotacerdas.quickwins.services import robustness_lost

    robustness_lost(run_id, retried=retried)
