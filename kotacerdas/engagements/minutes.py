"""The minutes (notulen / berita acara) of a session: the data, rendered by the document pipeline.

``build`` reads a session page into a :class:`MinutesReport`; ``reports/builders/minutes.py``
turns it into a typed document, which the renderers of every document write as PDF or DOCX.

The minutes are an official Indonesian document handed to the region and the ministry, so they
are always in Bahasa Indonesia whatever the reader's interface language: their fixed wording is
kept here (``ID``) rather than in the interface catalogue, and dates use Django's Indonesian
locale formats. Labels the interface also shows (session status, attendance, obstacle
category) are the models' own ``get_*_display`` read in Indonesian, so the document and the
pages never word the same state differently.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field

from django.utils import translation
from django.utils.formats import date_format

from kotacerdas.engagements.selectors import SessionPage

ID = {
    "title": "BERITA ACARA DAN NOTULEN",
    "stage": "Bimtek tahap",
    "forum": "Forum tambahan",
    "engagement": "Pendampingan",
    "region": "Daerah",
    "date": "Tanggal",
    "venue": "Tempat",
    "chair": "Pimpinan rapat",
    "minute_taker": "Notulis",
    "status": "Status",
    "agenda": "Agenda",
    "carried": "Tindak lanjut dari sesi sebelumnya",
    "attendance": "Daftar hadir perangkat daerah",
    "opd": "Perangkat daerah",
    "attendee": "Nama / jabatan",
    "presence": "Kehadiran",
    "signed": "Tanda tangan",
    "minutes": "Notulen",
    "information": "Informasi",
    "decisions": "Keputusan",
    "actions": "Rencana tindak lanjut",
    "owner": "Penanggung jawab",
    "due": "Batas waktu",
    "obstacles": "Kendala",
    "category": "Kategori",
    "solution": "Usulan solusi",
    "none": "Tidak ada.",
    "yes": "sudah",
    "no": "belum",
    "sample": "Contoh data (bukan data resmi).",
    "draft": "DRAF: sesi belum ditutup; notulen masih dapat berubah.",
    "present_summary": "Hadir {present} dari {total} perangkat daerah.",
    "mentors_present": "Tim pendamping yang hadir",
    "name": "Nama",
    "mentor_role": "Peran",
    "institution": "Instansi",
    "not_recorded": "Tidak dicatat.",
    "signatures": "Pengesahan",
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
    labels: dict[str, str] = field(default_factory=lambda: ID)
    filename: str = "notulen"


def _day(value: datetime.date) -> str:
    return date_format(value, "j F Y")


def build(page: SessionPage) -> MinutesReport:
    s = page.session
    with translation.override("id"):
        dates = _day(s.starts_on) if s.starts_on == s.ends_on else f"{_day(s.starts_on)} – {_day(s.ends_on)}"
        stage = f"{ID['stage']} {s.stage}" if s.stage else ID["forum"]
        facts = [
            (ID["region"], str(s.region)),
            (ID["engagement"], str(s.engagement.cohort)),
            (ID["date"], dates),
            (ID["venue"], s.venue or "–"),
            (ID["chair"], s.chair or "–"),
            (ID["minute_taker"], s.minute_taker or "–"),
            (ID["status"], str(s.get_status_display())),
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
                    (ID["yes"] if line.row.signed else ID["no"]) if line.row else ID["no"],
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
        heading=ID["title"],
        subtitle=f"{stage}: {s.title}",
        facts=facts,
        agenda=[
            (item.section, item.title + (f" ({item.programme.code})" if item.programme else "")) for item in page.agenda
        ],
        carried=carried,
        attendance=attendance,
        attendance_summary=ID["present_summary"].format(present=page.present_count, total=len(page.attendance)),
        minutes=s.minutes,
        information=[o.text for o in page.outcomes if o.kind == "information"],
        decisions=[o.text for o in page.decisions],
        actions=actions,
        obstacles=obstacles,
        mentors=mentors,
        # The berita acara is signed by who chaired and who took the minutes; a name not
        # recorded leaves a dotted line to write it by hand.
        signatures=[(ID["chair"], s.chair or "." * 30), (ID["minute_taker"], s.minute_taker or "." * 30)],
        closed=s.is_closed,
        sample=page.has_sample_data,
        filename=f"notulen-{s.region.code}-{s.starts_on:%Y%m%d}",
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
