"""The Kota Solok 2024 assistance demo, and the `kotacerdas engagement` verbs on it."""

from __future__ import annotations

import datetime
import json
from io import StringIO

import pytest
from django.core import mail
from django.core.management import CommandError, call_command
from django.urls import reverse

from kotacerdas.engagements import selectors
from kotacerdas.engagements.models import Action, Attendance, Engagement, Obstacle, Session
from tests.support import snapshot
from tests.support.shared import per_test, shared_data

pytestmark = pytest.mark.django_db
D = datetime.date


def _load_demo():
    snapshot.demo()
    return Engagement.objects.get(region__code="13.72", cohort__year=2024)


@pytest.fixture(scope="module")
def _demo(django_db_setup, django_db_blocker):
    """The demo, loaded once for the module (tests/support/shared.py)."""
    yield from shared_data(django_db_blocker, _load_demo)


@pytest.fixture
def demo(_demo, request, db):
    return per_test(_demo, request)


def run(*args: str) -> str:
    out = StringIO()
    call_command(*args, stdout=out)
    return out.getvalue()


def test_the_demo_runs_four_forums_from_june_to_september_2024(demo):
    sessions = list(Session.objects.filter(engagement=demo))
    assert next(s.starts_on for s in sessions) == D(2024, 6, 10) and sessions[0].ends_on == D(2024, 6, 11)
    assert len(sessions) == 4 and sessions[-1].starts_on.month == 9
    assert all(s.status == "closed" and s.minutes for s in sessions)
    assert demo.mentors.count() == 4 and all(m.is_sample for m in demo.mentors.all())
    assert Attendance.objects.filter(session__engagement=demo).exists()
    assert all(a.is_sample for a in Attendance.objects.filter(session__engagement=demo))


def test_the_demo_carries_actions_over_and_has_resolved_and_escalated_obstacles(demo):
    sessions = list(Session.objects.filter(engagement=demo))
    # Bimtek III's two actions are still open, so Bimtek IV's agenda carries them.
    assert {a.title for a in selectors.carried_actions(sessions[3])} == {
        "Susun KAK quick win layanan kesehatan digital",
        "Siapkan usulan anggaran quick win di RKPD 2025",
    }
    # The SWOT action was done at Bimtek II: no agenda lists it among the open actions.
    for session in sessions:
        assert all(a.is_open for a in selectors.carried_actions(session)), session
    statuses = list(Obstacle.objects.filter(engagement=demo).values_list("status", flat=True))
    assert statuses.count("escalated") == 1 and statuses.count("resolved") >= 2
    assert Action.objects.filter(engagement=demo, status="open").exists()
    assert all(o.is_sample for o in Obstacle.objects.filter(engagement=demo))


def test_the_demo_agency_merge_shows_in_attendance(demo):
    # Perkim and DLH existed through 2024, so they are on the 2024 sign-in lists; PerkimLH (2025) is not.
    abbreviations = set(Attendance.objects.filter(session__engagement=demo).values_list("opd__abbreviation", flat=True))
    assert {"Perkim", "DLH"} <= abbreviations and "PerkimLH" not in abbreviations


def test_demo_pages_render_for_the_demo_mentor(demo, client):
    from kotacerdas.accounts.models import User

    mentor = User.objects.filter(memberships__region__code="13.72", memberships__role="mentor").first()
    ministry = User.objects.filter(is_ministry=True).first()
    client.force_login(mentor)
    s1 = Session.objects.filter(engagement=demo).first()
    for url in (
        reverse("engagements:detail", args=["13.72", demo.pk]),
        reverse("engagements:dashboard", args=["13.72", demo.pk]),
        reverse("engagements:session", args=["13.72", s1.pk]),
        reverse("engagements:commitments", args=["13.72", demo.pk]),
    ):
        response = client.get(url)
        assert response.status_code == 200, url
        assert "sample" in response.content.decode().lower() or "contoh" in response.content.decode().lower()
    dashboard = client.get(reverse("engagements:dashboard", args=["13.72", demo.pk])).content.decode()
    assert "<svg" in dashboard
    client.force_login(ministry)
    assert "Belum ada regulasi daerah" in client.get(reverse("engagements:escalated")).content.decode()


def test_sessions_verb_lists_the_demo_sessions_as_json(demo):
    rows = json.loads(run("engagement", "sessions", "13.72", "--year", "2024", "--json"))
    assert [r["stage"] for r in rows] == [1, 2, 3, 4]
    assert "Bimtek I" in run("engagement", "sessions", "13.72")


def test_minutes_verb_writes_pdf_and_docx(demo, tmp_path):
    s1 = Session.objects.filter(engagement=demo).first()
    pdf = tmp_path / "n.pdf"
    out = json.loads(run("engagement", "minutes", "13.72", str(s1.pk), "--output", str(pdf), "--json"))
    assert out["bytes"] > 1000 and pdf.read_bytes().startswith(b"%PDF")
    docx = tmp_path / "n.docx"
    run("engagement", "minutes", "13.72", str(s1.pk), "--format", "docx", "--output", str(docx))
    assert docx.read_bytes().startswith(b"PK")
    with pytest.raises(CommandError):
        run("engagement", "minutes", "13.73", str(s1.pk))


def test_the_minutes_are_in_bahasa_indonesia(demo):
    from docx import Document

    from kotacerdas.engagements import minutes

    s1 = Session.objects.filter(engagement=demo).first()
    report = minutes.build(selectors.session_page(s1.region, s1.pk, D(2024, 12, 1)))
    text = "\n".join(p.text for p in Document(__import__("io").BytesIO(minutes.render_docx(report))).paragraphs)
    assert "BERITA ACARA DAN NOTULEN" in text and "Juni 2024" in " ".join(v for _k, v in report.facts)
    assert "Rencana tindak lanjut" in text


def test_remind_dry_run_sends_nothing_and_the_real_run_sends_once(demo):
    action = Action.objects.filter(engagement=demo, status="open").order_by("due_on").first()
    Action.objects.filter(pk=action.pk).update(owner_email="owner@example.org")
    today = action.due_on - datetime.timedelta(days=2)
    dry = json.loads(run("engagement", "remind", "--today", today.isoformat(), "--dry-run", "--json"))
    assert any(r["action_id"] == action.pk and r["kind"] == "due_soon" for r in dry["reminders"])
    assert len(mail.outbox) == 0
    run("engagement", "remind", "--today", today.isoformat())
    assert len(mail.outbox) == 1 and "Action reminder" in mail.outbox[0].subject
    run("engagement", "remind", "--today", today.isoformat())
    assert len(mail.outbox) == 1  # not twice
    overdue = (action.due_on + datetime.timedelta(days=1)).isoformat()
    run("engagement", "remind", "--today", overdue)
    assert len(mail.outbox) == 2 and "Action overdue" in mail.outbox[1].subject


def test_remind_rejects_a_bad_date():
    with pytest.raises(CommandError):
        run("engagement", "remind", "--today", "31-12-2024")
