"""Helpers shared by the builders: number formats, labels, the cover and the closing chapter."""

from __future__ import annotations

from collections.abc import Iterable
from decimal import Decimal
from typing import TYPE_CHECKING, Any

from django.utils import formats
from django.utils.translation import gettext as _

from kotacerdas.lib import numbers
from kotacerdas.plans.models import BudgetSource, Direction, Horizon, InnovationKind, ProgrammeStatus
from kotacerdas.plans.notstated import NOT_STATED
from kotacerdas.reports import richtext

if TYPE_CHECKING:
    from kotacerdas.assessments.selectors import RunResult

from kotacerdas.reports.document import Cell, Chapter, Column, Document, ListBlock, Paragraph, Run, Table


def money(value: int | Decimal | float | None) -> str:
    """Rupiah without the "Rp" (it is in the column header): 1.500.000."""
    return "" if value is None else numbers.grouped(value)


def rupiah(value: int | Decimal | float | None) -> str:
    return "" if value is None else numbers.rupiah(value)


def num(value: Any) -> str:
    """A decimal with at most two places, trailing zeros dropped: 12,5."""
    number = numbers.as_decimal(value)
    if number is None:
        return "" if value in (None, "") else str(value)
    return numbers.decimal(number, max_places=2)


def date(value: Any) -> str:
    return formats.date_format(value, "j F Y") if value else ""


def labels() -> dict[str, dict[str, str]]:
    return {
        "horizon": {"": str(NOT_STATED), **{str(k): str(v) for k, v in Horizon.choices}},
        "status": {str(k): str(v) for k, v in ProgrammeStatus.choices},
        "innovation": {str(k): str(v) for k, v in InnovationKind.choices},
        "source": {"": str(NOT_STATED), **{str(k): str(v) for k, v in BudgetSource.choices}},
        "direction": {str(k): str(v) for k, v in Direction.choices},
    }


def new_document(kind: str, title: str, region: Any, edition_label: str, kicker: str, year: str) -> Document:
    from kotacerdas.reports.document import Cover

    region_name = str(region)
    doc = Document(
        kind=kind,
        title=title,
        running_header=f"{region_name} · {edition_label}",
        cover=Cover(
            kicker=kicker,
            title=title,
            region=region_name,
            edition=edition_label,
            year=year,
            logo_placeholder=_("[Region's logo]"),
        ),
        toc_title=_("Table of contents"),
        page_label=_("page {page} of {pages}"),
    )
    return doc


def add_rich_text(doc: Document, chapter: Chapter, body: str, missing: str | None) -> bool:
    """The region's own chapter text; a placeholder (and a "still missing" line) when empty."""
    found = richtext.blocks(body)
    if found:
        chapter.blocks.extend(found)
        return True
    if missing:
        doc.placeholder(chapter, missing)
    return False


def sections_by_key(data_doc: dict[str, Any]) -> dict[str, dict[str, Any]]:
    return {s["key"]: s for s in data_doc.get("sections") or []}


def close(doc: Document) -> None:
    """The closing chapter: everything the data does not hold yet, by chapter."""
    chapter = doc.chapter("missing", _("What is still missing"), number=False)
    if not doc.missing:
        chapter.blocks.append(Paragraph.of(_("Nothing: every part of this document is filled from the data.")))
        return
    chapter.blocks.append(
        Paragraph.of(
            _(
                "These parts of the document are marked as placeholders because the data does not hold them yet. "
                "Fill them in KotaCerdas and generate the document again."
            )
        )
    )
    chapter.blocks.append(
        Table(
            [Column(_("Chapter"), 1.2), Column(_("What is missing"), 2.8)],
            [Table.cells(m.chapter, m.what) for m in doc.missing],
            compact=True,
        )
    )


def bullets(texts: Iterable[str]) -> ListBlock:
    return ListBlock([[Run(t)] for t in texts])


def total_cell(value: int) -> Cell:
    return Cell(money(value), align="right", bold=True, shade="#f3f2f1")


def score_text(value: float | None) -> str:
    """A score 0-100 with one decimal in the document's locale (62,5 in Indonesian); "—" if none."""
    if value is None:
        return "—"
    return formats.number_format(Decimal(f"{value:.1f}"), decimal_pos=1, use_l10n=True)


def level_text(result: RunResult, level: int | None) -> str:
    """The level number with its name from the template's maturity levels (when it has them)."""
    if level is None:
        return "—"
    return f"{level} {result.level_names.get(level, '')}".strip()
