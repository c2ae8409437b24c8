"""The quick-win services refuse an actor the access layer refuses: the page is not the only guard."""

from __future__ import annotations

import pytest
from django.core.exceptions import PermissionDenied

from kotacerdas.lib.concurrency import stored_version
from kotacerdas.quickwins import services
from kotacerdas.quickwins.models import Score
from kotacerdas.quickwins.tests.builders import make_round

pytestmark = pytest.mark.django_db


@pytest.fixture
def selection_round(cast):
    return make_round(cast.region_a, per_dimension=1, evaluators=0)


def _cell(selection_round):
    return selection_round.candidates.first().pk, selection_round.criteria.first().pk


def test_a_mentor_may_not_enter_a_paper_evaluators_scores(cast, selection_round):
    paper = services.add_evaluator(actor=cast.editor, selection_round=selection_round, name="Kertas")
    with pytest.raises(PermissionDenied):
        services.save_scores(actor=cast.mentor, evaluator=paper, values={_cell(selection_round): 3})
    assert not Score.objects.filter(evaluator=paper).exists()


def test_nobody_enters_another_account_holders_scores(cast, selection_round):
    mentors = services.evaluator_for_user(actor=cast.mentor, selection_round=selection_round)
    with pytest.raises(PermissionDenied):
        services.save_scores(actor=cast.editor, evaluator=mentors, values={_cell(selection_round): 3})
    services.save_scores(actor=cast.mentor, evaluator=mentors, values={_cell(selection_round): 3})
    assert Score.objects.filter(evaluator=mentors).count() == 1


@pytest.mark.parametrize("who", ["viewer", "outsider"])
def test_a_viewer_or_outsider_may_not_score_or_set_the_method(cast, selection_round, who):
    actor = getattr(cast, who)
    with pytest.raises(PermissionDenied):
        services.evaluator_for_user(actor=actor, selection_round=selection_round)
    with pytest.raises(PermissionDenied):
        services.set_pairwise(
            actor=actor,
            selection_round=selection_round,
            judgements={},
            expected_version=stored_version(selection_round),
        )
    with pytest.raises(PermissionDenied):
        services.add_evaluator(actor=actor, selection_round=selection_round, name="X")
