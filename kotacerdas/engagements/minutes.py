"""The minutes (notulen / berita acara) of a session: data first, then PDF and DOCX renderers.

The minutes are an official Indonesian document handed to the region and the ministry, so they
are always in Bahasa Indonesia whatever the reader's interface language: their fixed wording is
kept here (``ID``) rather than in the interface catalogue, and dates use Django's Indonesian
locale formats. Labels the interface also shows (session status, attendance, obstacle
category) are the models' own ``get_*_display`` read in Indonesian, so the document and the
pages never word the same state differently.
"""

from __future__ import annotations

import datetime
import io
from dataclasses import dataclass, field

from django.template.loader import render_to_string
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


def render_pdf(report: MinutesReport) -> bytes:
    from weasyprint import HTML  # imported late: loading Pango costs time every command would pay

    source = render_to_string("engagements/minutes_print.html", {"r": report, "L": report.labels})
    content = HTML(string=source).write_pdf()
    assert content is not None
    return content


def render_docx(report: MinutesReport) -> bytes:
    from docx import Document
    from docx.shared import Cm, Pt

    L = report.labels
    doc = Document()
    # A4 with the PDF's margins (python-docx's default template is US Letter).
    for page in doc.sections:
        page.page_width, page.page_height = Cm(21), Cm(29.7)
        page.top_margin, page.bottom_margin = Cm(2), Cm(2.2)
        page.left_margin, page.right_margin = Cm(2), Cm(2)
    doc.styles["Normal"].font.name = "Arial"
    doc.styles["Normal"].font.size = Pt(10)
    doc.add_heading(report.heading, level=0)
    doc.add_paragraph(report.subtitle).runs[0].bold = True
    if not report.closed:
        doc.add_paragraph(L["draft"]).runs[0].italic = True
    if report.sample:
        doc.add_paragraph(L["sample"]).runs[0].italic = True
    table = doc.add_table(rows=0, cols=2)
    table.style = "Table Grid"
    for label, value in report.facts:
        cells = table.add_row().cells
        cells[0].text, cells[1].text = label, value

    def rows_table(heading: str, header: list[str], rows: list[Row], empty: str = L["none"]) -> None:
        doc.add_heading(heading, level=1)
        if not rows:
            doc.add_paragraph(empty)
            return
        grid = doc.add_table(rows=1, cols=len(header))
        grid.style = "Table Grid"
        for cell, text in zip(grid.rows[0].cells, header, strict=True):
            cell.text = text
            cell.paragraphs[0].runs[0].bold = True
        for row in rows:
            for cell, text in zip(grid.add_row().cells, row.cells, strict=True):
                cell.text = text

    doc.add_heading(L["agenda"], level=1)
    for section, item in report.agenda or [("", L["none"])]:
        doc.add_paragraph(f"{section}: {item}" if section else item, style="List Bullet")
    rows_table(L["carried"], [L["actions"], L["owner"], L["due"], L["stage"]], report.carried)
    rows_table(L["attendance"], [L["opd"], L["attendee"], L["presence"], L["signed"]], report.attendance)
    doc.add_paragraph(report.attendance_summary)
    rows_table(L["mentors_present"], [L["name"], L["institution"], L["mentor_role"]], report.mentors, L["not_recorded"])
    doc.add_heading(L["minutes"], level=1)
    for paragraph in (report.minutes or L["none"]).split("\n"):
        doc.add_paragraph(paragraph)
    for heading, items in ((L["information"], report.information), (L["decisions"], report.decisions)):
        doc.add_heading(heading, level=1)
        for text in items or [L["none"]]:
            doc.add_paragraph(text, style="List Number" if items else None)
    rows_table(L["actions"], [L["actions"], L["owner"], L["due"]], report.actions)
    rows_table(L["obstacles"], [L["obstacles"], L["category"], L["solution"], L["owner"]], report.obstacles)
    doc.add_heading(L["signatures"], level=1)
    signatures = doc.add_table(rows=3, cols=len(report.signatures))
    for column, (role, name) in enumerate(report.signatures):
        signatures.cell(0, column).text = f"{role},"
        signatures.cell(1, column).text = "\n\n\n"
        signatures.cell(2, column).text = name
    buffer = io.BytesIO()
    doc.save(buffer)
    return buffer.getvalue()
