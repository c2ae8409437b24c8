"""The demo's sample evaluation, and what the workbench data suggest beside the scores."""

from __future__ import annotations

import datetime

import pytest

from kotacerdas.evaluation.demo import load_sample_evaluation
from kotacerdas.evaluation.models import EvaluationDimension, Status
from kotacerdas.evaluation.selectors import suggestions
from kotacerdas.regions.models import BodyMember

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
