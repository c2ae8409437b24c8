"""The assistance rules, through the services: schedule, forum lifecycle, follow-up, bad input."""

from __future__ import annotations

import datetime

import pytest
from django.core.exceptions import ValidationError

from kotacerdas.audit.models import AuditEntry
from kotacerdas.engagements import selectors, services
from kotacerdas.engagements.models import Action, Attendance, Obstacle, Session
from kotacerdas.lib.concurrency import EditConflict, stored_version

pytestmark = pytest.mark.django_db
D = datetime.date


def _messages(error: ValidationError) -> str:
    return " ".join(m for msgs in error.message_dict.values() for m in msgs)


def test_default_schedule_is_four_stages_a_month_apart_two_days_each(forum):
    assert [(s.stage, s.starts_on, s.ends_on) for s in forum.sessions] == [
        (1, D(2024, 6, 10), D(2024, 6, 11)),
        (2, D(2024, 7, 10), D(2024, 7, 11)),
        (3, D(2024, 8, 10), D(2024, 8, 11)),
        (4, D(2024, 9, 10), D(2024, 9, 11)),
    ]


def test_add_months_clamps_to_the_end_of_the_month():
    from kotacerdas.engagements.services.setup import add_months

    assert add_months(D(2024, 1, 31), 1) == D(2024, 2, 29)
    assert add_months(D(2024, 11, 30), 3) == D(2025, 2, 28)


def test_it_refuses_a_session_outside_the_engagement_period(forum):
    with pytest.raises(ValidationError) as error:
        services.plan_session(
            actor=None,
            engagement=forum.engagement,
            data={"title": "Forum", "starts_on": D(2024, 10, 7), "ends_on": D(2024, 10, 7)},
        )
    assert "inside the engagement period" in _messages(error.value)


def test_it_refuses_a_session_overlapping_another_of_the_same_region(forum):
    with pytest.raises(ValidationError) as error:
        services.plan_session(
            actor=None,
            engagement=forum.engagement,
            data={"title": "Forum", "starts_on": D(2024, 6, 11), "ends_on": D(2024, 6, 12)},
        )
    assert "cannot overlap" in _messages(error.value)
    assert "Bimtek I" in _messages(error.value)


def test_sessions_of_another_region_on_the_same_days_do_not_clash(forum):
    # Region B plans an extra forum on exactly the days of region A's stage 2: allowed ...
    stage_2 = forum.sessions[1]
    same_days = {"starts_on": stage_2.starts_on, "ends_on": stage_2.ends_on}
    extra_b = services.plan_session(actor=None, engagement=forum.engagement_b, data={"title": "Forum B", **same_days})
    assert Session.objects.filter(starts_on=stage_2.starts_on).count() == 2
    assert extra_b.region_id == forum.engagement_b.region_id != stage_2.region_id
    # ... while the same days are still refused within region B itself.
    with pytest.raises(ValidationError) as error:
        services.plan_session(actor=None, engagement=forum.engagement_b, data={"title": "Forum B lagi", **same_days})
    assert "Forum B already takes place" in _messages(error.value)


def test_an_extra_forum_can_be_added_between_stages(forum):
    extra = services.plan_session(
        actor=None,
        engagement=forum.engagement,
        data={"title": "Forum bulanan", "starts_on": D(2024, 6, 25), "ends_on": D(2024, 6, 25)},
    )
    assert extra.stage is None
    assert AuditEntry.objects.filter(object_type="engagements.Session", object_id=str(extra.pk)).exists()


def test_it_refuses_a_second_session_for_the_same_stage(forum):
    with pytest.raises(ValidationError) as error:
        services.plan_session(
            actor=None,
            engagement=forum.engagement,
            data={"stage": 2, "title": "Again", "starts_on": D(2024, 6, 25), "ends_on": D(2024, 6, 25)},
        )
    assert "stage" in error.value.message_dict


def test_shrinking_the_period_past_a_session_is_refused(forum):
    with pytest.raises(ValidationError) as error:
        services.update_engagement(
            actor=None,
            engagement=forum.engagement,
            data={"ends_on": D(2024, 8, 31)},
            expected_version=forum.engagement.version,
        )
    assert "outside this period" in _messages(error.value)


def test_a_stale_version_is_a_conflict(forum):
    session = forum.sessions[0]
    services.update_session(actor=None, session=session, data={"venue": "Aula"}, expected_version=session.version)
    with pytest.raises(EditConflict):
        services.update_session(actor=None, session=session, data={"venue": "Hall"}, expected_version=session.version)


def test_session_lifecycle_planned_in_progress_closed(cast, forum):
    session = forum.sessions[0]
    with pytest.raises(ValidationError):
        services.close_session(actor=cast.mentor, session=session)
    session = services.start_session(actor=cast.mentor, session=session)
    assert session.status == Session.Status.IN_PROGRESS
    with pytest.raises(ValidationError):
        services.start_session(actor=cast.mentor, session=session)
    session = services.close_session(actor=cast.mentor, session=session)
    assert session.status == Session.Status.CLOSED and session.closed_at
    actions = set(
        AuditEntry.objects.filter(object_type="engagements.Session", object_id=str(session.pk)).values_list(
            "action", flat=True
        )
    )
    assert {"create", "start", "close"} <= actions


def test_closing_freezes_minutes_attendance_agenda_outcomes_and_obstacles(cast, forum):
    session = services.start_session(actor=cast.mentor, session=forum.sessions[0])
    session = services.save_minutes(
        actor=cast.mentor, session=session, data={"minutes": "Dibuka."}, expected_version=session.version
    )
    session = services.close_session(actor=cast.mentor, session=session)
    attempts = [
        lambda: services.save_minutes(
            actor=cast.mentor, session=session, data={"minutes": "Changed"}, expected_version=session.version
        ),
        lambda: services.add_agenda_item(actor=cast.mentor, session=session, data={"section": "A", "title": "B"}),
        lambda: services.record_attendance(actor=cast.mentor, session=session, opd=cast.opd_a, data={"status": "head"}),
        lambda: services.add_outcome(actor=cast.mentor, session=session, data={"kind": "information", "text": "x"}),
        lambda: services.raise_obstacle(
            actor=cast.mentor, session=session, data={"description": "x", "category": "data"}
        ),
        lambda: services.update_session(
            actor=cast.mentor, session=session, data={"venue": "x"}, expected_version=stored_version(session)
        ),
    ]
    for attempt in attempts:
        with pytest.raises(ValidationError) as error:
            attempt()
        assert "closed" in " ".join(error.value.messages)
    session.refresh_from_db()
    assert session.minutes == "Dibuka."


def test_attendance_refuses_an_agency_that_did_not_exist_on_the_day(cast, forum):
    stage_2 = forum.sessions[1]  # 10 July 2024: Perkim merged away on 30 June
    with pytest.raises(ValidationError) as error:
        services.record_attendance(actor=cast.mentor, session=stage_2, opd=forum.merged_away, data={"status": "head"})
    assert "did not exist on" in _messages(error.value)
    with pytest.raises(ValidationError):
        services.record_attendance(
            actor=cast.mentor, session=forum.sessions[0], opd=forum.merged_into, data={"status": "head"}
        )
    row = services.record_attendance(actor=cast.mentor, session=stage_2, opd=forum.merged_into, data={"status": "head"})
    assert row.status == "head"


def test_attendance_refuses_an_agency_of_another_region(cast, forum):
    with pytest.raises(ValidationError):
        services.record_attendance(
            actor=cast.mentor, session=forum.sessions[0], opd=cast.opd_b, data={"status": "head"}
        )


def test_recording_attendance_twice_corrects_the_row(cast, forum):
    session = forum.sessions[0]
    services.record_attendance(actor=cast.mentor, session=session, opd=cast.opd_a, data={"status": "absent"})
    services.record_attendance(actor=cast.mentor, session=session, opd=cast.opd_a, data={"status": "delegate"})
    assert list(Attendance.objects.filter(session=session).values_list("status", flat=True)) == ["delegate"]
    assert AuditEntry.objects.filter(object_type="engagements.Attendance", action="update").count() == 1


def test_an_action_needs_an_owner_and_a_due_date(cast, forum):
    session = forum.sessions[0]
    with pytest.raises(ValidationError) as error:
        services.add_outcome(actor=cast.mentor, session=session, data={"kind": "action", "text": "Do it"})
    assert "owner_opd" in error.value.message_dict and "due_on" in error.value.message_dict
    assert "needs an owner" in _messages(error.value)
    with pytest.raises(ValidationError):
        services.add_outcome(
            actor=cast.mentor,
            session=session,
            data={
                "kind": "action",
                "text": "Do it",
                "owner_opd": cast.opd_a,
                "owner_name": " ",
                "due_on": D(2024, 7, 1),
            },
        )
    assert not Action.objects.exists()


def _action(cast, session, due, text="Lengkapi data"):
    outcome = services.add_outcome(
        actor=cast.mentor,
        session=session,
        data={"kind": "action", "text": text, "owner_opd": cast.opd_a, "owner_name": "Budi", "due_on": due},
    )
    return outcome.action


def test_open_actions_appear_on_later_agendas_until_closed(cast, forum):
    s1, s2, s3, s4 = forum.sessions
    early = _action(cast, s1, D(2024, 7, 1), "Early")
    late = _action(cast, s1, D(2024, 9, 1), "Late")
    assert list(selectors.carried_actions(s1)) == []
    assert {a.title for a in selectors.carried_actions(s2)} == {"Early", "Late"}
    services.update_action(
        actor=cast.editor, action=early, data={"status": "done"}, expected_version=early.version, today=D(2024, 7, 20)
    )
    # Done: it leaves every agenda's open actions at once, a done action is never listed as open.
    assert {a.title for a in selectors.carried_actions(s2)} == {"Late"}
    assert {a.title for a in selectors.carried_actions(s3)} == {"Late"}
    assert {a.title for a in selectors.carried_actions(s4)} == {"Late"}
    late.refresh_from_db()
    assert late.is_overdue(D(2024, 9, 2)) and not late.is_overdue(D(2024, 9, 1))


def test_reopening_an_action_clears_its_closing_day(cast, forum):
    action = _action(cast, forum.sessions[0], D(2024, 7, 1))
    action = services.update_action(
        actor=None, action=action, data={"status": "done"}, expected_version=stored_version(action)
    )
    assert action.closed_on
    action = services.update_action(
        actor=None, action=action, data={"status": "open"}, expected_version=stored_version(action)
    )
    assert action.closed_on is None


def test_an_action_cannot_lose_its_owner(cast, forum):
    action = _action(cast, forum.sessions[0], D(2024, 7, 1))
    with pytest.raises(ValidationError) as error:
        services.update_action(actor=None, action=action, data={"owner_name": ""}, expected_version=action.version)
    assert "needs an owner" in _messages(error.value)


def _obstacle(cast, session, category="data"):
    return services.raise_obstacle(
        actor=cast.mentor, session=session, data={"description": "Data belum terintegrasi", "category": category}
    )


def test_obstacle_resolution_names_the_session_and_counts_days(cast, forum):
    s1, s2, *_ = forum.sessions
    obstacle = _obstacle(cast, s1)
    assert obstacle.opened_on == s1.starts_on and obstacle.days_open(D(2024, 6, 20)) == 10
    with pytest.raises(ValidationError) as error:
        services.update_obstacle(
            actor=None, obstacle=obstacle, data={"status": "resolved"}, expected_version=stored_version(obstacle)
        )
    assert "resolved_in" in error.value.message_dict
    obstacle = services.update_obstacle(
        actor=None,
        obstacle=obstacle,
        data={"status": "resolved", "resolved_in": s2},
        expected_version=stored_version(obstacle),
    )
    assert obstacle.resolved_on == s2.ends_on and obstacle.days_open(D(2030, 1, 1)) == 31


def test_only_the_mentor_team_or_ministry_escalates(cast, forum):
    obstacle = _obstacle(cast, forum.sessions[0])
    with pytest.raises(ValidationError) as error:
        services.update_obstacle(
            actor=cast.editor,
            obstacle=obstacle,
            data={"status": "escalated"},
            expected_version=stored_version(obstacle),
        )
    assert "escalate" in _messages(error.value)
    obstacle = services.update_obstacle(
        actor=cast.mentor,
        obstacle=obstacle,
        data={"status": "escalated"},
        expected_version=stored_version(obstacle),
        today=D(2024, 7, 1),
    )
    assert obstacle.escalated_on == D(2024, 7, 1)
    assert [g.total for g in selectors.escalated_obstacles()] == [1]


def test_resolving_at_a_session_of_another_engagement_is_refused(cast, forum):
    obstacle = _obstacle(cast, forum.sessions[0])
    with pytest.raises(ValidationError):
        services.update_obstacle(
            actor=None,
            obstacle=obstacle,
            data={"status": "resolved", "resolved_in": forum.session_b},
            expected_version=stored_version(obstacle),
        )
    assert Obstacle.objects.get(pk=obstacle.pk).status == "open"


def test_signatories_are_the_head_of_region_and_every_agency_head_of_the_day(cast, forum):
    created = services.prepare_signatories(actor=None, engagement=forum.engagement, on=D(2024, 9, 10))
    opds = {s.opd.abbreviation for s in created if s.opd}
    assert opds == {"Diskominfo", "Bappeda", "PerkimLH"}
    assert sum(1 for s in created if s.opd is None) == 1
    assert services.prepare_signatories(actor=None, engagement=forum.engagement, on=D(2024, 9, 10)) == []
    signatory = created[0]
    with pytest.raises(ValidationError):
        services.record_signature(
            actor=None,
            signatory=signatory,
            data={"person_name": "", "signed_on": D(2024, 9, 10)},
            expected_version=stored_version(signatory),
        )
    signed = services.record_signature(
        actor=None,
        signatory=signatory,
        data={"person_name": "Wali Kota", "signed_on": D(2024, 9, 10)},
        expected_version=stored_version(signatory),
    )
    assert signed.signed_on == D(2024, 9, 10)
