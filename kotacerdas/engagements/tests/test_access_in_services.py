"""The assistance services refuse an actor the access layer refuses: the page is not the only guard."""

from __future__ import annotations

import pytest
from django.core.exceptions import PermissionDenied

from kotacerdas.engagements import services
from kotacerdas.engagements.models import Session
from kotacerdas.lib.concurrency import stored_version

pytestmark = pytest.mark.django_db


def test_the_regions_editor_runs_a_session_but_only_a_mentor_closes_it(cast, forum):
    session = services.start_session(actor=cast.editor, session=forum.sessions[0])
    with pytest.raises(PermissionDenied):
        services.close_session(actor=cast.editor, session=session)
    assert Session.objects.get(pk=session.pk).status == Session.Status.IN_PROGRESS
    services.close_session(actor=cast.mentor, session=session)


@pytest.mark.parametrize("who", ["viewer", "outsider"])
def test_a_viewer_or_outsider_may_not_run_or_set_up(cast, forum, who):
    actor = getattr(cast, who)
    with pytest.raises(PermissionDenied):
        services.start_session(actor=actor, session=forum.sessions[0])
    with pytest.raises(PermissionDenied):
        services.update_session(
            actor=actor,
            session=forum.sessions[0],
            data={"venue": "x"},
            expected_version=stored_version(forum.sessions[0]),
        )


def test_an_editor_may_not_set_up_and_a_region_admin_may_not_answer_for_the_ministry(cast, forum):
    with pytest.raises(PermissionDenied):
        services.update_session(
            actor=cast.editor,
            session=forum.sessions[0],
            data={"venue": "x"},
            expected_version=stored_version(forum.sessions[0]),
        )
    obstacle = services.raise_obstacle(
        actor=cast.mentor, session=forum.sessions[0], data={"description": "Data", "category": "data"}
    )
    obstacle = services.update_obstacle(
        actor=cast.mentor, obstacle=obstacle, data={"status": "escalated"}, expected_version=stored_version(obstacle)
    )
    with pytest.raises(PermissionDenied):
        services.respond_to_escalation(
            actor=cast.owner,
            obstacle=obstacle,
            data={"ministry_status": "received", "ministry_owner": "X", "ministry_note": "Y"},
            expected_version=stored_version(obstacle),
        )


def test_only_the_ministry_adds_a_region_to_a_cohort(cast):
    cohort = services.ensure_cohort(actor=None, year=2025, name="Pendampingan 2025", ministry_name="Kementerian")
    with pytest.raises(PermissionDenied):
        services.create_engagement(actor=cast.owner, region=cast.region_a, cohort=cohort)
    assert services.create_engagement(actor=cast.ministry, region=cast.region_a, cohort=cohort)


def test_only_the_ministry_opens_a_cohort(cast):
    from kotacerdas.engagements.models import Cohort

    with pytest.raises(PermissionDenied):
        services.ensure_cohort(actor=cast.owner, year=2026, name="Pendampingan 2026", ministry_name="Kementerian")
    assert not Cohort.objects.filter(year=2026).exists()
    assert services.ensure_cohort(actor=cast.ministry, year=2026, name="Pendampingan 2026", ministry_name="Kementerian")
