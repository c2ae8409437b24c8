"""Reads of implementation monitoring, each in a fixed number of queries.

Region data arrive here already reached through the access layer (a region from
``access.region_for``, an edition or programme fetched inside it).
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.db.models import OuterRef, QuerySet, Subquery

from kotacerdas.monitoring.models import CARRIED_OUT, ProgrammeUpdate, ReportingPeriod, UpdateState
from kotacerdas.plans.models import Edition, Programme, QuickWinFlag
from kotacerdas.plans.models.plan import EditionStatus


def edition_in_force(region: Any, year: int) -> Edition | None:
    """The adopted edition whose plan period contains ``year`` (the latest such), if any."""
    return (
        Edition.objects.filter(region=region, status=EditionStatus.ADOPTED, start_year__lte=year, end_year__gte=year)
        .order_by("-year")
        .first()
    )


def latest_accepted(
    programmes: QuerySet[Programme], *, until: datetime.date | None = None, year: int | None = None
) -> QuerySet[Any]:
    """``programmes`` annotated with ``latest_update_id`` of their latest accepted update.

    ``until``: only updates of periods that began by then; ``year``: only periods of that year.
    """
    updates = ProgrammeUpdate.objects.filter(programme=OuterRef("pk"), state=UpdateState.ACCEPTED)
    if until is not None:
        updates = updates.filter(period__starts_on__lte=until)
    if year is not None:
        updates = updates.filter(period__starts_on__year=year)
    latest = updates.order_by("-period__starts_on", "-reported_on", "-decided_at", "-id").values("pk")[:1]
    return programmes.annotate(latest_update_id=Subquery(latest))


def updates_by_id(ids: list[int]) -> dict[int, ProgrammeUpdate]:
    return {u.pk: u for u in ProgrammeUpdate.objects.filter(pk__in=[i for i in ids if i]).select_related("period")}


@dataclass(frozen=True)
class ImplementationFacts:
    """What the workbench knows about a region's implementation in one year (for the evaluation)."""

    year: int
    edition: Edition | None
    programmes_total: int  # programmes of the edition in force that run in the year
    programmes_reported: int  # … with an accepted update of the year
    programmes_carried_out: int  # … whose latest accepted status is on track or achieved
    quick_wins_total: int
    quick_win_mean_progress: Decimal | None  # mean progress (%) of the reported quick wins

    @property
    def carried_out_share(self) -> Decimal | None:
        if not self.programmes_total:
            return None
        return Decimal(self.programmes_carried_out) / Decimal(self.programmes_total)


def implementation_facts(region: Any, year: int) -> ImplementationFacts:
    """Programmes carried out per the accepted updates of ``year`` and the year's quick-win progress (3 queries)."""
    edition = edition_in_force(region, year)
    if edition is None:
        return ImplementationFacts(year, None, 0, 0, 0, 0, None)
    programmes = latest_accepted(
        Programme.objects.filter(edition=edition, start_year__lte=year, end_year__gte=year), year=year
    ).values_list("pk", "latest_update_id")
    rows = list(programmes)
    latest = {
        u["pk"]: u
        for u in ProgrammeUpdate.objects.filter(pk__in=[u for _, u in rows if u]).values("pk", "status", "progress")
    }
    quick_wins = set(
        QuickWinFlag.objects.filter(programme__edition=edition, year=year).values_list("programme_id", flat=True)
    )
    reported = [latest[u] for _, u in rows if u]
    carried = sum(1 for u in reported if u["status"] in CARRIED_OUT)
    quick_progress = [latest[u]["progress"] for p, u in rows if p in quick_wins and u]
    mean = (
        (Decimal(sum(quick_progress)) / Decimal(len(quick_progress))).quantize(Decimal("0.1"))
        if quick_progress
        else None
    )
    return ImplementationFacts(year, edition, len(rows), len(reported), carried, len(quick_wins), mean)


def periods_of(edition: Edition) -> QuerySet[ReportingPeriod]:
    return ReportingPeriod.objects.filter(edition=edition).order_by("starts_on")


def current_period(edition: Edition, today: datetime.date) -> ReportingPeriod | None:
    """The latest period that has ended by ``today`` (the one being reported now), if any."""
    return periods_of(edition).filter(ends_on__lt=today).order_by("-starts_on").first()
