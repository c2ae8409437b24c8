"""Assistance pages over HTTP: every page by role, the outsider (404) and the anonymous visitor."""

from __future__ import annotations

import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from kotacerdas.audit.models import AuditEntry
from kotacerdas.engagements import services
from kotacerdas.engagements.models import Action, Attendance, Obstacle, Session
from kotacerdas.lib.confirm import YES

pytestmark = pytest.mark.django_db
A = "13.72"
D = datetime.date
WHO = ["owner", "editor", "viewer", "mentor", "ministry", "outsider"]
ALLOWED = {
    "view": {"owner", "editor", "viewer", "mentor", "ministry"},
    "setup": {"owner", "mentor", "ministry"},  # REVIEW or ADMINISTER
    "run": {"owner", "editor", "mentor", "ministry"},  # REVIEW or EDIT
    "ministry": {"ministry"},
}


def _populate(cast, forum):
    s1 = forum.sessions[0]
    services.add_agenda_item(actor=None, session=s1, data={"section": "Materi", "title": "Reviu"})
    services.record_attendance(actor=None, session=s1, opd=cast.opd_a, data={"status": "head"})
    outcome = services.add_outcome(
        actor=None,
        session=s1,
        data={
            "kind": "action",
            "text": "Lengkapi SWOT",
            "owner_opd": cast.opd_a,
            "owner_name": "Budi",
            "due_on": D(2024, 7, 1),
        },
    )
    obstacle = services.raise_obstacle(actor=None, session=s1, data={"description": "Data", "category": "data"})
    signatories = services.prepare_signatories(actor=None, engagement=forum.engagement, on=D(2024, 9, 10))
    return outcome.action, obstacle, signatories[0]


def pages(cast, forum):
    action, obstacle, signatory = _populate(cast, forum)
    e, s = forum.engagement.pk, forum.sessions[0].pk
    return [
        ("index", reverse("engagements:index", args=[A]), "view"),
        ("detail", reverse("engagements:detail", args=[A, e]), "view"),
        ("dashboard", reverse("engagements:dashboard", args=[A, e]), "view"),
        ("actions", reverse("engagements:actions", args=[A, e]), "view"),
        ("obstacles", reverse("engagements:obstacles", args=[A, e]), "view"),
        ("commitments", reverse("engagements:commitments", args=[A, e]), "view"),
        ("calendar", reverse("engagements:calendar", args=[A, e]), "view"),
        ("session", reverse("engagements:session", args=[A, s]), "view"),
        ("minutes_pdf", reverse("engagements:minutes_pdf", args=[A, s]), "view"),
        ("minutes_docx", reverse("engagements:minutes_docx", args=[A, s]), "view"),
        ("create", reverse("engagements:create", args=[A]), "ministry"),
        ("edit", reverse("engagements:edit", args=[A, e]), "setup"),
        ("mentor_add", reverse("engagements:mentor_add", args=[A, e]), "setup"),
        ("session_create", reverse("engagements:session_create", args=[A, e]), "setup"),
        ("default_schedule", reverse("engagements:default_schedule", args=[A, e]), "setup"),
        ("session_edit", reverse("engagements:session_edit", args=[A, s]), "setup"),
        ("minutes", reverse("engagements:minutes", args=[A, s]), "run"),
        ("agenda_add", reverse("engagements:agenda_add", args=[A, s]), "run"),
        ("attendance", reverse("engagements:attendance", args=[A, s]), "run"),
        ("outcome_add", reverse("engagements:outcome_add", args=[A, s]), "run"),
        ("action_add", reverse("engagements:action_add", args=[A, s]), "run"),
        ("obstacle_add", reverse("engagements:obstacle_add", args=[A, s]), "run"),
        ("action_edit", reverse("engagements:action_edit", args=[A, action.pk]), "run"),
        ("obstacle_edit", reverse("engagements:obstacle_edit", args=[A, obstacle.pk]), "run"),
        ("signature", reverse("engagements:signature", args=[A, signatory.pk]), "run"),
        ("commitment_scan", reverse("engagements:commitment_scan", args=[A, e]), "run"),
    ]


@pytest.mark.parametrize("who", WHO)
def test_every_assistance_page_answers_by_role_and_hides_region_a_from_the_outsider(cast, forum, who):
    client = cast.client(getattr(cast, who))
    for name, url, need in pages(cast, forum):
        status = client.get(url).status_code
        if who == "outsider":
            assert status == 404, f"{name}: outsider must get 404, got {status}"
        elif who in ALLOWED[need]:
            assert status == 200, f"{name}: {who} should be allowed, got {status}"
        else:
            assert status == 403, f"{name}: {who} should be forbidden, got {status}"


def test_anonymous_visitors_are_sent_to_sign_in(cast, forum):
    client = cast.client(None)
    for name, url, _need in [*pages(cast, forum), ("escalated", reverse("engagements:escalated"), "ministry")]:
        response = client.get(url)
        assert response.status_code == 302 and "/masuk/" in response["Location"], name


def test_rows_of_region_b_are_404_through_region_a(cast, forum):
    client = cast.client(cast.ministry)
    assert client.get(reverse("engagements:session", args=[A, forum.session_b.pk])).status_code == 404
    assert client.get(reverse("engagements:detail", args=[A, forum.engagement_b.pk])).status_code == 404


def test_the_outsider_cannot_post_into_region_a(cast, forum):
    client = cast.client(cast.outsider)
    s = forum.sessions[0]
    for url in (
        reverse("engagements:session_start", args=[A, s.pk]),
        reverse("engagements:session_close", args=[A, s.pk]),
        reverse("engagements:outcome_add", args=[A, s.pk]),
        reverse("engagements:action_add", args=[A, s.pk]),
    ):
        assert client.post(url, {"kind": "information", "text": "x"}).status_code == 404
    assert Session.objects.get(pk=s.pk).status == "planned"


def test_only_the_mentor_team_closes_a_session(cast, forum):
    s = services.start_session(actor=None, session=forum.sessions[0])
    url = reverse("engagements:session_close", args=[A, s.pk])
    assert cast.client(cast.editor).post(url).status_code == 403
    assert cast.client(cast.owner).post(url).status_code == 403
    assert cast.client(cast.viewer).post(url).status_code == 403
    assert cast.client(cast.mentor).post(url).status_code == 302
    assert Session.objects.get(pk=s.pk).status == "closed"


def test_escalated_obstacles_are_for_the_ministry_only(cast, forum):
    url = reverse("engagements:escalated")
    for who in ("owner", "editor", "viewer", "mentor", "outsider"):
        assert cast.client(getattr(cast, who)).get(url).status_code == 403, who
    assert cast.client(cast.ministry).get(url).status_code == 200


def test_a_mentor_runs_a_whole_forum_in_the_browser(cast, forum):
    client = cast.client(cast.mentor)
    s1, s2 = forum.sessions[0], forum.sessions[1]
    page = reverse("engagements:session", args=[A, s1.pk])
    assert client.post(reverse("engagements:session_start", args=[A, s1.pk])).status_code == 302
    response = client.post(
        reverse("engagements:agenda_add", args=[A, s1.pk]),
        {"agenda-section": "Materi", "agenda-title": "Reviu masterplan"},
    )
    assert response.status_code == 302
    response = client.post(
        reverse("engagements:attendance", args=[A, s1.pk]),
        {
            "opd": [cast.opd_a.pk, forum.bappeda.pk, forum.merged_away.pk],
            f"status-{cast.opd_a.pk}": "head",
            f"person-{cast.opd_a.pk}": "Kepala Diskominfo",
            f"signed-{cast.opd_a.pk}": "on",
            f"status-{forum.bappeda.pk}": "delegate",
            f"status-{forum.merged_away.pk}": "absent",
        },
    )
    assert response.status_code == 302
    assert Attendance.objects.filter(session=s1).count() == 3
    version = Session.objects.get(pk=s1.pk).version
    response = client.post(
        reverse("engagements:minutes", args=[A, s1.pk]),
        {"minutes": "Forum dibuka oleh Sekda.", "chair": "Sekda", "minute_taker": "Diskominfo", "version": version},
    )
    assert response.status_code == 302
    assert (
        client.post(
            reverse("engagements:outcome_add", args=[A, s1.pk]),
            {"outcome-kind": "decision", "outcome-text": "Reviu enam dimensi."},
        ).status_code
        == 302
    )
    response = client.post(
        reverse("engagements:action_add", args=[A, s1.pk]),
        {
            "action-text": "Lengkapi SWOT",
            "action-owner_opd": cast.opd_a.pk,
            "action-owner_name": "Budi",
            "action-due_on": "2024-07-01",
        },
    )
    assert response.status_code == 302
    response = client.post(
        reverse("engagements:obstacle_add", args=[A, s1.pk]),
        {
            "obstacle-description": "Regulasi data belum ada",
            "obstacle-category": "regulation",
            "obstacle-opd": cast.opd_a.pk,
        },
    )
    assert response.status_code == 302
    assert client.post(reverse("engagements:session_close", args=[A, s1.pk])).status_code == 302

    html = client.get(page).content.decode()
    assert "Forum dibuka oleh Sekda." in html and "Lengkapi SWOT" in html and "Regulasi data belum ada" in html
    pdf = client.get(reverse("engagements:minutes_pdf", args=[A, s1.pk]))
    assert pdf.status_code == 200 and pdf.content.startswith(b"%PDF")
    docx = client.get(reverse("engagements:minutes_docx", args=[A, s1.pk]))
    assert docx.status_code == 200 and docx.content.startswith(b"PK")
    # The next session shows the carried-over action.
    assert "Lengkapi SWOT" in client.get(reverse("engagements:session", args=[A, s2.pk])).content.decode()
    # The mentor escalates; the ministry sees it.
    obstacle = Obstacle.objects.get(engagement=forum.engagement)
    response = client.post(
        reverse("engagements:obstacle_edit", args=[A, obstacle.pk]),
        {
            "description": obstacle.description,
            "category": "regulation",
            "opd": cast.opd_a.pk,
            "status": "escalated",
            "version": obstacle.version,
        },
    )
    assert response.status_code == 302
    assert (
        "Regulasi data belum ada" in cast.client(cast.ministry).get(reverse("engagements:escalated")).content.decode()
    )
    assert AuditEntry.objects.filter(actor=cast.mentor).count() >= 10


def test_closed_minutes_refuse_edits_with_a_clear_message(cast, forum):
    s = services.start_session(actor=None, session=forum.sessions[0])
    s = services.close_session(actor=None, session=s)
    client = cast.client(cast.mentor)
    response = client.post(
        reverse("engagements:minutes", args=[A, s.pk]), {"minutes": "Late edit", "version": s.version}
    )
    assert response.status_code == 400
    assert "can no longer be changed" in response.content.decode()
    assert Session.objects.get(pk=s.pk).minutes == ""


def test_a_stale_minutes_form_is_a_conflict_that_keeps_the_input(cast, forum):
    s = services.start_session(actor=None, session=forum.sessions[0])
    services.save_minutes(actor=None, session=s, data={"minutes": "First"}, expected_version=s.version)
    response = cast.client(cast.mentor).post(
        reverse("engagements:minutes", args=[A, s.pk]), {"minutes": "Mine", "version": s.version}
    )
    assert response.status_code == 409 and "Mine" in response.content.decode()


def test_an_action_without_owner_is_refused_on_the_form(cast, forum):
    response = cast.client(cast.mentor).post(
        reverse("engagements:action_add", args=[A, forum.sessions[0].pk]), {"action-text": "Do it"}
    )
    html = response.content.decode()
    assert response.status_code == 200 and "This field is required." in html
    assert ">\nDo it</textarea>" in html  # the input is kept
    assert not Action.objects.exists()


def test_an_action_cannot_be_recorded_through_the_information_form(cast, forum):
    response = cast.client(cast.mentor).post(
        reverse("engagements:outcome_add", args=[A, forum.sessions[0].pk]),
        {"outcome-kind": "action", "outcome-text": "Do it"},
    )
    assert response.status_code == 200 and not Action.objects.exists()


def test_attendance_for_an_agency_gone_on_the_day_is_refused(cast, forum):
    s2 = forum.sessions[1]
    response = cast.client(cast.mentor).post(
        reverse("engagements:attendance", args=[A, s2.pk]),
        {"opd": [forum.merged_away.pk], f"status-{forum.merged_away.pk}": "head"},
    )
    assert response.status_code == 400 and "did not exist on" in response.content.decode()
    assert not Attendance.objects.exists()


def test_an_overlapping_session_is_refused_on_the_form(cast, forum):
    response = cast.client(cast.mentor).post(
        reverse("engagements:session_create", args=[A, forum.engagement.pk]),
        {"title": "Forum", "starts_on": "2024-06-11", "ends_on": "2024-06-11"},
    )
    assert response.status_code == 200 and "cannot overlap" in response.content.decode()


def test_calendar_lists_sessions_and_due_dates(cast, forum):
    _populate(cast, forum)
    body = cast.client(cast.viewer).get(reverse("engagements:calendar", args=[A, forum.engagement.pk])).content.decode()
    assert body.startswith("BEGIN:VCALENDAR") and body.count("BEGIN:VEVENT") == 5
    assert "DTSTART;VALUE=DATE:20240610" in body and "DTEND;VALUE=DATE:20240612" in body


def _grow(cast, forum, n):
    """Add ``n`` more of everything the session and dashboard pages list."""
    s1 = forum.sessions[0]
    for i in range(n):
        services.add_agenda_item(actor=None, session=s1, data={"section": "S", "title": f"Item {i}"})
        services.add_outcome(
            actor=None,
            session=s1,
            data={
                "kind": "action",
                "text": f"A{i}",
                "owner_opd": forum.bappeda,
                "owner_name": "X",
                "due_on": D(2024, 7, 1),
            },
        )
        services.add_outcome(actor=None, session=s1, data={"kind": "decision", "text": f"D{i}"})
        services.raise_obstacle(actor=None, session=s1, data={"description": f"O{i}", "category": "budget"})


def _count(client, url):
    with CaptureQueriesContext(connection) as queries:
        assert client.get(url).status_code == 200
    return len(queries)


def test_page_query_counts_do_not_grow_with_the_data(cast, forum):
    client = cast.client(cast.mentor)
    e, s1, s2 = forum.engagement.pk, forum.sessions[0].pk, forum.sessions[1].pk
    urls = [
        reverse("engagements:session", args=[A, s1]),
        reverse("engagements:session", args=[A, s2]),
        reverse("engagements:dashboard", args=[A, e]),
        reverse("engagements:actions", args=[A, e]),
        reverse("engagements:obstacles", args=[A, e]),
        reverse("engagements:detail", args=[A, e]),
    ]
    _grow(cast, forum, 1)
    services.start_session(actor=None, session=forum.sessions[0])
    before = [_count(client, u) for u in urls]
    _grow(cast, forum, 6)
    after = [_count(client, u) for u in urls]
    assert before == after
    assert max(after) <= 30


def test_escalated_view_query_count_is_bounded(cast, forum):
    client = cast.client(cast.ministry)
    url = reverse("engagements:escalated")
    _grow(cast, forum, 2)
    Obstacle.objects.update(status="escalated")
    before = _count(client, url)
    _grow(cast, forum, 8)
    Obstacle.objects.update(status="escalated")
    assert _count(client, url) == before


def test_the_ministry_enrols_a_region_and_the_mentor_sets_it_up(cast, english):
    from django.core.files.uploadedfile import SimpleUploadedFile

    from kotacerdas.engagements.models import Cohort, Engagement

    cohort = Cohort.objects.create(year=2025, name="Pendampingan 2025", ministry_name="Komdigi")
    url = reverse("engagements:create", args=[A])
    assert cast.client(cast.mentor).post(url, {"cohort": cohort.pk}).status_code == 403
    response = cast.client(cast.ministry).post(url, {"cohort": cohort.pk})
    engagement = Engagement.objects.get(region=cast.region_a, cohort=cohort)
    assert response.status_code == 302
    mentor = cast.client(cast.mentor)
    response = mentor.post(
        reverse("engagements:edit", args=[A, engagement.pk]),
        {
            "purpose": "Penyusunan",
            "starts_on": "2025-05-01",
            "ends_on": "2025-10-31",
            "agreement_number": "NK-01/2025",
            "agreement_date": "2025-04-20",
            "agreement_file": SimpleUploadedFile("nk.pdf", b"%PDF-1.4 test", content_type="application/pdf"),
            "version": engagement.version,
        },
    )
    assert response.status_code == 302
    engagement.refresh_from_db()
    assert engagement.agreement_number == "NK-01/2025" and engagement.agreement_file.name.endswith(".pdf")
    response = mentor.post(
        reverse("engagements:mentor_add", args=[A, engagement.pk]),
        {"person_name": "Dr. A", "institution": "UGM", "role": "lead"},
    )
    assert response.status_code == 302 and engagement.mentors.count() == 1
    response = mentor.post(
        reverse("engagements:default_schedule", args=[A, engagement.pk]), {"first_day": "2025-05-12", "days": "2"}
    )
    assert response.status_code == 302 and engagement.sessions.count() == 4
    response = mentor.post(
        reverse("engagements:default_schedule", args=[A, engagement.pk]), {"first_day": "2025-09-01", "days": "1"}
    )
    assert response.status_code == 200 and "error-summary" in response.content.decode()
    assert "already scheduled" in response.content.decode()
    assert engagement.sessions.count() == 4  # all or nothing
    member = engagement.mentors.get()
    remove = reverse("engagements:mentor_remove", args=[A, engagement.pk, member.pk])
    assert cast.client(cast.outsider).post(remove, {**YES, "version": member.version}).status_code == 404
    for posted in ({}, {"version": "x"}, {"version": member.version + 1}):
        refused = mentor.post(remove, {**YES, **posted})
        assert refused.status_code == 409 and "Someone else saved this record" in refused.content.decode()
    assert engagement.mentors.count() == 1
    assert mentor.post(remove, {**YES, "version": member.version}).status_code == 302
    assert engagement.mentors.count() == 0
    assert AuditEntry.objects.filter(actor=cast.mentor, region=cast.region_a).count() >= 7


def test_commitments_are_listed_signed_and_scanned(cast, forum):
    from django.core.files.uploadedfile import SimpleUploadedFile

    editor = cast.client(cast.editor)
    e = forum.engagement
    assert cast.client(cast.viewer).post(reverse("engagements:commitments_prepare", args=[A, e.pk])).status_code == 403
    assert editor.post(reverse("engagements:commitments_prepare", args=[A, e.pk])).status_code == 302
    signatory = e.signatories.filter(opd=cast.opd_a).get()
    response = editor.post(
        reverse("engagements:signature", args=[A, signatory.pk]),
        {"person_name": "Kepala Diskominfo", "signed_on": "2024-09-10", "version": signatory.version},
    )
    assert response.status_code == 302
    response = editor.post(
        reverse("engagements:commitment_scan", args=[A, e.pk]),
        {"commitment_scan": SimpleUploadedFile("pakta.pdf", b"%PDF-1.4 x"), "version": e.version},
    )
    assert response.status_code == 302
    page = editor.get(reverse("engagements:commitments", args=[A, e.pk])).content.decode()
    assert "Kepala Diskominfo" in page and "pakta" in page


def test_agenda_items_can_be_removed_until_the_session_closes(cast, forum):
    s = forum.sessions[0]
    item = services.add_agenda_item(actor=None, session=s, data={"section": "A", "title": "B"})
    other = services.add_agenda_item(actor=None, session=s, data={"section": "A", "title": "C"})
    client = cast.client(cast.mentor)
    seen = {**YES, "version": "1"}
    assert client.post(reverse("engagements:agenda_remove", args=[A, s.pk, item.pk]), seen).status_code == 302
    s = services.close_session(actor=None, session=services.start_session(actor=None, session=s))
    client.post(reverse("engagements:agenda_remove", args=[A, s.pk, other.pk]), seen)
    assert list(s.agenda.values_list("title", flat=True)) == ["C"]


def test_years_read_as_years_in_indonesian_not_as_grouped_numbers(cast):
    from kotacerdas.engagements.models import Cohort, Engagement

    cohort = Cohort.objects.create(year=2024, name="Pendampingan 2024", ministry_name="Komdigi")
    engagement = Engagement.objects.create(region=cast.region_a, cohort=cohort)
    client = cast.client(cast.owner)
    client.cookies["django_language"] = "id"
    for url in (reverse("engagements:index", args=[A]), reverse("engagements:detail", args=[A, engagement.pk])):
        html = client.get(url).content.decode()
        assert "2024" in html and "2.024" not in html, url
    audit = client.get(reverse("regions:audit", args=[A])).content.decode()
    assert "2020" in audit and "2.020" not in audit  # the population year as recorded


def test_a_mentor_team_member_is_linked_only_to_an_account_holding_the_mentor_role_here(cast, forum):
    url = reverse("engagements:mentor_add", args=[A, forum.engagement.pk])
    client = cast.client(cast.ministry)
    page = client.get(url).content.decode()
    assert f'value="{cast.mentor.pk}"' in page and f'value="{cast.outsider.pk}"' not in page
    before = forum.engagement.mentors.count()
    refused = client.post(url, {"person_name": "X", "institution": "ITB", "role": "expert", "user": cast.outsider.pk})
    assert refused.status_code == 200 and "error-summary" in refused.content.decode()
    assert forum.engagement.mentors.count() == before
    response = client.post(
        url, {"person_name": "Dr. M", "institution": "UGM", "role": "expert", "user": cast.mentor.pk}
    )
    assert response.status_code == 302
    assert forum.engagement.mentors.get(person_name="Dr. M").user == cast.mentor
    from django.core.exceptions import ValidationError

    from kotacerdas.engagements import services

    with pytest.raises(ValidationError, match="not a mentor of the region"):  # the service checks it too
        data = {"person_name": "V", "institution": "-", "role": "expert", "user": cast.viewer}
        services.add_mentor(actor=cast.ministry, engagement=forum.engagement, data=data)


def test_the_sign_in_list_is_saved_whole_or_not_at_all_and_keeps_what_was_typed(english, cast, forum):
    s2 = forum.sessions[1]
    opd = cast.opd_a.pk
    response = cast.client(cast.mentor).post(
        reverse("engagements:attendance", args=[A, s2.pk]),
        {"opd": [opd], f"status-{opd}": "head", f"person-{opd}": "Budi Santoso", f"position-{opd}": "x" * 300},
    )
    html = response.content.decode()
    assert response.status_code == 400
    assert "at most 200 characters (now 300)" in html
    assert 'value="Budi Santoso"' in html and "x" * 300 in html
    assert not Attendance.objects.exists()


def test_a_closed_session_offers_no_sign_in_form_and_refuses_a_post(english, cast, forum):
    s1 = services.start_session(actor=None, session=forum.sessions[0])
    s1 = services.close_session(actor=None, session=s1)
    url = reverse("engagements:attendance", args=[A, s1.pk])
    html = cast.client(cast.mentor).get(url).content.decode()
    assert "<fieldset disabled>" in html and "Save attendance" not in html
    opd = cast.opd_a.pk
    response = cast.client(cast.mentor).post(url, {"opd": [opd], f"status-{opd}": "head"})
    assert response.status_code == 400 and not Attendance.objects.filter(session=s1).exists()
    assert cast.client(cast.outsider).get(url).status_code == 404


def test_an_engagement_ending_before_it_starts_is_refused_on_the_end_date(english, cast, forum):
    response = cast.client(cast.owner).post(
        reverse("engagements:edit", args=[A, forum.engagement.pk]),
        {"purpose": "Reviu", "starts_on": "2024-12-01", "ends_on": "2024-01-01", "version": forum.engagement.version},
    )
    html = response.content.decode()
    assert response.status_code == 200
    assert "This date cannot be before “starts on”." in html or "cannot be before" in html
    assert "engagement_period_in_order" not in html and 'value="2024-01-01"' in html
