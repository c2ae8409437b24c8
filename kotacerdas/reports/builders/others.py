"""Other documents: the change log between two editions and the quick-win selection report."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from kotacerdas.plans import changelog
from kotacerdas.plans.interchange.export import edition_document
from kotacerdas.plans.models import Edition
from kotacerdas.regions.models import Region
from kotacerdas.reports.builders.common import close, money, new_document, num
from kotacerdas.reports.document import Cell, Column, Document, Figure, Heading, Paragraph, Table


def change_labels() -> dict[str, str]:
    return {
        "added": _("added"),
        "removed": _("removed"),
        "changed": _("changed"),
        "edition": _("edition"),
        "section": _("chapter"),
        "mission": _("mission"),
        "goal": _("goal"),
        "strategy": _("strategy"),
        "waiver": _("waived element"),
        "swot": _("SWOT item"),
        "programme": _("programme"),
        "disposition": _("disposition"),
    }


def changelog_document(region: Region, edition: Edition, compare: int | None) -> Document:
    """Everything added, removed and changed from the compared edition (default: the previous) to ``edition``."""
    editions = Edition.objects.filter(region=region)
    if compare is not None:
        other = editions.filter(year=compare).first()
        if other is None:
            raise ValidationError({"compare": _("The region has no edition %(year)s.") % {"year": compare}})
    elif edition.previous_id is not None:
        other = editions.filter(pk=edition.previous_id).first()
    else:
        raise ValidationError({"compare": _("This edition reviews no earlier edition: choose one to compare with.")})
    assert other is not None
    found = changelog.changelog(edition_document(other), edition_document(edition), changelog.translated_wording())
    fields = changelog.translated_field_labels()
    doc = new_document(
        "changelog",
        _("Change log of the master plan"),
        region,
        f"{other.title} → {edition.title}",
        _("Change log"),
        str(edition.year),
    )
    if edition.is_sample or region.is_sample:
        doc.sample_note = _("Sample data: the content of this document was invented for the demo.")
    names = change_labels()
    chapter = doc.chapter("summary", _("Summary of the changes"))
    summary = changelog.summary(found)
    if not summary:
        chapter.blocks.append(Paragraph.of(_("The two editions hold the same content.")))
    else:
        chapter.blocks.append(
            Table(
                [
                    Column(_("Kind"), 2),
                    Column(_("added"), 1, "right"),
                    Column(_("removed"), 1, "right"),
                    Column(_("changed"), 1, "right"),
                ],
                [
                    [
                        Cell(names.get(kind, kind)),
                        Cell(str(c["added"]), "right"),
                        Cell(str(c["removed"]), "right"),
                        Cell(str(c["changed"]), "right"),
                    ]
                    for kind, c in summary.items()
                ],
            )
        )
    chapter = doc.chapter("changes", _("Changes row by row"))
    chapter.landscape = True
    kinds = list(dict.fromkeys(c.kind for c in found))
    for kind in kinds:
        chapter.blocks.append(Heading(names.get(kind, kind), wide=True))
        rows = [
            [
                Cell(names.get(c.change, c.change), shade={"added": "#e6f3ea", "removed": "#fce8e6"}.get(c.change, "")),
                Cell(c.key),
                Cell(c.label),
                Cell(fields.get(c.field, c.field)),
                Cell(c.before[:600]),
                Cell(c.after[:600]),
            ]
            for c in found
            if c.kind == kind
        ]
        chapter.blocks.append(
            Table(
                [
                    Column(_("Change"), 0.8),
                    Column(_("Key"), 0.8),
                    Column(_("Name"), 1.8),
                    Column(_("Field"), 1),
                    Column(_("Before"), 2.5),
                    Column(_("After"), 2.5),
                ],
                rows,
                wide=True,
                compact=True,
            )
        )
    close(doc)
    return doc


def quickwins_document(region: Region, year: int | None) -> Document:
    """The quick-win selection of a round: criteria and weights, the chosen set with its money,
    the left-out candidates with the reasons, and the value-for-cost chart."""
    from kotacerdas.quickwins.report import build as build_report
    from kotacerdas.reports import selectors

    selection = selectors.selection_round(region, year)
    solve = selectors.reported_solve(selection)
    doc = new_document(
        "quickwins",
        _("Quick-win selection"),
        region,
        selection.title,
        _("Quick-win selection report"),
        selection.label,
    )
    if selection.is_sample or region.is_sample:
        doc.sample_note = _("Sample data: the content of this document was invented for the demo.")
    chapter = doc.chapter("round", _("The selection round"))
    chapter.blocks.append(
        Table(
            [Column(_("Item"), 1.5), Column(_("Value"), 3)],
            [
                Table.cells(_("Edition"), selection.edition.title),
                Table.cells(_("Round year"), str(selection.year)),
                Table.cells(_("Budget year"), str(selection.budget_year)),
                Table.cells(_("Status"), str(selection.get_status_display())),
            ],
        )
    )
    chapter.blocks.append(Paragraph.of(selection.label, "meta"))
    if solve is None:
        doc.placeholder(chapter, _("The round has not been solved yet: no selection to report."))
        close(doc)
        return doc
    report = build_report(solve)
    if selection.confirmed_solve_id != solve.pk:
        doc.placeholder(chapter, _("The selection is not confirmed yet: this reports the latest result."))
        shown = _("This report shows result #%(n)s, not yet confirmed by the forum.")
    else:
        shown = _("This report shows result #%(n)s, confirmed by the forum.")
    chapter.blocks.append(Paragraph.of(shown % {"n": solve.number}, "meta"))
    chapter.blocks.append(Heading(_("Criteria and weights")))
    chapter.blocks.append(
        Table(
            [Column(_("Criterion"), 3), Column(_("Weight"), 1, "right")],
            [[Cell(w["name"]), Cell(num(round(w["percent"], 1)) + " %", "right")] for w in report.weights],
        )
    )
    chapter = doc.chapter("chosen", _("The chosen quick wins"))
    chapter.blocks.append(
        Table(
            [
                Column(_("Rank"), 0.6, "right"),
                Column(_("Code"), 0.8),
                Column(_("Programme"), 3),
                Column(_("OPD"), 1),
                Column(_("Value"), 0.8, "right"),
                Column(_("Cost (Rp)"), 1.4, "right"),
            ],
            [
                [
                    Cell(str(r.rank), "right"),
                    Cell(r.code),
                    Cell(r.name),
                    Cell(r.opd),
                    Cell(num(round(r.value, 1)), "right"),
                    Cell(money(r.cost), "right"),
                ]
                for r in report.chosen
            ],
        )
    )
    if report.spending_years:
        chapter.blocks.append(
            Table(
                [Column(_("Year"), 1), Column(_("Money needed (Rp)"), 2, "right")],
                [[Cell(str(s["year"])), Cell(money(s["amount"]), "right")] for s in report.spending_years],
                caption=_("Money the chosen set needs per year"),
            )
        )
    points: list[Any] = [
        [
            Cell(r.code),
            Cell(num(round(r.value, 1)), "right"),
            Cell(money(r.cost), "right"),
            Cell(_("chosen") if r.selected else ""),
        ]
        for r in report.rows
    ]
    chapter.blocks.append(
        Figure(
            report.chart,
            _("Value for cost of every candidate"),
            Table(
                [
                    Column(_("Code"), 1),
                    Column(_("Value"), 1, "right"),
                    Column(_("Cost (Rp)"), 1.5, "right"),
                    Column(_("Chosen"), 1),
                ],
                points,
            ),
        )
    )
    chapter = doc.chapter("left-out", _("Candidates left out and why"))
    if report.left_out:
        chapter.blocks.append(
            Table(
                [
                    Column(_("Code"), 0.8),
                    Column(_("Programme"), 2.2),
                    Column(_("Value"), 0.7, "right"),
                    Column(_("Why not chosen"), 4),
                ],
                [
                    [
                        Cell(r.code),
                        Cell(r.name),
                        Cell(num(round(r.value, 1)), "right"),
                        Cell(" ".join(r.explanation) or "—"),
                    ]
                    for r in report.left_out
                ],
                wide=True,
                compact=True,
            )
        )
    else:
        chapter.blocks.append(Paragraph.of(_("Every candidate was chosen.")))
    if report.warnings:
        chapter.blocks.append(Heading(_("Warnings")))
        for w in report.warnings:
            chapter.blocks.append(Paragraph.of(w, "meta"))
    close(doc)
    return doc
