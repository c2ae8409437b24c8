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


def test_a_viewer_neither_answers_a_batch_nor_turns_a_gap_into_plan_work(cast, maturity):
    from kotacerdas.assessments.models import GapProposal
    from kotacerdas.audit.models import AuditEntry
    from kotacerdas.plans.models import Strategy
    from kotacerdas.plans.tests.factories import make_edition

    slot = selectors.region_slot(maturity)
    services.save_answer(
        actor=cast.editor, run=maturity, assessor=slot, item=_item(maturity), data={"value": 1}, expected_version=None
    )
    gap = selectors.run_result(maturity).gaps[0]
    edition = make_edition(cast.region_a)
    audit = AuditEntry.objects.count()
    for who in ("viewer", "outsider"):
        actor = getattr(cast, who)
        with pytest.raises(PermissionDenied):
            services.save_answers(actor=actor, run=maturity, assessor=slot, entries=[])
        with pytest.raises(PermissionDenied):
            services.propose_from_gap(
                actor=actor, run=maturity, gap=gap, dimension=gap.section, kind="programme", note="", evidence=[]
            )
        with pytest.raises(PermissionDenied):
            services.draft_strategy_from_gap(actor=actor, run=maturity, gap=gap, edition=edition, note="", evidence=[])
    assert AuditEntry.objects.count() == audit
    assert not GapProposal.objects.exists() and not Strategy.objects.filter(edition=edition).exists()
    services.propose_from_gap(
        actor=cast.editor, run=maturity, gap=gap, dimension=gap.section, kind="programme", note="", evidence=[]
    )
    services.draft_strategy_from_gap(actor=cast.editor, run=maturity, gap=gap, edition=edition, note="", evidence=[])
    assert GapProposal.objects.count() == 2 and Strategy.objects.filter(edition=edition).count() == 1


def test_only_ministry_staff_start_a_new_version_of_an_assessment_template(cast, templates):
    from kotacerdas.assessments.models import Template
    from kotacerdas.assessments.services import templates as template_services

    count = Template.objects.count()
    for who in ("owner", "editor", "mentor"):
        with pytest.raises(PermissionDenied):
            template_services.start_template_version(actor=getattr(cast, who), template=templates["maturity"])
    assert Template.objects.count() == count
    template_services.start_template_version(actor=cast.ministry, template=templates["maturity"])
    assert Template.objects.count() == count + 1
