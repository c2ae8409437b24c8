"""The worker killed in the middle of a job: the job is retried by the next worker, not left
"running" forever. Real processes on a throwaway SQLite file (or, when KOTACERDAS_DATABASE_URL
names a PostgreSQL server, a fresh database on it)."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

# The worker processes use the configured database: the test runs in both steps of CI.
pytestmark = pytest.mark.database_in_subprocess

LEASE = 2  # seconds: the killed worker's jobs are reaped this long after its last beat
PREPARE = """
import json, django
django.setup()
from django.core.management import call_command
call_command("migrate", verbosity=0)
from kotacerdas.jobs.tests.slow_tasks import slow_the_first_time
print(json.dumps(str(slow_the_first_time.enqueue(%r, %r).id)))
"""
STATE = """
import json, django
django.setup()
from django_tasks_db.models import DBTaskResult
r = DBTaskResult.objects.get(pk=%r)
print(json.dumps({"status": r.status, "workers": r.worker_ids, "value": r.return_value}))
"""


@pytest.fixture
def env(tmp_path):
    environment = {k: v for k, v in os.environ.items() if not k.startswith("KOTACERDAS_")}
    environment.update(
        DJANGO_SETTINGS_MODULE="kotacerdas.jobs.tests.worker_settings",
        KOTACERDAS_DEBUG="true",
        KOTACERDAS_DATA_DIR=str(tmp_path),
        KOTACERDAS_JOB_LEASE_SECONDS=str(LEASE),
        KOTACERDAS_LOG_FORMAT="text",
        PYTHONUNBUFFERED="1",
    )
    url = os.environ.get("KOTACERDAS_DATABASE_URL", "")
    if url.startswith("postgres"):
        psycopg = pytest.importorskip("psycopg")
        name = f"kotacerdas_worker_{os.getpid()}"
        base, _, _old = url.rpartition("/")
        maintenance = f"{base}/postgres"  # the configured database may not exist (pytest-django makes test_…)
        with psycopg.connect(maintenance, autocommit=True) as admin:
            admin.execute(f"DROP DATABASE IF EXISTS {name}")
            admin.execute(f"CREATE DATABASE {name}")
        environment["KOTACERDAS_DATABASE_URL"] = f"{base}/{name}"
        yield environment
        with psycopg.connect(maintenance, autocommit=True) as admin:
            admin.execute(f"DROP DATABASE IF EXISTS {name} WITH (FORCE)")
        return
    yield environment


def python(env, code):
    done = subprocess.run([sys.executable, "-c", code], env=env, capture_output=True, text=True, timeout=60)
    assert done.returncode == 0, done.stderr
    return json.loads(done.stdout.strip().splitlines()[-1])


def start_worker(env, log: Path):
    command = [
        sys.executable,
        "-m",
        "kotacerdas.cli",
        "worker",
        "--no-reload",
        "--no-startup-delay",
        "--interval",
        "0.1",
    ]
    return subprocess.Popen(command, env=env, stdout=log.open("w"), stderr=subprocess.STDOUT)


def alive(process) -> bool:
    assert process.poll() is None, "the worker exited"
    return True


def wait_for(condition, timeout: float, what: str):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        value = condition()
        if value:
            return value
        time.sleep(0.2)
    raise AssertionError(f"timed out waiting for {what}")


def test_a_job_whose_worker_is_killed_is_run_again_by_the_next_worker(env, tmp_path):
    starts = tmp_path / "starts.txt"
    task_id = python(env, PREPARE % (str(starts), 60))
    first = start_worker(env, tmp_path / "first.log")
    try:
        wait_for(lambda: alive(first) and starts.exists() and starts.read_text(), 30, "the job to start")
        first.send_signal(signal.SIGKILL)
        first.wait(10)
    finally:
        first.kill()
    assert python(env, STATE % task_id)["status"] == "RUNNING"  # what the issue saw: running forever

    second = start_worker(env, tmp_path / "second.log")
    try:
        state = wait_for(
            lambda: alive(second) and (s := python(env, STATE % task_id))["status"] in ("SUCCESSFUL", "FAILED") and s,
            30,
            "the retry",
        )
        second.send_signal(signal.SIGTERM)
        stopped = second.wait(10)
    finally:
        second.kill()
    log = (tmp_path / "second.log").read_text()
    assert stopped == 0, log
    assert state["status"] == "SUCCESSFUL" and state["value"] == 2, log
    assert len(state["workers"]) == 2 and state["workers"][0] != state["workers"][1]
    assert len(starts.read_text().splitlines()) == 2
    assert "lost its worker" in log and "retried" in log


TERMINATE = """
import json, django
django.setup()
from django.db import connection
with connection.cursor() as cursor:
    cursor.execute(
        "SELECT count(pg_terminate_backend(pid)) FROM pg_stat_activity"
        " WHERE datname = current_database() AND pid <> pg_backend_pid()"
    )
    print(json.dumps(cursor.fetchone()[0]))
"""
LAST_BEAT = """
import json, django
django.setup()
from kotacerdas.jobs.models import WorkerBeat
beat = WorkerBeat.objects.order_by("-beat_at").first()
print(json.dumps(beat.beat_at.timestamp() if beat else 0))
"""
ENQUEUE = """
import json, django
django.setup()
from kotacerdas.jobs.tests.slow_tasks import slow_the_first_time
print(json.dumps(str(slow_the_first_time.enqueue(%r, 0).id)))
"""


def test_a_worker_whose_connections_are_cut_waits_and_goes_on(env, tmp_path):
    """What a PostgreSQL restart does to a worker: every connection is ended by the server."""
    if not env.get("KOTACERDAS_DATABASE_URL", "").startswith("postgres"):
        pytest.skip("needs PostgreSQL (KOTACERDAS_DATABASE_URL)")
    starts = tmp_path / "starts.txt"
    python(env, PREPARE % (str(tmp_path / "first.txt"), 0))  # migrate, and a first job
    log = tmp_path / "worker.log"
    worker = start_worker(env, log)
    try:
        wait_for(lambda: alive(worker) and "SUCCESSFUL" in log.read_text(), 30, "the first job")
        cut = time.time()
        assert python(env, TERMINATE) >= 1
        task_id = python(env, ENQUEUE % str(starts))
        state = wait_for(
            lambda: alive(worker) and (s := python(env, STATE % task_id))["status"] == "SUCCESSFUL" and s,
            30,
            "the job after the cut",
        )
        wait_for(lambda: alive(worker) and python(env, LAST_BEAT) > cut + 1, 15, "a heartbeat after the cut")
    finally:
        worker.send_signal(signal.SIGTERM)
        worker.wait(10)
    assert state["value"] == 1
