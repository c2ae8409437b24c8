"""The review services refuse an actor the access layer refuses: the page is not the only guard."""

from __future__ import annotations

import json
from datetime import date

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from kotacerdas.lib.concurrency import stored_version
from kotacerdas.plans import services
from kotacerdas.plans.models import Disposition, ReviewThread, Section
from kotacerdas.plans.tests.factories import entry

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


# Every write of the plan asks the layer with its actor --------------------------------------
#
# Each row prepares what the service needs (as the console, which is not asked) and returns the
# call to make as one actor. The refused roles get PermissionDenied and nothing changes (no
# audit entry, the same edition fingerprint, no new edition); the allowed role then makes the
# same call successfully, so a refusal is the layer's, not bad input.


def _review(plan):
    return services.start_review_edition(
        actor=None, previous=plan.edition, data={"year": 2029, "title": "Reviu", "start_year": 2025, "end_year": 2029}
    )


def _prepare_disposition(cast, plan):
    review = _review(plan)
    disposition = Disposition.objects.get(edition=review, previous_programme=plan.second)
    return lambda actor: services.set_disposition(
        actor=actor, disposition=disposition, data={"kind": "revise"}, expected_version=stored_version(disposition)
    )


def _prepare_import(cast, plan):
    from kotacerdas.plans.interchange.export import edition_document
    from kotacerdas.plans.interchange.importer import import_document

    doc = json.loads(json.dumps(edition_document(plan.edition), default=str))
    doc["edition"]["title"] = "Masterplan hasil impor"
    return lambda actor: import_document(actor=actor, region=cast.region_a, doc=doc, replace=True)


def _new_programme_data(plan):
    return {
        "code": "ECO-09",
        "name": "Pasar digital",
        "dimension": entry(plan.edition, "ECO"),
        "element": entry(plan.edition, "ECO-1"),
        "start_year": 2025,
        "end_year": 2026,
        "horizon": "short",
    }


EDITING = {"editor", "owner", "ministry"}
WRITES = {
    "create_programme": lambda c, p: (
        lambda actor: services.create_programme(actor=actor, edition=p.edition, data=_new_programme_data(p))
    ),
    "update_programme": lambda c, p: (
        lambda actor: services.update_programme(
            actor=actor, programme=p.first, data={"name": "Nama baru"}, expected_version=stored_version(p.first)
        )
    ),
    "delete_programme": lambda c, p: (
        lambda actor: services.delete_programme(
            actor=actor, programme=p.second, expected_version=stored_version(p.second)
        )
    ),
    "set_budgets": lambda c, p: (
        lambda actor: services.set_budgets(
            actor=actor,
            programme=p.first,
            lines=[{"year": 2026, "source": "apbd", "amount": 10}],
            expected_version=stored_version(p.first),
        )
    ),
    "set_indicators": lambda c, p: (
        lambda actor: services.set_indicators(
            actor=actor, programme=p.first, indicators=[], expected_version=stored_version(p.first)
        )
    ),
    "set_action_items": lambda c, p: (
        lambda actor: services.set_action_items(
            actor=actor,
            programme=p.first,
            items=[{"activity": "Rapat koordinasi", "starts_on": date(2025, 2, 1), "ends_on": date(2025, 3, 1)}],
            expected_version=stored_version(p.first),
        )
    ),
    "set_quick_win_years": lambda c, p: (
        lambda actor: services.set_quick_win_years(
            actor=actor, programme=p.first, years=[2025], expected_version=stored_version(p.first)
        )
    ),
    "set_year_quick_wins": lambda c, p: (
        lambda actor: services.set_year_quick_wins(actor=actor, edition=p.edition, year=2025, programmes=[p.first])
    ),
    "create_edition": lambda c, p: (
        lambda actor: services.create_edition(
            actor=actor, region=c.region_a, data={"year": 2030, "title": "Baru", "start_year": 2031, "end_year": 2035}
        )
    ),
    "update_edition": lambda c, p: (
        lambda actor: services.update_edition(
            actor=actor, edition=p.edition, data={"title": "Judul baru"}, expected_version=stored_version(p.edition)
        )
    ),
    "start_review_edition": lambda c, p: (
        lambda actor: services.start_review_edition(
            actor=actor, previous=p.edition, data={"year": 2029, "title": "Reviu", "start_year": 2025, "end_year": 2029}
        )
    ),
    "update_section": lambda c, p: (
        lambda section: (
            lambda actor: services.update_section(
                actor=actor, section=section, data={"body": "<p>Isi baru</p>"}, expected_version=stored_version(section)
            )
        )
    )(p.edition.sections.first()),
    "save_content": lambda c, p: (
        lambda actor: services.save_content(
            actor=actor, edition=p.edition, kind="swot", data={"kind": "S", "text": "Kekuatan tata kelola"}
        )
    ),
    "delete_content": lambda c, p: (
        lambda mission: (
            lambda actor: services.delete_content(
                actor=actor, edition=p.edition, row=mission, expected_version=stored_version(mission)
            )
        )
    )(p.edition.missions.first()),
    "set_disposition": _prepare_disposition,
    "import_document": _prepare_import,
}


def _state(edition):
    from kotacerdas.audit.models import AuditEntry
    from kotacerdas.plans.models import Edition

    edition = Edition.objects.get(pk=edition.pk)
    return AuditEntry.objects.count(), Edition.objects.count(), services.fingerprint(edition)


@pytest.mark.parametrize("name", WRITES)
def test_a_plan_write_refuses_a_viewer_and_an_outsider_and_changes_nothing(cast, plan, name):
    call = WRITES[name](cast, plan)
    before = _state(plan.edition)
    for who in ("viewer", "outsider", "mentor"):
        with pytest.raises(PermissionDenied):
            call(getattr(cast, who))
        assert _state(plan.edition) == before, f"{name} changed the plan for the {who}"
    call(cast.editor)
    assert _state(plan.edition) != before


def test_only_the_region_admin_records_an_approval_step(cast, plan):
    def step(actor):
        return services.record_approval(
            actor=actor,
            edition=plan.edition,
            step="team_final",
            decided_on=date(2025, 1, 2),
            expected_version=stored_version(plan.edition),
            acknowledge_errors=True,
        )

    before = _state(plan.edition)
    for who in ("editor", "viewer", "mentor", "outsider"):
        with pytest.raises(PermissionDenied):
            step(getattr(cast, who))
    assert _state(plan.edition) == before
    assert step(cast.owner).step == "team_final"
