"""The portal's open data: each public table as CSV and JSON, with a metadata file per table and a
catalogue of them all, so that a Satu Data (CKAN) portal can harvest a region's published data.

A table belongs to one published part; an unpublished part has no files (404). The columns are
named by stable English keys (the CSV header and the JSON keys); the metadata gives each column
a title in the reader's language, its type and its unit. CSV text goes through
``lib/spreadsheets.csv_text`` (text stays text, never a formula).
"""

from __future__ import annotations

import datetime
import json
from collections.abc import Callable
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.utils.functional import Promise
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from kotacerdas.lib.spreadsheets import csv_text
from kotacerdas.plans.models import Edition
from kotacerdas.portal import selectors
from kotacerdas.portal.models import Part
from kotacerdas.regions.models import Region

LICENCE = {
    "name": "Creative Commons Attribution 4.0 International (CC BY 4.0)",
    "id": "CC-BY-4.0",
    "url": "https://creativecommons.org/licenses/by/4.0/",
}


@dataclass(frozen=True)
class Column:
    key: str
    title: Promise
    kind: str  # string, integer, number, date
    unit: Promise | str = ""


@dataclass(frozen=True)
class Table:
    slug: str
    part: str
    title: Promise
    description: Promise
    columns: tuple[Column, ...]
    rows: Callable[[Region, Edition | None], list[list[Any]]]
    needs_plan: bool = True


def _opd(opd: Any) -> str:
    return f"{opd.name} ({opd.abbreviation})" if opd is not None and opd.abbreviation else (opd.name if opd else "")


def _programme_rows(region: Region, edition: Edition | None) -> list[list[Any]]:
    assert edition is not None
    view = selectors.plan(edition)
    return [
        [
            edition.year,
            row.programme.code,
            row.programme.name,
            group.name,
            selectors.entry_name(row.programme.element),
            _opd(row.programme.lead_opd),
            row.programme.get_horizon_display(),
            row.programme.start_year,
            row.programme.end_year,
            row.programme.get_status_display(),
            row.budget,
            " ".join(str(y) for y in row.quick_win_years),
        ]
        for group in view.dimensions
        for row in group.programmes
    ]


def _quick_win_rows(region: Region, edition: Edition | None) -> list[list[Any]]:
    assert edition is not None
    return [
        [
            year.year,
            row.programme.code,
            row.programme.name,
            _opd(row.programme.lead_opd),
            row.status,
            row.progress,
            row.reported_on,
            row.launched_on,
            row.live_since,
        ]
        for year in selectors.quick_wins(edition)
        for row in year.rows
    ]


def _indicator_rows(region: Region, edition: Edition | None) -> list[list[Any]]:
    assert edition is not None
    return [
        [
            view.indicator.programme.code,
            view.indicator.name,
            view.indicator.get_kind_display(),
            view.indicator.unit,
            view.indicator.get_direction_display(),
            view.indicator.baseline,
            view.indicator.baseline_year,
            value.year,
            value.target,
            value.upper,
            value.actual,
        ]
        for view in selectors.indicators(edition)
        for value in view.years
    ]


def _evaluation_rows(region: Region, edition: Edition | None) -> list[list[Any]]:
    return [
        [
            view.evaluation.year,
            view.evaluation.index_2dp if view.evaluation.index_2dp is not None else view.evaluation.index,
            view.evaluation.predicate_name,
            view.evaluation.improvement,
            *(score for _label, score in view.scores),
        ]
        for view in selectors.evaluations(region)
    ]


TABLES: dict[str, Table] = {
    t.slug: t
    for t in (
        Table(
            "programmes",
            Part.PLAN,
            _("Programmes of the adopted smart city master plan"),
            _("Every programme of the adopted edition with its dimension, lead agency, horizon and planned budget."),
            (
                Column("edition_year", _("edition year"), "integer"),
                Column("code", _("code"), "string"),
                Column("name", _("programme"), "string"),
                Column("dimension", _("dimension"), "string"),
                Column("element", _("element"), "string"),
                Column("lead_agency", _("lead agency (OPD)"), "string"),
                Column("horizon", _("horizon"), "string"),
                Column("start_year", _("start year"), "integer"),
                Column("end_year", _("end year"), "integer"),
                Column("status", _("status"), "string"),
                Column("planned_budget", _("planned budget"), "integer", "Rp"),
                Column("quick_win_years", _("quick win in the years"), "string"),
            ),
            _programme_rows,
        ),
        Table(
            "quick-wins",
            Part.QUICK_WINS,
            _("Quick wins and their progress"),
            _("The quick wins of each year with the progress of the latest accepted report of that year."),
            (
                Column("year", _("year"), "integer"),
                Column("programme_code", _("programme code"), "string"),
                Column("programme", _("programme"), "string"),
                Column("lead_agency", _("lead agency (OPD)"), "string"),
                Column("status", _("status"), "string"),
                Column("progress", _("physical progress"), "integer", "%"),
                Column("reported_on", _("date of the report"), "date"),
                Column("launched_on", _("launch date"), "date"),
                Column("live_since", _("live since"), "date"),
            ),
            _quick_win_rows,
        ),
        Table(
            "indicators",
            Part.INDICATORS,
            _("Indicators with their targets and actuals"),
            _("One row per indicator and year: the target of the adopted plan and the value measured."),
            (
                Column("programme_code", _("programme code"), "string"),
                Column("indicator", _("indicator"), "string"),
                Column("kind", _("kind"), "string"),
                Column("unit", _("unit"), "string"),
                Column("direction", _("direction"), "string"),
                Column("baseline", _("baseline"), "number", _("the indicator's unit")),
                Column("baseline_year", _("baseline year"), "integer"),
                Column("year", _("year"), "integer"),
                Column("target", _("target"), "number", _("the indicator's unit")),
                Column("target_upper", _("upper bound of the target"), "number", _("the indicator's unit")),
                Column("actual", _("actual"), "number", _("the indicator's unit")),
            ),
            _indicator_rows,
        ),
        Table(
            "evaluation",
            Part.EVALUATION,
            _("Annual evaluation results"),
            _("The ministry's released evaluations of the region: index, predicate and dimension scores."),
            (
                Column("year", _("evaluation year"), "integer"),
                Column("index", _("index"), "number", _("score 1–5")),
                Column("predicate", _("predicate"), "string"),
                Column("improvement", _("improvement"), "number", _("index points")),
                Column("baseline", _("Baseline"), "number", _("score 1–5")),
                Column("output", _("Output"), "number", _("score 1–5")),
                Column("outcome", _("Outcome"), "number", _("score 1–5")),
                Column("impact", _("Impact"), "number", _("score 1–5")),
                Column("quick_win", _("Quick win"), "number", _("score 1–5")),
            ),
            _evaluation_rows,
            needs_plan=False,
        ),
    )
}


def _plain(value: Any) -> Any:
    """A value as JSON holds it: whole numbers as integers, decimals as numbers, dates as ISO text."""
    if isinstance(value, Decimal):
        return int(value) if value == value.to_integral_value() else float(value)
    if isinstance(value, (datetime.date, datetime.datetime)):
        return value.isoformat()
    return value


def _csv_value(value: Any) -> Any:
    if isinstance(value, Decimal):
        return format(value.normalize(), "f") if value == value.to_integral_value() else format(value, "f")
    if isinstance(value, (datetime.date, datetime.datetime)):
        return value.isoformat()
    return value


def as_csv(table: Table, rows: list[list[Any]]) -> str:
    return csv_text([[c.key for c in table.columns], *([_csv_value(v) for v in row] for row in rows)])


def as_json(table: Table, rows: list[list[Any]]) -> str:
    keys = [c.key for c in table.columns]
    records = [{k: _plain(v) for k, v in zip(keys, row, strict=True)} for row in rows]
    return json.dumps({"columns": keys, "data": records}, ensure_ascii=False, indent=1)


def metadata(
    table: Table, region: Region, edition: Edition | None, modified: datetime.datetime, urls: dict[str, str], lang: str
) -> dict[str, Any]:
    """What a harvester needs to list the table: title, publisher, licence, dates, columns with units."""
    temporal = f"{edition.start_year}/{edition.end_year}" if edition is not None and table.needs_plan else ""
    return {
        "identifier": f"kotacerdas-{region.code}-{table.slug}",
        "title": f"{table.title} – {region.label}",
        "description": str(table.description),
        "keyword": ["smart city", "rencana induk", region.label],
        "publisher": {
            "name": gettext("Government of %(region)s") % {"region": region.label},
            "region_code": region.code,
        },
        "license": LICENCE["url"],
        "licence": LICENCE,
        "modified": modified.date().isoformat(),
        "issued": edition.adoption_date.isoformat() if edition is not None and edition.adoption_date else None,
        "language": lang,
        "spatial": f"{region.label}, {region.province} (Kemendagri {region.code})",
        "temporal": temporal,
        "accessLevel": "public",
        "distribution": [
            {"format": "CSV", "mediaType": "text/csv", "downloadURL": urls["csv"]},
            {"format": "JSON", "mediaType": "application/json", "downloadURL": urls["json"]},
        ],
        "columns": [{"name": c.key, "title": str(c.title), "type": c.kind, "unit": str(c.unit)} for c in table.columns],
    }


def tables_for(parts: frozenset[str], has_plan: bool) -> list[Table]:
    return [t for t in TABLES.values() if t.part in parts and (has_plan or not t.needs_plan)]
