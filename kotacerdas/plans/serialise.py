"""Plain-data views of plan rows: the interchange format's building blocks.

The same dicts serve the audit trail (before/after of a programme including its budgets,
indicators and action plan), the edit-conflict view, the change log, the plan check and the
JSON/XLSX export. Codes are used instead of ids (dimension ``GOV``, OPD abbreviation), so the
data means the same thing outside this database; only the rows under a programme (budget lines,
indicators, action items) carry their own ``id``, so a re-import edits them in place, and
indicators their ``lineage`` across editions.
"""

from __future__ import annotations

from collections import defaultdict
from decimal import Decimal
from typing import Any

from django.db.models import F, Prefetch, QuerySet

from kotacerdas.plans import fields as programme_fields
from kotacerdas.plans.models import (
    ActionItem,
    Indicator,
    IndicatorTarget,
    Programme,
    ProgrammeBudget,
    QuickWinFlag,
)
from kotacerdas.regions.models import OPD

# Rows without a year (not stated in the plan) come after the dated ones on every database.
YEAR_LAST = F("year").asc(nulls_last=True)


def number(value: Decimal | None) -> str | None:
    """A decimal as the shortest exact string ("12.5", "3"), None stays None."""
    if value is None:
        return None
    text = format(value.normalize(), "f")
    return text


def opd_code(opd: OPD | None) -> str | None:
    return opd.abbreviation if opd is not None else None


def programmes_with_everything(queryset: QuerySet[Programme]) -> QuerySet[Programme]:
    """Programmes with every related row a full dict needs, in a fixed number of queries."""
    return queryset.select_related("dimension", "element", "strategy", "lead_opd").prefetch_related(
        Prefetch("supporting_opds", queryset=OPD.objects.order_by("abbreviation")),
        Prefetch("dependencies", queryset=Programme.objects.only("id", "code").order_by("code")),
        Prefetch("quick_wins", queryset=QuickWinFlag.objects.order_by("year")),
        Prefetch("budgets", queryset=ProgrammeBudget.objects.order_by(YEAR_LAST, "source", "id")),
        Prefetch(
            "indicators",
            queryset=Indicator.objects.select_related("data_producer")
            .order_by("order", "id")
            .prefetch_related(Prefetch("targets", queryset=IndicatorTarget.objects.order_by(YEAR_LAST, "id"))),
        ),
        Prefetch(
            "action_items", queryset=ActionItem.objects.select_related("opd").order_by("starts_on", "order", "id")
        ),
    )


def target_data(year: int | None, value: Decimal, upper: Decimal | None) -> dict[str, Any]:
    """A target as plain data; ``upper`` only for an indicator within a range."""
    out: dict[str, Any] = {"year": year, "value": number(value)}
    if upper is not None:
        out["upper"] = number(upper)
    return out


def indicator_data(indicator: Indicator) -> dict[str, Any]:
    return {
        "id": indicator.pk,
        "lineage": str(indicator.lineage),
        "name": indicator.name,
        "kind": indicator.kind,
        "unit": indicator.unit,
        "direction": indicator.direction,
        "baseline": number(indicator.baseline),
        "baseline_year": indicator.baseline_year,
        "data_producer": opd_code(indicator.data_producer),
        "targets": [target_data(t.year, t.value, t.upper) for t in indicator.targets.all()],
    }


def programme_data(programme: Programme) -> dict[str, Any]:
    """The whole programme as plain data (use :func:`programmes_with_everything` when many)."""
    p = programme
    return {
        "code": p.code,
        "lineage": str(p.lineage),
        "dimension": p.dimension.code,
        "element": p.element.code if p.element else None,
        "strategy": p.strategy.code if p.strategy else None,
        "name": p.name,
        "description": p.description,
        "problem": p.problem,
        "innovation_kind": p.innovation_kind,
        "lead_opd": opd_code(p.lead_opd),
        "supporting_opds": [o.abbreviation for o in p.supporting_opds.all()],
        "partners": [line.strip() for line in p.partners.splitlines() if line.strip()],
        "horizon": p.horizon or None,  # not stated: null, never a default
        "start_year": p.start_year,
        "end_year": p.end_year,
        "status": p.status,
        "rpjmd_programme": p.rpjmd_programme,
        "renstra_ref": p.renstra_ref,
        "permendagri_code": p.permendagri_code,
        "spbe_indicator": p.spbe_indicator,
        "dependencies": sorted(d.code for d in p.dependencies.all()),
        "quick_win_years": [q.year for q in p.quick_wins.all()],
        "budgets": [
            {
                "id": b.pk,
                "year": b.year,
                "source": b.source or None,
                "amount": int(b.amount),
                "note": b.note,
                "sub_activity_code": b.sub_activity_code,
            }
            for b in p.budgets.all()
        ],
        "indicators": [indicator_data(i) for i in p.indicators.all()],
        "action_items": [
            {
                "id": a.pk,
                "activity": a.activity,
                "starts_on": a.starts_on.isoformat(),
                "ends_on": a.ends_on.isoformat(),
                "person_in_charge": a.person_in_charge,
                "opd": opd_code(a.opd),
                "output": a.output,
            }
            for a in p.action_items.all()
        ],
        "order": p.order,
        "is_sample": p.is_sample,
        "source_document": p.source_document,
        "source_note": p.source_note,
    }


def programme_snapshot(programme: Programme) -> dict[str, Any]:
    """Fresh full snapshot of one programme from the database (for audit and conflict views)."""
    return programme_documents(Programme.objects.filter(pk=programme.pk))[0]


def programme_documents(queryset: QuerySet[Programme]) -> list[dict[str, Any]]:
    """Many programmes as plain data, the same as :func:`programme_data` gives one by one.

    Reads plain values in nine queries whatever the number of programmes: building model
    instances for an edition of 300 programmes with 1,000 indicators costs several times more.
    """
    rows = list(queryset.values(*programme_fields.COLUMNS))
    ids = [r["id"] for r in rows]
    supporting: dict[int, list[str]] = defaultdict(list)
    for pid, abbreviation in (
        Programme.supporting_opds.through.objects.filter(programme_id__in=ids)
        .order_by("opd__abbreviation")
        .values_list("programme_id", "opd__abbreviation")
    ):
        supporting[pid].append(abbreviation)
    dependencies: dict[int, list[str]] = defaultdict(list)
    for pid, code in (
        Programme.dependencies.through.objects.filter(from_programme_id__in=ids)
        .order_by("to_programme__code")
        .values_list("from_programme_id", "to_programme__code")
    ):
        dependencies[pid].append(code)
    quick_wins: dict[int, list[int]] = defaultdict(list)
    for pid, flagged in (
        QuickWinFlag.objects.filter(programme_id__in=ids).order_by("year").values_list("programme_id", "year")
    ):
        quick_wins[pid].append(flagged)
    budgets: dict[int, list[dict[str, Any]]] = defaultdict(list)
    for bid, pid, year, source, amount, note, sub_activity in (
        ProgrammeBudget.objects.filter(programme_id__in=ids)
        .order_by(YEAR_LAST, "source", "id")
        .values_list("id", "programme_id", "year", "source", "amount", "note", "sub_activity_code")
    ):
        budgets[pid].append(
            {
                "id": bid,
                "year": year,
                "source": source or None,
                "amount": int(amount),
                "note": note,
                "sub_activity_code": sub_activity,
            }
        )
    targets: dict[int, list[dict[str, Any]]] = defaultdict(list)
    for iid, year, value, upper in (
        IndicatorTarget.objects.filter(indicator__programme_id__in=ids)
        .order_by(YEAR_LAST, "id")
        .values_list("indicator_id", "year", "value", "upper")
    ):
        targets[iid].append(target_data(year, value, upper))
    indicators: dict[int, list[dict[str, Any]]] = defaultdict(list)
    for i in (
        Indicator.objects.filter(programme_id__in=ids)
        .order_by("order", "id")
        .values(
            "id",
            "lineage",
            "programme_id",
            "name",
            "kind",
            "unit",
            "direction",
            "baseline",
            "baseline_year",
            "data_producer__abbreviation",
        )
    ):
        indicators[i["programme_id"]].append(
            {
                "id": i["id"],
                "lineage": str(i["lineage"]),
                "name": i["name"],
                "kind": i["kind"],
                "unit": i["unit"],
                "direction": i["direction"],
                "baseline": number(i["baseline"]),
                "baseline_year": i["baseline_year"],
                "data_producer": i["data_producer__abbreviation"],
                "targets": targets.get(i["id"], []),
            }
        )
    actions: dict[int, list[dict[str, Any]]] = defaultdict(list)
    for a in (
        ActionItem.objects.filter(programme_id__in=ids)
        .order_by("starts_on", "order", "id")
        .values(
            "id", "programme_id", "activity", "starts_on", "ends_on", "person_in_charge", "opd__abbreviation", "output"
        )
    ):
        actions[a["programme_id"]].append(
            {
                "id": a["id"],
                "activity": a["activity"],
                "starts_on": a["starts_on"].isoformat(),
                "ends_on": a["ends_on"].isoformat(),
                "person_in_charge": a["person_in_charge"],
                "opd": a["opd__abbreviation"],
                "output": a["output"],
            }
        )
    return [
        {
            "code": r["code"],
            "lineage": str(r["lineage"]),
            "dimension": r["dimension__code"],
            "element": r["element__code"],
            "strategy": r["strategy__code"],
            "name": r["name"],
            "description": r["description"],
            "problem": r["problem"],
            "innovation_kind": r["innovation_kind"],
            "lead_opd": r["lead_opd__abbreviation"],
            "supporting_opds": supporting.get(r["id"], []),
            "partners": [line.strip() for line in r["partners"].splitlines() if line.strip()],
            "horizon": r["horizon"] or None,
            "start_year": r["start_year"],
            "end_year": r["end_year"],
            "status": r["status"],
            "rpjmd_programme": r["rpjmd_programme"],
            "renstra_ref": r["renstra_ref"],
            "permendagri_code": r["permendagri_code"],
            "spbe_indicator": r["spbe_indicator"],
            "dependencies": dependencies.get(r["id"], []),
            "quick_win_years": quick_wins.get(r["id"], []),
            "budgets": budgets.get(r["id"], []),
            "indicators": indicators.get(r["id"], []),
            "action_items": actions.get(r["id"], []),
            "order": r["order"],
            "is_sample": r["is_sample"],
            "source_document": r["source_document"],
            "source_note": r["source_note"],
        }
        for r in rows
    ]
