"""A robustness run whose worker died is queued again once, then failed with the reason on its panel."""

from __future__ import annotations

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone
from django_tasks_db.models import DBTaskResult

from kotacerdas.jobs import reaper
from kotacerdas.jobs.models import WorkerBeat
from kotacerdas.quickwins import services
from kotacerdas.quickwins.models import RobustnessRun
from kotacerdas.quickwins.tests.builders import make_round

pytestmark = pytest.mark.django_db


def killed_half_way(run: RobustnessRun, worker_id: str) -> None:
    DBTaskResult.objects.get(pk=run.task_id).claim(worker_id)
    RobustnessRun.objects.filter(pk=run.pk).update(status="running", done=run.draws // 2)
    long_ago = timezone.now() - datetime.timedelta(minutes=10)
    WorkerBeat.objects.update_or_create(worker_id=worker_id, defaults={"started_at": long_ago, "beat_at": long_ago})


def test_a_run_whose_worker_died_is_retried_once_then_failed(cast, english):
    selection_round = make_round(cast.region_a)
    solve = services.solve_round(actor=cast.editor, selection_round=selection_round)
    run = services.start_robustness(actor=cast.editor, solve=solve, draws=50, spread=0.2, seed=3)
    killed_half_way(run, "first")
    assert [r.outcome for r in reaper.reap()] == ["retried"]
    run.refresh_from_db()
    assert (run.status, run.done) == ("queued", 0)
    killed_half_way(run, "second")
    assert [r.outcome for r in reaper.reap()] == ["failed"]
    run.refresh_from_db()
    assert run.status == "failed" and run.finished_at and "worker" in run.error
    panel = reverse("quickwins:robustness", args=["13.72", 2024, 1])
    html = cast.client(cast.editor).get(panel, HTTP_HX_REQUEST="true").content.decode()
    assert "The robustness run failed:" in html and "every 2s" not in html
    assert cast.client(cast.outsider).get(panel).status_code == 404
