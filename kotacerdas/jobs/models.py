"""The heartbeat of each running job worker: who it is, when it last beat, what it is running.

django-tasks-db keeps the queue (``DBTaskResult``: one row per job, ``worker_ids`` lists the
workers that claimed it). What it lacks is a sign of life: a job whose worker was killed stays
"running" forever. Each worker beats here every few seconds from a small thread, so a running
job holds a *lease* as long as the worker that claimed it last beat within
``settings.JOB_LEASE_SECONDS``; the reaper (``jobs/reaper.py``) retries or fails the others.
"""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _


class WorkerBeat(models.Model):
    """One worker process's last sign of life (removed when it stops cleanly)."""

    worker_id = models.CharField(_("worker"), max_length=64, unique=True)
    hostname = models.CharField(_("host"), max_length=255, blank=True)
    pid = models.PositiveIntegerField(_("process id"), default=0)
    started_at = models.DateTimeField(_("started at"))
    beat_at = models.DateTimeField(_("last beat"), db_index=True)
    task_id = models.CharField(_("running job"), max_length=64, blank=True)

    class Meta:
        verbose_name = _("worker heartbeat")
        verbose_name_plural = _("worker heartbeats")
        ordering = ["-beat_at"]

    def __str__(self) -> str:
        return f"{self.worker_id} ({self.hostname}:{self.pid})"
