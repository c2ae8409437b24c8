"""The reaper: a running job whose worker stopped beating is queued again once, then failed; a job
whose worker still beats is left alone; two reapers never act on one job; the CLI verbs."""

from __future__ import annotations

import datetime
import json
from io import StringIO

import pytest
from django.core.management import CommandError, call_command
from django.utils import timezone
from django_tasks_db.models import DBTaskResult

from kotacerdas.jobs import reaper, selectors
from kotacerdas.jobs.models import WorkerBeat
from kotacerdas.jobs.tests.slow_tasks import slow_the_first_time

pytestmark = pytest.mark.django_db


def running(worker_id: str = "dead-worker", *, beat_seconds_ago: float | None = 120) -> DBTaskResult:
    """A job claimed by ``worker_id``, whose last beat was that long ago (None: never beat)."""
    result = DBTaskResult.objects.get(pk=slow_the_first_time.enqueue("/dev/null", 0).id)
    result.claim(worker_id)
    if beat_seconds_ago is not None:
        at = timezone.now() - datetime.timedelta(seconds=beat_seconds_ago)
        WorkerBeat.objects.update_or_create(
            worker_id=worker_id, defaults={"started_at": at, "beat_at": at, "task_id": str(result.pk)}
        )
    return result


def test_a_job_whose_worker_stopped_beating_is_queued_again(settings):
    settings.JOB_LEASE_SECONDS = 60
    result = running(beat_seconds_ago=61)
    [reaped] = reaper.reap()
    result.refresh_from_db()
    assert (reaped.outcome, reaped.worker_id, reaped.attempts) == ("retried", "dead-worker", 1)
    assert result.status == "READY" and result.started_at is None
    assert DBTaskResult.objects.ready().filter(pk=result.pk).exists()  # the next worker claims it


def test_a_job_lost_a_second_time_is_failed_with_the_reason():
    result = running("first")
    reaper.reap()
    result.refresh_from_db()
    result.claim("second")
    WorkerBeat.objects.filter(worker_id="first").update(worker_id="second")
    [reaped] = reaper.reap()
    result.refresh_from_db()
    assert reaped.outcome == "failed" and reaped.attempts == 2
    assert result.status == "FAILED" and result.finished_at is not None
    assert result.exception_class_path == "kotacerdas.jobs.reaper.WorkerLost"
    assert "worker second stopped" in result.traceback


def test_a_job_whose_worker_still_beats_is_left_alone(settings):
    settings.JOB_LEASE_SECONDS = 60
    result = running("alive", beat_seconds_ago=5)
    assert reaper.reap() == []
    result.refresh_from_db()
    assert result.status == "RUNNING"


def test_a_job_claimed_by_a_worker_that_never_beat_waits_for_the_lease(settings):
    settings.JOB_LEASE_SECONDS = 60
    result = running("silent", beat_seconds_ago=None)
    assert reaper.reap() == []  # just claimed: the worker beats right after claiming
    DBTaskResult.objects.filter(pk=result.pk).update(started_at=timezone.now() - datetime.timedelta(seconds=61))
    assert [r.task_id for r in reaper.reap()] == [str(result.pk)]


def test_an_idle_worker_gives_up_the_job_it_lost_with_the_connection(settings):
    settings.JOB_LEASE_SECONDS = 60
    result = running("me", beat_seconds_ago=1)
    assert reaper.reap() == []
    assert [r.outcome for r in reaper.reap(idle_worker="me")] == ["retried"]
    result.refresh_from_db()
    assert result.status == "READY"


def test_two_reapers_act_on_a_job_once():
    result = running()
    [candidate] = reaper.lost_jobs()
    [stale_view] = reaper.lost_jobs()
    assert reaper._reap_one(candidate, timezone.now()) is not None
    assert reaper._reap_one(stale_view, timezone.now()) is None  # re-checked under the lock
    result.refresh_from_db()
    assert result.status == "READY" and len(result.worker_ids) == 1


def test_finding_lost_jobs_takes_two_queries_whatever_their_number(django_assert_num_queries):
    for n in range(4):
        running(f"dead-{n}")
    with django_assert_num_queries(2):
        assert len(reaper.lost_jobs()) == 4


def test_heartbeats_of_long_gone_workers_are_forgotten():
    long_ago = timezone.now() - datetime.timedelta(days=2)
    WorkerBeat.objects.create(worker_id="gone", started_at=long_ago, beat_at=long_ago)
    reaper.reap()
    assert not WorkerBeat.objects.filter(worker_id="gone").exists()


def test_jobs_reap_and_list_on_the_command_line():
    result = running()
    out = StringIO()
    call_command("jobs", "list", "--json", stdout=out)
    listed = json.loads(out.getvalue())
    assert [(j["id"], j["status"], j["worker_id"]) for j in listed["jobs"]] == [
        (str(result.pk), "RUNNING", "dead-worker")
    ]
    assert listed["workers"][0]["worker_id"] == "dead-worker" and listed["workers"][0]["alive"] is False
    out = StringIO()
    call_command("jobs", "reap", "--json", stdout=out)
    assert [(r["task_id"], r["outcome"]) for r in json.loads(out.getvalue())["reaped"]] == [(str(result.pk), "retried")]
    out = StringIO()
    call_command("jobs", "reap", stdout=out)
    assert "No job lost its worker." in out.getvalue()


def test_a_bad_action_is_refused_naming_the_choices():
    with pytest.raises(CommandError, match="choose from 'list', 'reap'"):
        call_command("jobs", "nonsense")


def test_worker_state_for_readiness(settings):
    settings.JOB_LEASE_SECONDS = 60
    assert selectors.worker_state()["worker"] == "none"
    now = timezone.now()
    WorkerBeat.objects.create(worker_id="w", started_at=now, beat_at=now - datetime.timedelta(seconds=90))
    assert selectors.worker_state()["worker"] == "stale"
    WorkerBeat.objects.filter(worker_id="w").update(beat_at=now)
    assert selectors.worker_state(now)["worker"] == "ok"
