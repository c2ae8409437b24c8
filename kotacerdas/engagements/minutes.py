"""The minutes (notulen / berita acara) of a session: the data, rendered by the document pipeline.

``build`` reads a session page into a :class:`MinutesReport`; ``reports/builders/minutes.py``
turns it into a typed document, which the renderers of every document write as PDF or DOCX.

The minutes are an official Indonesian document handed to the region and the ministry, so they
are always in Bahasa Indonesia whatever the reader's interface language: their fixed wording is
in the catalogue (context "minutes", ``WORDING``) and read in Indonesian, and dates use Django's
Indonesian locale formats. Labels the interface also shows (session status, attendance, obstacle
category) are the models' own ``get_*_display`` read in Indonesian, so the document and the
pages never word the same state differently.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field

from django.utils import translation
from django.utils.formats import date_format
from django.utils.translation import pgettext_lazy

from kotacerdas.engagements.selectors import SessionPage

# The fixed wording of the minutes, in the catalogue like all text (context "minutes"); the
# document reads it in Indonesian (see the module text).
WORDING = {
    "title": pgettext_lazy("minutes", "MINUTES AND RECORD OF PROCEEDINGS"),
    "stage": pgettext_lazy("minutes", "Bimtek stage"),
    "forum": pgettext_lazy("minutes", "Additional forum"),
    "engagement": pgettext_lazy("minutes", "Assistance"),
    "region": pgettext_lazy("minutes", "Region"),
    "date": pgettext_lazy("minutes", "Date"),
    "venue": pgettext_lazy("minutes", "Venue"),
    "chair": pgettext_lazy("minutes", "Chair of the meeting"),
    "minute_taker": pgettext_lazy("minutes", "Minute taker"),
    "status": pgettext_lazy("minutes", "Status"),
    "agenda": pgettext_lazy("minutes", "Agenda"),
    "carried": pgettext_lazy("minutes", "Follow-up from the previous session"),
    "attendance": pgettext_lazy("minutes", "Attendance of the regional agencies"),
    "opd": pgettext_lazy("minutes", "Regional agency"),
    "attendee": pgettext_lazy("minutes", "Name / position"),
    "presence": pgettext_lazy("minutes", "Attendance"),
    "signed": pgettext_lazy("minutes", "Signature"),
    "minutes": pgettext_lazy("minutes", "Minutes"),
    "information": pgettext_lazy("minutes", "Information"),
    "decisions": pgettext_lazy("minutes", "Decisions"),
    "actions": pgettext_lazy("minutes", "Follow-up plan"),
    "owner": pgettext_lazy("minutes", "Responsible"),
    "due": pgettext_lazy("minutes", "Deadline"),
    "obstacles": pgettext_lazy("minutes", "Obstacles"),
    "category": pgettext_lazy("minutes", "Category"),
    "solution": pgettext_lazy("minutes", "Proposed solution"),
    "none": pgettext_lazy("minutes", "None."),
    "yes": pgettext_lazy("minutes", "signed"),
    "no": pgettext_lazy("minutes", "not signed"),
    "sample": pgettext_lazy("minutes", "Sample data (not official data)."),
    "draft": pgettext_lazy("minutes", "DRAFT: the session is not closed yet; the minutes may still change."),
    "present_summary": pgettext_lazy("minutes", "%(present)s of %(total)s regional agencies present."),
    "mentors_present": pgettext_lazy("minutes", "Mentors present"),
    "name": pgettext_lazy("minutes", "Name"),
    "mentor_role": pgettext_lazy("minutes", "Role"),
    "institution": pgettext_lazy("minutes", "Institution"),
    "not_recorded": pgettext_lazy("minutes", "Not recorded."),
    "signatures": pgettext_lazy("minutes", "Approval"),
}


@dataclass
class Row:
    cells: list[str]


@dataclass
class MinutesReport:
    """The minutes as plain strings, ready for any renderer."""

    heading: str
    subtitle: str
    facts: list[tuple[str, str]]
    agenda: list[tuple[str, str]]
    carried: list[Row]
    attendance: list[Row]
    attendance_summary: str
    minutes: str
    information: list[str]
    decisions: list[str]
    actions: list[Row]
    obstacles: list[Row]
    mentors: list[Row]
    signatures: list[tuple[str, str]]
    closed: bool
    sample: bool
    labels: dict[str, str] = field(default_factory=dict)
    filename: str = "notulen"


def _day(value: datetime.date) -> str:
    return date_format(value, "j F Y")


def build(page: SessionPage) -> MinutesReport:
    s = page.session
    with translation.override("id"):
        words = {key: str(text) for key, text in WORDING.items()}
        dates = _day(s.starts_on) if s.starts_on == s.ends_on else f"{_day(s.starts_on)} – {_day(s.ends_on)}"
        stage = f"{words['stage']} {s.stage}" if s.stage else words["forum"]
        facts = [
            (words["region"], str(s.region)),
            (words["engagement"], str(s.engagement.cohort)),
            (words["date"], dates),
            (words["venue"], s.venue or "–"),
            (words["chair"], s.chair or "–"),
            (words["minute_taker"], s.minute_taker or "–"),
            (words["status"], str(s.get_status_display())),
        ]
        carried = [
            Row([a.title, f"{a.owner_opd} · {a.owner_name}", _day(a.due_on), a.session.title]) for a in page.carried
        ]
        actions = [Row([a.title, f"{a.owner_opd} · {a.owner_name}", _day(a.due_on)]) for a in page.actions]
        attendance = [
            Row(
                [
                    line.opd.name,
                    " / ".join(x for x in (line.row.person_name, line.row.position) if x) if line.row else "",
                    str(line.row.get_status_display()) if line.row else "–",
                    (words["yes"] if line.row.signed else words["no"]) if line.row else words["no"],
                ]
            )
            for line in page.attendance
        ]
        obstacles = [
            Row([o.description, str(o.get_category_display()), o.proposed_solution or "–", o.owner_name or "–"])
            for o in page.obstacles_raised
        ]
        mentors = [Row([m.person_name, m.institution, str(m.get_role_display())]) for m in page.mentors_present]
    return MinutesReport(
        heading=words["title"],
        subtitle=f"{stage}: {s.title}",
        facts=facts,
        agenda=[
            (item.section, item.title + (f" ({item.programme.code})" if item.programme else "")) for item in page.agenda
        ],
        carried=carried,
        attendance=attendance,
        attendance_summary=words["present_summary"] % {"present": page.present_count, "total": len(page.attendance)},
        minutes=s.minutes,
        information=[o.text for o in page.outcomes if o.kind == "information"],
        decisions=[o.text for o in page.decisions],
        actions=actions,
        obstacles=obstacles,
        mentors=mentors,
        # The berita acara is signed by who chaired and who took the minutes; a name not
        # recorded leaves a dotted line to write it by hand.
        signatures=[(words["chair"], s.chair or "." * 30), (words["minute_taker"], s.minute_taker or "." * 30)],
        closed=s.is_closed,
        sample=page.has_sample_data,
        filename=f"notulen-{s.region.code}-{s.starts_on:%Y%m%d}",
        labels=words,
    )


def _render(report: MinutesReport, fmt: str) -> bytes:
    # The document pipeline of decision 0003: the same A4 layout and styles as every other document.
    from kotacerdas.reports import generate
    from kotacerdas.reports.builders import minutes as builder

    with translation.override("id"):
        content, _pages, _outline = generate.render(builder.document(report), fmt)
    return content


def render_pdf(report: MinutesReport) -> bytes:
    return _render(report, "pdf")


def render_docx(report: MinutesReport) -> bytes:
    return _render(report, "docx")
