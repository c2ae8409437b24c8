"""Finding jobs whose worker died, and retrying them once or failing them with a plain reason.

A running job (django-tasks-db's ``DBTaskResult`` with status RUNNING) belongs to the last worker
that claimed it (``worker_ids[-1]``). The job is *lost* when that worker

- has not beaten for ``settings.JOB_LEASE_SECONDS`` (killed, the machine gone, frozen), or
- has no heartbeat at all and the job started longer ago than the lease, or
- is the worker asking and it is idle (it lost the job to a database error and recovered).

A lost job that has been claimed once is queued again (status READY; the next worker claims it
and adds itself to ``worker_ids``); one claimed twice is failed. Each change is made with the
queue row locked (``select_for_update`` on PostgreSQL; SQLite's single writer) and re-checked,
so two reapers never act on one job, and the app's own row (the document job, the robustness
run) is told in the same transaction through its ``when_lost`` handler.
"""

from __future__ import annotations

import datetime
import logging
from dataclasses import asdict, dataclass
from importlib import import_module
from typing import Any

from django.conf import settings
from django.db import transaction
from django.utils import timezone
from django_tasks_db.models import DBTaskResult

from kotacerdas.jobs.lost import handler_for
from kotacerdas.jobs.models import WorkerBeat

logger = logging.getLogger(__name__)

# A job is run at most this many times: once, and once more after its worker died.
MAX_ATTEMPTS = 2
RUNNING = "RUNNING"
# Heartbeats of workers gone this long are removed (their jobs were reaped long before).
FORGET_AFTER = datetime.timedelta(hours=1)


class WorkerLost(Exception):
    """Recorded as the failure of a job whose worker stopped (exception_class_path in the queue)."""


@dataclass(frozen=True)
class Reaped:
    task_id: str
    task: str
    worker_id: str
    attempts: int
    outcome: str  # "retried" or "failed"
    last_beat: str | None

    def as_dict(self) -> dict[str, Any]:
        return asdict(self)


def lease() -> datetime.timedelta:
    return datetime.timedelta(seconds=settings.JOB_LEASE_SECONDS)


def _claimer(result: DBTaskResult) -> str:
    ids = result.worker_ids or []
    return str(ids[-1]) if ids else ""


def lost_jobs(*, now: datetime.datetime | None = None, idle_worker: str = "") -> list[DBTaskResult]:
    """Running jobs whose lease expired (two queries, whatever the number of jobs)."""
    now = now or timezone.now()
    expired = now - lease()
    running = list(DBTaskResult.objects.running().order_by("started_at"))
    beats = {
        b.worker_id: b.beat_at
        for b in WorkerBeat.objects.filter(worker_id__in={_claimer(r) for r in running}).only("worker_id", "beat_at")
    }
    lost = []
    for result in running:
        claimer = _claimer(result)
        beat = beats.get(claimer)
        idle = bool(claimer) and claimer == idle_worker
        silent = result.started_at is None or result.started_at < expired if beat is None else beat < expired
        if idle or silent:
            lost.append(result)
    return lost


def _handler(task_path: str) -> Any:
    module = task_path.rsplit(".", 1)[0]
    try:  # importing the task's module registers its handler
        import_module(module)
    except ImportError:
        logger.warning("reaper: task module %s cannot be imported", module)
    return handler_for(task_path)


def _reap_one(candidate: DBTaskResult, now: datetime.datetime) -> Reaped | None:
    with transaction.atomic():
        result = DBTaskResult.objects.select_for_update().filter(pk=candidate.pk).first()
        # Another reaper (or the worker itself) got there first, or it was claimed again meanwhile.
        if result is None or result.status != RUNNING or result.worker_ids != candidate.worker_ids:
            return None
        worker_id = _claimer(result)
        beat = WorkerBeat.objects.filter(worker_id=worker_id).values_list("beat_at", flat=True).first()
        attempts = len(result.worker_ids or [])
        retried = attempts < MAX_ATTEMPTS
        if retried:
            result.status = "READY"
            result.started_at = None
            result.save(update_fields=["status", "started_at"])
        else:
            result.status = "FAILED"
            result.finished_at = now
            result.return_value = None
            result.exception_class_path = f"{WorkerLost.__module__}.{WorkerLost.__qualname__}"
            result.traceback = (
                f"WorkerLost: worker {worker_id} stopped while running this job "
                f"(last beat {beat.isoformat() if beat else 'never'}); it was tried {attempts} times."
            )
            result.save(update_fields=["status", "finished_at", "return_value", "exception_class_path", "traceback"])
        handler = _handler(result.task_path)
        if handler is not None:
            args = result.args_kwargs or {}
            handler(*args.get("args", []), retried=retried, **args.get("kwargs", {}))
    reaped = Reaped(
        task_id=str(result.pk),
        task=result.task_path,
        worker_id=worker_id,
        attempts=attempts,
        outcome="retried" if retried else "failed",
        last_beat=beat.isoformat() if beat else None,
    )
    logger.warning(
        "reaper: job %s (%s) lost its worker %s after %d attempt(s): %s",
        reaped.task_id,
        reaped.task,
        worker_id or "?",
        attempts,
        reaped.outcome,
    )
    return reaped


def reap(*, now: datetime.datetime | None = None, idle_worker: str = "") -> list[Reaped]:
    """Retry once, or fail, every running job whose worker died; return what was done.

    ``idle_worker``: the id of a worker that knows it runs nothing now (it recovered from a
    database error), so any job still marked as its own was lost with the connection."""
    now = now or timezone.now()
    reaped = []
    for candidate in lost_jobs(now=now, idle_worker=idle_worker):
        try:
            done = _reap_one(candidate, now)
        except Exception:  # one job's handler failing must not keep the others running forever
            logger.exception("reaper: could not reap job %s", candidate.pk)
            continue
        if done is not None:
            reaped.append(done)
    WorkerBeat.objects.filter(beat_at__lt=now - max(FORGET_AFTER, lease() * 10)).delete()
    return reaped
