"""Buku 1, the strategic analysis: cover, forewords, introduction, concept, readiness, SWOT,
future analysis, gap analysis and the vision keywords, in the guide's chapter order."""

from __future__ import annotations

from django.utils.translation import gettext as _

from kotacerdas.assessments import charts
from kotacerdas.assessments.selectors import Analysis
from kotacerdas.plans.figures import outline
from kotacerdas.reports.builders.buku2 import title_of
from kotacerdas.reports.builders.common import (
    add_rich_text,
    close,
    level_text,
    new_document,
    score_text,
    sections_by_key,
)
from kotacerdas.reports.document import Cell, Chapter, Column, Document, Figure, Heading, Paragraph, Run, Table
from kotacerdas.reports.selectors import BookData


def build(data: BookData) -> Document:
    edition, region = data.edition, data.region
    doc = new_document(
        "buku1",
        _("Smart City Master Plan"),
        region,
        edition.title,
        _("Book 1 – Strategic analysis"),
        str(edition.year),
    )
    doc.cover.lines = [_("Plan period %(a)s–%(b)s") % {"a": edition.start_year, "b": edition.end_year}]
    if edition.is_sample or region.is_sample:
        doc.sample_note = _("Sample data: the content of this document was invented for the demo.")
    body = {k: s.get("body") or "" for k, s in sections_by_key(data.doc).items()}

    foreword = doc.chapter("foreword", _("Foreword"), number=False)
    foreword.blocks.append(Heading(_("Foreword of the head of region")))
    doc.placeholder(foreword, _("The foreword of the head of region (Wali Kota / Bupati) is to be written."))
    foreword.blocks.append(Heading(_("Foreword of the chair of the Dewan Smart City")))
    doc.placeholder(foreword, _("The foreword of the chair of the Dewan Smart City is to be written."))

    chapter = doc.chapter("b1-introduction", title_of(data, "b1-introduction"))
    chapter.blocks.append(Heading(_("Region profile")))
    rows = [
        Table.cells(_("Region"), str(region)),
        Table.cells(_("Province"), region.province),
        Table.cells(_("Kemendagri code"), region.code),
    ]
    if data.population is not None:
        rows.append(
            Table.cells(
                _("Population"), f"{data.population.population:,}".replace(",", ".") + f" ({data.population.year})"
            )
        )
    if edition.rpjmd_period:
        rows.append(Table.cells(_("RPJMD period"), edition.rpjmd_period))
    rows.append(Table.cells(_("Plan period"), f"{edition.start_year}–{edition.end_year}"))
    chapter.blocks.append(Table([Column(_("Item"), 1.2), Column(_("Value"), 3)], rows))
    chapter.blocks.append(Heading(_("Introduction and legal basis")))
    add_rich_text(
        doc, chapter, body.get("b1-introduction", ""), _("The introduction and the legal basis are not written yet.")
    )

    chapter = doc.chapter("b1-concept", title_of(data, "b1-concept"))
    add_rich_text(doc, chapter, body.get("b1-concept", ""), _("The region's smart city concept is not written yet."))
    taxonomy = data.doc["taxonomy"]
    chapter.blocks.append(Heading(_("Dimensions and elements used (%(code)s, version %(version)s)") % taxonomy))
    chapter.blocks.append(
        Table(
            [Column(_("Dimension"), 1.5), Column(_("Elements"), 4)],
            [
                Table.cells(f"{d['code']} {d['name']}", "; ".join(f"{e['code']} {e['name']}" for e in d["elements"]))
                for d in taxonomy["dimensions"]
            ],
        )
    )

    chapter = doc.chapter("b1-readiness", title_of(data, "b1-readiness"))
    add_rich_text(doc, chapter, body.get("b1-readiness", ""), None)
    if data.readiness is None:
        doc.placeholder(
            chapter,
            _("The readiness assessment (scores per readiness component and their chart) is not available yet."),
        )
    else:
        add_readiness(chapter, data.readiness)

    chapter = doc.chapter("b1-swot", title_of(data, "b1-swot"))
    add_rich_text(doc, chapter, body.get("b1-swot", ""), None)
    swot = data.doc.get("swot") or []
    if swot:
        names = data.extra.get("components") or {}
        groups: dict[str, dict[str, list[str]]] = {}
        for item in swot:
            key = item.get("component") or ""
            groups.setdefault(key, {"S": [], "W": [], "O": [], "T": []})[item["kind"]].append(item["text"])
        for key, kinds in groups.items():
            chapter.blocks.append(Heading(f"{key} {names.get(key, '')}".strip() if key else _("All components")))
            chapter.blocks.append(
                Table(
                    [Column(_("Strengths (internal)"), 1), Column(_("Weaknesses (internal)"), 1)],
                    [
                        [
                            Cell("\n".join(f"• {t}" for t in kinds["S"]) or "—"),
                            Cell("\n".join(f"• {t}" for t in kinds["W"]) or "—"),
                        ]
                    ],
                )
            )
            chapter.blocks.append(
                Table(
                    [Column(_("Opportunities (external)"), 1), Column(_("Threats (external)"), 1)],
                    [
                        [
                            Cell("\n".join(f"• {t}" for t in kinds["O"]) or "—"),
                            Cell("\n".join(f"• {t}" for t in kinds["T"]) or "—"),
                        ]
                    ],
                )
            )
    else:
        doc.placeholder(chapter, _("No SWOT item is recorded."))

    chapter = doc.chapter("b1-future", title_of(data, "b1-future"))
    add_rich_text(doc, chapter, body.get("b1-future", ""), _("The future and strategic analysis is not written yet."))

    chapter = doc.chapter("b1-gap", title_of(data, "b1-gap"))
    add_rich_text(doc, chapter, body.get("b1-gap", ""), _("The gap analysis is not written yet."))
    chapter.blocks.append(Heading(_("Coverage of the elements by the plan")))
    rows = []
    for dim in outline(data.doc):
        for el in dim.elements:
            state = (
                str(len(el.programmes))
                if el.programmes
                else (
                    _("not covered: %(reason)s") % {"reason": el.waiver}
                    if el.waiver is not None
                    else _("gap: no programme")
                )
            )
            rows.append(
                [
                    Cell(dim.code),
                    Cell(f"{el.code} {el.name}"),
                    Cell(state, shade="" if el.programmes or el.waiver is not None else "#fce8e6"),
                ]
            )
    chapter.blocks.append(
        Table([Column(_("Dimension"), 0.8), Column(_("Element"), 3), Column(_("Programmes"), 1.6)], rows)
    )

    chapter = doc.chapter("b1-vision", title_of(data, "b1-vision"))
    add_rich_text(doc, chapter, body.get("b1-vision", ""), None)
    header = data.doc["edition"]
    if header.get("vision_keywords"):
        chapter.blocks.append(
            Paragraph([Run(_("Vision keywords") + ": ", bold=True), Run(", ".join(header["vision_keywords"]))])
        )
    else:
        doc.placeholder(chapter, _("The vision keywords are not chosen yet."))
    if header.get("vision"):
        chapter.blocks.append(Paragraph.of(header["vision"], "lead"))
    else:
        doc.placeholder(chapter, _("The smart city vision is not written yet."))
    close(doc)
    return doc


def add_readiness(chapter: Chapter, readiness: Analysis) -> None:
    """Scores and levels per readiness component from the region's assessment, chart and table."""
    run, result = readiness.run, readiness.result
    chapter.blocks.append(
        Paragraph(
            [
                Run(
                    _("Scores from the assessment “%(title)s” of %(year)s (%(template)s), status: %(status)s.")
                    % {
                        "title": run.title or run.template.title,
                        "year": run.year,
                        "template": run.template.title,
                        "status": run.get_status_display(),
                    }
                )
            ]
        )
    )
    sections = readiness.sections
    rows = [
        [
            Cell(section.title),
            Cell(score_text(section.score), "right"),
            Cell(level_text(result, section.level)),
        ]
        for section in sections
    ]
    rows.append(
        [
            Cell(_("Overall")),
            Cell(score_text(result.tree.score), "right"),
            Cell(level_text(result, result.overall_level)),
        ]
    )
    table = Table(
        [Column(_("Readiness component"), 3), Column(_("Score (0-100)"), 1, "right"), Column(_("Level"), 2)], rows
    )
    title = _("Readiness score per component (0-100)")
    axes = [section.title for section in sections]
    series = [charts.Series(str(run.year), [section.score for section in sections])]
    if len(axes) >= 3:
        chapter.blocks.append(Figure(charts.radar(axes, series, title), title, None))  # the table follows
    chapter.blocks.append(table)
