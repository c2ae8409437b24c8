"""Master plan editions, their programmes (budgets, indicators and targets) and plan-check findings."""

from __future__ import annotations

import datetime
from decimal import Decimal
from typing import Any

from django.db.models import Count, F, Q
from django.http import Http404, HttpRequest
from django.shortcuts import get_object_or_404
from django.utils.translation import gettext, gettext_noop
from ninja import Field, Path, Query, Router, Schema
from pydantic import BaseModel

from kotacerdas.accounts import access
from kotacerdas.api.paging import MAX_ID, Id, Page, Paging, Year, paginate, since
from kotacerdas.api.problems import READ_ERRORS
from kotacerdas.plans import summaries
from kotacerdas.plans.models import Edition, Indicator, IndicatorTarget, Programme, ProgrammeBudget, QuickWinFlag

router = Router(tags=["plans"])


def text(value: Decimal | None) -> str | None:
    """Amounts and measured values travel as exact decimal text ("1500000", "72.50")."""
    return None if value is None else str(value)


class EditionOut(Schema):
    year: int
    title: str
    status: str
    start_year: int
    end_year: int
    adoption_instrument: str
    adoption_number: str
    adoption_date: datetime.date | None
    programme_count: int
    version: int
    updated_at: datetime.datetime


class EditionDetail(EditionOut):
    vision: str
    vision_keywords: list[str]
    previous: int | None

    @staticmethod
    def resolve_previous(obj: Edition) -> int | None:
        return obj.previous.year if obj.previous else None


class EditionFilter(Schema):
    status: str | None = Field(None, max_length=16)
    year: Year | None = None
    updated_since: datetime.datetime | None = None


def _editions(region: Any) -> Any:
    return (
        Edition.objects.filter(region=region)
        .select_related("previous")
        .annotate(programme_count=Count("programmes", distinct=True))
        .order_by("year", "id")
    )


@router.get(
    "/regions/{code}/editions",
    response={200: Page[EditionOut], **READ_ERRORS},
    summary=gettext_noop("Master plan editions"),
)
def list_editions(request: HttpRequest, code: str, filters: Query[EditionFilter], paging: Query[Paging]) -> Any:
    region = access.region_for(request.user, code)
    editions = _editions(region)
    if filters.status:
        editions = editions.filter(status=filters.status)
    if filters.year:
        editions = editions.filter(year=filters.year)
    return paginate(request, since(editions, filters.updated_since), paging)


@router.get(
    "/regions/{code}/editions/{year}",
    response={200: EditionDetail, **READ_ERRORS},
    summary=gettext_noop("One master plan edition"),
)
def get_edition(request: HttpRequest, code: str, year: int = Path(..., ge=1900, le=2200)) -> Any:
    region = access.region_for(request.user, code)
    return get_object_or_404(_editions(region), year=year)


# Programmes are many and nested (budgets, indicators, targets): they are read as plain rows in a
# fixed number of queries and built into dicts here, and their schemas are plain pydantic models,
# which validate dicts several times faster than ORM objects (bench/api_lists.py).


class BudgetOut(BaseModel):
    year: int | None
    source: str
    amount: str
    note: str


class TargetOut(BaseModel):
    year: int | None
    value: str
    upper: str | None


class IndicatorOut(BaseModel):
    id: int
    name: str
    kind: str
    unit: str
    direction: str
    baseline: str | None
    baseline_year: int | None
    data_producer: int | None
    targets: list[TargetOut]
    version: int


class ProgrammeOut(BaseModel):
    id: int
    edition: int
    code: str
    name: str
    description: str
    dimension: str
    element: str | None
    lead_agency: int | None
    supporting_agencies: list[int]
    innovation_kind: str
    horizon: str
    start_year: int | None
    end_year: int | None
    status: str
    quick_win_years: list[int]
    budgets: list[BudgetOut]
    indicators: list[IndicatorOut]
    version: int
    updated_at: datetime.datetime


PROGRAMME_FIELDS = (
    "id",
    "code",
    "name",
    "description",
    "innovation_kind",
    "horizon",
    "start_year",
    "end_year",
    "status",
    "version",
    "updated_at",
)


def programme_rows(programmes: Any) -> list[dict[str, Any]]:
    """The programmes of ``programmes`` (a queryset slice) with their budgets, indicators, targets,
    quick-win years and supporting agencies: six queries whatever their number."""
    rows = list(
        programmes.values(
            *PROGRAMME_FIELDS,
            edition_year=F("edition__year"),
            dimension_code=F("dimension__code"),
            element_code=F("element__code"),
            lead_agency=F("lead_opd_id"),
        )
    )
    ids = [row["id"] for row in rows]
    by_id: dict[int, dict[str, Any]] = {}
    for row in rows:
        row.update(
            edition=row.pop("edition_year"),
            dimension=row.pop("dimension_code"),
            element=row.pop("element_code"),
            supporting_agencies=[],
            quick_win_years=[],
            budgets=[],
            indicators=[],
        )
        by_id[row["id"]] = row
    for programme_id, opd_id in (
        Programme.supporting_opds.through.objects.filter(programme_id__in=ids)
        .order_by("opd_id")
        .values_list("programme_id", "opd_id")
    ):
        by_id[programme_id]["supporting_agencies"].append(opd_id)
    for programme_id, year in (
        QuickWinFlag.objects.filter(programme_id__in=ids).order_by("year").values_list("programme_id", "year")
    ):
        by_id[programme_id]["quick_win_years"].append(year)
    for budget in (
        ProgrammeBudget.objects.filter(programme_id__in=ids)
        .order_by(F("year").asc(nulls_last=True), "source", "id")
        .values("programme_id", "year", "source", "amount", "note")
    ):
        by_id[budget["programme_id"]]["budgets"].append(
            {
                "year": budget["year"],
                "source": budget["source"],
                "amount": str(budget["amount"]),
                "note": budget["note"],
            }
        )
    indicators: dict[int, dict[str, Any]] = {}
    for raw in (
        Indicator.objects.filter(programme_id__in=ids)
        .order_by("order", "id")
        .values(
            "id",
            "programme_id",
            "name",
            "kind",
            "unit",
            "direction",
            "baseline",
            "baseline_year",
            "version",
            "data_producer_id",
        )
    ):
        indicator: dict[str, Any] = dict(raw)
        indicator.update(baseline=text(raw["baseline"]), data_producer=indicator.pop("data_producer_id"), targets=[])
        indicators[raw["id"]] = indicator
        by_id[indicator.pop("programme_id")]["indicators"].append(indicator)
    for target in (
        IndicatorTarget.objects.filter(indicator_id__in=list(indicators))
        .order_by(F("year").asc(nulls_last=True), "id")
        .values("indicator_id", "year", "value", "upper")
    ):
        indicators[target["indicator_id"]]["targets"].append(
            {"year": target["year"], "value": str(target["value"]), "upper": text(target["upper"])}
        )
    return rows


class ProgrammeFilter(Schema):
    edition: Year | None = Field(None, description="Edition year")
    dimension: str | None = Field(None, max_length=20, description="Dimension code")
    agency: Id | None = Field(None, description="Lead agency id")
    status: str | None = Field(None, max_length=12)
    year: Year | None = Field(None, description="Programmes running in this year")
    updated_since: datetime.datetime | None = None


def programmes_of(region: Any) -> Any:
    """A region's programmes in a stable order (read with :func:`programme_rows`)."""
    return Programme.objects.filter(region=region).order_by("edition__year", "order", "code", "id")


@router.get(
    "/regions/{code}/programmes",
    response={200: Page[ProgrammeOut], **READ_ERRORS},
    summary=gettext_noop("Programmes with budgets, indicators and targets"),
)
def list_programmes(request: HttpRequest, code: str, filters: Query[ProgrammeFilter], paging: Query[Paging]) -> Any:
    region = access.region_for(request.user, code)
    programmes = programmes_of(region)
    if filters.edition:
        programmes = programmes.filter(edition__year=filters.edition)
    if filters.dimension:
        programmes = programmes.filter(dimension__code=filters.dimension)
    if filters.agency:
        programmes = programmes.filter(lead_opd_id=filters.agency)
    if filters.status:
        programmes = programmes.filter(status=filters.status)
    if filters.year:
        programmes = programmes.filter(
            Q(start_year__isnull=True) | Q(start_year__lte=filters.year),
            Q(end_year__isnull=True) | Q(end_year__gte=filters.year),
        )
    return paginate(request, since(programmes, filters.updated_since), paging, expand=programme_rows)


@router.get(
    "/regions/{code}/programmes/{pk}",
    response={200: ProgrammeOut, **READ_ERRORS},
    summary=gettext_noop("One programme"),
)
def get_programme(request: HttpRequest, code: str, pk: int = Path(..., ge=1, le=MAX_ID)) -> Any:
    region = access.region_for(request.user, code)
    rows = programme_rows(programmes_of(region).filter(pk=pk))
    if not rows:
        raise Http404("No such programme.")
    return rows[0]


class FindingOut(Schema):
    rule: str
    severity: str
    message: str
    programme: str | None
    dimension: str | None
    path: str
    waived: bool


class FindingFilter(Schema):
    severity: str | None = Field(None, max_length=10)
    dimension: str | None = Field(None, max_length=20)
    programme: str | None = Field(None, max_length=20, description="Programme code")
    waived: bool | None = None


@router.get(
    "/regions/{code}/editions/{year}/findings",
    response={200: Page[FindingOut], **READ_ERRORS},
    summary=gettext_noop("Plan-check findings of an edition"),
)
def list_findings(
    request: HttpRequest,
    code: str,
    filters: Query[FindingFilter],
    paging: Query[Paging],
    year: int = Path(..., ge=1900, le=2200),
) -> Any:
    region = access.region_for(request.user, code)
    edition = get_object_or_404(Edition.objects.filter(region=region), year=year)
    report = summaries.report_of(summaries.summary_of(edition, document=False))
    rows = [
        {
            "rule": f.rule,
            "severity": f.severity.name.lower(),
            "message": f.render(gettext),
            "programme": f.programme,
            "dimension": f.dimension,
            "path": f.path,
            "waived": f.waiver is not None,
        }
        for f in [*report.findings, *report.waived]
        if (filters.severity is None or f.severity.name.lower() == filters.severity)
        and (filters.dimension is None or f.dimension == filters.dimension)
        and (filters.programme is None or f.programme == filters.programme)
        and (filters.waived is None or (f.waiver is not None) == filters.waived)
    ]
    return paginate(request, rows, paging)
