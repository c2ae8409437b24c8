"""The ministry's annual evaluation letter of one region and year as a typed document.

A short document (no cover, no table of contents) on the same renderers as the books: the
result (index, improvement, predicate with the band name), the scores per evaluation dimension
with the weights applied, the scores per smart city dimension with the programmes evaluated, the
evaluators' notes and conclusion, and the evaluators. Only a released evaluation has a letter,
so everything printed is what was stored on release and never changes.
"""

from __future__ import annotations

from decimal import ROUND_HALF_UP, Decimal

from django.utils import formats
from django.utils.translation import gettext as _

from kotacerdas.evaluation.selectors import EvaluationPage
from kotacerdas.reports.builders.common import date
from kotacerdas.reports.document import Cell, Column, Cover, Document, Heading, ListBlock, Paragraph, Run, Table


def decimal(value: Decimal | None, places: int = 2) -> str:
    """A number with ``places`` decimals in the document's locale (3,25 in Indonesian); "—" if none."""
    if value is None:
        return "—"
    # Half up, like the index on the letter (domain.two_decimals): the number format alone rounds
    # half to even, which would print an improvement of 0.275 as 0,27 beside an index of 3,28.
    rounded = value.quantize(Decimal(1).scaleb(-places), rounding=ROUND_HALF_UP)
    return formats.number_format(rounded, decimal_pos=places, use_l10n=True)


def signed(value: Decimal | None) -> str:
    if value is None:
        return "—"
    text = decimal(value)
    return f"+{text}" if value > 0 else text


def build(data: EvaluationPage) -> Document:
    """Call under ``translation.override("id")`` like every document (``reports.generate`` does)."""
    evaluation, result = data.evaluation, data.computed
    region = evaluation.region
    title = _("Smart city evaluation %(year)s") % {"year": evaluation.year}
    doc = Document(
        kind="evaluation",
        title=title,
        running_header=f"{region} · {title}",
        cover=Cover(kicker="", title=title, region=str(region), edition="", year=str(evaluation.year)),
        page_label=_("page {page} of {pages}"),
        short=True,
    )
    if evaluation.is_sample or region.is_sample:
        doc.sample_note = _("Sample data: the content of this document was invented for the demo.")
    chapter = doc.chapter("evaluation", title, number=False)
    blocks = chapter.blocks
    blocks.append(Paragraph.of(str(region), bold=True))
    if evaluation.is_sample:
        blocks.append(
            Paragraph([Run(_("Sample data: this evaluation was invented for the demo."), italic=True)], "meta")
        )
    facts = [
        (_("Region"), f"{region} ({region.code})"),
        (_("Evaluation year"), str(evaluation.year)),
        (
            _("Evaluation scheme"),
            _("%(code)s, version %(version)s (weights of %(year)s)")
            % {"code": evaluation.scheme_code, "version": evaluation.scheme_version, "year": evaluation.scheme_year},
        ),
        (
            _("Predicate table"),
            _("%(code)s, version %(version)s") % {"code": evaluation.bands_code, "version": evaluation.bands_version},
        ),
        (_("Released on"), date(evaluation.released_at.date()) if evaluation.released_at else "—"),
    ]
    blocks.append(
        Table([Column("", 3), Column("", 7)], [[Cell(k, bold=True), Cell(v)] for k, v in facts], header=False)
    )

    blocks.append(Heading(_("Result")))
    predicate = result.predicate_name or "—"
    blocks.append(
        Paragraph.of(
            _("Index %(index)s, predicate “%(predicate)s”.")
            % {"index": decimal(result.index_2dp), "predicate": predicate},
            "lead",
        )
    )
    if result.improvement is not None:
        blocks.append(
            Paragraph.of(
                _("Improvement against the previous year's index %(previous)s: %(improvement)s.")
                % {"previous": decimal(result.previous_index), "improvement": signed(result.improvement)}
            )
        )
    else:
        blocks.append(Paragraph.of(_("No previous year's index is recorded: the improvement is not computed.")))

    blocks.append(Heading(_("Scores per evaluation dimension")))
    rows = [
        [
            Cell(row.label),
            Cell(decimal(row.weight), align="right"),
            Cell(decimal(row.score), align="right"),
            Cell(decimal(row.weighted, 4), align="right"),
        ]
        for row in data.rows
    ]
    rows.append(
        [
            Cell(_("Index"), bold=True, shade="#f3f2f1"),
            Cell("100", align="right", bold=True, shade="#f3f2f1"),
            Cell("", shade="#f3f2f1"),
            Cell(decimal(result.index, 4), align="right", bold=True, shade="#f3f2f1"),
        ]
    )
    blocks.append(
        Table(
            [
                Column(_("Dimension"), 4),
                Column(_("Weight (%)"), 2, "right"),
                Column(_("Score (1–5)"), 2, "right"),
                Column(_("Weighted"), 2, "right"),
            ],
            rows,
        )
    )
    notes = [row for row in data.rows if row.note or row.evidence_link or row.evidence_file]
    if notes:
        blocks.append(Heading(_("Notes of the evaluators"), level=3))
        items = []
        for row in notes:
            runs = [Run(f"{row.label}: ", bold=True), Run(row.note or "—")]
            if row.evidence_link:
                runs.append(Run(" " + _("(evidence: %(link)s)") % {"link": row.evidence_link}, italic=True))
            elif row.evidence_file:
                runs.append(Run(" " + _("(evidence file: %(name)s)") % {"name": row.evidence_file}, italic=True))
            items.append(runs)
        blocks.append(ListBlock(items))

    blocks.append(Heading(_("Scores per smart city dimension")))
    blocks.append(
        Table(
            [
                Column(_("Dimension"), 6),
                Column(_("Score (1–5)"), 2, "right"),
                Column(_("Programmes evaluated"), 2, "right"),
            ],
            [
                [
                    Cell(f"{a.code} · {a.name}"),
                    Cell(decimal(a.score), align="right"),
                    Cell(str(a.programmes), align="right"),
                ]
                for a in data.areas
            ],
        )
    )
    if evaluation.conclusion:
        blocks.append(Heading(_("Conclusion and recommendations")))
        blocks += [Paragraph.of(line) for line in evaluation.conclusion.split("\n") if line.strip()]
    blocks.append(Heading(_("Evaluators")))
    blocks.append(ListBlock([[Run(name)] for name in data.evaluators]) if data.evaluators else Paragraph.of("—"))
    return doc
