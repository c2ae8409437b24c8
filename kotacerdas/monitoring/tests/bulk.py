"""Bulk builders for query-count tests and the monitoring benchmark (bench/monitoring_page.py).

Rows are inserted with ``bulk_create``: the shape of the data matters here, not the audit trail,
so nothing goes through the services.
"""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from kotacerdas.frameworks.models import FrameworkEntry
from kotacerdas.monitoring.models import (
    IndicatorActual,
    IndicatorMetadata,
    ProgrammeUpdate,
    RealisedBudget,
    ReportingPeriod,
    UpdateState,
)
from kotacerdas.plans.models import Edition, Indicator, IndicatorTarget, Programme, ProgrammeBudget

STATUSES = ["on_track", "on_track", "at_risk", "achieved", "off_track", "on_track", "not_started"]


def add_programmes(
    edition: Edition,
    *,
    programmes: int,
    quarters: int,
    indicators: int,
    actuals: int,
    opd: Any = None,
    prefix: str = "B",
) -> list[Programme]:
    """``programmes`` programmes spread over the taxonomy's elements, each with a budget line per
    plan year, accepted updates (with a realised budget) for the first ``quarters`` periods;
    ``indicators`` indicators spread over them, each with a target per year and an actual for
    the first ``actuals`` periods (every third also with quarterly Satu Data metadata)."""
    entries = list(FrameworkEntry.objects.filter(framework_id=edition.taxonomy_id).order_by("order", "id"))
    elements = [e for e in entries if e.parent_id is not None]
    region_id = edition.region_id
    years = range(edition.start_year, edition.end_year + 1)
    rows = Programme.objects.bulk_create(
        Programme(
            region_id=region_id,
            edition=edition,
            code=f"{prefix}-{n:04d}",
            name=f"Programme {prefix} {n}",
            dimension_id=elements[n % len(elements)].parent_id,
            element=elements[n % len(elements)],
            lead_opd=opd,
            start_year=edition.start_year,
            end_year=edition.end_year,
            order=n,
        )
        for n in range(programmes)
    )
    ProgrammeBudget.objects.bulk_create(
        ProgrammeBudget(region_id=region_id, programme=p, year=y, source="apbd", amount=100_000_000 + n * 1_000_000)
        for n, p in enumerate(rows)
        for y in years
    )
    periods = list(ReportingPeriod.objects.filter(edition=edition).order_by("starts_on")[:quarters])
    updates = ProgrammeUpdate.objects.bulk_create(
        ProgrammeUpdate(
            region_id=region_id,
            programme=p,
            period=period,
            reported_on=period.ends_on,
            status=STATUSES[(n + q) % len(STATUSES)],
            progress=min(100, 5 * (q + 1)),
            comment="Berjalan sesuai rencana.",
            state=UpdateState.ACCEPTED,
        )
        for n, p in enumerate(rows)
        for q, period in enumerate(periods)
    )
    RealisedBudget.objects.bulk_create(
        RealisedBudget(region_id=region_id, update=u, source="apbd", amount=20_000_000) for u in updates
    )
    made = Indicator.objects.bulk_create(
        Indicator(
            region_id=region_id,
            programme=rows[n % len(rows)],
            name=f"Indikator {prefix} {n}",
            unit="%",
            direction="lower" if n % 5 == 0 else "higher",
            baseline=Decimal(40),
            order=n,
        )
        for n in range(indicators if rows else 0)
    )
    IndicatorTarget.objects.bulk_create(
        IndicatorTarget(region_id=region_id, indicator=i, year=y, value=Decimal(50 + 5 * (y - edition.start_year)))
        for i in made
        for y in years
    )
    IndicatorMetadata.objects.bulk_create(
        IndicatorMetadata(region_id=region_id, indicator=i, frequency="quarterly") for i in made[::3]
    )
    IndicatorActual.objects.bulk_create(
        IndicatorActual(
            region_id=region_id, indicator=i, year=period.year, period=period, value=Decimal(40 + (n + q) % 30)
        )
        for n, i in enumerate(made)
        for q, period in enumerate(periods[:actuals])
    )
    return rows
