"""The review services refuse an actor the access layer refuses: the page is not the only guard."""

from __future__ import annotations

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from kotacerdas.lib.concurrency import stored_version
from kotacerdas.plans import services
from kotacerdas.plans.models import ReviewThread, Section

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("who", ["viewer", "outsider"])
def test_a_viewer_or_outsider_may_not_comment_through_the_service(cast, plan, who):
    actor = getattr(cast, who)
    with pytest.raises(PermissionDenied):
        services.open_thread(actor=actor, edition=plan.edition, body="Catatan", programme=plan.first)
    thread = services.open_thread(actor=cast.mentor, edition=plan.edition, body="Catatan", programme=plan.first)
    with pytest.raises(PermissionDenied):
        services.reply(actor=actor, thread=thread, body="Jawaban")
    with pytest.raises(PermissionDenied):
        services.set_thread_status(
            actor=actor, thread=thread, status="resolved", expected_version=stored_version(thread)
        )
    assert ReviewThread.objects.get(pk=thread.pk).comments.count() == 1


def test_an_editor_cannot_endorse_a_chapter_by_claiming_to_be_a_reviewer(cast, plan):
    section = Section.objects.filter(edition=plan.edition).first()
    with pytest.raises(ValidationError):
        services.set_section_state(
            actor=cast.editor,
            section=section,
            state="reviewed",
            as_reviewer=True,
            expected_version=stored_version(section),
        )
    with pytest.raises(PermissionDenied):
        services.set_section_state(
            actor=cast.viewer,
            section=section,
            state="reviewed",
            as_reviewer=True,
            expected_version=stored_version(section),
        )
    services.set_section_state(
        actor=cast.mentor,
        section=section,
        state="reviewed",
        as_reviewer=False,
        expected_version=stored_version(section),
    )
    section.refresh_from_db()
    assert section.review_state == "reviewed"
