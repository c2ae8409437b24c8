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
from kotacerdas.plans.notstated import runs_in


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
                due = programme.edition_id == period.edition_id and runs_in(
                    programme.start_year, programme.end_year, period.year
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
            if programme.edition_id != period.edition_id or not runs_in(
                programme.start_year, programme.end_year, period.year
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
        if p.starts_on <= today and runs_in(programme.start_year, programme.end_year, p.year)
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


# ===========================================================================================
# Overview pages (mon-overview): the region's monitoring page, the reporting set-up and the
# indicator actuals. Each read below costs a fixed number of queries, whatever the number of
# programmes, updates, indicators or actuals.
# ===========================================================================================

from dataclasses import field  # noqa: E402

from django.core.exceptions import ObjectDoesNotExist  # noqa: E402
from django.db.models import Sum  # noqa: E402
from django.db.models.functions import ExtractYear  # noqa: E402
from django.shortcuts import get_object_or_404  # noqa: E402

from kotacerdas.frameworks.bands import Band, classify  # noqa: E402
from kotacerdas.frameworks.models import Framework, FrameworkEntry, Kind, Status  # noqa: E402
from kotacerdas.frameworks.selectors import bands_of  # noqa: E402
from kotacerdas.monitoring import achievement as calc  # noqa: E402
from kotacerdas.monitoring import rollup  # noqa: E402
from kotacerdas.monitoring.models import IndicatorActual, RealisedBudget, ReportingPlan, Rollup  # noqa: E402
from kotacerdas.plans.models import Indicator, IndicatorTarget  # noqa: E402

# Which reporting periods an indicator of a frequency must have an actual for: those ending in
# these months ("yearly" is satisfied by any actual of the year, see indicator_states).
FREQUENCY_MONTHS: dict[str, frozenset[int]] = {
    "monthly": frozenset(range(1, 13)),
    "quarterly": frozenset({3, 6, 9, 12}),
    "semester": frozenset({6, 12}),
    "yearly": frozenset({12}),
}
ACHIEVEMENT_BANDS = "capaian-kinerja"


def monitored_editions(region: Any) -> list[Edition]:
    """The region's adopted editions, newest first, each with its reporting plan (1 query)."""
    return list(
        Edition.objects.filter(region=region, status=EditionStatus.ADOPTED)
        .select_related("reporting")
        .order_by("-year")
    )


def adopted_edition(region: Any, year: int) -> Edition:
    """The region's adopted edition of ``year`` (the edition's own year); 404 otherwise (1 query)."""
    return get_object_or_404(
        Edition.objects.filter(region=region, status=EditionStatus.ADOPTED).select_related("taxonomy"), year=year
    )


def reporting_of(edition: Edition) -> ReportingPlan | None:
    """The edition's reporting plan with its cadence changes, or None (2 queries)."""
    return ReportingPlan.objects.filter(edition=edition).prefetch_related("changes").first()


def choose_period(periods: list[ReportingPeriod], key: str | None, today: datetime.date) -> ReportingPeriod | None:
    """The period ``key`` names if the edition has it, else the latest that ended by ``today``
    (else the first: reporting has just started)."""
    if key:
        for period in periods:
            if period.key == key:
                return period
    ended = [p for p in periods if p.ends_on < today]
    if ended:
        return ended[-1]
    return periods[0] if periods else None


def achievement_bands() -> tuple[list[Band], Framework | None]:
    """The newest published achievement band table (capaian-kinerja) and its framework
    (2 queries). Without one the pages show the percentage without a band name."""
    framework = (
        Framework.objects.filter(kind=Kind.BANDS, code=ACHIEVEMENT_BANDS, status=Status.PUBLISHED)
        .prefetch_related("entries")
        .order_by("-version")
        .first()
    )
    return (bands_of(framework) if framework else []), framework


@dataclass
class IndicatorState:
    """An indicator in one year as of one period: its actuals, achievement, band and freshness.

    ``indicator`` is the Indicator row on detailed reads and its primary key on summary reads
    (the monitoring page counts bands and needs no names); ``actuals`` likewise holds the
    IndicatorActual rows (period key, or "year" → row) only on detailed reads.
    """

    indicator: Any
    target: Decimal | None
    values: dict[str, Decimal]  # period key (or "year") → actual value
    actuals: dict[str, IndicatorActual]
    value: Decimal | None  # what the achievement is computed from (the year's, else the latest)
    achievement: calc.Achievement
    band: Band | None
    frequency: str
    missing: list[str]  # past-due periods without the actual they need ("terlambat")
    upper: Decimal | None = None  # the upper bound when the indicator is within a range (target: the lower)

    @property
    def is_late(self) -> bool:
        return bool(self.missing)


def _metadata(indicator: Indicator) -> Any:
    try:
        return indicator.metadata
    except ObjectDoesNotExist:
        return None


def _target(direction: str, value: Decimal | None, upper: Decimal | None) -> calc.Target | None:
    """The year's target as the achievement formulas take it (None: the year has none)."""
    if value is None:
        return None
    if direction == "range":
        return calc.Target(calc.Direction.RANGE, low=value, high=upper)
    return calc.Target(calc.Direction.LOWER if direction == "lower" else calc.Direction.HIGHER, value)


def indicator_states(
    indicators: QuerySet[Indicator],
    *,
    year: int,
    periods: list[ReportingPeriod],
    as_of: ReportingPeriod | None,
    today: datetime.date,
    bands: list[Band],
    detail: bool = True,
) -> list[IndicatorState]:
    """Every indicator of ``indicators`` in ``year`` as of period ``as_of`` (3 queries).

    The achievement uses the year's own actual if there is one, else the latest actual of a
    period of the year that began by ``as_of``, against the target of the year
    (:func:`achievement.achievement`, with the indicator's direction and baseline). Freshness:
    the periods of the year (up to ``as_of``) that are past due and need an actual by the
    indicator's frequency (Satu Data metadata; yearly when none is recorded) but have none are
    listed in ``missing``; a missing actual is never read as zero. ``detail=False`` reads plain
    values instead of rows (for the monitoring page's summary of a thousand indicators).
    """
    key_of = {p.pk: p.key for p in periods}
    rows: list[tuple[Any, int, str, Decimal | None, str | None]]  # (shown, pk, direction, baseline, frequency)
    if detail:
        objects = indicators.select_related("programme__dimension", "programme__lead_opd", "data_producer", "metadata")
        rows = [(i, i.pk, i.direction, i.baseline, getattr(_metadata(i), "frequency", None)) for i in objects]
    else:
        plain = indicators.values_list("pk", "direction", "baseline", "metadata__frequency")
        rows = [(pk, pk, direction, baseline, frequency) for pk, direction, baseline, frequency in plain]
    ids = [pk for _shown, pk, *_rest in rows]
    targets = {
        pk: (value, upper)
        for pk, value, upper in IndicatorTarget.objects.filter(indicator_id__in=ids, year=year).values_list(
            "indicator_id", "value", "upper"
        )
    }
    values: dict[int, dict[str, Decimal]] = {}
    objects_of: dict[int, dict[str, IndicatorActual]] = {}
    of_the_year = IndicatorActual.objects.filter(indicator_id__in=ids, year=year)
    if detail:
        for actual in of_the_year.select_related("producer"):
            key = key_of.get(actual.period_id, "?") if actual.period_id else "year"
            objects_of.setdefault(actual.indicator_id, {})[key] = actual
            values.setdefault(actual.indicator_id, {})[key] = actual.value
    else:
        for indicator_id, period_id, amount in of_the_year.values_list("indicator_id", "period_id", "value"):
            values.setdefault(indicator_id, {})[key_of.get(period_id, "?") if period_id else "year"] = amount
    limit = as_of.starts_on if as_of else datetime.date(year, 12, 31)
    of_year = [p for p in periods if p.year == year and p.starts_on <= limit]
    due = [p for p in of_year if p.due_on < today]
    year_over = bool(due) and due[-1] is of_year[-1] and of_year[-1].ends_on.month == 12
    out = []
    for shown, pk, direction_code, baseline, frequency_code in rows:
        mine = values.get(pk, {})
        frequency = frequency_code or "yearly"
        if "year" in mine:
            value: Decimal | None = mine["year"]
        else:
            found = [mine[p.key] for p in of_year if p.key in mine]
            value = found[-1] if found else None
        if frequency not in FREQUENCY_MONTHS or frequency == "yearly":
            missing = [of_year[-1].key] if year_over and not mine else []
        else:
            months = FREQUENCY_MONTHS[frequency]
            missing = [p.key for p in due if p.ends_on.month in months and p.key not in mine]
        target, upper = targets.get(pk, (None, None))
        result = calc.achievement(_target(direction_code, target, upper), value, baseline)
        band = classify(result.rounded, bands) if result.rounded is not None and bands else None
        out.append(
            IndicatorState(
                shown, target, mine, objects_of.get(pk, {}), value, result, band, frequency, missing, upper=upper
            )
        )
    return out


@dataclass
class ProgrammeRow:
    """A programme on the monitoring page: its latest accepted update as of the period."""

    programme: Programme
    status: str | None  # None: no accepted update yet
    progress: int | None
    reported: ReportingPeriod | None  # the period of that update
    budget: Decimal  # planned for the period's year (the budget weight)
    late: list[str] = field(default_factory=list)  # past-due periods without a submitted/accepted update


@dataclass
class LevelRow:
    """One level of the roll-up (plan, dimension, element), with programmes instead of keys."""

    code: str
    name: str
    score: Decimal | None
    rag: str
    counted: int
    pulling_down: list[ProgrammeRow]
    not_reported: list[ProgrammeRow]
    children: list[LevelRow] = field(default_factory=list)

    @property
    def percent(self) -> Decimal | None:
        return None if self.score is None else (self.score * 100).quantize(Decimal(1))


@dataclass
class BudgetYear:
    year: int
    planned: int
    realised: int

    @property
    def share(self) -> Decimal | None:
        """Realised as a percentage of planned (one decimal), None without a plan."""
        return None if not self.planned else (Decimal(self.realised) * 100 / self.planned).quantize(Decimal("0.1"))


@dataclass
class Overview:
    edition: Edition
    reporting: ReportingPlan | None
    periods: list[ReportingPeriod]
    period: ReportingPeriod | None
    today: datetime.date
    plan: LevelRow
    programmes: list[ProgrammeRow]
    budgets: list[BudgetYear]
    indicators: list[IndicatorState]
    bands: list[Band]
    band_table: Framework | None

    @property
    def year(self) -> int:
        return self.period.year if self.period else self.today.year

    @property
    def at_risk(self) -> list[ProgrammeRow]:
        """Off track first, then at risk."""
        order = {ProgrammeStatus.OFF_TRACK.value: 0, ProgrammeStatus.AT_RISK.value: 1}
        rows = [r for r in self.programmes if r.status in order]
        return sorted(rows, key=lambda r: (order[r.status or ""], r.programme.code))

    @property
    def late(self) -> list[ProgrammeRow]:
        return sorted((r for r in self.programmes if r.late), key=lambda r: (-len(r.late), r.programme.code))

    @property
    def late_count(self) -> int:
        return sum(len(r.late) for r in self.programmes)

    @property
    def band_summary(self) -> list[tuple[Band, int]]:
        """(band, number of indicators in it) from the highest band down."""
        counts: dict[str, int] = {}
        for state in self.indicators:
            if state.band is not None:
                counts[state.band.code] = counts.get(state.band.code, 0) + 1
        ordered = sorted(self.bands, key=lambda b: (b.lower is not None, b.lower or 0), reverse=True)
        return [(b, counts.get(b.code, 0)) for b in ordered]

    @property
    def indicators_late(self) -> int:
        return sum(1 for s in self.indicators if s.is_late)

    @property
    def indicators_without_actual(self) -> int:
        return sum(1 for s in self.indicators if s.value is None)

    @property
    def indicators_without_target(self) -> int:
        return sum(1 for s in self.indicators if s.target is None)

    def as_dict(self) -> dict[str, Any]:
        """Plain data for ``--json`` output and reports (codes, not translated labels)."""

        def level(node: LevelRow) -> dict[str, Any]:
            return {
                "code": node.code,
                "name": node.name,
                "score": None if node.score is None else str(node.score.quantize(Decimal("0.0001"))),
                "rag": node.rag,
                "counted": node.counted,
                "pulling_down": [r.programme.code for r in node.pulling_down],
                "not_reported": [r.programme.code for r in node.not_reported],
                "children": [level(child) for child in node.children],
            }

        return {
            "edition": self.edition.year,
            "period": self.period.key if self.period else None,
            "rollup": self.reporting.rollup if self.reporting else None,
            "plan": level(self.plan),
            "late": {r.programme.code: r.late for r in self.late},
            "at_risk": [{"code": r.programme.code, "status": r.status, "progress": r.progress} for r in self.at_risk],
            "budget": [{"year": b.year, "planned": b.planned, "realised": b.realised} for b in self.budgets],
            "indicators": {
                "bands": {band.code: n for band, n in self.band_summary},
                "without_actual": self.indicators_without_actual,
                "without_target": self.indicators_without_target,
                "late": self.indicators_late,
            },
        }


def overview(edition: Edition, *, period_key: str | None, today: datetime.date) -> Overview:
    """The region's monitoring page for ``edition`` as of a period (a fixed 15 queries).

    The roll-up takes each programme's latest accepted update of a period that began by the end
    of the chosen period, weighted (when the plan says so) by the planned budget of that
    period's year. Late reports are past-due periods up to the chosen one with no submitted or
    accepted update, per programme running in that period's year and not cancelled.
    """
    reporting = reporting_of(edition)
    periods = list(periods_of(edition))
    period = choose_period(periods, period_key, today)
    year = period.year if period else today.year
    until = period.ends_on if period else today
    programmes = list(
        latest_accepted(Programme.objects.filter(edition=edition).select_related("lead_opd"), until=until)
    )
    # Plain values and the taxonomy read once: a thousand model rows less on a big plan.
    entries = {e.pk: e for e in FrameworkEntry.objects.filter(framework_id=edition.taxonomy_id).order_by("order", "id")}
    for programme in programmes:
        programme.dimension = entries[programme.dimension_id]
        programme.element = entries.get(programme.element_id) if programme.element_id else None
    period_by_id = {p.pk: p for p in periods}
    latest = {
        pk: (status, progress, period_by_id.get(period_id))
        for pk, status, progress, period_id in ProgrammeUpdate.objects.filter(
            pk__in=[p.latest_update_id for p in programmes if p.latest_update_id]
        ).values_list("pk", "status", "progress", "period_id")
    }
    weights = dict(
        ProgrammeBudget.objects.filter(programme__edition=edition, year=year)
        .values("programme_id")
        .annotate(total=Sum("amount"))
        .values_list("programme_id", "total")
    )
    past_due = [p for p in periods if p.due_on < today and (period is None or p.starts_on <= period.starts_on)]
    reported = set(
        ProgrammeUpdate.objects.filter(
            programme__edition=edition,
            state__in=[UpdateState.SUBMITTED, UpdateState.ACCEPTED],
            period__in=[p.pk for p in past_due],
        ).values_list("programme_id", "period_id")
    )
    rows: dict[int, ProgrammeRow] = {}
    for programme in programmes:
        status, progress, reported_in = latest.get(programme.latest_update_id, (None, None, None))
        row = ProgrammeRow(
            programme=programme,
            status=status,
            progress=progress,
            reported=reported_in,
            budget=weights.get(programme.pk) or Decimal(0),
        )
        if row.status != ProgrammeStatus.CANCELLED:
            row.late = [
                p.key
                for p in past_due
                if programme.start_year <= p.year <= programme.end_year and (programme.pk, p.pk) not in reported
            ]
        rows[programme.pk] = row
    dimensions = [e for e in entries.values() if e.parent_id is None]
    budget_weighted = bool(reporting and reporting.rollup == Rollup.BUDGET)
    plan = _rollup_rows(rows, dimensions, year=year, budget_weighted=budget_weighted, name=edition.title)
    planned = dict(
        ProgrammeBudget.objects.filter(programme__edition=edition)
        .values("year")
        .annotate(total=Sum("amount"))
        .values_list("year", "total")
    )
    realised = dict(
        RealisedBudget.objects.filter(
            update__programme__edition=edition, update__state=UpdateState.ACCEPTED, update__period__starts_on__lte=until
        )
        # A corrected update counts no more once its correction is accepted.
        .exclude(update__corrections__state=UpdateState.ACCEPTED)
        .annotate(year=ExtractYear("update__period__starts_on"))
        .values("year")
        .annotate(total=Sum("amount"))
        .values_list("year", "total")
    )
    budgets = [
        BudgetYear(y, int(planned.get(y) or 0), int(realised.get(y) or 0))
        for y in range(edition.start_year, edition.end_year + 1)
    ]
    bands, band_table = achievement_bands()
    states = indicator_states(
        Indicator.objects.filter(programme__edition=edition),
        year=year,
        periods=periods,
        as_of=period,
        today=today,
        bands=bands,
        detail=False,
    )
    return Overview(
        edition, reporting, periods, period, today, plan, list(rows.values()), budgets, states, bands, band_table
    )


def _rollup_rows(
    rows: dict[int, ProgrammeRow], dimensions: list[FrameworkEntry], *, year: int, budget_weighted: bool, name: str
) -> LevelRow:
    """:func:`rollup.tree` over the programmes in taxonomy order; every dimension is shown (grey
    when it has nothing counted)."""
    order = {d.pk: n for n, d in enumerate(dimensions)}
    ordered = sorted(
        rows.values(),
        key=lambda r: (
            order.get(r.programme.dimension_id, len(order)),
            r.programme.element.order if r.programme.element else 10**6,
            r.programme.element_id or 0,
            r.programme.code,
        ),
    )
    items = [
        rollup.Item(
            key=r.programme.pk,
            dimension=r.programme.dimension.code,
            element=r.programme.element.code if r.programme.element else "",
            status=r.status,
            budget=r.budget,
            due=r.programme.start_year is not None and r.programme.start_year <= year,
        )
        for r in ordered
    ]
    top = rollup.tree(items, budget_weighted=budget_weighted, plan_name=name)
    names = {d.code: d.name for d in dimensions}
    for r in ordered:
        names.setdefault(r.programme.dimension.code, r.programme.dimension.name)
        if r.programme.element:
            names.setdefault(r.programme.element.code, r.programme.element.name)

    def convert(node: rollup.Level) -> LevelRow:
        return LevelRow(
            code=node.name,
            name=names.get(node.name, node.name),
            score=node.score,
            rag=node.rag.value,
            counted=node.counted,
            pulling_down=[rows[k] for k in node.pulling_down],  # type: ignore[index]
            not_reported=[rows[k] for k in node.not_reported],  # type: ignore[index]
            children=[convert(child) for child in node.children],
        )

    plan = convert(top)
    plan.code, plan.name = "", name
    shown = {c.code: c for c in plan.children}
    known = {d.code for d in dimensions}
    plan.children = [
        shown.get(d.code) or LevelRow(d.code, d.name, None, rollup.Rag.GREY.value, 0, [], []) for d in dimensions
    ] + [c for c in plan.children if c.code not in known]
    return plan
