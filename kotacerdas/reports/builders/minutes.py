"""The minutes (berita acara and notulen) of a session as a typed document.

The same renderers as the books (A4, the same styles, "page X of Y"), as a short document: no
cover page and no table of contents. The wording comes with the report
(``engagements.minutes.MinutesReport``), which is always in Bahasa Indonesia.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.utils.translation import gettext as _

from kotacerdas.reports.document import (
    Block,
    Cell,
    Column,
    Cover,
    Document,
    Heading,
    ListBlock,
    Paragraph,
    Run,
    Table,
)

if TYPE_CHECKING:
    from kotacerdas.engagements.minutes import MinutesReport, Row


def _rows(heading: str, header: list[str], rows: list[Row], empty: str, widths: list[float]) -> list[Block]:
    if not rows:
        return [Heading(heading), Paragraph.of(empty)]
    columns = [Column(label, width) for label, width in zip(header, widths, strict=True)]
    return [Heading(heading), Table(columns, [Table.cells(*row.cells) for row in rows])]


def _numbered(heading: str, items: list[str], empty: str) -> list[Block]:
    if not items:
        return [Heading(heading), Paragraph.of(empty)]
    return [Heading(heading), ListBlock([[Run(text)] for text in items], ordered=True)]


def document(report: MinutesReport) -> Document:
    """Call under ``translation.override("id")`` like every document (the page label is translated)."""
    L = report.labels
    region = dict(report.facts).get(L["region"], "")
    doc = Document(
        kind="minutes",
        title=report.heading,
        running_header=f"{region} · {report.subtitle}",
        cover=Cover(kicker="", title=report.heading, region=region, edition=report.subtitle, year=""),
        page_label=_("page {page} of {pages}"),
        short=True,
    )
    chapter = doc.chapter("minutes", report.heading, number=False)
    blocks = chapter.blocks
    blocks.append(Paragraph.of(report.subtitle, bold=True))
    if not report.closed:
        blocks.append(Paragraph([Run(L["draft"], italic=True)], "meta"))
    if report.sample:
        blocks.append(Paragraph([Run(L["sample"], italic=True)], "meta"))
    blocks.append(
        Table(
            [Column("", 3), Column("", 7)],
            [[Cell(label, bold=True), Cell(value)] for label, value in report.facts],
            header=False,
        )
    )
    blocks.append(Heading(L["agenda"]))
    if report.agenda:
        blocks.append(
            ListBlock(
                [
                    [Run(f"{section}: ", bold=True), Run(item)] if section else [Run(item)]
                    for section, item in report.agenda
                ],
                ordered=True,
            )
        )
    else:
        blocks.append(Paragraph.of(L["none"]))
    blocks += _rows(
        L["carried"], [L["actions"], L["owner"], L["due"], L["stage"]], report.carried, L["none"], [4, 3, 1.6, 2.4]
    )
    blocks += _rows(
        L["attendance"],
        [L["opd"], L["attendee"], L["presence"], L["signed"]],
        report.attendance,
        L["none"],
        [4, 3, 1.6, 1.4],
    )
    blocks.append(Paragraph.of(report.attendance_summary))
    blocks += _rows(
        L["mentors_present"],
        [L["name"], L["institution"], L["mentor_role"]],
        report.mentors,
        L["not_recorded"],
        [3, 4, 3],
    )
    blocks.append(Heading(L["minutes"]))
    blocks += [Paragraph.of(line) for line in (report.minutes or L["none"]).split("\n")]
    blocks += _numbered(L["information"], report.information, L["none"])
    blocks += _numbered(L["decisions"], report.decisions, L["none"])
    blocks += _rows(L["actions"], [L["actions"], L["owner"], L["due"]], report.actions, L["none"], [5, 3.4, 1.6])
    blocks += _rows(
        L["obstacles"],
        [L["obstacles"], L["category"], L["solution"], L["owner"]],
        report.obstacles,
        L["none"],
        [4, 1.8, 3, 2],
    )
    # The berita acara is signed by who chaired and who took the minutes, side by side, with room to sign.
    blocks.append(Heading(L["signatures"]))
    signatories = report.signatures
    blocks.append(
        Table(
            [Column("", 1, "center") for _signatory in signatories],
            [
                [Cell(f"{role},", align="center") for role, _name in signatories],
                [Cell("\n\n\n", align="center") for _signatory in signatories],
                [Cell(name, align="center", bold=True) for _role, name in signatories],
            ],
            header=False,
            ruled=False,
        )
    )
    return doc
