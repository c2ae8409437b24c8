"""The implementation status of an edition in one period: data first, then text or JSON.

``kotacerdas monitoring status 13.72 [--edition 2024] [--period 2025-Q1]`` prints it. :func:`build`
reads it in a fixed number of queries (whatever the number of programmes) and applies the
roll-up rule of :mod:`kotacerdas.monitoring.rollup`; :func:`as_dict` and :func:`as_text` render
it. What it holds:

- the plan and each dimension: roll-up score, RAG colour, programmes counted, not reported, and
  the programmes pulling it down (status of the latest accepted update up to the period's end);
- programmes by that status (``not_reported`` when none is accepted yet);
- late reports: programmes running in the period's year with no submitted or accepted update
  for the period once its due date has passed;
- the budget of the year: planned (plan budget lines of the year) and realised (the accepted
  updates of the year's periods, a correction replacing what it corrects), per source;
- indicator actuals missing: indicators of those programmes with a target for the year but no
  actual for the period nor for the whole year.
"""

from __future__ import annotations

import datetime
from collections import Counter
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from django.db.models import Sum

from kotacerdas.monitoring import rollup
from kotacerdas.monitoring.models import (
    IndicatorActual,
    ProgrammeUpdate,
    RealisedBudget,
    ReportingPeriod,
    Rollup,
    UpdateState,
)
from kotacerdas.monitoring.selectors import latest_accepted
from kotacerdas.plans.models import Edition, Indicator, IndicatorTarget, Programme, ProgrammeBudget

NOT_REPORTED = "not_reported"


@dataclass(frozen=True)
class LevelRow:
    code: str
    name: str
    score: Decimal | None
    rag: str
    counted: int
    not_reported: int
    pulling_down: list[str]


@dataclass(frozen=True)
class LateReport:
    code: str
    name: str
    lead_opd: str
    state: str  # "missing", or the state of the update that is not submitted yet (draft, returned)


@dataclass(frozen=True)
class MissingActual:
    programme: str
    indicator: str


@dataclass
class StatusReport:
    region_code: str
    region_name: str
    edition_year: int
    period: str
    period_due_on: datetime.date
    today: datetime.date
    rule: str
    plan: LevelRow
    dimensions: list[LevelRow]
    by_status: dict[str, int]
    late: list[LateReport]
    planned: dict[str, Decimal]  # per budget source, of the period's year
    realised: dict[str, Decimal]
    missing_actuals: list[MissingActual] = field(default_factory=list)

    @property
    def planned_total(self) -> Decimal:
        return sum(self.planned.values(), Decimal(0))

    @property
    def realised_total(self) -> Decimal:
        return sum(self.realised.values(), Decimal(0))

    @property
    def realised_share(self) -> Decimal | None:
        if not self.planned_total:
            return None
        return (self.realised_total / self.planned_total * 100).quantize(Decimal("0.1"))


def _row(level: rollup.Level, code: str, name: str, codes: dict[int, str]) -> LevelRow:
    return LevelRow(
        code=code,
        name=name,
        score=None if level.score is None else level.score.quantize(Decimal("0.001")),
        rag=level.rag.value,
        counted=level.counted,
        not_reported=len(level.not_reported),
        pulling_down=[codes[key] for key in level.pulling_down if isinstance(key, int)],
    )


def build(edition: Edition, period: ReportingPeriod, today: datetime.date) -> StatusReport:
    """The status of ``edition`` in ``period`` as seen on ``today`` (9 queries)."""
    year = period.year
    programmes = list(
        latest_accepted(
            Programme.objects.filter(edition=edition, start_year__lte=year, end_year__gte=year)
            .select_related("dimension", "element", "lead_opd")
            .order_by("order", "code", "pk"),
            until=period.ends_on,
        )
    )
    ids = [p.pk for p in programmes]
    latest = dict(
        ProgrammeUpdate.objects.filter(pk__in=[p.latest_update_id for p in programmes if p.latest_update_id])
        .values_list("pk", "status")
        .order_by()
    )
    planned_by_programme: dict[int, Decimal] = {}
    planned: dict[str, Decimal] = {}
    for programme_id, source, amount in ProgrammeBudget.objects.filter(programme__in=ids, year=year).values_list(
        "programme_id", "source", "amount"
    ):
        planned_by_programme[programme_id] = planned_by_programme.get(programme_id, Decimal(0)) + amount
        planned[source] = planned.get(source, Decimal(0)) + amount
    status = {p.pk: latest.get(p.latest_update_id) for p in programmes}
    items = [
        rollup.Item(
            key=p.pk,
            dimension=p.dimension.code,
            element=p.element.code if p.element else "",
            status=status[p.pk],
            budget=planned_by_programme.get(p.pk, Decimal(0)),
            due=p.start_year <= year,
        )
        for p in programmes
    ]
    codes = {p.pk: p.code for p in programmes}
    names = {p.dimension.code: p.dimension.name for p in programmes}
    reporting_rule = getattr(getattr(edition, "reporting", None), "rollup", Rollup.EQUAL)
    tree = rollup.tree(items, budget_weighted=reporting_rule == Rollup.BUDGET, plan_name=edition.title)
    by_status = Counter(status[p.pk] or NOT_REPORTED for p in programmes)

    # Late reports: the period's updates by programme, the most advanced state winning.
    rank = {UpdateState.DRAFT: 0, UpdateState.RETURNED: 1, UpdateState.SUBMITTED: 2, UpdateState.ACCEPTED: 3}
    state: dict[int, str] = {}
    for programme_id, value in ProgrammeUpdate.objects.filter(period=period, programme__in=ids).values_list(
        "programme_id", "state"
    ):
        if programme_id not in state or rank[UpdateState(value)] > rank[UpdateState(state[programme_id])]:
            state[programme_id] = value
    late = []
    if period.due_on < today:
        for p in programmes:
            if p.status == "cancelled" or state.get(p.pk) in (UpdateState.SUBMITTED, UpdateState.ACCEPTED):
                continue
            opd = p.lead_opd.abbreviation if p.lead_opd else ""
            late.append(LateReport(p.code, p.name, opd, state.get(p.pk, "missing")))

    # Realised budget of the year: per programme and period the latest accepted update counts.
    speaking: dict[tuple[int, int], int] = {}
    for pk, programme_id, period_id in (
        ProgrammeUpdate.objects.filter(programme__in=ids, state=UpdateState.ACCEPTED, period__starts_on__year=year)
        .order_by("reported_on", "decided_at", "pk")
        .values_list("pk", "programme_id", "period_id")
    ):
        speaking[(programme_id, period_id)] = pk
    realised = dict(
        RealisedBudget.objects.filter(update__in=list(speaking.values()))
        .values("source")
        .annotate(total=Sum("amount"))
        .order_by("source")
        .values_list("source", "total")
    )

    # Indicators with a target in the year and no actual for the period or the year.
    targeted = list(
        Indicator.objects.filter(
            programme__in=ids, pk__in=IndicatorTarget.objects.filter(year=year).values("indicator_id")
        )
        .order_by("programme__order", "programme__code", "order", "pk")
        .values_list("pk", "programme_id", "name")
    )
    measured = set(
        IndicatorActual.objects.filter(indicator__programme__in=ids, year=year)
        .filter(period__isnull=True)
        .values_list("indicator_id", flat=True)
    ) | set(IndicatorActual.objects.filter(period=period).values_list("indicator_id", flat=True))
    missing = [MissingActual(codes[pid], name) for pk, pid, name in targeted if pk not in measured]

    return StatusReport(
        region_code=edition.region.code,
        region_name=edition.region.name,
        edition_year=edition.year,
        period=period.key,
        period_due_on=period.due_on,
        today=today,
        rule=reporting_rule,
        plan=_row(tree, "", edition.title, codes),
        dimensions=[_row(node, node.name, names.get(node.name, node.name), codes) for node in tree.children],
        by_status=dict(sorted(by_status.items())),
        late=late,
        planned=dict(sorted(planned.items())),
        realised=realised,
        missing_actuals=missing,
    )


def _number(value: Decimal | None) -> float | int | None:
    if value is None:
        return None
    return int(value) if value == value.to_integral_value() else float(value)


def _level(row: LevelRow) -> dict[str, Any]:
    return {
        "code": row.code,
        "name": row.name,
        "score": _number(row.score),
        "rag": row.rag,
        "counted": row.counted,
        "not_reported": row.not_reported,
        "pulling_down": row.pulling_down,
    }


def as_dict(report: StatusReport) -> dict[str, Any]:
    return {
        "region": {"code": report.region_code, "name": report.region_name},
        "edition": report.edition_year,
        "period": {"key": report.period, "due_on": report.period_due_on.isoformat()},
        "today": report.today.isoformat(),
        "rule": report.rule,
        "plan": _level(report.plan),
        "dimensions": [_level(d) for d in report.dimensions],
        "by_status": report.by_status,
        "late": [{"code": r.code, "name": r.name, "lead_opd": r.lead_opd, "state": r.state} for r in report.late],
        "budget": {
            "year": int(report.period[:4]),
            "planned": {k: _number(v) for k, v in report.planned.items()},
            "realised": {k: _number(v) for k, v in report.realised.items()},
            "planned_total": _number(report.planned_total),
            "realised_total": _number(report.realised_total),
            "realised_share": _number(report.realised_share),
        },
        "missing_actuals": [{"programme": m.programme, "indicator": m.indicator} for m in report.missing_actuals],
    }


def _rupiah(value: Decimal) -> str:
    return "Rp " + f"{int(value):,}".replace(",", ".")


def as_text(report: StatusReport) -> str:
    """A plain report for the console (English labels, like the other commands' text output)."""

    def score(row: LevelRow) -> str:
        return "—" if row.score is None else f"{row.score:.2f}"

    lines = [
        f"{report.region_code} {report.region_name} · edition {report.edition_year} · "
        f"{report.period} (due {report.period_due_on.isoformat()}) · rule {report.rule}",
        f"Plan: {score(report.plan)} {report.plan.rag} ({report.plan.counted} counted, "
        f"{report.plan.not_reported} not reported)",
    ]
    for d in report.dimensions:
        down = f"  pulled down by {', '.join(d.pulling_down[:5])}" if d.pulling_down else ""
        lines.append(f"  {d.code:<6} {score(d):>5} {d.rag:<6} {d.counted} counted, {d.not_reported} not reported{down}")
    lines.append("Programmes by status: " + (", ".join(f"{k} {v}" for k, v in report.by_status.items()) or "none"))
    lines.append(f"Late reports: {len(report.late)}")
    lines.extend(f"  {r.code:<10} {r.lead_opd:<15} {r.state:<9} {r.name[:60]}" for r in report.late)
    share = "—" if report.realised_share is None else f"{report.realised_share} %"
    lines.append(
        f"Budget {report.period[:4]}: realised {_rupiah(report.realised_total)} of "
        f"{_rupiah(report.planned_total)} planned ({share})"
    )
    lines.append(f"Indicator actuals missing: {len(report.missing_actuals)}")
    lines.extend(f"  {m.programme:<10} {m.indicator[:70]}" for m in report.missing_actuals)
    return "\n".join(lines) + "\n"
