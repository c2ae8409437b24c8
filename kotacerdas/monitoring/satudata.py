"""The Satu Data indicator export of an edition (issue 16): one row per indicator with Satu Data
Indonesia's metadata beside its figures.

The metadata is kept in one place, :class:`~kotacerdas.monitoring.models.IndicatorMetadata`,
edited on the indicator's metadata page (``monitoring:metadata_edit``); this export and the
Buku 2 indicator appendix print what that page saved. The indicator's name, kind, unit, direction,
baseline, targets and producer agency are the plan's (``plans.Indicator``), read from the
edition's stored document.

Columns: programme code and name, indicator, kind, unit, definition, concept, method or formula,
interpretation, frequency, cumulative, estimation level, producer agency, data source, direction,
baseline, baseline year, then the target of each year of the plan period. An indicator without
metadata yet has those cells empty (never a default presented as if someone had stated it).

Reads in a fixed number of queries: the stored plan document (one while it is fresh) and the
edition's metadata rows (one).
"""

from __future__ import annotations

from decimal import Decimal, InvalidOperation
from typing import Any

from django.utils.translation import gettext as _

from kotacerdas.monitoring.models import Frequency, IndicatorMetadata
from kotacerdas.plans.models import Direction, Edition, Indicator
from kotacerdas.plans.selectors import plan_data

Table = list[list[Any]]


def metadata_of(edition: Edition) -> dict[int, IndicatorMetadata]:
    """The edition's indicator metadata by indicator id (one query)."""
    rows = IndicatorMetadata.objects.filter(indicator__programme__edition=edition)
    return {m.indicator_id: m for m in rows}


def _years(doc: dict[str, Any]) -> list[int]:
    edition = doc.get("edition") or {}
    start, end = edition.get("start_year"), edition.get("end_year")
    if not isinstance(start, int) or not isinstance(end, int) or end < start:
        return []
    return list(range(start, end + 1))


def _number(value: Any) -> Any:
    if value is None or value == "":
        return None
    try:
        number = Decimal(str(value))
    except (InvalidOperation, ValueError):
        return str(value)
    return int(number) if number == number.to_integral_value() else float(number)


def _target(targets: dict[Any, dict[str, Any]], year: int) -> Any:
    t = targets.get(year)
    if t is None:
        return None
    if t.get("upper") is not None:
        return f"{t['value']}–{t['upper']}"
    return _number(t.get("value"))


def metadata_cells(m: IndicatorMetadata | None) -> list[str]:
    """definition, concept, method, interpretation, frequency, cumulative, estimation level, data
    source of one indicator, as printed (empty when it has no metadata yet)."""
    if m is None:
        return [""] * 8
    return [
        m.definition,
        m.concept,
        m.method,
        m.interpretation,
        str(dict(Frequency.choices).get(m.frequency, m.frequency)),
        _("yes") if m.cumulative else _("no"),
        m.estimation_level,
        m.data_source,
    ]


def table(doc: dict[str, Any], metadata: dict[int, IndicatorMetadata]) -> Table:
    """One row per indicator of the plan document, its metadata from ``metadata`` (by id)."""
    years = _years(doc)
    kinds = dict(Indicator.Kind.choices)
    directions = dict(Direction.choices)
    header = [
        _("Programme code"),
        _("Programme name"),
        _("Indicator"),
        _("Kind"),
        _("Unit"),
        _("Definition"),
        _("Concept"),
        _("Method or formula"),
        _("Interpretation"),
        _("Frequency"),
        _("Cumulative"),
        _("Estimation level"),
        _("Producer agency"),
        _("Data source"),
        _("Direction"),
        _("Baseline"),
        _("Baseline year"),
        *[_("Target %(year)s") % {"year": y} for y in years],
    ]
    rows: Table = [header]
    for p in doc.get("programmes") or []:
        for i in p.get("indicators") or []:
            targets = {t.get("year"): t for t in i.get("targets") or []}
            definition, concept, method, interpretation, frequency, cumulative, level, source = metadata_cells(
                metadata.get(i.get("id"))
            )
            rows.append(
                [
                    p.get("code") or "",
                    p.get("name") or "",
                    i.get("name") or "",
                    str(kinds.get(i.get("kind"), i.get("kind") or "")),
                    i.get("unit") or "",
                    definition,
                    concept,
                    method,
                    interpretation,
                    frequency,
                    cumulative,
                    level,
                    i.get("data_producer") or "",
                    source,
                    str(directions.get(i.get("direction"), i.get("direction") or "")),
                    _number(i.get("baseline")),
                    i.get("baseline_year"),
                    *[_target(targets, y) for y in years],
                ]
            )
    return rows


def export(edition: Edition) -> Table:
    """The edition's Satu Data table (a fixed number of queries)."""
    return table(plan_data(edition).doc, metadata_of(edition))
