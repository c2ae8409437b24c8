"""DOCX through python-docx, for a city that keeps editing its book in Word or LibreOffice.

Real Heading 1–3 styles (so Word's navigation and table of contents work), an updatable TOC
field (Word refreshes it on opening; LibreOffice on Tools → Update), tables whose header row
repeats on every page, "page X of Y" fields in the footer, A4 portrait with landscape sections
for wide tables and the roadmap grids. Charts become native tables: no SVG-to-PNG converter is
installed (cairosvg is not a dependency), and a table stays editable.

Tables are written as WordprocessingML directly: python-docx's cell API is too slow for a
300-programme book (tens of thousands of cells).
"""

from __future__ import annotations

import io
from typing import Any
from xml.sax.saxutils import escape

from django.utils.translation import gettext as _
from docx import Document as new_docx
from docx.enum.section import WD_ORIENT, WD_SECTION
from docx.enum.text import WD_ALIGN_PARAGRAPH, WD_BREAK
from docx.oxml import parse_xml
from docx.oxml.ns import nsdecls, qn
from docx.shared import Mm, Pt, RGBColor
from docx.text.paragraph import Paragraph as DocxParagraph

from kotacerdas.reports.document import Block, Cell, Document, Figure, Run, Table

W = 'xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"'
PORTRAIT_WIDTH_TWIPS = int((210 - 40) * 56.7)
LANDSCAPE_WIDTH_TWIPS = int((297 - 36) * 56.7)
HEADER_FILL = "1D3557"
FONT = "Arial"


def _field(paragraph: DocxParagraph, instruction: str, placeholder: str = "") -> None:
    """A complex field (PAGE, NUMPAGES, TOC) that Word and LibreOffice compute."""
    run = paragraph.add_run()
    run._r.append(parse_xml(f'<w:fldChar {nsdecls("w")} w:fldCharType="begin" w:dirty="true"/>'))
    run = paragraph.add_run()
    run._r.append(parse_xml(f'<w:instrText {nsdecls("w")} xml:space="preserve"> {instruction} </w:instrText>'))
    run = paragraph.add_run()
    run._r.append(parse_xml(f'<w:fldChar {nsdecls("w")} w:fldCharType="separate"/>'))
    paragraph.add_run(placeholder)
    run = paragraph.add_run()
    run._r.append(parse_xml(f'<w:fldChar {nsdecls("w")} w:fldCharType="end"/>'))


def _page_setup(section: Any, landscape: bool) -> None:
    section.orientation = WD_ORIENT.LANDSCAPE if landscape else WD_ORIENT.PORTRAIT
    section.page_width, section.page_height = (Mm(297), Mm(210)) if landscape else (Mm(210), Mm(297))
    if landscape:
        section.left_margin = section.right_margin = Mm(18)
        section.top_margin, section.bottom_margin = Mm(20), Mm(18)
    else:
        section.left_margin, section.right_margin = Mm(22), Mm(18)
        section.top_margin, section.bottom_margin = Mm(22), Mm(20)


def _styles(document: Any) -> None:
    normal = document.styles["Normal"]
    normal.font.name = FONT
    normal.font.size = Pt(10)
    normal.element.rPr.rFonts.set(qn("w:eastAsia"), FONT)
    for level, size in ((1, 16), (2, 13), (3, 11)):
        style = document.styles[f"Heading {level}"]
        style.font.name = FONT
        style.font.size = Pt(size)
        style.font.color.rgb = RGBColor(0x1D, 0x35, 0x57)
    document.styles["Title"].font.name = FONT


def _header_footer(section: Any, doc: Document) -> None:
    header = section.header.paragraphs[0]
    header.text = doc.running_header
    header.runs[0].font.size = Pt(8)
    header.runs[0].font.color.rgb = RGBColor(0x50, 0x5A, 0x5F)
    footer = section.footer.paragraphs[0]
    footer.alignment = WD_ALIGN_PARAGRAPH.CENTER
    label = doc.page_label
    while label:
        head, sep, tail = label.partition("{")
        if head:
            footer.add_run(head)
        if not sep:
            break
        name, _sep, label = tail.partition("}")
        _field(footer, "NUMPAGES" if name == "pages" else "PAGE", "1")
    for run in footer.runs:
        run.font.size = Pt(8)


def _run_xml(text: str, *, bold: bool = False, size: int = 18, colour: str = "") -> str:
    props = ("<w:b/>" if bold else "") + (f'<w:color w:val="{colour}"/>' if colour else "") + f'<w:sz w:val="{size}"/>'
    return f'<w:r><w:rPr>{props}</w:rPr><w:t xml:space="preserve">{escape(text)}</w:t></w:r>'


def entry_xml(runs: list[Run]) -> str:
    """An appendix entry in small type, kept on one page, its lines broken where the text has
    newlines. Written as XML: python-docx's run and break objects for the 1,000 lines of a
    300-programme appendix took longer than the rest of the book."""
    parts = []
    for r in runs:
        for n, line in enumerate(r.text.split("\n")):
            if n:
                parts.append("<w:r><w:br/></w:r>")
            if line:
                parts.append(_run_xml(line, bold=r.bold, size=15))
    return f'<w:p {W}><w:pPr><w:keepLines/><w:spacing w:after="60"/></w:pPr>{"".join(parts)}</w:p>'


def _cell_xml(c: Cell, width: int, size: int, header: bool = False) -> str:
    shade = HEADER_FILL if header else c.shade.lstrip("#").upper()
    colour = "FFFFFF" if header else c.colour.lstrip("#").upper()
    jc = {"right": "right", "center": "center"}.get(c.align, "left")
    props = f'<w:tcW w:w="{width}" w:type="dxa"/>' + (
        f'<w:shd w:val="clear" w:color="auto" w:fill="{shade}"/>' if shade else ""
    )
    paragraphs = "".join(
        f'<w:p><w:pPr><w:spacing w:before="0" w:after="0"/><w:jc w:val="{jc}"/></w:pPr>'
        f"{_run_xml(line, bold=header or c.bold, size=size, colour=colour) if line else ''}</w:p>"
        for line in (c.text.split("\n") or [""])
    )
    return f"<w:tc><w:tcPr>{props}</w:tcPr>{paragraphs}</w:tc>"


def table_xml(t: Table, landscape: bool) -> str:
    available = LANDSCAPE_WIDTH_TWIPS if landscape else PORTRAIT_WIDTH_TWIPS
    total = sum(c.width for c in t.columns) or 1
    widths = [int(available * c.width / total) for c in t.columns]
    size = 14 if t.compact else 17  # half-points
    grid = "".join(f'<w:gridCol w:w="{w}"/>' for w in widths)
    head = "".join(
        _cell_xml(Cell(c.label, c.align), w, size, header=True) for c, w in zip(t.columns, widths, strict=True)
    )
    head_row = f"<w:tr><w:trPr><w:tblHeader/><w:cantSplit/></w:trPr>{head}</w:tr>" if t.header else ""
    style = '<w:tblStyle w:val="TableGrid"/>' if t.ruled else ""
    rows = [
        "<w:tr><w:trPr><w:cantSplit/></w:trPr>"
        + "".join(_cell_xml(c, w, size) for c, w in zip(row, widths, strict=False))
        + "</w:tr>"
        for row in t.rows
    ]
    return (
        f'<w:tbl {W}><w:tblPr>{style}<w:tblW w:w="{sum(widths)}" w:type="dxa"/>'
        '<w:tblLayout w:type="fixed"/><w:tblCellMar><w:left w:w="70" w:type="dxa"/><w:right w:w="70" w:type="dxa"/>'
        "</w:tblCellMar></w:tblPr>"
        f"<w:tblGrid>{grid}</w:tblGrid>"
        f"{head_row}{''.join(rows)}</w:tbl>"
    )


class _Writer:
    def __init__(self, doc: Document) -> None:
        self.doc = doc
        self.document = new_docx()
        self.landscape = False
        _styles(self.document)
        section = self.document.sections[0]
        _page_setup(section, False)
        # The cover has no header or page number (a short document has no cover).
        section.different_first_page_header_footer = not doc.short
        _header_footer(section, doc)
        settings = self.document.settings.element
        settings.append(parse_xml(f'<w:updateFields {nsdecls("w")} w:val="true"/>'))

    def orientation(self, landscape: bool) -> None:
        if landscape == self.landscape:
            return
        section = self.document.add_section(WD_SECTION.NEW_PAGE)
        _page_setup(section, landscape)
        self.landscape = landscape

    def runs(self, paragraph: DocxParagraph, items: list[Run]) -> None:
        for r in items:
            parts = r.text.split("\n")
            for n, part in enumerate(parts):
                run = paragraph.add_run(part)
                run.bold, run.italic, run.underline = r.bold or None, r.italic or None, r.underline or None
                if n < len(parts) - 1:
                    run.add_break()

    def table(self, t: Table) -> None:
        if t.caption:
            self.document.add_paragraph(t.caption, style="Caption")
        body = self.document.element.body
        body._insert_tbl(parse_xml(table_xml(t, self.landscape)))
        self.document.add_paragraph().paragraph_format.space_after = Pt(2)

    def placeholder(self, text: str) -> None:
        p = self.document.add_paragraph()
        p._p.get_or_add_pPr().append(
            parse_xml(
                f'<w:pBdr {nsdecls("w")}><w:top w:val="dashed" w:sz="6" w:space="2" w:color="D4351C"/>'
                '<w:left w:val="dashed" w:sz="6" w:space="4" w:color="D4351C"/>'
                '<w:bottom w:val="dashed" w:sz="6" w:space="2" w:color="D4351C"/>'
                '<w:right w:val="dashed" w:sz="6" w:space="4" w:color="D4351C"/></w:pBdr>'
            )
        )
        p._p.get_or_add_pPr().append(parse_xml(f'<w:shd {nsdecls("w")} w:val="clear" w:color="auto" w:fill="FFF7F5"/>'))
        label = p.add_run(_("To be completed:") + " ")
        label.bold = True
        p.add_run(text).font.color.rgb = RGBColor(0x94, 0x25, 0x14)

    def block(self, b: Block, landscape: bool = False) -> None:
        self.orientation(landscape or bool(getattr(b, "wide", False)))
        kind = b.kind
        if kind == "paragraph" and b.style == "entry":  # type: ignore[union-attr]
            self.document.element.body._insert_p(parse_xml(entry_xml(b.runs)))  # type: ignore[union-attr]
        elif kind == "paragraph":
            p = self.document.add_paragraph()
            self.runs(p, b.runs)  # type: ignore[union-attr]
            if b.style == "lead":  # type: ignore[union-attr]
                for run in p.runs:
                    run.italic, run.font.size = True, Pt(12)
            elif b.style == "meta":  # type: ignore[union-attr]
                for run in p.runs:
                    run.font.color.rgb = RGBColor(0x50, 0x5A, 0x5F)
            elif b.style == "quote":  # type: ignore[union-attr]
                p.style = self.document.styles["Quote"]
        elif kind == "heading":
            self.document.add_heading(b.text, level=min(3, max(2, b.level)))  # type: ignore[union-attr]
        elif kind == "list":
            for n, item in enumerate(b.items, start=1):  # type: ignore[union-attr]
                if b.ordered:  # type: ignore[union-attr]
                    # Numbered by hand: Word's "List Number" keeps counting across the whole book.
                    p = self.document.add_paragraph(style="List Paragraph")
                    p.add_run(f"{n}. ")
                else:
                    p = self.document.add_paragraph(style="List Bullet")
                self.runs(p, item)
        elif kind == "table":
            self.table(b)  # type: ignore[arg-type]
        elif kind == "figure":
            assert isinstance(b, Figure)
            fallback = b.fallback
            if fallback is not None:
                self.table(
                    Table(fallback.columns, fallback.rows, caption=b.caption, wide=b.wide, compact=fallback.compact)
                )
        elif kind == "placeholder":
            self.placeholder(b.text)  # type: ignore[union-attr]
        elif kind == "pagebreak":
            self.document.add_paragraph().add_run().add_break(WD_BREAK.PAGE)

    def cover(self) -> None:
        cover, d = self.doc.cover, self.document
        for text, size, bold in (
            (cover.kicker.upper(), 14, False),
            (cover.title, 26, True),
            (cover.region, 18, True),
            (cover.edition, 12, False),
        ):
            p = d.add_paragraph()
            p.alignment = WD_ALIGN_PARAGRAPH.CENTER
            p.paragraph_format.space_before = Pt(24 if size == 14 else 6)
            run = p.add_run(text)
            run.font.size, run.bold = Pt(size), bold
        logo = d.add_paragraph()
        logo.alignment = WD_ALIGN_PARAGRAPH.CENTER
        logo.paragraph_format.space_before = logo.paragraph_format.space_after = Pt(48)
        logo.add_run(cover.logo_placeholder).font.color.rgb = RGBColor(0x50, 0x5A, 0x5F)
        for text in [*cover.lines, cover.year]:
            p = d.add_paragraph(text)
            p.alignment = WD_ALIGN_PARAGRAPH.CENTER
        if self.doc.sample_note:
            p = d.add_paragraph()
            p.alignment = WD_ALIGN_PARAGRAPH.CENTER
            p.paragraph_format.space_before = Pt(48)
            p.add_run(self.doc.sample_note).font.color.rgb = RGBColor(0x8A, 0x5A, 0x00)
        d.add_paragraph().add_run().add_break(WD_BREAK.PAGE)

    def write(self) -> bytes:
        if not self.doc.short:
            self.cover()
            self.toc_field()
        for chapter in self.doc.chapters:
            first = chapter.blocks[0] if chapter.blocks else None
            self.orientation(chapter.landscape or bool(first is not None and getattr(first, "wide", False)))
            heading = self.document.add_heading(chapter.heading, level=1)
            heading.paragraph_format.page_break_before = not self.doc.short
            for b in chapter.blocks:
                self.block(b, chapter.landscape)
        buffer = io.BytesIO()
        self.document.save(buffer)
        return buffer.getvalue()

    def toc_field(self) -> None:
        """The table of contents as a TOC field whose cached result already lists the chapters."""
        title = self.document.add_paragraph(self.doc.toc_title, style="TOC Heading")
        title.runs[0].font.size = Pt(16)
        p = self.document.add_paragraph()
        run = p.add_run()
        run._r.append(parse_xml(f'<w:fldChar {nsdecls("w")} w:fldCharType="begin" w:dirty="true"/>'))
        run = p.add_run()
        run._r.append(
            parse_xml(f'<w:instrText {nsdecls("w")} xml:space="preserve"> TOC \\o "1-2" \\h \\z \\u </w:instrText>')
        )
        run = p.add_run()
        run._r.append(parse_xml(f'<w:fldChar {nsdecls("w")} w:fldCharType="separate"/>'))
        p.add_run(self.doc.chapters[0].heading if self.doc.chapters else "")
        for chapter in self.doc.chapters[1:]:
            p = self.document.add_paragraph(chapter.heading)
        run = p.add_run()
        run._r.append(parse_xml(f'<w:fldChar {nsdecls("w")} w:fldCharType="end"/>'))


def render(doc: Document) -> bytes:
    return _Writer(doc).write()
