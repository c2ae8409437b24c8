"""Reads of the job queue: the jobs and workers the operator sees, the worker's state for readiness."""

from __future__ import annotations

import datetime
from typing import Any

from django.conf import settings
from django.utils import timezone
from django_tasks_db.models import DBTaskResult

from kotacerdas.jobs.models import WorkerBeat

ACTIVE = ("READY", "RUNNING")


def workers(now: datetime.datetime | None = None) -> list[dict[str, Any]]:
    """Every worker with a heartbeat, newest first, with whether its lease still holds (one query)."""
    now = now or timezone.now()
    lease = datetime.timedelta(seconds=settings.JOB_LEASE_SECONDS)
    return [
        {
            "worker_id": b.worker_id,
            "host": b.hostname,
            "pid": b.pid,
            "started_at": b.started_at.isoformat(),
            "beat_at": b.beat_at.isoformat(),
            "seconds_since_beat": round((now - b.beat_at).total_seconds(), 1),
            "alive": now - b.beat_at <= lease,
            "task_id": b.task_id,
        }
        for b in WorkerBeat.objects.all()
    ]


def jobs(*, include_finished: bool = False, limit: int = 100) -> list[dict[str, Any]]:
    """Queued and running jobs (and, if asked, the latest finished ones), oldest first (one query)."""
    rows = DBTaskResult.objects.all() if include_finished else DBTaskResult.objects.filter(status__in=ACTIVE)
    return [
        {
            "id": str(r.pk),
            "task": r.task_path,
            "status": r.status,
            "args": (r.args_kwargs or {}).get("args", []),
            "attempts": len(r.worker_ids or []),
            "worker_id": (r.worker_ids or [""])[-1],
            "enqueued_at": r.enqueued_at.isoformat(),
            "started_at": r.started_at.isoformat() if r.started_at else None,
            "finished_at": r.finished_at.isoformat() if r.finished_at else None,
            "error": r.exception_class_path,
        }
        for r in rows.order_by("-enqueued_at")[:limit][::-1]
    ]


def worker_state(now: datetime.datetime | None = None) -> dict[str, Any]:
    """Whether some worker beat within the lease (for readiness): one query."""
    now = now or timezone.now()
    latest = WorkerBeat.objects.order_by("-beat_at").values_list("beat_at", flat=True).first()
    if latest is None:
        return {"worker": "none", "seconds_since_beat": None}
    seconds = (now - latest).total_seconds()
    return {
        "worker": "ok" if seconds <= settings.JOB_LEASE_SECONDS else "stale",
        "seconds_since_beat": round(seconds, 1),
    }
