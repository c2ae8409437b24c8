"""Defects of issue 11 in the assistance: escalations the ministry answers, one id per element,
honest "(optional)" marks, the minutes, the carried actions and the stage counts."""

from __future__ import annotations

import datetime
import io
import shutil
import subprocess
from collections import Counter
from html.parser import HTMLParser
from pathlib import Path

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse
from django.utils import translation

from kotacerdas.audit.models import AuditEntry
from kotacerdas.engagements import minutes, selectors, services, stages
from kotacerdas.engagements.forms import ActionForm, ActionOutcomeForm, MinistryResponseForm, ObstacleForm
from kotacerdas.engagements.models import Action, MentorTeamMember, Obstacle, Session
from kotacerdas.lib.concurrency import EditConflict, stored_version

pytestmark = pytest.mark.django_db
A = "13.72"
D = datetime.date


class _Ids(HTMLParser):
    """Every element id, every label's ``for`` and the text of each label."""

    def __init__(self) -> None:
        super().__init__()
        self.ids: Counter[str] = Counter()
        self.label_for: list[str] = []
        self.label_text: dict[str, str] = {}
        self._label: str | None = None

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        values = dict(attrs)
        if values.get("id"):
            self.ids[str(values["id"])] += 1
        if tag == "label" and values.get("for"):
            self._label = str(values["for"])
            self.label_for.append(self._label)
            self.label_text[self._label] = ""

    def handle_endtag(self, tag: str) -> None:
        if tag == "label":
            self._label = None

    def handle_data(self, data: str) -> None:
        if self._label is not None:
            self.label_text[self._label] += data


def parse(html: str) -> _Ids:
    parser = _Ids()
    parser.feed(html)
    return parser


def _populate(cast, forum):
    s1 = forum.sessions[0]
    services.add_agenda_item(actor=None, session=s1, data={"section": "Materi", "title": "Reviu"})
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
    obstacle = services.raise_obstacle(
        actor=None, session=s1, data={"description": "Perwal data", "category": "regulation"}
    )
    return outcome.action, obstacle


def _escalated(cast, forum) -> Obstacle:
    _action, obstacle = _populate(cast, forum)
    return services.update_obstacle(
        actor=cast.mentor,
        obstacle=obstacle,
        data={"status": "escalated"},
        expected_version=obstacle.version,
        today=D(2024, 6, 12),
    )


# 15. One id per element on every assistance page -------------------------------------------


def test_no_assistance_page_repeats_an_element_id_and_every_label_points_at_one_element(cast, forum):
    action, obstacle = _populate(cast, forum)
    obstacle = services.update_obstacle(
        actor=None,
        obstacle=obstacle,
        data={"status": "escalated"},
        expected_version=stored_version(obstacle),
    )
    e, s = forum.engagement.pk, forum.sessions[0].pk
    urls = [
        reverse("engagements:session", args=[A, s]),
        reverse("engagements:attendance", args=[A, s]),
        reverse("engagements:minutes", args=[A, s]),
        reverse("engagements:detail", args=[A, e]),
        reverse("engagements:dashboard", args=[A, e]),
        reverse("engagements:actions", args=[A, e]),
        reverse("engagements:obstacles", args=[A, e]),
        reverse("engagements:commitments", args=[A, e]),
        reverse("engagements:action_edit", args=[A, action.pk]),
        reverse("engagements:obstacle_edit", args=[A, obstacle.pk]),
        reverse("engagements:obstacle_respond", args=[A, obstacle.pk]),
        reverse("engagements:escalated"),
    ]
    client = cast.client(cast.ministry)  # sees every form of every page
    for url in urls:
        response = client.get(url)
        assert response.status_code == 200, url
        page = parse(response.content.decode())
        duplicates = {i: n for i, n in page.ids.items() if n > 1}
        assert not duplicates, f"{url}: duplicate ids {duplicates}"
        dangling = [target for target in page.label_for if target not in page.ids]
        assert not dangling, f"{url}: labels for missing elements {dangling}"


def test_the_session_page_forms_post_their_own_prefixed_fields(cast, forum):
    s = forum.sessions[0]
    client = cast.client(cast.editor)
    page = parse(client.get(reverse("engagements:session", args=[A, s.pk])).content.decode())
    assert {"id_outcome-text", "id_action-text", "id_agenda-title", "id_obstacle-description"} <= set(page.ids)
    # Unprefixed names are not read: the form is shown again, nothing is saved.
    assert (
        client.post(reverse("engagements:agenda_add", args=[A, s.pk]), {"section": "X", "title": "Y"}).status_code
        == 200
    )
    response = client.post(
        reverse("engagements:obstacle_add", args=[A, s.pk]),
        {"obstacle-description": "Jaringan", "obstacle-category": "infrastructure"},
    )
    assert response.status_code == 302
    assert Obstacle.objects.get(engagement=forum.engagement).description == "Jaringan"


# 18. "(optional)" means optional -------------------------------------------------------------


@pytest.mark.parametrize("form_class", [ActionOutcomeForm, ActionForm])
def test_the_action_forms_require_exactly_what_an_action_requires(cast, form_class):
    form = form_class(region=cast.region_a)
    for name, field in form.fields.items():
        model_field = {"text": "title"}.get(name, name)
        if name == "version":
            continue
        blank = Action._meta.get_field(model_field).blank
        assert field.required is not blank, f"{form_class.__name__}.{name}: required={field.required}, blank={blank}"


def test_the_obstacle_form_marks_optional_only_what_the_model_leaves_blank(cast):
    form = ObstacleForm(region=cast.region_a)
    for name, field in form.fields.items():
        assert field.required is not Obstacle._meta.get_field(name).blank, name


def test_the_action_owner_agency_due_date_and_person_are_not_marked_optional(cast, forum):
    html = cast.client(cast.editor).get(reverse("engagements:session", args=[A, forum.sessions[0].pk])).content.decode()
    labels = parse(html).label_text
    for field in ("owner_opd", "owner_name", "due_on", "text"):
        assert "optional" not in labels[f"id_action-{field}"], field
    assert "optional" in labels["id_action-owner_email"]  # really optional, and says so


def test_the_ministry_response_form_requires_what_the_service_requires(cast, forum):
    obstacle = _escalated(cast, forum)
    form = MinistryResponseForm(instance=obstacle)
    assert all(form.fields[n].required for n in ("ministry_status", "ministry_owner", "ministry_note"))
    with pytest.raises(ValidationError) as refused:
        services.respond_to_escalation(
            actor=cast.ministry,
            obstacle=obstacle,
            data={"ministry_status": "received"},
            expected_version=stored_version(obstacle),
        )
    assert set(refused.value.error_dict) == {"ministry_owner", "ministry_note"}


# 13. The ministry answers an escalation ------------------------------------------------------


def test_the_ministry_responds_to_an_escalation_audited_and_version_checked(cast, forum):
    obstacle = _escalated(cast, forum)
    answered = services.respond_to_escalation(
        actor=cast.ministry,
        obstacle=obstacle,
        data={"ministry_status": "in_progress", "ministry_owner": "Dit. Tata Kelola", "ministry_note": "Draf Perwal."},
        expected_version=obstacle.version,
        today=D(2024, 6, 20),
    )
    assert answered.version == obstacle.version + 1 and answered.ministry_responded_on == D(2024, 6, 20)
    assert answered.status == "escalated"  # the region still closes it at a session
    entry = AuditEntry.objects.filter(actor=cast.ministry, object_id=str(obstacle.pk)).latest("at")
    assert entry.before["ministry_status"] == "" and entry.after["ministry_status"] == "in_progress"
    with pytest.raises(EditConflict):
        services.respond_to_escalation(
            actor=cast.ministry,
            obstacle=obstacle,
            data={"ministry_status": "resolved", "ministry_owner": "X", "ministry_note": "Y"},
            expected_version=obstacle.version,
        )


@pytest.mark.parametrize("who", ["owner", "editor", "viewer", "mentor", "outsider"])
def test_only_the_ministry_may_respond_in_the_service(cast, forum, who):
    obstacle = _escalated(cast, forum)
    with pytest.raises(PermissionDenied):
        services.respond_to_escalation(
            actor=getattr(cast, who),
            obstacle=obstacle,
            data={"ministry_status": "received", "ministry_owner": "X", "ministry_note": "Y"},
            expected_version=stored_version(obstacle),
        )


def test_an_obstacle_not_escalated_cannot_be_answered(cast, forum):
    _action, obstacle = _populate(cast, forum)
    with pytest.raises(ValidationError):
        services.respond_to_escalation(
            actor=cast.ministry,
            obstacle=obstacle,
            data={"ministry_status": "received", "ministry_owner": "X", "ministry_note": "Y"},
            expected_version=stored_version(obstacle),
        )
    url = reverse("engagements:obstacle_respond", args=[A, obstacle.pk])
    assert cast.client(cast.ministry).get(url).status_code == 404


@pytest.mark.parametrize(
    ("who", "status"),
    [("ministry", 200), ("owner", 403), ("editor", 403), ("viewer", 403), ("mentor", 403), ("outsider", 404)],
)
def test_the_response_page_is_for_the_ministry_and_hidden_from_the_outsider(cast, forum, who, status):
    obstacle = _escalated(cast, forum)
    client = cast.client(getattr(cast, who))
    url = reverse("engagements:obstacle_respond", args=[A, obstacle.pk])
    assert client.get(url).status_code == status
    data = {
        "ministry_status": "received",
        "ministry_owner": "Dit. Tata Kelola",
        "ministry_note": "Diterima",
        "version": obstacle.version,
    }
    assert client.post(url, data).status_code == (302 if who == "ministry" else status)
    assert (Obstacle.objects.get(pk=obstacle.pk).ministry_status == "received") is (who == "ministry")


def test_an_obstacle_of_region_b_is_404_through_region_a_for_the_ministry(cast, forum):
    obstacle = services.raise_obstacle(
        actor=None, session=forum.session_b, data={"description": "B", "category": "data"}
    )
    services.update_obstacle(
        actor=None,
        obstacle=obstacle,
        data={"status": "escalated"},
        expected_version=stored_version(obstacle),
    )
    assert (
        cast.client(cast.ministry).get(reverse("engagements:obstacle_respond", args=[A, obstacle.pk])).status_code
        == 404
    )


def test_the_region_and_its_mentors_read_the_ministrys_response_on_the_obstacle(cast, forum):
    obstacle = _escalated(cast, forum)
    ministry = cast.client(cast.ministry)
    escalated = ministry.get(reverse("engagements:escalated")).content.decode()
    respond_url = reverse("engagements:obstacle_respond", args=[A, obstacle.pk])
    assert respond_url in escalated and "No response from the ministry yet." in escalated
    response = ministry.post(
        respond_url,
        {
            "ministry_status": "in_progress",
            "ministry_owner": "Dit. Tata Kelola",
            "ministry_note": "Draf Perwal disiapkan.",
            "version": obstacle.version,
        },
    )
    assert response.status_code == 302
    for who in ("owner", "editor", "viewer", "mentor"):
        client = cast.client(getattr(cast, who))
        for url in (
            reverse("engagements:obstacles", args=[A, forum.engagement.pk]),
            reverse("engagements:session", args=[A, forum.sessions[0].pk]),
        ):
            html = client.get(url).content.decode()
            assert "Dit. Tata Kelola" in html and "Draf Perwal disiapkan." in html, (who, url)
    assert "Dit. Tata Kelola" in ministry.get(reverse("engagements:escalated")).content.decode()
    register = reverse("engagements:obstacles", args=[A, forum.engagement.pk])
    assert respond_url in ministry.get(register).content.decode()
    assert respond_url not in cast.client(cast.mentor).get(register).content.decode()


def test_a_stale_response_form_is_a_conflict_that_keeps_the_input(cast, forum):
    obstacle = _escalated(cast, forum)
    services.update_obstacle(
        actor=cast.mentor,
        obstacle=obstacle,
        data={"owner_name": "Sekda"},
        expected_version=obstacle.version,
    )
    response = cast.client(cast.ministry).post(
        reverse("engagements:obstacle_respond", args=[A, obstacle.pk]),
        {
            "ministry_status": "received",
            "ministry_owner": "Bu Rina",
            "ministry_note": "Diterima",
            "version": obstacle.version,
        },
    )
    assert response.status_code == 409 and "Bu Rina" in response.content.decode()


def test_the_region_admin_is_told_who_may_escalate(cast, forum):
    _action, obstacle = _populate(cast, forum)
    html = cast.client(cast.owner).get(reverse("engagements:obstacle_edit", args=[A, obstacle.pk])).content.decode()
    assert 'value="escalated"' not in html
    assert "ask your mentor to escalate it" in html
    mentor_html = (
        cast.client(cast.mentor).get(reverse("engagements:obstacle_edit", args=[A, obstacle.pk])).content.decode()
    )
    assert 'value="escalated"' in mentor_html and "ask your mentor" not in mentor_html


# 22. Open actions from earlier sessions are open -------------------------------------------


def test_a_done_action_is_not_listed_among_the_open_actions_of_later_sessions(cast, forum):
    s1, s2 = forum.sessions[0], forum.sessions[1]
    action, _obstacle = _populate(cast, forum)
    other = services.add_outcome(
        actor=None,
        session=s1,
        data={
            "kind": "action",
            "text": "Kirim Renstra",
            "owner_opd": cast.opd_a,
            "owner_name": "Ani",
            "due_on": D(2024, 8, 1),
        },
    ).action
    # Done on the first day of Bimtek II, as the demo's SWOT action was.
    services.update_action(
        actor=cast.editor, action=action, data={"status": "done"}, expected_version=action.version, today=s2.starts_on
    )
    assert [a.title for a in selectors.carried_actions(s2)] == [other.title]
    html = cast.client(cast.viewer).get(reverse("engagements:session", args=[A, s2.pk])).content.decode()
    carried = html[html.index('id="carried"') : html.index('id="attendance-title"')]
    assert "Kirim Renstra" in carried and "Lengkapi SWOT" not in carried


# 28. Stage counts agree with the items --------------------------------------------------------


def test_a_stage_counts_its_outputs_not_tracked_yet_in_the_total():
    progress = stages.evaluate({"swot_kinds": {"S", "W", "O", "T"}, "vision_keywords": 3})[0]
    assert (progress.done, progress.total, progress.not_tracked) == (2, 4, 2)


def test_the_dashboard_heading_agrees_with_the_stage_items(cast, forum):
    html = (
        cast.client(cast.viewer).get(reverse("engagements:dashboard", args=[A, forum.engagement.pk])).content.decode()
    )
    # No master plan edition in the fixture: its two outputs are not tracked, and the heading says so;
    # readiness and gaps are tracked from the assessments (none accepted: missing).
    assert "(0 of 4 done; 2 not tracked yet)" in html
    assert "(0/0)" not in html


# 21. The minutes: region label, the UI's status words, A4, signatures, mentors present ---------


def _minutes_session(cast, forum):
    s1 = forum.sessions[0]
    lead = services.add_mentor(
        actor=None, engagement=forum.engagement, data={"person_name": "Dr. Sari", "institution": "UGM", "role": "lead"}
    )
    services.add_mentor(
        actor=None, engagement=forum.engagement, data={"person_name": "Absen", "institution": "ITB", "role": "expert"}
    )
    services.record_attendance(actor=None, session=s1, opd=cast.opd_a, data={"status": "delegate"})
    services.raise_obstacle(actor=None, session=s1, data={"description": "SDM", "category": "hr"})
    client = cast.client(cast.mentor)
    response = client.post(
        reverse("engagements:minutes", args=[A, s1.pk]),
        {
            "chair": "Sekda Kota",
            "minute_taker": "Staf Diskominfo",
            "minutes": "Dibuka.",
            "mentors_present": [lead.pk],
            "version": Session.objects.get(pk=s1.pk).version,
        },
    )
    assert response.status_code == 302
    return s1, lead


def test_the_minutes_form_records_the_mentors_present_from_this_team_only(cast, forum):
    s1, lead = _minutes_session(cast, forum)
    assert list(s1.mentors_present.all()) == [lead]
    other_team = MentorTeamMember.objects.create(
        region=cast.region_b, engagement=forum.engagement_b, person_name="Lain", institution="X"
    )
    response = cast.client(cast.mentor).post(
        reverse("engagements:minutes", args=[A, s1.pk]),
        {"minutes": "Dibuka.", "mentors_present": [other_team.pk], "version": Session.objects.get(pk=s1.pk).version},
    )
    assert response.status_code == 200 and list(s1.mentors_present.all()) == [lead]


def test_the_minutes_read_the_region_label_and_the_interfaces_status_words(cast, forum):
    s1, _lead = _minutes_session(cast, forum)
    page = selectors.session_page(cast.region_a, s1.pk, D(2024, 6, 10))
    report = minutes.build(page)
    facts = dict(report.facts)
    assert facts["Daerah"] == "Kota Solok"
    with translation.override("id"):
        assert facts["Status"] == str(page.session.get_status_display())
        recorded = next(i for i, line in enumerate(page.attendance) if line.row)
        assert report.attendance[recorded].cells[2] == str(page.attendance[recorded].row.get_status_display())
        assert report.obstacles[0].cells[1] == str(page.obstacles_raised[0].get_category_display())
    assert [row.cells[0] for row in report.mentors] == ["Dr. Sari"]
    assert report.signatures == [("Pimpinan rapat", "Sekda Kota"), ("Notulis", "Staf Diskominfo")]


def test_the_docx_minutes_are_a4_with_the_signature_block_and_the_mentors_present(cast, forum):
    from docx import Document
    from docx.shared import Cm

    s1, _lead = _minutes_session(cast, forum)
    response = cast.client(cast.viewer).get(reverse("engagements:minutes_docx", args=[A, s1.pk]))
    doc = Document(io.BytesIO(response.content))
    section = doc.sections[0]
    assert abs(section.page_width - Cm(21)) < Cm(0.05) and abs(section.page_height - Cm(29.7)) < Cm(0.05)
    # The margins of every document of the pipeline (reports/renderers), as in the PDF.
    assert abs(section.left_margin - Cm(2.2)) < Cm(0.05) and abs(section.bottom_margin - Cm(2)) < Cm(0.05)
    text = "\n".join(
        [p.text for p in doc.paragraphs]
        + [cell.text for table in doc.tables for row in table.rows for cell in row.cells]
    )
    assert "Kota Solok" in text and "kota Solok" not in text
    assert "Tim pendamping yang hadir" in text and "Dr. Sari" in text and "Absen" not in text
    assert "Pengesahan" in text and "Pimpinan rapat," in text and "Notulis," in text and "Sekda Kota" in text


@pytest.mark.skipif(shutil.which("pdftotext") is None, reason="pdftotext (poppler-utils) is not installed")
def test_the_pdf_minutes_carry_the_signature_block_and_the_mentors_present(cast, forum, tmp_path: Path):
    s1, _lead = _minutes_session(cast, forum)
    response = cast.client(cast.viewer).get(reverse("engagements:minutes_pdf", args=[A, s1.pk]))
    path = tmp_path / "notulen.pdf"
    path.write_bytes(response.content)
    done = subprocess.run(["pdftotext", str(path), "-"], capture_output=True, check=True, timeout=60)  # noqa: S607
    text = " ".join(done.stdout.decode().split())
    assert "Daerah Kota Solok" in text
    assert "Tim pendamping yang hadir" in text and "Dr. Sari" in text and "Absen" not in text
    assert "Pengesahan" in text and "Pimpinan rapat," in text and "Staf Diskominfo" in text


def test_the_minutes_come_from_the_document_pipeline_a4_with_page_numbers(cast, forum):
    from docx import Document

    s1, _lead = _minutes_session(cast, forum)
    client = cast.client(cast.viewer)
    doc = Document(io.BytesIO(client.get(reverse("engagements:minutes_docx", args=[A, s1.pk])).content))
    footer = doc.sections[0].footer._element.xml
    assert "NUMPAGES" in footer and "halaman" in footer  # the pipeline's "page X of Y", in Indonesian
    headings = {p.style.name for p in doc.paragraphs if p.style.name.startswith("Heading")}
    assert headings == {"Heading 1", "Heading 2"}  # the pipeline's styles: the title, then each part
    assert cast.client(cast.outsider).get(reverse("engagements:minutes_docx", args=[A, s1.pk])).status_code == 404


@pytest.mark.skipif(shutil.which("pdfinfo") is None, reason="pdfinfo (poppler-utils) is not installed")
def test_the_pdf_minutes_are_a4_on_every_page(cast, forum, tmp_path: Path):
    s1, _lead = _minutes_session(cast, forum)
    path = tmp_path / "notulen.pdf"
    path.write_bytes(cast.client(cast.viewer).get(reverse("engagements:minutes_pdf", args=[A, s1.pk])).content)
    done = subprocess.run(["pdfinfo", "-l", "-1", str(path)], capture_output=True, check=True, timeout=60)  # noqa: S607
    sizes = [line for line in done.stdout.decode().splitlines() if line.startswith("Page") and "size:" in line]
    assert sizes and all("(A4)" in line for line in sizes)


def test_the_minutes_wording_comes_from_the_catalogue_in_indonesian():
    """Issue 12 §7: the minutes' fixed wording is translatable text, read in Indonesian."""
    from django.utils import translation

    from kotacerdas.engagements.minutes import WORDING

    with translation.override("id"):
        indonesian = {key: str(text) for key, text in WORDING.items()}
    with translation.override("en"):
        english = {key: str(text) for key, text in WORDING.items()}
    same = {key for key in WORDING if indonesian[key] == english[key]}
    assert same == {"status", "agenda"}  # the same word in both languages
    assert indonesian["title"] == "BERITA ACARA DAN NOTULEN"
