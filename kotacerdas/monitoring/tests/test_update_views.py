"""The update workflow through HTTP: "my updates", writing, validating, correcting, history."""

from __future__ import annotations

import datetime

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from kotacerdas.accounts.models import Membership, User
from kotacerdas.audit.models import AuditEntry
from kotacerdas.monitoring import selectors, services
from kotacerdas.monitoring.models import ProgrammeUpdate, UpdateState
from kotacerdas.monitoring.tests.conftest import TODAY, update_data
from kotacerdas.plans.models import Edition, Programme
from kotacerdas.plans.models.plan import EditionStatus
from kotacerdas.plans.tests.factories import make_programme
from kotacerdas.regions import services as region_services

pytestmark = pytest.mark.django_db

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


def add_programme(edition, code, **extra):
    """A programme added to the adopted (frozen) edition, as if it had been there before adoption."""
    Edition.objects.filter(pk=edition.pk).update(status=EditionStatus.DRAFT)
    edition.refresh_from_db()
    programme = make_programme(edition, code, **extra)
    Edition.objects.filter(pk=edition.pk).update(status=EditionStatus.ADOPTED)
    edition.refresh_from_db()
    return programme


def form_data(**extra):
    data = {
        "status": "on_track",
        "progress": "40",
        "comment": "Aplikasi diuji coba di tiga kelurahan.",
        "reported_on": "2025-04-05",
        "budget_apbd": "25.000.000",
        "action": "save",
    }
    data.update(extra)
    return data


def mine_url(cast):
    return reverse("monitoring:my_updates", args=[cast.region_a.code])


def create_url(cast, programme, period):
    return reverse("monitoring:update_create", args=[cast.region_a.code, programme.pk, period.key])


def detail_url(cast, update):
    return reverse("monitoring:update", args=[cast.region_a.code, update.pk])


def action_url(cast, name, update):
    return reverse(f"monitoring:{name}", args=[cast.region_a.code, update.pk])


def draft(cast, monitored, programme=None, **extra):
    return services.create_update(
        actor=cast.editor,
        programme=programme or monitored.first,
        period=monitored.q1,
        data=update_data(**extra),
        today=TODAY,
    )


def submitted(cast, monitored, **extra):
    update = draft(cast, monitored, **extra)
    return services.submit_update(actor=cast.editor, update=update, expected_version=update.version)


@pytest.fixture
def other_agency(cast, monitored):
    """A programme of region A led by another agency, and an editor tied to that agency."""
    opd = region_services.create_opd(
        actor=None,
        region=cast.region_a,
        data={
            "name": "Dinas Perhubungan",
            "abbreviation": "Dishub",
            "kind": "dinas",
            "valid_from": datetime.date(2017, 1, 1),
        },
    )
    programme = add_programme(monitored.edition, "MOB-01", dimension="ENV", lead_opd=opd)
    editor = User.objects.create_user(username="dishub", password="x-pass-123456", full_name="Dishub")
    Membership.objects.create(user=editor, region=cast.region_a, role="editor", opd=opd)
    return programme, editor


# My updates ---------------------------------------------------------------------------------


def test_my_updates_lists_what_the_editor_owes_with_a_link_to_write_it(cast, monitored, english):
    response = cast.client(cast.editor).get(mine_url(cast))
    assert response.status_code == 200
    text = response.content.decode()
    assert "Overdue" in text and "GOV-01" in text
    assert create_url(cast, monitored.first, monitored.q1) in text


def test_an_editor_sees_their_agencys_programmes_first_and_the_region_on_request(cast, monitored, other_agency):
    programme, _editor = other_agency
    client = cast.client(cast.editor)
    assert "MOB-01" not in client.get(mine_url(cast)).content.decode()
    whole = client.get(mine_url(cast) + "?lingkup=semua").content.decode()
    assert "MOB-01" in whole
    # Seen, but not theirs to write.
    assert create_url(cast, programme, monitored.q1) not in whole
    owner = cast.client(cast.owner).get(mine_url(cast)).content.decode()
    assert create_url(cast, programme, monitored.q1) in owner


def test_returned_updates_come_back_to_the_agency_with_the_reason(cast, monitored):
    update = submitted(cast, monitored)
    services.return_update(
        actor=cast.mentor, update=update, reason="Lampirkan foto kegiatan.", expected_version=update.version
    )
    text = cast.client(cast.editor).get(mine_url(cast)).content.decode()
    assert "Lampirkan foto kegiatan." in text
    assert action_url(cast, "update_edit", update) in text


def test_validators_see_what_waits_for_them_and_readers_do_not(cast, monitored):
    update = submitted(cast, monitored)
    for user in (cast.mentor, cast.owner, cast.ministry):
        response = cast.client(user).get(mine_url(cast))
        assert response.status_code == 200
        assert detail_url(cast, update) in response.content.decode(), user
    for user in (cast.viewer, cast.editor):
        assert 'id="validate-title"' not in cast.client(user).get(mine_url(cast)).content.decode()


def test_outsiders_and_strangers_do_not_reach_the_pages(cast, monitored):
    update = draft(cast, monitored)
    urls = [
        mine_url(cast),
        create_url(cast, monitored.first, monitored.q1),
        detail_url(cast, update),
        action_url(cast, "update_edit", update),
        action_url(cast, "update_correct", update),
        action_url(cast, "update_evidence", update),
        reverse("monitoring:programme_updates", args=[cast.region_a.code, monitored.first.pk]),
    ]
    for url in urls:
        assert cast.client(cast.outsider).get(url).status_code == 404, url
        assert cast.client(None).get(url).status_code == 302, url
    for name in ("update_submit", "update_accept", "update_return", "update_delete"):
        assert cast.client(cast.outsider).post(action_url(cast, name, update), {"version": 1}).status_code == 404
    # Another region's address for the same update is not found either.
    other = reverse("monitoring:update", args=[cast.region_b.code, update.pk])
    assert cast.client(cast.outsider).get(other).status_code == 404
    assert ProgrammeUpdate.objects.get().state == UpdateState.DRAFT


def test_my_updates_takes_the_same_queries_for_2_and_20_programmes(cast, monitored, django_assert_num_queries):
    submitted(cast, monitored)
    client = cast.client(cast.mentor)

    def count() -> int:
        with CaptureQueriesContext(connection) as queries:
            assert client.get(mine_url(cast)).status_code == 200
        return len(queries)

    small = count()
    for n in range(18):
        programme = add_programme(monitored.edition, f"GOV-{n + 10:02d}", lead_opd=cast.opd_a)
        services.create_update(actor=None, programme=programme, period=monitored.q1, data=update_data(), today=TODAY)
    assert Programme.objects.filter(edition=monitored.edition).count() == 20
    assert count() == small
    with django_assert_num_queries(small):
        client.get(mine_url(cast))


def test_due_and_overdue_depend_on_the_due_date(cast, monitored):
    # 2025-Q2 ended on 30 June and is due on 10 July.
    before = selectors.my_updates(cast.region_a, datetime.date(2025, 7, 5))
    assert {(d.programme.code, d.period.key) for d in before.due} == {("GOV-01", "2025-Q2"), ("ENV-01", "2025-Q2")}
    assert {d.period.key for d in before.overdue} == {"2025-Q1"}
    draft(cast, monitored)
    after = selectors.my_updates(cast.region_a, datetime.date(2025, 7, 5))
    owed = {(d.programme.code, d.period.key): d for d in after.overdue}
    assert owed[("GOV-01", "2025-Q1")].draft is not None
    submitted_one = ProgrammeUpdate.objects.get()
    services.submit_update(actor=cast.editor, update=submitted_one, expected_version=submitted_one.version)
    later = selectors.my_updates(cast.region_a, datetime.date(2025, 7, 5))
    assert ("GOV-01", "2025-Q1") not in {(d.programme.code, d.period.key) for d in later.overdue}
    assert [u.programme.code for u in later.submitted] == ["GOV-01"]


# Writing ------------------------------------------------------------------------------------


def test_the_form_shows_the_planned_budget_of_the_year_and_the_quick_win_dates(cast, monitored, english):
    text = cast.client(cast.editor).get(create_url(cast, monitored.first, monitored.q1)).content.decode()
    assert "Planned for 2025: Rp 150,000,000." in text
    assert 'name="launched_on"' in text and 'name="live_since"' in text
    assert 'type="file"' in text and 'name="evidence_file"' in text
    other = cast.client(cast.editor).get(create_url(cast, monitored.second, monitored.q1)).content.decode()
    assert 'name="launched_on"' not in other
    assert "Nothing planned from this source in 2025." in other


def test_an_editor_writes_a_draft_and_submits_it(cast, monitored):
    client = cast.client(cast.editor)
    response = client.post(create_url(cast, monitored.first, monitored.q1), form_data())
    update = ProgrammeUpdate.objects.get()
    assert response.status_code == 302 and response["Location"] == detail_url(cast, update)
    assert update.state == UpdateState.DRAFT and update.author == cast.editor
    assert {b.source: b.amount for b in update.budgets.all()} == {"apbd": 25_000_000}
    response = client.post(action_url(cast, "update_submit", update), {"version": update.version})
    assert response.status_code == 302
    assert ProgrammeUpdate.objects.get().state == UpdateState.SUBMITTED


def test_save_and_submit_in_one_step_with_the_quick_win_dates(cast, monitored):
    response = cast.client(cast.editor).post(
        create_url(cast, monitored.first, monitored.q1),
        form_data(action="submit", launched_on="2025-02-01", live_since="2025-03-01"),
    )
    assert response.status_code == 302
    update = ProgrammeUpdate.objects.get()
    assert update.state == UpdateState.SUBMITTED and update.live_since == datetime.date(2025, 3, 1)


@pytest.mark.parametrize(
    ("changes", "field", "message"),
    [
        ({"status": "", "progress": "", "comment": ""}, "status", "This field is required."),
        ({"progress": "150"}, "progress", "less than or equal to 100"),
        ({"progress": "-1"}, "progress", "greater than or equal to 0"),
        ({"progress": "9" * 40}, "progress", "less than or equal to 100"),
        ({"progress": "empat puluh"}, "progress", "whole percentage"),
        ({"budget_apbd": "-5"}, "budget_apbd", "cannot be negative"),
        ({"budget_apbd": "9" * 30}, "budget_apbd", "larger than"),
        ({"budget_csr": "1,5"}, "budget_csr", "Enter whole rupiah"),
        ({"status": "cancelled"}, "reason", "reason why the programme is cancelled"),
        ({"comment": "x" * 4001}, "comment", "under 4,000 characters"),
        ({"evidence_link": "javascript:alert(1)"}, "evidence_link", "https://"),
        ({"reported_on": "2024-12-31"}, "reported_on", "before its period begins"),
        ({"reported_on": "kemarin"}, "reported_on", "valid date"),
    ],
)
def test_bad_input_is_refused_with_a_clear_error_and_kept(cast, monitored, english, changes, field, message):
    data = form_data(**changes)
    response = cast.client(cast.editor).post(create_url(cast, monitored.first, monitored.q1), data)
    assert response.status_code == 400
    text = response.content.decode()
    assert "There is a problem" in text and f'href="#id_{field}"' in text
    assert message in text
    for value in changes.values():
        if value and len(value) < 100:
            assert str(value) in text
    assert not ProgrammeUpdate.objects.exists()


def test_a_file_that_is_not_evidence_is_refused_by_name(cast, monitored, english):
    upload = SimpleUploadedFile("bukti.pdf", b"MZ\x90\x00 not a pdf", content_type="application/pdf")
    response = cast.client(cast.editor).post(
        create_url(cast, monitored.first, monitored.q1), {**form_data(), "evidence_file": upload}
    )
    assert response.status_code == 400
    assert "bukti.pdf" in response.content.decode()
    assert not ProgrammeUpdate.objects.exists()


def test_the_evidence_is_downloaded_through_the_region_only(cast, monitored):
    upload = SimpleUploadedFile("Foto kegiatan.pdf", PDF, content_type="application/pdf")
    cast.client(cast.editor).post(
        create_url(cast, monitored.first, monitored.q1), {**form_data(), "evidence_file": upload}
    )
    update = ProgrammeUpdate.objects.get()
    assert update.evidence_name == "Foto kegiatan.pdf"
    assert "Foto kegiatan.pdf" in cast.client(cast.viewer).get(detail_url(cast, update)).content.decode()
    response = cast.client(cast.viewer).get(action_url(cast, "update_evidence", update))
    assert response.status_code == 200
    assert response["Content-Disposition"].startswith("attachment")
    assert response["X-Content-Type-Options"] == "nosniff"
    assert b"".join(response.streaming_content).startswith(b"%PDF")
    assert cast.client(cast.outsider).get(action_url(cast, "update_evidence", update)).status_code == 404


def test_readers_and_editors_of_another_agency_may_not_write(cast, monitored, other_agency):
    programme, dishub = other_agency
    url = create_url(cast, monitored.first, monitored.q1)
    for user in (cast.viewer, cast.mentor, dishub):
        assert cast.client(user).get(url).status_code == 403, user
        assert cast.client(user).post(url, form_data()).status_code == 403, user
    update = draft(cast, monitored)
    for name in ("update_edit", "update_correct"):
        assert cast.client(dishub).get(action_url(cast, name, update)).status_code == 403
    for name in ("update_submit", "update_delete"):
        assert cast.client(dishub).post(action_url(cast, name, update), {"version": update.version}).status_code == 403
    # Their own agency's programme is theirs to report.
    assert cast.client(dishub).post(create_url(cast, programme, monitored.q1), form_data()).status_code == 302
    assert ProgrammeUpdate.objects.filter(programme=programme).exists()


def test_a_stale_edit_answers_409_and_keeps_the_input(cast, monitored, english):
    update = draft(cast, monitored)
    stale = update.version
    services.edit_update(actor=cast.owner, update=update, data=update_data(progress=45), expected_version=stale)
    response = cast.client(cast.editor).post(
        action_url(cast, "update_edit", update), form_data(version=stale, comment="Versi saya yang baru.")
    )
    assert response.status_code == 409
    text = response.content.decode()
    assert "Someone else saved this record" in text and "Versi saya yang baru." in text
    assert ProgrammeUpdate.objects.get().progress == 45
    missing = cast.client(cast.editor).post(action_url(cast, "update_edit", update), form_data())
    assert missing.status_code == 409


def test_an_edit_of_a_draft_keeps_the_same_row_and_delete_removes_it(cast, monitored, english):
    update = draft(cast, monitored)
    client = cast.client(cast.editor)
    page = client.get(action_url(cast, "update_edit", update)).content.decode()
    assert ("Aplikasi diuji coba" in page and "Delete this draft" in page) or "Hapus draf ini" in page
    response = client.post(action_url(cast, "update_edit", update), form_data(version=update.version, progress="55"))
    assert response.status_code == 302
    saved = ProgrammeUpdate.objects.get()
    assert saved.pk == update.pk and saved.progress == 55
    stale = client.post(action_url(cast, "update_delete", update), {"version": update.version})
    assert stale.status_code == 409
    gone = client.post(action_url(cast, "update_delete", update), {"version": saved.version})
    assert gone.status_code == 302 and not ProgrammeUpdate.objects.exists()


# Validating ---------------------------------------------------------------------------------


def test_a_mentor_returns_with_a_reason_the_editor_fixes_and_the_mentor_accepts(cast, monitored, english):
    update = submitted(cast, monitored, status="at_risk")
    mentor, editor = cast.client(cast.mentor), cast.client(cast.editor)
    page = mentor.get(detail_url(cast, update)).content.decode()
    assert action_url(cast, "update_accept", update) in page and action_url(cast, "update_return", update) in page
    blank = mentor.post(action_url(cast, "update_return", update), {"version": update.version, "return_reason": " "})
    assert blank.status_code == 400 and "Say why the update goes back" in blank.content.decode()
    mentor.post(
        action_url(cast, "update_return", update), {"version": update.version, "return_reason": "Lampirkan bukti."}
    )
    update = ProgrammeUpdate.objects.get()
    assert update.state == UpdateState.RETURNED and update.return_reason == "Lampirkan bukti."
    assert "Lampirkan bukti." in editor.get(action_url(cast, "update_edit", update)).content.decode()
    editor.post(
        action_url(cast, "update_edit", update),
        form_data(version=update.version, status="at_risk", evidence_link="https://example.org/bukti", action="submit"),
    )
    update = ProgrammeUpdate.objects.get()
    assert update.state == UpdateState.SUBMITTED
    assert mentor.post(action_url(cast, "update_accept", update), {"version": update.version}).status_code == 302
    assert ProgrammeUpdate.objects.get().state == UpdateState.ACCEPTED
    assert Programme.objects.get(pk=monitored.first.pk).status == "at_risk"
    assert AuditEntry.objects.filter(object_type="monitoring.ProgrammeUpdate", action="review").count() == 2


def test_only_validators_decide_and_a_stale_decision_is_409(cast, monitored, english):
    update = submitted(cast, monitored)
    for user in (cast.editor, cast.viewer):
        client = cast.client(user)
        assert client.post(action_url(cast, "update_accept", update), {"version": update.version}).status_code == 403
        response = client.post(
            action_url(cast, "update_return", update), {"version": update.version, "return_reason": "x"}
        )
        assert response.status_code == 403
        assert action_url(cast, "update_accept", update) not in client.get(detail_url(cast, update)).content.decode()
    stale = cast.client(cast.ministry).post(action_url(cast, "update_accept", update), {"version": update.version - 1})
    assert stale.status_code == 409 and "Someone else saved" in stale.content.decode()
    returned = cast.client(cast.owner).post(
        action_url(cast, "update_return", update), {"version": "1", "return_reason": "Angka tidak cocok."}
    )
    assert returned.status_code == 409 and "Angka tidak cocok." in returned.content.decode()
    assert (
        cast.client(cast.ministry)
        .post(action_url(cast, "update_accept", update), {"version": update.version})
        .status_code
        == 302
    )
    again = cast.client(cast.mentor).post(action_url(cast, "update_accept", update), {"version": update.version + 1})
    assert again.status_code == 400 and "Only a submitted update" in again.content.decode()


def test_an_accepted_update_is_corrected_by_a_new_draft(cast, monitored):
    update = submitted(cast, monitored)
    update = services.accept_update(actor=cast.owner, update=update, expected_version=update.version)
    client = cast.client(cast.editor)
    page = client.get(detail_url(cast, update)).content.decode()
    assert action_url(cast, "update_correct", update) in page
    assert action_url(cast, "update_edit", update) not in page
    assert client.get(action_url(cast, "update_edit", update)).status_code == 302
    form = client.get(action_url(cast, "update_correct", update)).content.decode()
    assert "Aplikasi diuji coba" in form
    response = client.post(action_url(cast, "update_correct", update), form_data(progress="35"))
    correction = ProgrammeUpdate.objects.exclude(pk=update.pk).get()
    assert response.status_code == 302
    assert correction.corrects_id == update.pk and correction.state == UpdateState.DRAFT and correction.progress == 35
    # Asking for a new update of that period leads to the open correction.
    again = client.get(create_url(cast, monitored.first, monitored.q1))
    assert again.status_code == 302 and again["Location"] == detail_url(cast, correction)


# History ------------------------------------------------------------------------------------


def test_the_programme_history_shows_every_update_and_the_progress_figure(cast, monitored, english):
    first = submitted(cast, monitored, progress=40)
    services.accept_update(actor=cast.mentor, update=first, expected_version=first.version)
    services.create_update(
        actor=cast.editor, programme=monitored.first, period=monitored.q2, data=update_data(progress=60), today=TODAY
    )
    url = reverse("monitoring:programme_updates", args=[cast.region_a.code, monitored.first.pk])
    response = cast.client(cast.viewer).get(url)
    assert response.status_code == 200
    text = response.content.decode()
    assert "<svg" in text and '<title id="progress-title">' in text and "<desc" in text
    assert "2025-Q1" in text and "2025-Q2" in text and "40%" in text
    assert "accepted" in text and "draft" in text
    assert 'name="periode"' not in text  # a viewer does not write
    editor = cast.client(cast.editor)
    assert 'name="periode"' in editor.get(url).content.decode()
    opened = editor.get(url + "?periode=2025-Q3")
    assert opened.status_code == 302 and opened["Location"] == create_url(
        cast, monitored.first, monitored.edition.reporting_periods.get(key="2025-Q3")
    )


def test_the_history_page_works_without_any_update(cast, monitored):
    url = reverse("monitoring:programme_updates", args=[cast.region_a.code, monitored.second.pk])
    response = cast.client(cast.mentor).get(url)
    assert response.status_code == 200 and "<svg" not in response.content.decode()


def test_quick_win_progress_shows_the_latest_accepted_update_in_flat_queries(
    cast, monitored, django_assert_num_queries
):
    update = submitted(cast, monitored, progress=70, launched_on=datetime.date(2025, 2, 1))
    services.accept_update(actor=cast.mentor, update=update, expected_version=update.version)
    with django_assert_num_queries(2):
        rows = selectors.quick_win_progress(monitored.edition, 2025)
    assert [(r.programme.code, r.update.progress, r.launched_on) for r in rows] == [
        ("GOV-01", 70, datetime.date(2025, 2, 1))
    ]
    assert rows[0].live_since is None
    assert selectors.quick_win_progress(monitored.edition, 2026) == []


def test_the_quick_win_round_page_shows_the_progress_of_the_years_quick_wins(cast, monitored, english):
    from kotacerdas.quickwins import services as quickwin_services

    quickwin_services.create_round(
        actor=None, region=cast.region_a, data={"edition": monitored.edition, "year": 2024, "budget_year": 2025}
    )
    url = reverse("quickwins:round", args=[cast.region_a.code, 2024])
    text = cast.client(cast.viewer).get(url).content.decode()
    assert "Progress of the quick wins of 2025" in text and "not reported yet" in text
    update = submitted(cast, monitored, progress=65, live_since=datetime.date(2025, 3, 1))
    services.accept_update(actor=cast.mentor, update=update, expected_version=update.version)
    text = cast.client(cast.viewer).get(url).content.decode()
    section = text[text.index("qw-progress-title") :]
    assert "65%" in section
    assert "1 Mar 2025" in section
    assert reverse("monitoring:programme_updates", args=[cast.region_a.code, monitored.first.pk]) in text


def test_the_region_page_and_the_programme_page_link_the_update_pages(cast, monitored):
    home = cast.client(cast.editor).get(reverse("regions:home", args=[cast.region_a.code])).content.decode()
    assert mine_url(cast) in home
    page = reverse("plans:programme", args=[cast.region_a.code, monitored.edition.year, monitored.first.code])
    text = cast.client(cast.viewer).get(page).content.decode()
    assert reverse("monitoring:programme_updates", args=[cast.region_a.code, monitored.first.pk]) in text


def test_a_draft_editions_programme_has_no_update_pages(cast, plan):
    url = reverse("monitoring:programme_updates", args=[cast.region_a.code, plan.first.pk])
    assert cast.client(cast.owner).get(url).status_code == 404


def test_an_edit_shows_the_evidence_by_its_name_and_can_clear_it(cast, monitored):
    client = cast.client(cast.editor)
    upload = SimpleUploadedFile("Foto kegiatan.pdf", PDF, content_type="application/pdf")
    client.post(create_url(cast, monitored.first, monitored.q1), {**form_data(), "evidence_file": upload})
    update = ProgrammeUpdate.objects.get()
    page = client.get(action_url(cast, "update_edit", update)).content.decode()
    assert "Foto kegiatan.pdf" in page and 'name="evidence_file-clear"' in page
    kept = client.post(action_url(cast, "update_edit", update), form_data(version=update.version, progress="50"))
    assert kept.status_code == 302
    update = ProgrammeUpdate.objects.get()
    assert update.evidence_name == "Foto kegiatan.pdf" and update.progress == 50
    client.post(
        action_url(cast, "update_edit", update), {**form_data(version=update.version), "evidence_file-clear": "on"}
    )
    assert not ProgrammeUpdate.objects.get().evidence_file
