"""The assessment report of one run: cover, summary, scores per section (radar and table), each
section's elements and items, the ranked gaps, where assessors disagree, SWOT of the readiness
components and an appendix of the evidence behind the answers."""

from __future__ import annotations

from pathlib import PurePosixPath

from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from kotacerdas.assessments import charts, scoring
from kotacerdas.assessments.models import ReviewState, RunStatus, SwotEntry
from kotacerdas.assessments.selectors import DISAGREEMENT, RunResult
from kotacerdas.reports.builders.common import close, date, level_text, new_document, score_text
from kotacerdas.reports.document import Cell, Column, Document, Figure, Heading, Paragraph, Table
from kotacerdas.reports.selectors import AssessmentData

ELEMENT_SHADE = "#f3f2f1"


def build(data: AssessmentData) -> Document:
    run, result, region = data.run, data.result, data.region
    template = run.template
    doc = new_document(
        "assessment",
        run.title,
        region,
        _("%(template)s, version %(version)s") % {"template": template.title, "version": template.version},
        _("Assessment report"),
        str(run.year),
    )
    doc.running_header = f"{region} · {run.title}"
    doc.cover.lines = [_("Status: %(status)s") % {"status": run.get_status_display()}]
    if run.is_sample or region.is_sample:
        doc.sample_note = _("Sample data: the content of this document was invented for the demo.")

    scored = result.tree.score is not None
    add_summary(doc, data)
    if scored:
        add_section_scores(doc, data)
    add_items(doc, data)
    if scored:
        add_gaps(doc, result)
        add_disagreements(doc, data)
    if data.swot_sections:
        add_swot(doc, data)
    add_evidence(doc, data)
    close(doc)
    return doc


def add_summary(doc: Document, data: AssessmentData) -> None:
    run, result = data.run, data.result
    chapter = doc.chapter("summary", _("Summary"))
    overall = result.tree.score
    if overall is None:
        doc.placeholder(chapter, _("The run has no scores yet: no scored item is answered."))
    else:
        level = result.overall_level
        name = result.level_names.get(level or 0, "")
        values = {"score": score_text(overall), "level": level, "name": name}
        sentence = (
            _("Overall score %(score)s of 100, level %(level)s (%(name)s).")
            if name
            else _("Overall score %(score)s of 100, level %(level)s.")
        )
        chapter.blocks.append(Paragraph.of(sentence % values, "lead"))
    if run.status != RunStatus.ACCEPTED:
        chapter.blocks.append(
            Paragraph.of(_("The scores are provisional: the run is not accepted after review yet."), "meta")
        )
    count = len(data.assessors)
    rows = [
        Table.cells(_("Region"), str(data.region)),
        Table.cells(_("Assessment"), run.title),
        Table.cells(
            _("Template"),
            _("%(template)s, version %(version)s (%(kind)s)")
            % {
                "template": run.template.title,
                "version": run.template.version,
                "kind": run.template.get_kind_display(),
            },
        ),
        Table.cells(_("Year"), str(run.year)),
        Table.cells(_("Status"), str(run.get_status_display())),
    ]
    if run.submitted_at:
        rows.append(Table.cells(_("Submitted for review"), date(run.submitted_at)))
    if run.accepted_at:
        rows.append(Table.cells(_("Accepted"), date(run.accepted_at)))
    rows += [
        Table.cells(_("Overall score (0-100)"), score_text(overall)),
        Table.cells(_("Overall level"), level_text(result, result.overall_level)),
        Table.cells(
            _("Assessors"),
            ngettext(
                "%(count)s assessor gave answers: %(names)s.", "%(count)s assessors gave answers: %(names)s.", count
            )
            % {"count": count, "names": ", ".join(data.assessors)}
            if count
            else _("Nobody has answered yet."),
        ),
        Table.cells(
            _("Unanswered items"),
            ngettext(
                "%(count)s scored item has no answer yet and is left out of the scores.",
                "%(count)s scored items have no answer yet and are left out of the scores.",
                result.unanswered,
            )
            % {"count": result.unanswered}
            if result.unanswered
            else _("Every scored item is answered."),
        ),
        Table.cells(
            _("Review of the region's answers"),
            _(
                "%(accepted)s accepted, %(returned)s returned, %(submitted)s awaiting review, "
                "%(open)s not yet submitted."
            )
            % {
                "accepted": data.review.get(ReviewState.ACCEPTED, 0),
                "returned": data.review.get(ReviewState.RETURNED, 0),
                "submitted": data.review.get(ReviewState.SUBMITTED, 0),
                "open": data.review.get(ReviewState.OPEN, 0),
            },
        ),
    ]
    chapter.blocks.append(Table([Column(_("Item"), 1.4), Column(_("Value"), 3)], rows))


def add_section_scores(doc: Document, data: AssessmentData) -> None:
    run, result = data.run, data.result
    chapter = doc.chapter("scores", _("Scores per section"))
    sections = result.tree.children
    spread = bool(data.section_spread)
    columns = [Column(_("Section"), 3), Column(_("Score (0-100)"), 1, "right"), Column(_("Level"), 2)]
    if spread:
        columns.append(Column(_("Spread"), 1, "right"))
    rows = []
    for section in sections:
        row = [
            Cell(f"{section.code} {section.label}"),
            Cell(score_text(section.score), "right"),
            Cell(level_text(result, result.level_of(section))),
        ]
        if spread:
            row.append(Cell(score_text(data.section_spread.get(section.code)), "right"))
        rows.append(row)
    total = [
        Cell(_("Overall"), bold=True, shade=ELEMENT_SHADE),
        Cell(score_text(result.tree.score), "right", bold=True, shade=ELEMENT_SHADE),
        Cell(level_text(result, result.overall_level), bold=True, shade=ELEMENT_SHADE),
    ]
    if spread:
        total.append(Cell("", shade=ELEMENT_SHADE))
    rows.append(total)
    title = _("Score per section (0-100)")
    if len(sections) >= 3:
        series = [charts.Series(str(run.year), [section.score for section in sections])]
        axes = [section.label for section in sections]
        chapter.blocks.append(Figure(charts.radar(axes, series, title), title, None))  # the table follows
    chapter.blocks.append(Table(columns, rows, caption=title))
    if spread:
        chapter.blocks.append(
            Paragraph.of(
                _(
                    "Spread: the highest minus the lowest score that the assessors' own answers give the section. "
                    "Several assessors are combined by the %(method)s."
                )
                % {"method": run.template.get_combine_display()},
                "meta",
            )
        )


def add_items(doc: Document, data: AssessmentData) -> None:
    result = data.result
    chapter = doc.chapter("sections", _("Elements and items per section"))
    chapter.blocks.append(
        Paragraph.of(
            _(
                "Each item scores 0-100; items not applicable drop out and the remaining weights count in "
                "proportion. Elements are the weighted mean of their items."
            ),
            "meta",
        )
    )
    spread = len(data.assessors) > 1
    for section in result.tree.children:
        chapter.blocks.append(
            Heading(
                _("%(section)s: score %(score)s, level %(level)s")
                % {
                    "section": f"{section.code} {section.label}",
                    "score": score_text(section.score),
                    "level": level_text(result, result.level_of(section)),
                }
            )
        )
        columns = [Column(_("Element or item"), 4), Column(_("Score"), 0.8, "right"), Column(_("Level"), 1.4)]
        if spread:
            columns.append(Column(_("Spread"), 0.8, "right"))
        rows = []
        for element in section.children:
            row = [
                Cell(f"{element.code} {element.label}", bold=True, shade=ELEMENT_SHADE),
                Cell(score_text(element.score), "right", bold=True, shade=ELEMENT_SHADE),
                Cell(level_text(result, result.level_of(element)), bold=True, shade=ELEMENT_SHADE),
            ]
            if spread:
                row.append(Cell("", shade=ELEMENT_SHADE))
            rows.append(row)
            for item in element.children:
                rows.append(item_row(data, item, spread))
        chapter.blocks.append(Table(columns, rows, compact=True))


def item_row(data: AssessmentData, item: scoring.Node, spread: bool) -> list[Cell]:
    result = data.result
    if item.score is None:
        state = _("not applicable") if item.code in data.answered else _("no answer")
        row = [Cell(f"{item.code} {item.label}"), Cell("—", "right"), Cell(state)]
    else:
        row = [
            Cell(f"{item.code} {item.label}"),
            Cell(score_text(item.score), "right"),
            Cell(level_text(result, result.level_of(item))),
        ]
    if spread:
        row.append(Cell(score_text(item.spread) if item.assessors > 1 else "", "right"))
    return row


def add_gaps(doc: Document, result: RunResult) -> None:
    chapter = doc.chapter("gaps", _("Ranked gaps"))
    if not result.gaps:
        chapter.blocks.append(Paragraph.of(_("Every scored element has reached its target level.")))
        return
    chapter.blocks.append(
        Paragraph.of(
            _(
                "Elements below their target level, the largest gap first, then the weakest score. "
                "Where the region set no target, the target is one level above the current one."
            )
        )
    )
    chapter.blocks.append(
        Table(
            [
                Column(_("Rank"), 0.9, "right"),
                Column(_("Element"), 3),
                Column(_("Section"), 0.8),
                Column(_("Score"), 0.7, "right"),
                Column(_("Current level"), 1.4),
                Column(_("Target level"), 1.4),
                Column(_("Gap (levels)"), 0.8, "right"),
            ],
            [
                [
                    Cell(str(rank), "right"),
                    Cell(f"{gap.code} {gap.label}"),
                    Cell(gap.section),
                    Cell(score_text(gap.score), "right"),
                    Cell(level_text(result, gap.current)),
                    Cell(level_text(result, gap.target)),
                    Cell(str(gap.size), "right"),
                ]
                for rank, gap in enumerate(result.gaps, start=1)
            ],
            caption=_("Elements below their target, ranked"),
        )
    )


def add_disagreements(doc: Document, data: AssessmentData) -> None:
    result = data.result
    chapter = doc.chapter("disagreements", _("Where assessors disagree"))
    threshold = score_text(DISAGREEMENT)
    if len(data.assessors) < 2:
        chapter.blocks.append(Paragraph.of(_("Only one assessor answered: there is no disagreement to show.")))
        return
    if not result.disagreements:
        chapter.blocks.append(
            Paragraph.of(
                _("No item's scores differ by %(points)s points or more between the assessors.") % {"points": threshold}
            )
        )
        return
    chapter.blocks.append(
        Paragraph.of(
            _(
                "Items whose highest and lowest assessor score differ by %(points)s points or more: "
                "worth a conversation before the scores are final."
            )
            % {"points": threshold}
        )
    )
    chapter.blocks.append(
        Table(
            [
                Column(_("Item"), 4),
                Column(_("Assessors"), 0.8, "right"),
                Column(_("Mean"), 0.7, "right"),
                Column(_("Median"), 0.7, "right"),
                Column(_("Spread"), 0.7, "right"),
            ],
            [
                [
                    Cell(f"{node.code} {node.label}"),
                    Cell(str(node.assessors), "right"),
                    Cell(score_text(node.mean), "right"),
                    Cell(score_text(node.median), "right"),
                    Cell(score_text(node.spread), "right"),
                ]
                for node in sorted(result.disagreements, key=lambda n: (-(n.spread or 0), n.code))
            ],
        )
    )


def add_swot(doc: Document, data: AssessmentData) -> None:
    chapter = doc.chapter("swot", _("SWOT per component"))
    parts = [s for s in data.analysis.sections if s.code in data.swot_sections]
    if not any(entries for part in parts for entries in part.swot.values()):
        doc.placeholder(chapter, _("No SWOT entry is recorded for this run."))
        return
    for part in parts:
        chapter.blocks.append(
            Heading(
                _("%(section)s: level %(level)s")
                % {"section": f"{part.code} {part.title}", "level": level_text(data.result, part.level)}
            )
        )
        chapter.blocks.append(
            Table(
                [Column(_("Strengths (internal)"), 1), Column(_("Weaknesses (internal)"), 1)],
                [[Cell(swot_lines(part.swot["S"])), Cell(swot_lines(part.swot["W"]))]],
            )
        )
        chapter.blocks.append(
            Table(
                [Column(_("Opportunities (external)"), 1), Column(_("Threats (external)"), 1)],
                [[Cell(swot_lines(part.swot["O"])), Cell(swot_lines(part.swot["T"]))]],
            )
        )


def swot_lines(entries: list[SwotEntry]) -> str:
    """One bullet per statement, with the evidence it rests on."""
    lines = []
    for entry in entries:
        evidence = entry.evidence_note or entry.evidence_link
        text = (
            _("%(text)s (evidence: %(evidence)s)") % {"text": entry.text, "evidence": evidence}
            if evidence
            else entry.text
        )
        lines.append(f"• {text}")
    return "\n".join(lines) or "—"


def add_evidence(doc: Document, data: AssessmentData) -> None:
    result = data.result
    chapter = doc.chapter("evidence", _("Appendix: evidence"), number=False)
    rows = [
        [
            Cell(f"{code} {text}"),
            Cell(PurePosixPath(evidence.get("file") or "").name or "—"),
            Cell(evidence.get("link") or "—"),
        ]
        for code, text in data.items.items()
        for evidence in result.evidence.get(code, [])
    ]
    if not rows:
        chapter.blocks.append(Paragraph.of(_("No answer of this run carries evidence.")))
        return
    chapter.blocks.append(
        Paragraph.of(
            _("The evidence files and links given with the answers; the files are kept in KotaCerdas with the run.")
        )
    )
    chapter.blocks.append(
        Table(
            [Column(_("Item"), 3), Column(_("File"), 1.6), Column(_("Link"), 2.4)],
            rows,
            compact=True,
        )
    )
