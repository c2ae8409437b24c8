"""The ministry's national view (issue 15 §3): every region of every cohort in one table, and the
figures that compare them.

Composed here from the tables of regions, engagements, plans, monitoring and evaluation, each read
once for all regions, grouped in the database (no query per region, programme or obstacle): about
fifteen queries whatever the number of regions (tests assert it; bench/national_view.py times it
at 514 regions). The filters and the sort apply to the rows in Python, so every filter costs the
same, and the figures describe the regions the filters keep.

What each column reads:

- **cohort**: the region's latest engagement; **size class**: the latest population under the
  RKCI size classes (the first published scheme without it);
- **stage**: the furthest step reached (``national_figures.stage_of``): a cohort, the highest
  Bimtek held (a session not merely planned), an adopted master plan, reporting set up on an
  adopted edition, a released evaluation;
- **plan status**: of the latest edition; **programmes**: its programmes (cancelled ones left out);
- **late reports**: programme reports missing in periods past their due date, for the editions
  with reporting (one per programme and period; a submitted or accepted update counts);
- **realised budget**: accepted updates' realised amounts, an accepted correction replacing what
  it corrects;
- **evaluation**: the latest evaluation's stored index, predicate and improvement. Only a released
  evaluation stores them, so a draft shows as being scored, never as a live estimate.
"""

from __future__ import annotations

import datetime
from collections import defaultdict
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from django.db.models import Count, IntegerField, Max, OuterRef, Q, Subquery, Sum
from django.utils.translation import gettext_lazy

from kotacerdas.engagements.models import Cohort, Engagement, Obstacle, Session
from kotacerdas.engagements.models.register import ObstacleCategory, ObstacleStatus
from kotacerdas.evaluation.models import Evaluation
from kotacerdas.evaluation.models import Status as EvaluationStatus
from kotacerdas.frameworks.bands import Band, classify
from kotacerdas.frameworks.models import Kind
from kotacerdas.frameworks.selectors import bands_of, latest_published
from kotacerdas.lib import numbers
from kotacerdas.monitoring.models import ProgrammeUpdate, RealisedBudget, ReportingPeriod, ReportingPlan, UpdateState
from kotacerdas.plans.models import Edition, Programme, ProgrammeStatus
from kotacerdas.plans.models.plan import EditionStatus
from kotacerdas.regions.models import Population, Region, RegionKind
from kotacerdas.regions.provinces import PROVINCES
from kotacerdas.regions.provinces import find as find_province
from kotacerdas.web import national_figures as figures

SIZE_SCHEME = "ukuran-rkci"
PREDICATE_BANDS = "predikat-evaluasi"
UNRESOLVED = (ObstacleStatus.OPEN, ObstacleStatus.IN_PROGRESS, ObstacleStatus.ESCALATED)
NO_PLAN = "none"


@dataclass
class Row:
    """One region in the national table."""

    region_id: int
    code: str
    label: str
    kind: str
    kind_label: str
    province: str
    province_code: str
    is_sample: bool
    cohort_year: int | None = None
    cohort_name: str = ""
    population: int | None = None
    size_code: str = ""
    size_label: str = ""
    stage: str = "none"
    plan_status: str = NO_PLAN
    plan_status_label: str = ""
    programmes: int = 0
    late_reports: int = 0
    due_reports: int = 0
    realised: Decimal = Decimal(0)
    unresolved_obstacles: int = 0
    escalated_obstacles: int = 0
    evaluation_year: int | None = None
    evaluation_released: bool = False
    index: Decimal | None = None
    predicate_code: str = ""
    predicate_name: str = ""
    improvement: Decimal | None = None

    @property
    def stage_rank(self) -> int:
        return figures.STAGE_RANK[self.stage]

    @property
    def stage_label(self) -> str:
        return str(dict(figures.STAGES)[self.stage])


@dataclass(frozen=True)
class Column:
    key: str
    title: Any  # lazy text
    value: Callable[[Row], Any]  # what sorts and what the spreadsheet holds
    numeric: bool = False


# The one list of columns: the page, its sort links and the XLSX export all read it.
COLUMNS: tuple[Column, ...] = (
    Column("code", gettext_lazy("Code"), lambda r: r.code),
    Column("region", gettext_lazy("Region"), lambda r: r.label),
    Column("province", gettext_lazy("Province"), lambda r: r.province),
    Column("cohort", gettext_lazy("Cohort"), lambda r: r.cohort_year, numeric=True),
    Column("size", gettext_lazy("Size class"), lambda r: r.size_label),
    Column("population", gettext_lazy("Population"), lambda r: r.population, numeric=True),
    Column("stage", gettext_lazy("Stage"), lambda r: r.stage_label),
    Column("plan", gettext_lazy("Master plan"), lambda r: r.plan_status_label),
    Column("programmes", gettext_lazy("Programmes"), lambda r: r.programmes, numeric=True),
    Column("late", gettext_lazy("Late reports"), lambda r: r.late_reports, numeric=True),
    Column("realised", gettext_lazy("Realised budget (Rp)"), lambda r: r.realised, numeric=True),
    Column("obstacles", gettext_lazy("Unresolved obstacles"), lambda r: r.unresolved_obstacles, numeric=True),
    Column("index", gettext_lazy("Evaluation index"), lambda r: r.index, numeric=True),
    Column("predicate", gettext_lazy("Predicate"), lambda r: r.predicate_name),
    Column("improvement", gettext_lazy("Improvement"), lambda r: r.improvement, numeric=True),
)
BY_KEY = {c.key: c for c in COLUMNS}
# How a column sorts when its value is not what it shows (a stage by its order, not its name).
SORT_KEYS: dict[str, Callable[[Row], Any]] = {
    "stage": lambda r: r.stage_rank,
    "plan": lambda r: [s.value for s in EditionStatus].index(r.plan_status) if r.plan_status != NO_PLAN else -1,
}


# Reading ------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Reference:
    """What the filters and the figures classify by, read once per request (five queries)."""

    size_scheme: str
    sizes: list[Band]
    predicates: list[Band]
    cohorts: list[tuple[int, str]]


def reference() -> Reference:
    schemes = latest_published(Kind.SIZE_CLASSES)
    scheme = next((s for s in schemes if s.code == SIZE_SCHEME), schemes[0] if schemes else None)
    predicates = next((s for s in latest_published(Kind.BANDS) if s.code == PREDICATE_BANDS), None)
    return Reference(
        size_scheme=scheme.title if scheme is not None else "",
        sizes=bands_of(scheme) if scheme is not None else [],
        predicates=bands_of(predicates) if predicates is not None else [],
        cohorts=list(Cohort.objects.order_by("year", "name").values_list("year", "name")),
    )


def rows(today: datetime.date, ref: Reference) -> list[Row]:
    """Every region as a :class:`Row`, in a fixed number of queries."""
    latest_population = Population.objects.filter(region=OuterRef("pk")).order_by("-year").values("population")[:1]
    regions = list(
        Region.objects.annotate(people=Subquery(latest_population, output_field=IntegerField()))
        .order_by("code")
        .values("id", "code", "name", "kind", "province", "is_sample", "people")
    )
    kinds = dict(RegionKind.choices)
    out: dict[int, Row] = {}
    bands = ref.sizes
    for r in regions:
        province = find_province(r["province"])
        row = Row(
            region_id=r["id"],
            code=r["code"],
            label=f"{r['kind'].title()} {r['name']}",
            kind=r["kind"],
            kind_label=str(kinds.get(r["kind"], r["kind"])),
            province=province.name if province else r["province"],
            province_code=province.code if province else r["code"][:2],
            is_sample=r["is_sample"],
            population=r["people"],
        )
        band = classify(r["people"], bands) if r["people"] is not None and bands else None
        if band is not None:
            row.size_code, row.size_label = band.code, band.label
        out[r["id"]] = row

    engagements = Engagement.objects.order_by("region_id", "-cohort__year", "-id").values_list(
        "region_id", "cohort__year", "cohort__name"
    )
    for region_id, year, name in engagements:
        row = out[region_id]
        if row.cohort_year is None:
            row.cohort_year, row.cohort_name = year, name
    held = dict(
        Session.objects.filter(stage__in=[1, 2, 3, 4])
        .exclude(status=Session.Status.PLANNED)
        .values("region_id")
        .annotate(top=Max("stage"))
        .values_list("region_id", "top")
    )

    editions = Edition.objects.order_by("region_id", "-year", "-id").values_list("id", "region_id", "status")
    labels = dict(EditionStatus.choices)
    adopted: set[int] = set()
    latest_edition: dict[int, int] = {}
    for edition_id, region_id, status in editions:
        if region_id not in latest_edition:
            latest_edition[region_id] = edition_id
            out[region_id].plan_status, out[region_id].plan_status_label = status, str(labels[status])
        if status == EditionStatus.ADOPTED:
            adopted.add(region_id)
    reporting = dict(
        ReportingPlan.objects.filter(edition__status=EditionStatus.ADOPTED).values_list("edition_id", "region_id")
    )
    programmes = dict(
        Programme.objects.exclude(status=ProgrammeStatus.CANCELLED)
        .values("edition_id")
        .annotate(n=Count("id"))
        .values_list("edition_id", "n")
    )
    for region_id, edition_id in latest_edition.items():
        out[region_id].programmes = programmes.get(edition_id, 0)
    _late_reports(out, reporting, programmes, today)
    # Accepted amounts, less those of accepted updates an accepted correction replaced (two plain
    # sums: one NOT EXISTS per budget row costs seconds on SQLite at the national scale).
    superseded = ProgrammeUpdate.objects.filter(state=UpdateState.ACCEPTED, corrections__state=UpdateState.ACCEPTED)
    accepted = RealisedBudget.objects.filter(update__state=UpdateState.ACCEPTED)
    for sign, budgets in ((1, accepted), (-1, accepted.filter(update__in=superseded.values("pk")))):
        for region_id, total in (
            budgets.values("region_id").annotate(total=Sum("amount")).values_list("region_id", "total")
        ):
            out[region_id].realised += sign * (total or Decimal(0))

    obstacles = (
        Obstacle.objects.filter(status__in=UNRESOLVED)
        .values("region_id")
        .annotate(n=Count("id"), escalated=Count("id", filter=Q(status=ObstacleStatus.ESCALATED)))
        .values_list("region_id", "n", "escalated")
    )
    for region_id, n, escalated in obstacles:
        out[region_id].unresolved_obstacles, out[region_id].escalated_obstacles = n, escalated

    evaluations = Evaluation.objects.order_by("region_id", "-year").values_list(
        "region_id", "year", "status", "index_2dp", "predicate_code", "predicate_name", "improvement"
    )
    evaluated: set[int] = set()
    for region_id, year, status, index, code, name, improvement in evaluations:
        row = out[region_id]
        if status == EvaluationStatus.RELEASED:
            evaluated.add(region_id)
        if row.evaluation_year is not None:
            continue
        row.evaluation_year, row.evaluation_released = year, status == EvaluationStatus.RELEASED
        if row.evaluation_released:
            row.index, row.predicate_code, row.predicate_name, row.improvement = index, code, name, improvement

    reporting_regions = set(reporting.values())
    for region_id, row in out.items():
        row.stage = figures.stage_of(
            in_cohort=row.cohort_year is not None,
            bimtek_held=held.get(region_id) or 0,
            adopted=region_id in adopted,
            reporting=region_id in reporting_regions,
            evaluated=region_id in evaluated,
        )
    return list(out.values())


def _late_reports(
    out: dict[int, Row], reporting: Mapping[int, int], programmes: Mapping[int, int], today: datetime.date
) -> None:
    """Reports due and missing per region: for each period past its due date, the edition's
    programmes less those that submitted or had accepted an update for the period."""
    due = (
        ReportingPeriod.objects.filter(edition_id__in=reporting.keys(), due_on__lt=today)
        .values("edition_id")
        .annotate(n=Count("id"))
        .values_list("edition_id", "n")
    )
    # Distinct programmes per period (an update and its correction are one report), summed per edition.
    reported = (
        ProgrammeUpdate.objects.filter(
            period__due_on__lt=today,
            period__edition_id__in=reporting.keys(),
            state__in=[UpdateState.SUBMITTED, UpdateState.ACCEPTED],
        )
        .values("period__edition_id", "period_id")
        .annotate(n=Count("programme_id", distinct=True))
        .values_list("period__edition_id", "n")
    )
    sent: dict[int, int] = defaultdict(int)
    for edition_id, n in reported:
        sent[edition_id] += n
    for edition_id, periods in due:
        row = out[reporting[edition_id]]
        expected = periods * programmes.get(edition_id, 0)
        row.due_reports += expected
        row.late_reports += max(expected - sent.get(edition_id, 0), 0)


# Filters and sorting -------------------------------------------------------------------------


@dataclass
class Filters:
    cohort: int | None = None
    province: str = ""  # province code
    kind: str = ""
    size: str = ""
    stage: str = ""
    plan: str = ""
    predicate: str = ""

    def keep(self, row: Row) -> bool:
        return (
            (self.cohort is None or row.cohort_year == self.cohort)
            and (not self.province or row.province_code == self.province)
            and (not self.kind or row.kind == self.kind)
            and (not self.size or row.size_code == self.size)
            and (not self.stage or row.stage == self.stage)
            and (not self.plan or row.plan_status == self.plan)
            and (not self.predicate or row.predicate_code == self.predicate)
        )

    def as_dict(self) -> dict[str, Any]:
        return {k: v for k, v in self.__dict__.items() if v not in (None, "")}


def sort_rows(found: list[Row], key: str, descending: bool) -> list[Row]:
    """``found`` sorted by the column ``key`` (by code when unknown); empty values always last."""
    column = BY_KEY.get(key) or BY_KEY["code"]
    get = SORT_KEYS.get(column.key, column.value)
    present = [r for r in found if get(r) not in (None, "")]
    missing = [r for r in found if get(r) in (None, "")]
    present.sort(key=lambda r: (get(r), r.code), reverse=descending)
    return present + sorted(missing, key=lambda r: r.code)


# Figures ---------------------------------------------------------------------------------------

MEASURES: dict[str, Any] = {
    "regions": gettext_lazy("Regions"),
    "adopted": gettext_lazy("Share of regions with an adopted master plan, in percent"),
    "late": gettext_lazy("Late reports"),
    "obstacles": gettext_lazy("Unresolved obstacles"),
    "index": gettext_lazy("Median evaluation index"),
}


def province_measure(found: list[Row], measure: str) -> dict[str, Decimal | None]:
    """The chosen measure for each province with regions among ``found``."""
    by_province: dict[str, list[Row]] = defaultdict(list)
    for row in found:
        by_province[row.province_code].append(row)
    values: dict[str, Decimal | None] = {}
    for code, group in by_province.items():
        if measure == "adopted":
            share = sum(1 for r in group if r.stage_rank >= figures.STAGE_RANK["adopted"]) / len(group)
            values[code] = Decimal(round(share * 100))
        elif measure == "late":
            values[code] = Decimal(sum(r.late_reports for r in group))
        elif measure == "obstacles":
            values[code] = Decimal(sum(r.unresolved_obstacles for r in group))
        elif measure == "index":
            values[code] = figures.spread([r.index for r in group if r.index is not None]).median
        else:
            values[code] = Decimal(len(group))
    return values


@dataclass
class Benchmark:
    size_label: str
    regions: int
    index: figures.Spread
    realised: figures.Spread


@dataclass
class Heat:
    provinces: list[tuple[str, str]]  # code, name
    categories: list[tuple[str, str]]  # code, label
    counts: dict[tuple[str, str], int]  # (province code, category) → obstacles
    top: int

    def cells(self, code: str) -> list[tuple[str, int, int]]:
        """(category, obstacles, colour step) for each category of province ``code``."""
        out = []
        for category, _label in self.categories:
            n = self.counts.get((code, category), 0)
            out.append((category, n, figures.heat_step(n, self.top)))
        return out


@dataclass
class National:
    today: datetime.date
    filters: Filters
    rows: list[Row]
    total: int  # regions before filtering
    cohorts: list[tuple[int, str]]
    funnel: list[tuple[int, str, list[int]]]  # cohort year, name, regions per stage
    league: list[Row]
    heat: Heat
    predicates: list[tuple[str, str, int]]  # code, name, regions
    improvement: dict[str, Any]
    benchmarks: list[Benchmark]
    measure: str
    tiles: list[tuple[str, str, Decimal | None]]  # province code, name, value
    size_scheme: str
    has_reporting: bool
    has_evaluations: bool
    has_sample_data: bool = False
    sizes: list[tuple[str, str]] = field(default_factory=list)


def _heat(found: list[Row]) -> Heat:
    """Unresolved obstacles per province and category, for the regions ``found``."""
    wanted = {r.region_id: r.province_code for r in found}
    counts: dict[tuple[str, str], int] = defaultdict(int)
    for region_id, category, n in (
        Obstacle.objects.filter(status__in=UNRESOLVED)
        .values("region_id", "category")
        .annotate(n=Count("id"))
        .values_list("region_id", "category", "n")
    ):
        if region_id in wanted:
            counts[(wanted[region_id], category)] += n
    names = figures.province_names()
    provinces = sorted({code for code, _c in counts}, key=lambda c: c)
    return Heat(
        provinces=[(c, names.get(c, c)) for c in provinces],
        categories=[(c, str(label)) for c, label in ObstacleCategory.choices],
        counts=dict(counts),
        top=max(counts.values(), default=0),
    )


def national(
    today: datetime.date,
    filters: Filters,
    ref: Reference | None = None,
    *,
    sort: str = "code",
    descending: bool = False,
    measure: str = "regions",
) -> National:
    """The national view as of ``today`` for the regions ``filters`` keep, sorted by ``sort``."""
    ref = ref or reference()
    every = rows(today, ref)
    found = sort_rows([r for r in every if filters.keep(r)], sort, descending)
    cohorts = ref.cohorts
    by_cohort: dict[int, list[str]] = defaultdict(list)
    for row in found:
        if row.cohort_year is not None:
            by_cohort[row.cohort_year].append(row.stage)
    names = dict(cohorts)
    funnel = [(year, names.get(year, ""), figures.funnel(stages)) for year, stages in sorted(by_cohort.items())]
    league = sorted((r for r in found if r.late_reports), key=lambda r: (-r.late_reports, r.code))[:20]
    bands = ref.predicates
    counted: dict[str, int] = defaultdict(int)
    for row in found:
        if row.predicate_code:
            counted[row.predicate_code] += 1
    predicates = [(b.code, b.label, counted.get(b.code, 0)) for b in bands]
    improvements = [r.improvement for r in found if r.improvement is not None]
    benchmarks = []
    for band in ref.sizes:
        group = [r for r in found if r.size_code == band.code]
        benchmarks.append(
            Benchmark(
                band.label,
                len(group),
                figures.spread([r.index for r in group if r.index is not None]),
                figures.spread([r.realised for r in group if r.realised]),
            )
        )
    measure = measure if measure in MEASURES else "regions"
    values = province_measure(found, measure)
    tiles = [(p.code, p.name, values.get(p.code)) for p in PROVINCES]
    return National(
        today=today,
        filters=filters,
        rows=found,
        total=len(every),
        cohorts=cohorts,
        funnel=funnel,
        league=league,
        heat=_heat(found),
        predicates=predicates,
        improvement={
            "regions": len(improvements),
            "better": sum(1 for i in improvements if i > 0),
            "same": sum(1 for i in improvements if i == 0),
            "worse": sum(1 for i in improvements if i < 0),
            "median": figures.spread(improvements).median,
        },
        benchmarks=benchmarks,
        measure=measure,
        tiles=tiles,
        size_scheme=ref.size_scheme,
        has_reporting=any(r.due_reports for r in every),
        has_evaluations=any(r.evaluation_year for r in every),
        has_sample_data=any(r.is_sample for r in found),
        sizes=[(b.code, b.label) for b in ref.sizes],
    )


def obstacles(today: datetime.date, filters: Filters, ref: Reference, category: str, province: str) -> Any:
    """The unresolved obstacles of one heat-map cell (category × province) among the regions the
    filters keep, newest first (a queryset: the page paginates it)."""
    ids = [r.region_id for r in rows(today, ref) if filters.keep(r) and r.province_code == province]
    return (
        Obstacle.objects.filter(status__in=UNRESOLVED, category=category, region_id__in=ids)
        .select_related("region")
        .order_by("-opened_on", "-id")
    )


def shown(value: Any, column: str) -> str:
    """A cell as the page writes it."""
    if value is None or value == "":
        return "—"
    if column == "realised":
        return numbers.rupiah(value, short=True) if value else "—"
    if column in {"index", "improvement"}:
        return numbers.decimal(value, max_places=2)
    if column == "population":
        return numbers.grouped(value)
    return str(value)


def export_rows(found: list[Row]) -> list[list[Any]]:
    """The spreadsheet: the page's columns, their titles first, numbers as numbers."""
    out: list[list[Any]] = [[str(c.title) for c in COLUMNS]]
    for row in found:
        out.append([c.value(row) if c.value(row) is not None else "" for c in COLUMNS])
    return out
