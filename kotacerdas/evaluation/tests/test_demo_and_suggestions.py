"""The demo's sample evaluation, and what the workbench data suggest beside the scores."""

from __future__ import annotations

import datetime

import pytest

from kotacerdas.evaluation.demo import load_sample_evaluation
from kotacerdas.evaluation.models import EvaluationDimension, Status
from kotacerdas.evaluation.selectors import suggestions
from kotacerdas.monitoring.tests.conftest import monitored, plan  # noqa: F401 (the fixtures, shared)
from kotacerdas.regions.models import BodyMember
from tests.support import snapshot

pytestmark = pytest.mark.usefixtures("english")


def test_the_sample_evaluation_is_released_marked_and_replaceable(cast):
    first = load_sample_evaluation(cast.region_a, 2025)
    again = load_sample_evaluation(cast.region_a, 2025)
    assert again.status == Status.RELEASED and again.is_sample
    assert again.index_2dp is not None and again.predicate_name
    assert not type(first).objects.filter(pk=first.pk).exists()
    assert all(a.score is not None for a in again.area_scores.all())
    assert "Perwal" in again.scores.get(dimension="output").note


def test_output_suggestion_counts_what_the_workbench_holds(cast):
    cast.body_a.decree_number = "SK 100/2023"
    cast.body_a.decree_date = datetime.date(2023, 3, 1)
    cast.body_a.save()
    BodyMember.objects.create(region=cast.region_a, body=cast.body_a, person_name="Wali Kota", role="pembina")
    found = suggestions(cast.region_a, 2025)
    lines, available = found[EvaluationDimension.OUTPUT]
    assert available
    assert "No adopted master plan" in lines[0]
    assert "1 of 1 with members, 1 with a decree" in lines[1]
    assert "Budget lines for 2025: 0" in lines[2]
    assert EvaluationDimension.OUTCOME in found and EvaluationDimension.QUICK_WIN in found


def test_outcome_and_quick_win_suggestions_follow_the_accepted_updates(cast, monitored):  # noqa: F811
    from kotacerdas.monitoring import services as monitoring
    from kotacerdas.monitoring.tests.conftest import TODAY, update_data

    found = suggestions(cast.region_a, 2025)
    assert "No programme of 2025 has an accepted update" in found[EvaluationDimension.OUTCOME][0][0]
    assert "accepted progress report" in found[EvaluationDimension.QUICK_WIN][0][0]
    update = monitoring.create_update(
        actor=cast.editor,
        programme=monitored.first,
        period=monitored.q1,
        data=update_data(status="on_track", progress=60),
        today=TODAY,
    )
    update = monitoring.submit_update(actor=cast.editor, update=update, expected_version=update.version)
    monitoring.accept_update(actor=cast.owner, update=update, expected_version=update.version)
    found = suggestions(cast.region_a, 2025)
    assert found[EvaluationDimension.OUTCOME][0] == [
        "1 of 2 programmes carried out per the accepted updates (50 %).",
        "1 of 2 programmes have an accepted update for 2025.",
    ]
    assert found[EvaluationDimension.QUICK_WIN][0] == ["Quick wins of 2025: 1, mean progress 60 %."]
    assert suggestions(cast.region_a, 2031)[EvaluationDimension.OUTCOME][0] == [
        "No master plan edition is in force in 2031."
    ]


def test_the_demo_closes_2025_with_a_released_sample_evaluation(db, request):
    from kotacerdas.demo.loader import load_demo
    from kotacerdas.evaluation.models import Evaluation

    snapshot.demo(request)
    evaluation = Evaluation.objects.get(region__code="13.72", year=2025)
    assert evaluation.is_sample and evaluation.status == Status.RELEASED
    assert evaluation.scheme_year == 2022 and evaluation.predicate_name
    load_demo()  # idempotent: the region is kept, the evaluation too
    assert Evaluation.objects.filter(region__code="13.72").count() == 1
