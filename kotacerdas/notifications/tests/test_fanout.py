"""Each event notifies exactly the people it concerns: once each, never the actor, never someone
who may not open the region, and never twice for one event."""

from __future__ import annotations

import datetime

import pytest
from django.utils import translation

from kotacerdas.engagements import services as engagements
from kotacerdas.lib.concurrency import stored_version
from kotacerdas.monitoring import services as monitoring
from kotacerdas.monitoring.tests.conftest import TODAY, update_data
from kotacerdas.notifications import events
from kotacerdas.notifications.models import Kind, Notification
from kotacerdas.notifications.services import notify
from kotacerdas.plans import services as plans
from kotacerdas.plans.models import Section
from kotacerdas.reports import services as reports

pytestmark = pytest.mark.django_db
D = datetime.date


def _recipients(kind: str) -> list[str]:
    return sorted(Notification.objects.filter(kind=kind).values_list("recipient__username", flat=True))


def _returned(cast, monitored):
    update = monitoring.create_update(
        actor=cast.editor, programme=monitored.first, period=monitored.q1, data=update_data(), today=TODAY
    )
    update = monitoring.submit_update(actor=cast.editor, update=update, expected_version=update.version)
    return monitoring.return_update(
        actor=cast.mentor, update=update, reason="Lampirkan bukti.", expected_version=update.version
    )


def test_a_returned_update_notifies_its_author_and_the_lead_agency_editors_once(cast, monitored):
    update = _returned(cast, monitored)
    assert _recipients(Kind.UPDATE_RETURNED) == ["editor"]
    note = Notification.objects.get(kind=Kind.UPDATE_RETURNED)
    assert note.url.startswith("/wilayah/13.72/") and note.url.endswith(f"/{update.pk}/")
    assert (
        note.text()
        == f"Mentor returned the progress update of {monitored.first.code} {monitored.first.name} (2025-Q1)."
    )
    # The same event processed again (a retried job, a repeated hook) notifies nobody twice.
    events.update_returned(actor=cast.mentor, update=update)
    assert Notification.objects.filter(kind=Kind.UPDATE_RETURNED).count() == 1


def test_a_reply_in_a_thread_notifies_those_who_wrote_in_it_but_not_the_replier(cast, plan):
    thread = plans.open_thread(actor=cast.mentor, edition=plan.edition, body="Mengapa?", programme=plan.first)
    plans.reply(actor=cast.editor, thread=thread, body="Karena data.")
    assert _recipients(Kind.THREAD_REPLY) == ["mentor"]
    plans.reply(actor=cast.owner, thread=thread, body="Setuju.")
    assert _recipients(Kind.THREAD_REPLY) == ["editor", "mentor", "mentor"]
    plans.reply(actor=cast.mentor, thread=thread, body="Baik.")
    # Each comment is its own event: the mentor hears of two, the editor and owner of the later ones.
    assert _recipients(Kind.THREAD_REPLY) == ["editor", "editor", "mentor", "mentor", "owner"]
    assert "viewer" not in _recipients(Kind.THREAD_REPLY)


def test_a_chapter_sent_back_to_draft_notifies_the_region_admins_and_editors(cast, plan):
    section = Section.objects.filter(edition=plan.edition).first()
    section = plans.set_section_state(
        actor=cast.mentor, section=section, state="reviewed", as_reviewer=True, expected_version=stored_version(section)
    )
    assert not Notification.objects.exists()  # reviewed is no return
    plans.set_section_state(
        actor=cast.mentor, section=section, state="draft", as_reviewer=True, expected_version=stored_version(section)
    )
    assert _recipients(Kind.SECTION_RETURNED) == ["editor", "owner"]


def _action(cast, session, **extra):
    data = {
        "kind": "action",
        "text": "Lengkapi data",
        "owner_opd": cast.opd_a,
        "owner_name": "Budi",
        "due_on": D(2024, 7, 1),
    }
    return engagements.add_outcome(actor=cast.mentor, session=session, data={**data, **extra}).action


def test_an_action_notifies_the_owning_agency_editors_and_the_owner_by_e_mail(mailed, forum):
    cast = mailed
    session = engagements.start_session(actor=cast.mentor, session=forum.sessions[0])
    action = _action(cast, session, owner_email="VIEWER@example.go.id")
    assert _recipients(Kind.ACTION_ASSIGNED) == ["editor", "viewer"]
    # An edit that keeps the owner is no new assignment; a new owner is.
    action = engagements.update_action(
        actor=cast.mentor, action=action, data={"due_on": D(2024, 8, 1)}, expected_version=action.version
    )
    assert len(_recipients(Kind.ACTION_ASSIGNED)) == 2
    engagements.update_action(
        actor=cast.mentor,
        action=action,
        data={"owner_email": "outsider@example.go.id"},
        expected_version=action.version,
    )
    # The outsider's address is theirs, but they may not open region A: no notification.
    assert _recipients(Kind.ACTION_ASSIGNED) == ["editor", "editor", "viewer"]


def test_an_escalation_notifies_the_ministry_and_its_answer_the_region(cast, forum):
    session = engagements.start_session(actor=cast.mentor, session=forum.sessions[0])
    obstacle = engagements.raise_obstacle(
        actor=cast.mentor,
        session=session,
        data={"description": "Anggaran belum ada", "category": "budget", "opd": cast.opd_a},
    )
    assert not Notification.objects.exists()
    obstacle = engagements.update_obstacle(
        actor=cast.mentor, obstacle=obstacle, data={"status": "escalated"}, expected_version=obstacle.version
    )
    assert _recipients(Kind.OBSTACLE_ESCALATED) == ["ministry"]
    obstacle = engagements.update_obstacle(
        actor=cast.mentor, obstacle=obstacle, data={"proposed_solution": "APBD-P"}, expected_version=obstacle.version
    )
    assert len(_recipients(Kind.OBSTACLE_ESCALATED)) == 1  # still escalated: no new event
    engagements.respond_to_escalation(
        actor=cast.ministry,
        obstacle=obstacle,
        data={"ministry_status": "received", "ministry_owner": "Direktur", "ministry_note": "Kami tindak lanjuti."},
        expected_version=obstacle.version,
    )
    assert _recipients(Kind.OBSTACLE_ANSWERED) == ["editor", "mentor", "owner"]


def test_a_ready_document_notifies_who_asked_for_it_in_their_language(cast, plan, settings):
    job = reports.request_document(
        actor=cast.editor, region=cast.region_a, edition=plan.edition, kind="buku2", fmt="docx", background=False
    )
    reports.run_job(job.pk)
    reports.run_job(job.pk)  # done already: nothing happens twice
    assert _recipients(Kind.DOCUMENT_READY) == ["editor"]
    note = Notification.objects.get(kind=Kind.DOCUMENT_READY)
    assert note.text() == "The document Buku 2 – master plan is ready to download."
    with translation.override("id"):
        assert "Buku 2" in note.text() and "master plan" not in note.text()


def test_nobody_who_may_not_open_the_region_is_notified_whoever_is_named(cast, plan):
    thread = plans.open_thread(actor=cast.mentor, edition=plan.edition, body="Mengapa?", programme=plan.first)
    written = notify(
        Kind.THREAD_REPLY,
        [cast.outsider, cast.editor, cast.mentor, None],
        actor=cast.mentor,
        region=cast.region_a,
        label="GOV-01",
        url="/",
        event_key=f"test:{thread.pk}",
    )
    assert written == 1 and _recipients(Kind.THREAD_REPLY) == ["editor"]
    again = notify(
        Kind.THREAD_REPLY,
        [cast.editor, cast.viewer],
        actor=cast.mentor,
        region=cast.region_a,
        label="GOV-01",
        url="/",
        event_key=f"test:{thread.pk}",
    )
    # The same event again: the editor has it already; the viewer, named now, is told once.
    assert again == 1 and _recipients(Kind.THREAD_REPLY) == ["editor", "viewer"]
