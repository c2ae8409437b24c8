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
    # An accepted update that an accepted correction replaced no longer stands.
    updates = ProgrammeUpdate.objects.filter(programme=OuterRef("pk"), state=UpdateState.ACCEPTED).exclude(
        corrections__state=UpdateState.ACCEPTED
    )
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


# Update pages: "my updates", a programme's history, quick-win progress (views/updates.py) -----
# (Imported here, not at the top, so this section merges apart from the others.)

from kotacerdas.plans.models import ProgrammeBudget, ProgrammeStatus  # noqa: E402


@dataclass(frozen=True)
class DueReport:
    """A period a programme still owes a report for: nothing written yet, or only a draft."""

    programme: Programme
    period: ReportingPeriod
    draft: ProgrammeUpdate | None
    overdue: bool


@dataclass(frozen=True)
class MyUpdates:
    """What a user's "my updates" page lists, for one region and one scope of programmes."""

    due: list[DueReport]  # ended periods without a report (or with a draft), not yet past due
    overdue: list[DueReport]  # … past their due date
    returned: list[ProgrammeUpdate]  # sent back by a validator, with the reason
    submitted: list[ProgrammeUpdate]  # waiting for validation
    programme_count: int

    @property
    def is_empty(self) -> bool:
        return not (self.due or self.overdue or self.returned or self.submitted)


def _reporting_programmes(region: Any, lead_opd_id: int | None) -> QuerySet[Programme]:
    programmes = Programme.objects.filter(
        region=region, edition__status=EditionStatus.ADOPTED, edition__reporting__isnull=False
    )
    if lead_opd_id is not None:
        programmes = programmes.filter(lead_opd_id=lead_opd_id)
    return programmes


def my_updates(region: Any, today: datetime.date, *, lead_opd_id: int | None = None) -> MyUpdates:
    """Reports due, overdue, returned and waiting for the programmes of ``region`` being monitored.

    ``lead_opd_id``: only the programmes that agency leads (an editor tied to it). A programme
    owes a report for every period of its years that has ended, unless it was cancelled; a draft
    written for a period that has not ended yet is listed too. Three queries, whatever the size.
    """
    programmes = {
        p.pk: p
        for p in _reporting_programmes(region, lead_opd_id)
        .select_related("lead_opd")
        .only("pk", "code", "name", "edition_id", "start_year", "end_year", "status", "lead_opd__abbreviation")
        .order_by("code", "pk")
    }
    periods = list(
        ReportingPeriod.objects.filter(
            region=region, ends_on__lt=today, edition__status=EditionStatus.ADOPTED
        ).order_by("starts_on", "pk")
    )
    updates = list(
        ProgrammeUpdate.objects.filter(
            region=region, programme__in=_reporting_programmes(region, lead_opd_id).values("pk")
        )
        .select_related("period")
        .only(
            "pk",
            "programme_id",
            "period",
            "state",
            "status",
            "progress",
            "reported_on",
            "return_reason",
            "submitted_at",
            "decided_at",
            "version",
            "corrects_id",
        )
        .order_by("period__starts_on", "pk")
    )
    reported: set[tuple[int, int]] = set()
    drafts: dict[tuple[int, int], ProgrammeUpdate] = {}
    returned, submitted = [], []
    for update in updates:
        pair = (update.programme_id, update.period_id)
        update.programme = programmes[update.programme_id]
        if update.state == UpdateState.DRAFT:
            drafts.setdefault(pair, update)
            continue
        reported.add(pair)
        if update.state == UpdateState.RETURNED:
            returned.append(update)
        elif update.state == UpdateState.SUBMITTED:
            submitted.append(update)
    owed: list[DueReport] = []
    seen: set[tuple[int, int]] = set()
    for period in periods:
        for programme in programmes.values():
            if (
                programme.edition_id != period.edition_id
                or not programme.start_year <= period.year <= programme.end_year
            ):
                continue
            pair = (programme.pk, period.pk)
            if pair in reported or (programme.status == ProgrammeStatus.CANCELLED and pair not in drafts):
                continue
            seen.add(pair)
            owed.append(DueReport(programme, period, drafts.get(pair), period.due_on < today))
    for pair, draft in drafts.items():
        if pair not in seen and pair not in reported:
            owed.append(DueReport(programmes[pair[0]], draft.period, draft, draft.period.due_on < today))
    owed.sort(key=lambda d: (d.period.due_on, d.programme.code))
    return MyUpdates(
        due=[d for d in owed if not d.overdue],
        overdue=[d for d in owed if d.overdue],
        returned=returned,
        submitted=submitted,
        programme_count=len(programmes),
    )


def updates_to_validate(region: Any) -> list[ProgrammeUpdate]:
    """Submitted updates of ``region``, oldest first: what a validator has to decide (one query)."""
    return list(
        ProgrammeUpdate.objects.filter(region=region, state=UpdateState.SUBMITTED)
        .select_related("programme__lead_opd", "period")
        .order_by("submitted_at", "pk")
    )


def update_detail(region: Any, pk: int) -> ProgrammeUpdate | None:
    """One update of ``region`` with what its page shows (programme, period, people, budgets)."""
    return (
        ProgrammeUpdate.objects.filter(region=region, pk=pk)
        .select_related("programme__edition", "programme__lead_opd", "period", "corrects", "author", "decided_by")
        .prefetch_related("budgets", "corrections")
        .first()
    )


def planned_budgets(programme: Programme, year: int) -> dict[str, Decimal]:
    """The programme's planned budget of ``year`` by source (one query)."""
    rows = ProgrammeBudget.objects.filter(programme=programme, year=year).values_list("source", "amount")
    return dict(rows)


def is_quick_win(programme: Programme, year: int) -> bool:
    return QuickWinFlag.objects.filter(programme=programme, year=year).exists()


@dataclass(frozen=True)
class ProgressPoint:
    period: ReportingPeriod
    update: ProgrammeUpdate


@dataclass(frozen=True)
class ProgrammeHistory:
    programme: Programme
    updates: list[ProgrammeUpdate]  # every update, all states, in period order
    progress: list[ProgressPoint]  # per period, the accepted update that stands (corrections win)
    reportable: list[ReportingPeriod]  # periods of the programme's years that have begun


def programme_history(programme: Programme, today: datetime.date) -> ProgrammeHistory:
    """Every update of ``programme`` and its accepted progress by period (three queries)."""
    updates = list(
        ProgrammeUpdate.objects.filter(programme=programme)
        .select_related("period", "author", "decided_by")
        .prefetch_related("budgets")
        .order_by("period__starts_on", "created_at", "pk")
    )
    corrected = {u.corrects_id for u in updates if u.corrects_id and u.state == UpdateState.ACCEPTED}
    standing: dict[int, ProgrammeUpdate] = {}
    for update in updates:
        if update.state == UpdateState.ACCEPTED and update.pk not in corrected:
            standing[update.period_id] = update
    progress = sorted(
        (ProgressPoint(u.period, u) for u in standing.values()), key=lambda p: (p.period.starts_on, p.period.pk)
    )
    reportable = [
        p
        for p in periods_of(programme.edition)
        if p.starts_on <= today and programme.start_year <= p.year <= programme.end_year
    ]
    return ProgrammeHistory(programme, updates, progress, reportable)


@dataclass(frozen=True)
class QuickWinProgress:
    programme: Programme
    update: ProgrammeUpdate | None  # the latest accepted update of the year
    launched_on: datetime.date | None
    live_since: datetime.date | None


def quick_win_progress(edition: Edition, year: int) -> list[QuickWinProgress]:
    """Each quick win of ``year`` with its latest accepted progress, launch date and live-since
    (two queries). The dates are the latest ones an accepted update of the year gave."""
    accepted = (
        ProgrammeUpdate.objects.filter(
            programme=OuterRef("pk"), state=UpdateState.ACCEPTED, period__starts_on__year=year
        )
        .exclude(corrections__state=UpdateState.ACCEPTED)
        .order_by("-period__starts_on", "-reported_on", "-decided_at", "-id")
    )
    rows = list(
        latest_accepted(
            Programme.objects.filter(edition=edition, quick_wins__year=year).select_related("lead_opd"), year=year
        )
        .annotate(
            launched=Subquery(accepted.exclude(launched_on=None).values("launched_on")[:1]),
            live=Subquery(accepted.exclude(live_since=None).values("live_since")[:1]),
        )
        .order_by("code", "pk")
    )
    updates = updates_by_id([p.latest_update_id for p in rows])
    return [QuickWinProgress(p, updates.get(p.latest_update_id), p.launched, p.live) for p in rows]
