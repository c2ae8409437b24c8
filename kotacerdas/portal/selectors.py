"""Reads of the public portal, each in a fixed number of queries whatever the size of the plan.

The portal composes several apps' tables (plans, monitoring, evaluation, reports) the way the
``web`` app composes the cockpit: it only reads them. It shows the **latest adopted** edition of
a region and nothing of a draft: an edition under review stays in the workbench.

:func:`public_region` answers, in two queries, the region, its published parts and the
:class:`Stamp` of everything the portal shows, from which the pages' ETag and Last-Modified come
(conditional GET, kotacerdas/portal/views.py).
"""

from __future__ import annotations

import datetime
import hashlib
from collections import defaultdict
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from django.db.models import Count, Max, OuterRef, Q, QuerySet, Subquery, Sum
from django.db.models.functions import Coalesce
from django.http import Http404
from django.utils.translation import get_language

import kotacerdas
from kotacerdas.accounts import access
from kotacerdas.evaluation.models import DimensionScore, Evaluation, EvaluationDimension
from kotacerdas.evaluation.models import Status as EvaluationStatus
from kotacerdas.frameworks.models import FrameworkEntry
from kotacerdas.monitoring.models import IndicatorActual, ProgrammeUpdate, UpdateState
from kotacerdas.plans.models import (
    ApprovalStep,
    Edition,
    EditionStatus,
    Indicator,
    IndicatorTarget,
    Mission,
    Programme,
    ProgrammeBudget,
    QuickWinFlag,
)
from kotacerdas.portal.models import Publication
from kotacerdas.regions.models import OPD, Population, Region
from kotacerdas.reports.models import DocumentFormat, DocumentJob, DocumentKind, JobStatus

EPOCH = datetime.datetime(2000, 1, 1, tzinfo=datetime.UTC)
BOOK_KINDS = (DocumentKind.BUKU1, DocumentKind.BUKU2)
SEARCH_MAX = 100  # characters of a search that are read


def _latest(queryset: QuerySet[Any], column: str) -> Subquery:
    return Subquery(queryset.order_by(f"-{column}").values(column)[:1])


def _versions(queryset: QuerySet[Any]) -> Subquery:
    return Subquery(queryset.values("region").annotate(v=Coalesce(Sum("version"), 0) + Count("id")).values("v")[:1])


def adopted_editions(region_ref: Any) -> QuerySet[Edition]:
    return Edition.objects.filter(region=region_ref, status=EditionStatus.ADOPTED).order_by("-year", "-id")


@dataclass(frozen=True)
class Stamp:
    """When the public data of a region last changed, and a tag that changes with any of it."""

    changed: datetime.datetime
    tag: str

    def etag(self, *extra: str) -> str:
        digest = hashlib.sha256("|".join((self.tag, kotacerdas.__version__, *extra)).encode()).hexdigest()
        return f'"{digest[:32]}"'


@dataclass
class PublicRegion:
    region: Region
    published: frozenset[str]
    publication: Publication | None
    edition_id: int | None
    stamp: Stamp

    def shows(self, part: str) -> bool:
        return access.may_read_public_part(None, self.region, part, self.published)


def public_region(code: str) -> PublicRegion:
    """The published region ``code`` (404 otherwise) with its switches and stamp: two queries."""
    editions = adopted_editions(OuterRef("pk"))
    region = (
        access.published_regions()
        .filter(code=code)
        .annotate(
            edition_id=Subquery(editions.values("pk")[:1]),
            edition_changed=Subquery(editions.values("updated_at")[:1]),
            edition_stamp=Subquery(editions.values("summary_stamp")[:1]),
            updates_changed=_latest(
                ProgrammeUpdate.objects.filter(region=OuterRef("pk"), state=UpdateState.ACCEPTED), "updated_at"
            ),
            actuals_changed=_latest(IndicatorActual.objects.filter(region=OuterRef("pk")), "updated_at"),
            evaluation_changed=_latest(
                Evaluation.objects.filter(region=OuterRef("pk"), status=EvaluationStatus.RELEASED), "updated_at"
            ),
            books_changed=_latest(
                DocumentJob.objects.filter(region=OuterRef("pk"), status=JobStatus.DONE), "finished_at"
            ),
            # Agencies and population figures have no change time: the sum of their versions
            # and their count move with every edit, addition and removal.
            agencies_stamp=_versions(OPD.objects.filter(region=OuterRef("pk"))),
            populations_stamp=_versions(Population.objects.filter(region=OuterRef("pk"))),
        )
        .first()
    )
    if region is None:
        raise Http404("No such public region.")
    publication = Publication.objects.filter(region=region).first()
    published = publication.published() if publication else frozenset()
    times = [
        region.updated_at,
        region.edition_changed,
        region.updates_changed,
        region.actuals_changed,
        region.evaluation_changed,
        region.books_changed,
        publication.updated_at if publication else None,
    ]
    changed = max(t for t in [EPOCH, *times] if t is not None)
    parts = [str(t.timestamp()) if t else "-" for t in times]
    parts += [
        str(region.edition_id),
        str(region.edition_stamp),
        str(region.agencies_stamp),
        str(region.populations_stamp),
        ",".join(sorted(published)),
    ]
    parts.append(str(publication.version if publication else 0))
    stamp = Stamp(changed=changed, tag="|".join(parts))
    return PublicRegion(region, published, publication, region.edition_id, stamp)


def require_part(public: PublicRegion, part: str) -> None:
    """404 unless ``part`` is published (the same answer for every reader)."""
    if not public.shows(part):
        raise Http404("This part is not published.")


def adopted_edition(public: PublicRegion) -> Edition:
    """The region's latest adopted edition (404 when it has none: a draft is never public)."""
    if public.edition_id is None:
        raise Http404("No adopted master plan.")
    return Edition.objects.select_related("taxonomy").get(pk=public.edition_id, status=EditionStatus.ADOPTED)


# The index of participating regions -------------------------------------------------------


@dataclass
class IndexRow:
    region: Region
    parts: frozenset[str]
    edition_year: int | None


def index_stamp() -> Stamp:
    """Two queries: when the published regions or their switches last changed, and how many."""
    latest_publication = Publication.objects.filter(region__is_published=True).aggregate(
        changed=Max("updated_at"), versions=Coalesce(Sum("version"), 0)
    )
    adopted = Q(plan_editions__status=EditionStatus.ADOPTED)
    regions = access.published_regions().aggregate(
        changed=Max("updated_at"), count=Count("id"), editions=Count("plan_editions", filter=adopted)
    )
    times = [t for t in (regions["changed"], latest_publication["changed"]) if t is not None]
    changed = max([EPOCH, *times])
    tag = "|".join(
        str(v) for v in (changed.timestamp(), regions["count"], regions["editions"], latest_publication["versions"])
    )
    return Stamp(changed=changed, tag=tag)


def index(query: str = "") -> list[IndexRow]:
    """The regions that publish their page, filtered by ``query`` (name, province or code): two queries."""
    regions = access.published_regions().annotate(
        edition_year=Subquery(adopted_editions(OuterRef("pk")).values("year")[:1])
    )
    query = query.strip()[:SEARCH_MAX]
    for word in query.split():
        regions = regions.filter(
            Q(name__icontains=word) | Q(province__icontains=word) | Q(code__startswith=word) | Q(kind__iexact=word)
        )
    rows = list(regions.order_by("province", "name"))
    switches = {p.region_id: p.published() for p in Publication.objects.filter(region__in=[r.pk for r in rows])}
    return [IndexRow(r, switches.get(r.pk, frozenset()), r.edition_year) for r in rows]


# The adopted plan ----------------------------------------------------------------------------


def entry_name(entry: FrameworkEntry | None) -> str:
    if entry is None:
        return ""
    return entry.name_en if get_language() == "en" and entry.name_en else entry.name


@dataclass
class ProgrammeRow:
    programme: Programme
    budget: Decimal
    quick_win_years: list[int] = field(default_factory=list)


@dataclass
class DimensionGroup:
    code: str
    name: str
    programmes: list[ProgrammeRow] = field(default_factory=list)

    @property
    def budget(self) -> Decimal:
        return sum((row.budget for row in self.programmes), Decimal(0))


@dataclass
class PlanView:
    edition: Edition
    missions: list[Mission]
    dimensions: list[DimensionGroup]
    budget: Decimal
    programme_count: int


def plan(edition: Edition) -> PlanView:
    """Vision, missions and programmes per dimension with their agency and horizon: four queries."""
    missions = list(Mission.objects.filter(edition=edition).order_by("number"))
    programmes = list(
        Programme.objects.filter(edition=edition)
        .select_related("dimension", "element", "lead_opd")
        .order_by("dimension__order", "order", "code", "id")
    )
    budgets = dict(
        ProgrammeBudget.objects.filter(programme__edition=edition)
        .values("programme")
        .annotate(total=Sum("amount"))
        .values_list("programme", "total")
    )
    flags: dict[int, list[int]] = defaultdict(list)
    for programme_id, year in QuickWinFlag.objects.filter(programme__edition=edition).values_list("programme", "year"):
        flags[programme_id].append(year)
    groups: dict[int, DimensionGroup] = {}
    for p in programmes:
        group = groups.get(p.dimension_id)
        if group is None:
            group = groups[p.dimension_id] = DimensionGroup(p.dimension.code, entry_name(p.dimension))
        group.programmes.append(ProgrammeRow(p, Decimal(budgets.get(p.pk) or 0), sorted(flags.get(p.pk, []))))
    dimensions = list(groups.values())
    total = sum((g.budget for g in dimensions), Decimal(0))
    return PlanView(edition, missions, dimensions, total, len(programmes))


# Quick wins --------------------------------------------------------------------------------


@dataclass
class QuickWinRow:
    year: int
    programme: Programme
    status: str  # the status label of the year's latest accepted update ("" before any)
    progress: int | None
    reported_on: datetime.date | None
    launched_on: datetime.date | None
    live_since: datetime.date | None

    @property
    def decile(self) -> int:
        """The progress rounded down to tens (0–10): the width class of its bar (no style attributes)."""
        return max(0, min(100, self.progress or 0)) // 10


@dataclass
class QuickWinYear:
    year: int
    rows: list[QuickWinRow]


def quick_wins(edition: Edition) -> list[QuickWinYear]:
    """The quick wins of each year with the latest accepted progress report: two queries."""
    flags = list(
        QuickWinFlag.objects.filter(programme__edition=edition)
        .select_related("programme", "programme__lead_opd", "programme__dimension")
        .order_by("year", "programme__code")
    )
    latest: dict[tuple[int, int], ProgrammeUpdate] = {}
    flagged = QuickWinFlag.objects.filter(programme__edition=edition).values("programme")
    updates = (
        ProgrammeUpdate.objects.filter(programme__in=flagged, state=UpdateState.ACCEPTED)
        .select_related("period")
        .order_by("period__starts_on", "reported_on", "id")
    )
    for reported in updates:  # the last of each programme and year wins
        latest[(reported.programme_id, reported.period.starts_on.year)] = reported
    years: dict[int, QuickWinYear] = {}
    for flag in flags:
        p = flag.programme
        update = latest.get((p.pk, flag.year))
        row = QuickWinRow(
            year=flag.year,
            programme=p,
            status=update.get_status_display() if update else "",
            progress=update.progress if update else None,
            reported_on=update.reported_on if update else None,
            launched_on=update.launched_on if update else None,
            live_since=update.live_since if update else None,
        )
        years.setdefault(flag.year, QuickWinYear(flag.year, [])).rows.append(row)
    return list(years.values())


# Indicators --------------------------------------------------------------------------------


@dataclass
class YearValue:
    year: int
    target: Decimal | None
    upper: Decimal | None
    actual: Decimal | None


@dataclass
class IndicatorView:
    indicator: Indicator
    years: list[YearValue]


def indicators(edition: Edition) -> list[IndicatorView]:
    """Each indicator with its target and actual per plan year: three queries.

    The actual of a year is the yearly value when one is recorded, else the value of the year's
    latest reporting period."""
    found = list(
        Indicator.objects.filter(programme__edition=edition)
        .select_related("programme", "programme__dimension")
        .order_by("programme__dimension__order", "programme__code", "order", "id")
    )
    targets: dict[int, dict[int, IndicatorTarget]] = defaultdict(dict)
    for t in IndicatorTarget.objects.filter(indicator__programme__edition=edition, year__isnull=False):
        assert t.year is not None
        targets[t.indicator_id][t.year] = t
    yearly: dict[int, dict[int, Decimal]] = defaultdict(dict)
    by_period: dict[int, dict[int, Decimal]] = defaultdict(dict)
    actuals = (
        IndicatorActual.objects.filter(indicator__programme__edition=edition)
        .order_by("year", "period__starts_on", "id")
        .values_list("indicator", "year", "period", "value")
    )
    for indicator_id, year, period_id, value in actuals:
        (by_period if period_id else yearly)[indicator_id][year] = value
    views = []
    for ind in found:
        own = targets.get(ind.pk, {})
        actual = {**by_period.get(ind.pk, {}), **yearly.get(ind.pk, {})}
        years = sorted(set(edition.years) | set(own) | set(actual))
        views.append(
            IndicatorView(
                ind,
                [
                    YearValue(
                        y,
                        own[y].value if y in own else None,
                        own[y].upper if y in own else None,
                        actual.get(y),
                    )
                    for y in years
                ],
            )
        )
    return views


# The adopted books -------------------------------------------------------------------------


def books(edition: Edition) -> list[DocumentJob]:
    """The latest PDF of Buku 1 and of Buku 2 generated **after** the edition's adoption (a file
    made while it was a draft shows draft content): two queries."""
    adopted = (
        ApprovalStep.objects.filter(edition=edition, step=EditionStatus.ADOPTED)
        .order_by("-created_at")
        .values_list("created_at", flat=True)
        .first()
    )
    if adopted is None:
        return []
    jobs = DocumentJob.objects.filter(
        edition=edition,
        region_id=edition.region_id,
        kind__in=BOOK_KINDS,
        fmt=DocumentFormat.PDF,
        status=JobStatus.DONE,
        created_at__gte=adopted,
    ).exclude(file="")
    latest: dict[str, DocumentJob] = {}
    for job in jobs.order_by("created_at", "id"):
        latest[job.kind] = job
    return [latest[k] for k in BOOK_KINDS if k in latest]


def book(edition: Edition, pk: int) -> DocumentJob:
    for job in books(edition):
        if job.pk == pk:
            return job
    raise Http404("No such public book.")


# Evaluation --------------------------------------------------------------------------------


@dataclass
class EvaluationView:
    evaluation: Evaluation
    scores: list[tuple[str, Decimal | None]]


def evaluations(region: Region) -> list[EvaluationView]:
    """The region's released evaluations, newest first, with their dimension scores: two queries."""
    found = list(Evaluation.objects.filter(region=region, status=EvaluationStatus.RELEASED).order_by("-year"))
    scores: dict[int, dict[str, Decimal | None]] = defaultdict(dict)
    for s in DimensionScore.objects.filter(evaluation__in=found):
        scores[s.evaluation_id][s.dimension] = s.score
    return [
        EvaluationView(e, [(str(label), scores[e.pk].get(value)) for value, label in EvaluationDimension.choices])
        for e in found
    ]


def latest_population(region: Region) -> Population | None:
    return Population.objects.filter(region=region).order_by("-year").first()


def part_counts(public: PublicRegion) -> dict[str, int]:
    """How much each published part holds, for the region page: one query."""
    if public.edition_id is None:
        return {}
    counts = Edition.objects.filter(pk=public.edition_id).aggregate(
        n_programmes=Count("programmes", distinct=True),
        n_quick_wins=Count("programmes__quick_wins", distinct=True),
        n_indicators=Count("programmes__indicators", distinct=True),
    )
    return {k.removeprefix("n_"): int(v or 0) for k, v in counts.items()}
