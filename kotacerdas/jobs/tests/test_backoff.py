"""A database outage does not end the worker: it waits 1, 2, 4 … seconds (capped), logging each
try, until the database answers, then gives up or retries the job it lost and goes on."""

from __future__ import annotations

import logging
from itertools import islice

import pytest
from django.db import OperationalError
from django_tasks_db.management.commands.db_worker import Worker
from django_tasks_db.models import DBTaskResult

from kotacerdas.jobs import worker as worker_module
from kotacerdas.jobs.models import WorkerBeat
from kotacerdas.jobs.tests.slow_tasks import slow_the_first_time
from kotacerdas.jobs.worker import SurvivingWorker, backoff_delays, wait_for_database


def test_the_delays_double_up_to_the_cap():
    assert list(islice(backoff_delays(cap=8), 6)) == [1, 2, 4, 8, 8, 8]


class FlakyDatabase:
    """A connection that fails ``failures`` times, then answers."""

    def __init__(self, failures: int) -> None:
        self.failures = failures
        self.pings = 0

    def ping(self) -> None:
        self.pings += 1
        if self.pings <= self.failures:
            raise OperationalError("server closed the connection unexpectedly")


def test_it_waits_with_back_off_and_logs_every_retry(caplog):
    database, slept = FlakyDatabase(failures=4), []
    with caplog.at_level(logging.WARNING, logger="kotacerdas.jobs.worker"):
        attempts = wait_for_database(cap=4, ping=database.ping, sleep=slept.append)
    assert attempts == 5 and database.pings == 5
    assert slept == [1, 2, 4, 4, 4]
    messages = [r.getMessage() for r in caplog.records]
    assert sum("retrying in" in m for m in messages) == 5
    assert sum("still unavailable" in m for m in messages) == 4
    assert "database answers again after 5 attempt(s)" in messages


def test_it_stops_waiting_when_the_worker_is_asked_to_stop():
    database, slept = FlakyDatabase(failures=100), []
    wait_for_database(cap=1, ping=database.ping, sleep=slept.append, should_go_on=lambda: len(slept) < 3)
    assert len(slept) == 3


def make_worker(**overrides) -> SurvivingWorker:
    options = {
        "queue_names": ["default"],
        "interval": 0,
        "batch": True,
        "backend_name": "default",
        "startup_delay": False,
        "max_tasks": None,
        "worker_id": "survivor",
        "excluded_queue_names": [],
        "backoff_cap": 2,
    }
    return SurvivingWorker(**{**options, **overrides})


# The worker closes its connections as a long-running worker should: only committed data survives
# that (on PostgreSQL the open test transaction would die), as in quickwins/tests/test_jobs.py.
@pytest.mark.django_db(transaction=True)
def test_the_worker_survives_losing_the_database_and_retries_the_job_it_held(monkeypatch, caplog):
    result = DBTaskResult.objects.get(pk=slow_the_first_time.enqueue("/dev/null", 0).id)
    calls, slept = [], []

    def flaky_run(self) -> None:
        calls.append(1)
        if len(calls) == 1:  # the connection breaks while the worker holds a job
            DBTaskResult.objects.get(pk=result.pk).claim(self.worker_id)
            raise OperationalError("terminating connection due to administrator command")

    monkeypatch.setattr(Worker, "run", flaky_run)
    monkeypatch.setattr(worker_module.time, "sleep", slept.append)
    monkeypatch.setattr(worker_module, "_ping", FlakyDatabase(failures=2).ping)
    with caplog.at_level(logging.WARNING):
        make_worker().run()
    assert len(calls) == 2  # it went on instead of exiting
    assert slept == [1, 2, 2]
    result.refresh_from_db()
    assert result.status == "READY" and result.worker_ids == ["survivor"]  # queued again for the next try
    messages = " ".join(r.getMessage() for r in caplog.records)
    assert "lost the database" in messages and "retried" in messages
    assert not WorkerBeat.objects.filter(worker_id="survivor").exists()  # a clean stop leaves no beat


@pytest.mark.django_db(transaction=True)
def test_the_worker_beats_when_it_claims_a_job_and_runs_it(monkeypatch, tmp_path):
    beats = []
    real_beat = worker_module.beat

    def spy(worker_id, **kwargs):
        beats.append(kwargs.get("task_id", ""))
        real_beat(worker_id, **kwargs)

    monkeypatch.setattr(worker_module, "beat", spy)
    result = slow_the_first_time.enqueue(str(tmp_path / "starts"), 0)
    make_worker().run()
    stored = DBTaskResult.objects.get(pk=result.id)
    assert stored.status == "SUCCESSFUL" and stored.worker_ids == ["survivor"]
    assert str(result.id) in beats
