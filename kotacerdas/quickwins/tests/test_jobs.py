"""The robustness run as a background job, on committed data (a module of its own: the page tests
of test_views.py share one round in a transaction that stays open for their module)."""

from __future__ import annotations

from io import StringIO

import pytest
from django.core.management import call_command
from django.urls import reverse

from kotacerdas.quickwins import services
from kotacerdas.quickwins.models import RobustnessRun
from kotacerdas.quickwins.tests.builders import make_round

A = "13.72"


@pytest.fixture
def qw(cast):
    selection_round = make_round(cast.region_a)
    solve = services.solve_round(actor=cast.editor, selection_round=selection_round)
    selection_round.refresh_from_db()
    return selection_round, solve


def url(name, *args):
    return reverse(f"quickwins:{name}", args=[A, *args])


# The worker closes its database connection after each job, as a long-running worker should; only
# a test whose data is committed survives that (on PostgreSQL the open test transaction would die).
@pytest.mark.django_db(transaction=True)
def test_robustness_runs_as_a_background_job_with_progress(cast, qw):
    _round, solve = qw
    client = cast.client(cast.editor)
    response = client.post(url("robustness", 2024, 1), {"draws": 50, "spread": "0.2", "seed": 3})
    assert response.status_code == 302
    run = RobustnessRun.objects.get(solve=solve)
    assert run.status == "queued" and run.task_id
    polling = client.get(url("robustness", 2024, 1), HTTP_HX_REQUEST="true").content.decode()
    assert 'hx-trigger="every 2s"' in polling and "<progress" in polling
    call_command("db_worker", "--batch", stdout=StringIO(), stderr=StringIO())
    run.refresh_from_db()
    assert run.status == "done" and run.done == 50 and run.result["draws"] == 50
    done = client.get(url("robustness", 2024, 1), HTTP_HX_REQUEST="true").content.decode()
    assert "every 2s" not in done and "GOV-01" in done
    assert cast.client(cast.viewer).post(url("robustness", 2024, 1), {"draws": 50}).status_code == 403
