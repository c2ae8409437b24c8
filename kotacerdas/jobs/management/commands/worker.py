"""``kotacerdas worker``: run background jobs, surviving database outages and dead workers.

django-tasks-db's ``db_worker`` with the same options, plus a heartbeat, the reaper and
back-off (``kotacerdas/jobs/worker.py``). ``kotacerdas db_worker`` is the same command.
"""

from __future__ import annotations

import os
from typing import Any

from django.conf import settings
from django.core.management.base import CommandError
from django.utils.autoreload import DJANGO_AUTORELOAD_ENV, run_with_reloader
from django_tasks_db.management.commands.db_worker import Command as DbWorkerCommand

from kotacerdas.jobs.worker import SurvivingWorker


class Command(DbWorkerCommand):
    help = (
        "Run background jobs (documents, robustness runs): heartbeat, jobs of dead workers retried "
        "once or failed, and reconnection with back-off when the database is unavailable."
    )

    def add_arguments(self, parser: Any) -> None:
        super().add_arguments(parser)
        parser.add_argument(
            "--backoff-max",
            type=float,
            default=None,
            help="Longest wait (s) between reconnection attempts (default: KOTACERDAS_WORKER_BACKOFF_MAX_SECONDS).",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        verbosity = options["verbosity"]
        self.configure_logging(verbosity)
        reload = options["reload"] and not options["batch"]
        queue_names = options["queue_name"].split(",")
        excluded = options["exclude_queues"].split(",") if options["exclude_queues"] else []
        if excluded and "*" not in queue_names:
            raise CommandError("--exclude-queues can only be used with --queue-name=*")
        backoff = options["backoff_max"]
        worker = SurvivingWorker(
            queue_names=queue_names,
            interval=options["interval"],
            batch=options["batch"],
            backend_name=options["backend_name"],
            startup_delay=options["startup_delay"],
            max_tasks=options["max_tasks"],
            worker_id=options["worker_id"],
            excluded_queue_names=excluded,
            backoff_cap=backoff if backoff and backoff > 0 else settings.WORKER_BACKOFF_MAX_SECONDS,
        )
        if reload:
            if os.environ.get(DJANGO_AUTORELOAD_ENV) == "true":
                worker.configure_signals()
            run_with_reloader(worker.run)
        else:
            worker.configure_signals()
            worker.run()
