"""The job worker that survives: django-tasks-db's worker with a heartbeat, a reaper and back-off.

django-tasks-db's ``Worker`` claims each job exactly once: inside one transaction it selects the
next ready row with ``select_for_update(skip_locked=True)`` (on PostgreSQL other workers skip a
row being claimed; on SQLite the transaction is EXCLUSIVE, so there is one writer at a time) and
marks it RUNNING with the worker's id before committing. What it does not do, and this adds:

- **a heartbeat**: a thread records the worker's id, host, pid, running job and time in
  ``WorkerBeat`` every lease/5 seconds, and the worker beats at once when it claims a job;
- **a reaper**: at start and on every beat, jobs whose worker stopped beating are retried once
  or failed (``reaper.reap``);
- **back-off**: a database error (a PostgreSQL restart, a SQLite lock held too long) no longer
  ends the process; the worker waits 1, 2, 4 … seconds (at most ``WORKER_BACKOFF_MAX_SECONDS``),
  logging each attempt, until the database answers, then fails or retries the job it lost and
  goes on.
"""

from __future__ import annotations

import contextlib
import logging
import os
import socket
import threading
import time
from collections.abc import Callable
from typing import Any

from django.conf import settings
from django.db import Error, InterfaceError, OperationalError, connections
from django.utils import timezone
from django_tasks_db.management.commands.db_worker import Worker
from django_tasks_db.models import DBTaskResult

from kotacerdas.jobs import reaper
from kotacerdas.jobs.models import WorkerBeat

logger = logging.getLogger("kotacerdas.jobs.worker")

DATABASE_ERRORS = (OperationalError, InterfaceError)


def backoff_delays(first: float = 1.0, cap: float = 60.0) -> Any:
    """1, 2, 4, … seconds, never more than ``cap``."""
    delay = first
    while True:
        yield min(delay, cap)
        delay = min(delay * 2, cap)


def wait_for_database(
    *,
    cap: float,
    ping: Callable[[], None] | None = None,
    sleep: Callable[[float], None] | None = None,
    should_go_on: Callable[[], bool] = lambda: True,
) -> int:
    """Wait, with exponential back-off, until ``ping`` succeeds; returns the attempts it took."""
    ping = ping or _ping
    sleep = sleep or time.sleep
    for attempt, delay in enumerate(backoff_delays(cap=cap), start=1):
        if not should_go_on():
            return attempt
        logger.warning("database unavailable: retrying in %.0f s (attempt %d)", delay, attempt)
        sleep(delay)
        connections.close_all()
        try:
            ping()
        except Error as error:
            logger.warning("database still unavailable (attempt %d): %s", attempt, error)
            continue
        logger.warning("database answers again after %d attempt(s)", attempt)
        return attempt
    raise AssertionError("unreachable")  # pragma: no cover


def _ping() -> None:
    with connections["default"].cursor() as cursor:
        cursor.execute("SELECT 1")
        cursor.fetchone()


def beat(worker_id: str, *, started_at: Any, task_id: str = "") -> None:
    """Record that ``worker_id`` is alive (and what it runs) now."""
    now = timezone.now()
    updated = WorkerBeat.objects.filter(worker_id=worker_id).update(beat_at=now, task_id=task_id)
    if not updated:
        WorkerBeat.objects.create(
            worker_id=worker_id,
            hostname=socket.gethostname()[:255],
            pid=os.getpid(),
            started_at=started_at,
            beat_at=now,
            task_id=task_id,
        )


class SurvivingWorker(Worker):
    def __init__(self, *, backoff_cap: float, heartbeat: bool = True, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.backoff_cap = backoff_cap
        self.heartbeat = heartbeat and not self.batch
        self.started_at = timezone.now()
        self.current_task = ""
        self.beat_every = max(settings.JOB_LEASE_SECONDS / 5, 0.2)
        self._stop = threading.Event()
        self._thread: threading.Thread | None = None

    # Heartbeat -----------------------------------------------------------------------------

    def _beat_and_reap(self) -> None:
        beat(self.worker_id, started_at=self.started_at, task_id=self.current_task)
        reaper.reap()

    def _beat_loop(self) -> None:
        try:
            while not self._stop.wait(self.beat_every):
                try:
                    self._beat_and_reap()
                except Error as error:
                    logger.warning("heartbeat of worker %s failed: %s", self.worker_id, error)
                    # This thread's own connection (connections are per thread): a broken one is
                    # dropped, and the next beat connects again.
                    connections.close_all()
        finally:
            connections.close_all()

    def _start_heartbeat(self) -> None:
        if self.heartbeat and self._thread is None:
            self._thread = threading.Thread(target=self._beat_loop, name="kotacerdas-heartbeat", daemon=True)
            self._thread.start()

    def _stop_heartbeat(self) -> None:
        self._stop.set()
        if self._thread is not None:
            self._thread.join(timeout=5)
        with contextlib.suppress(Error):  # a clean stop leaves no heartbeat to be waited for
            WorkerBeat.objects.filter(worker_id=self.worker_id).delete()

    # The loop ------------------------------------------------------------------------------

    def run_task(self, db_task_result: DBTaskResult) -> None:
        self.current_task = str(db_task_result.pk)
        try:
            beat(self.worker_id, started_at=self.started_at, task_id=self.current_task)
        except Error as error:
            logger.warning("heartbeat of worker %s failed: %s", self.worker_id, error)
        try:
            super().run_task(db_task_result)
        finally:
            self.current_task = ""

    def run(self) -> None:
        try:
            self._first_beat()
            self._start_heartbeat()
            while True:
                try:
                    super().run()
                    return
                except DATABASE_ERRORS as error:
                    self.current_task = ""
                    logger.warning("worker %s lost the database: %s", self.worker_id, error)
                    if not self.running:
                        return
                    wait_for_database(cap=self.backoff_cap, should_go_on=lambda: self.running)
                    self._recover()
        finally:
            self._stop_heartbeat()

    def _first_beat(self) -> None:
        while True:
            try:
                self._beat_and_reap()
                return
            except DATABASE_ERRORS as error:
                logger.warning("worker %s cannot reach the database at start: %s", self.worker_id, error)
                if not self.running:
                    return
                wait_for_database(cap=self.backoff_cap, should_go_on=lambda: self.running)

    def _recover(self) -> None:
        """Back after an outage: the job this worker was running when the connection broke is
        still marked as its own, though it runs nothing now; retry or fail it."""
        try:
            beat(self.worker_id, started_at=self.started_at)
            reaper.reap(idle_worker=self.worker_id)
        except DATABASE_ERRORS as error:
            logger.warning("worker %s could not recover its jobs yet: %s", self.worker_id, error)
