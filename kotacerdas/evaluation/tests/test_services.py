"""The evaluation services: drafts, scores, release and freeze, version conflicts, the scheme
of the year named or refused, the previous index taken from last year's released evaluation."""

from __future__ import annotations

from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from kotacerdas.audit.models import AuditEntry
from kotacerdas.evaluation import services
from kotacerdas.evaluation.domain import DIMENSIONS
from kotacerdas.evaluation.models import Evaluation, EvaluationDimension, PreviousSource, Status
from kotacerdas.evaluation.tests.conftest import INDEX, new_draft, released, score_data, scored
from kotacerdas.lib.concurrency import EditConflict

pytestmark = pytest.mark.usefixtures("english")


def test_the_two_vocabularies_of_dimensions_agree():
    assert list(EvaluationDimension.values) == list(DIMENSIONS)


def test_a_draft_has_an_empty_score_per_dimension_and_per_smart_city_dimension(cast, draft):
    assert draft.status == Status.DRAFT
    assert sorted(draft.scores.values_list("dimension", flat=True)) == sorted(DIMENSIONS)
    codes = set(draft.area_scores.values_list("dimension__code", flat=True))
    assert {"GOV", "ENV"} <= codes and len(codes) == 6
    assert AuditEntry.objects.filter(object_type="evaluation.Evaluation", action="create").count() == 1


def test_a_year_without_a_scheme_is_an_explicit_error_naming_the_published_years(cast):
    with pytest.raises(ValidationError) as refused:
        services.create_evaluation(actor=None, region=cast.region_a, data={"year": 2025})
    message = " ".join(refused.value.message_dict["scheme_year"])
    assert "2025" in message and "2022" in message
    assert not Evaluation.objects.exists()


def test_only_the_ministry_evaluates(cast):
    for user in (cast.owner, cast.mentor, cast.outsider):
        with pytest.raises(PermissionDenied):
            services.create_evaluation(actor=user, region=cast.region_a, data={"year": 2025, "scheme_year": 2022})
    created = services.create_evaluation(
        actor=cast.ministry, region=cast.region_a, data={"year": 2025, "scheme_year": 2022}
    )
    assert created.pk


def test_one_evaluation_per_region_and_year(cast, draft):
    with pytest.raises(ValidationError) as refused:
        new_draft(cast.region_a)
    assert "already has an evaluation for 2025" in " ".join(refused.value.message_dict["year"])


def test_bad_scores_are_named_and_nothing_is_saved(cast, draft):
    data = score_data(draft, scores={"baseline": "5.5", "output": "3.125", "outcome": "tiga"})
    with pytest.raises(ValidationError) as refused:
        services.save_scores(actor=None, evaluation=draft, data=data, version=draft.version)
    errors = refused.value.message_dict
    assert "outside the scale" in errors["score_baseline"][0]
    assert "more than two decimals" in errors["score_output"][0]
    assert "Give a number" in errors["score_outcome"][0]
    assert not draft.scores.exclude(score=None).exists()
    assert Evaluation.objects.get(pk=draft.pk).version == draft.version


def test_a_stale_version_is_a_conflict(cast, draft):
    scored(draft)
    with pytest.raises(EditConflict):
        services.save_scores(actor=None, evaluation=draft, data=score_data(draft), version=draft.version)


def test_release_refuses_incomplete_scores_and_names_what_is_missing(cast, draft):
    partial = services.save_scores(
        actor=None, evaluation=draft, data=score_data(draft, scores={"baseline": "3"}), version=draft.version
    )
    with pytest.raises(ValidationError) as refused:
        services.release(actor=None, evaluation=partial, version=partial.version)
    assert "Output" in refused.value.messages[0]
    assert Evaluation.objects.get(pk=draft.pk).status == Status.DRAFT


def test_release_stores_the_result_and_freezes_the_evaluation(cast, draft):
    evaluation = scored(draft)
    done = services.release(actor=cast.ministry, evaluation=evaluation, version=evaluation.version)
    stored = Evaluation.objects.get(pk=done.pk)
    assert stored.status == Status.RELEASED
    assert stored.index == Decimal(INDEX)
    assert stored.index_2dp == Decimal("3.28")
    assert stored.predicate_name and stored.predicate_code
    assert stored.weights["outcome"] == "30.00"
    assert stored.released_by == cast.ministry
    assert AuditEntry.objects.filter(object_type="evaluation.Evaluation", action="publish").count() == 1
    with pytest.raises(ValidationError, match="frozen"):
        services.save_scores(actor=None, evaluation=stored, data=score_data(stored), version=stored.version)
    with pytest.raises(ValidationError, match="frozen"):
        services.release(actor=None, evaluation=stored, version=stored.version)


def test_the_previous_index_is_taken_from_last_years_released_evaluation(cast):
    last = released(cast.region_a, 2024)
    evaluation = new_draft(cast.region_a, 2025, previous_index="2.00")
    assert evaluation.previous_source == PreviousSource.RECORD
    assert evaluation.previous_index == last.index
    evaluation = scored(evaluation, scores=dict.fromkeys(DIMENSIONS, "4.00"))
    done = services.release(actor=None, evaluation=evaluation, version=evaluation.version)
    assert done.improvement == Decimal(4) - Decimal(INDEX)


def test_an_entered_previous_index_is_used_without_a_record(cast):
    evaluation = released(cast.region_a, 2025, previous_index="3,00")
    assert evaluation.previous_source == PreviousSource.ENTERED
    assert evaluation.improvement == Decimal(INDEX) - 3


def test_a_previous_index_outside_the_range_is_refused(cast):
    with pytest.raises(ValidationError) as refused:
        new_draft(cast.region_a, previous_index="7")
    assert "previous_index" in refused.value.message_dict


def test_evaluators_with_an_account_must_be_ministry_staff(cast):
    with pytest.raises(ValidationError) as refused:
        new_draft(cast.region_a, evaluators=[cast.mentor])
    assert "ministry staff" in refused.value.message_dict["evaluators"][0]
