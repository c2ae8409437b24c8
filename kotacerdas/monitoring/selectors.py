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


# What changed in implementation between two forum sessions ---------------------------------

SLIPPED = ("at_risk", "off_track", "not_achieved")
RANK = {"achieved": 0, "on_track": 0, "not_started": 1, "at_risk": 2, "off_track": 3, "not_achieved": 3}


@dataclass(frozen=True)
class LateReport:
    period: ReportingPeriod
    programme: Programme


@dataclass(frozen=True)
class ImplementationChanges:
    """For a forum session: accepted updates dated since the previous one, slips, late reports."""

    since: datetime.date
    until: datetime.date
    updates: list[Any]  # ProgrammeUpdate rows annotated with ``status_before``
    slipped: list[Any]  # at risk / off track / not achieved, and worse than before
    late: list[LateReport]
    monitored: bool  # False: no edition of the region has reporting yet

    @property
    def is_empty(self) -> bool:
        return not (self.updates or self.late)


def implementation_since(
    region: Any, since: datetime.date, until: datetime.date, limit: int = 50
) -> ImplementationChanges:
    """What the monthly forum should look at: implementation between ``since`` and ``until``.

    At most five queries whatever the size of the plan. A programme finished (achieved, not
    achieved) or cancelled owes no more reports.
    """
    before = ProgrammeUpdate.objects.filter(
        programme=OuterRef("programme_id"), state=UpdateState.ACCEPTED, reported_on__lte=since
    ).order_by("-reported_on", "-id")
    updates = list(
        ProgrammeUpdate.objects.filter(
            region=region, state=UpdateState.ACCEPTED, reported_on__gt=since, reported_on__lte=until
        )
        .select_related("programme", "period")
        .annotate(status_before=Subquery(before.values("status")[:1]))
        .order_by("-reported_on", "programme__code")[:limit]
    )
    slipped = [
        u
        for u in updates
        if u.status in SLIPPED and RANK.get(u.status, 0) > RANK.get(getattr(u, "status_before", None) or "", 0)
    ]
    periods = list(
        ReportingPeriod.objects.filter(region=region, due_on__gt=since, due_on__lte=until).order_by("due_on")
    )
    late: list[LateReport] = []
    if periods:
        editions = {p.edition_id for p in periods}
        running = list(
            Programme.objects.filter(edition_id__in=editions)
            .exclude(status__in=["cancelled", "achieved", "not_achieved"])
            .order_by("code")
        )
        reported = set(
            ProgrammeUpdate.objects.filter(
                period__in=periods, state__in=[UpdateState.SUBMITTED, UpdateState.ACCEPTED], reported_on__lte=until
            ).values_list("programme_id", "period_id")
        )
        for period in periods:
            for programme in running:
                due = (
                    programme.edition_id == period.edition_id
                    and programme.start_year <= period.year <= programme.end_year
                )
                if due and (programme.pk, period.pk) not in reported:
                    late.append(LateReport(period, programme))
    monitored = bool(periods) or bool(updates) or ReportingPeriod.objects.filter(region=region).exists()
    return ImplementationChanges(since, until, updates, slipped, late[:limit], monitored)
