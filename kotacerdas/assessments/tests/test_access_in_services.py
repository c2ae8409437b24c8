"""The assessment services refuse an actor the access layer refuses: the page is not the only guard."""

from __future__ import annotations

import pytest
from django.core.exceptions import PermissionDenied

from kotacerdas.assessments import selectors
from kotacerdas.assessments.models import Answer, Item
from kotacerdas.assessments.services import runs as services
from kotacerdas.lib.concurrency import stored_version

pytestmark = pytest.mark.django_db


def _item(run):
    return Item.objects.filter(template=run.template, answer_type="level").order_by("order").first()


@pytest.mark.parametrize("who", ["viewer", "mentor", "outsider"])
def test_only_the_regions_editors_answer_in_its_slot(cast, maturity, who):
    with pytest.raises(PermissionDenied):
        services.save_answer(
            actor=getattr(cast, who),
            run=maturity,
            assessor=selectors.region_slot(maturity),
            item=_item(maturity),
            data={"value": 2},
            expected_version=None,
        )
    assert not Answer.objects.filter(run=maturity).exists()


def test_nobody_answers_in_another_assessors_slot(cast, maturity):
    slot = services.assign_assessor(actor=cast.owner, run=maturity, user=cast.mentor)
    with pytest.raises(PermissionDenied):
        services.save_answer(
            actor=cast.ministry,
            run=maturity,
            assessor=slot,
            item=_item(maturity),
            data={"value": 2},
            expected_version=None,
        )
    services.save_answer(
        actor=cast.mentor, run=maturity, assessor=slot, item=_item(maturity), data={"value": 2}, expected_version=None
    )


def test_an_editor_may_not_add_assessors_nor_a_mentor_submit(cast, maturity):
    with pytest.raises(PermissionDenied):
        services.assign_assessor(actor=cast.editor, run=maturity, user=cast.mentor)
    with pytest.raises(PermissionDenied):
        services.submit_run(actor=cast.mentor, run=maturity, expected_version=stored_version(maturity))
