"""Master plan editions, their programmes (budgets, indicators and targets) and plan-check findings."""

from __future__ import annotations

import datetime
from decimal import Decimal
from typing import Any

from django.db.models import Count, Q
from django.http import HttpRequest
from django.shortcuts import get_object_or_404
from django.utils.translation import gettext, gettext_noop
from ninja import Field, Path, Query, Router, Schema

from kotacerdas.accounts import access
from kotacerdas.api.paging import MAX_ID, Id, Page, Paging, Year, paginate, since
from kotacerdas.api.problems import READ_ERRORS
from kotacerdas.plans import summaries
from kotacerdas.plans.models import Edition, Programme
from kotacerdas.plans.serialise import programmes_with_everything

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


class BudgetOut(Schema):
    year: int | None
    source: str
    amount: str
    note: str

    @staticmethod
    def resolve_amount(obj: Any) -> str:
        return str(obj.amount)


class TargetOut(Schema):
    year: int | None
    value: str
    upper: str | None

    @staticmethod
    def resolve_value(obj: Any) -> str:
        return str(obj.value)

    @staticmethod
    def resolve_upper(obj: Any) -> str | None:
        return text(obj.upper)


class IndicatorOut(Schema):
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

    @staticmethod
    def resolve_baseline(obj: Any) -> str | None:
        return text(obj.baseline)

    @staticmethod
    def resolve_data_producer(obj: Any) -> int | None:
        return obj.data_producer_id

    @staticmethod
    def resolve_targets(obj: Any) -> list[Any]:
        return list(obj.targets.all())


class ProgrammeOut(Schema):
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

    @staticmethod
    def resolve_edition(obj: Any) -> int:
        return obj.edition.year

    @staticmethod
    def resolve_dimension(obj: Any) -> str:
        return obj.dimension.code

    @staticmethod
    def resolve_element(obj: Any) -> str | None:
        return obj.element.code if obj.element else None

    @staticmethod
    def resolve_lead_agency(obj: Any) -> int | None:
        return obj.lead_opd_id

    @staticmethod
    def resolve_supporting_agencies(obj: Any) -> list[int]:
        return [opd.pk for opd in obj.supporting_opds.all()]

    @staticmethod
    def resolve_quick_win_years(obj: Any) -> list[int]:
        return [flag.year for flag in obj.quick_wins.all()]

    @staticmethod
    def resolve_budgets(obj: Any) -> list[Any]:
        return list(obj.budgets.all())

    @staticmethod
    def resolve_indicators(obj: Any) -> list[Any]:
        return list(obj.indicators.all())


class ProgrammeFilter(Schema):
    edition: Year | None = Field(None, description="Edition year")
    dimension: str | None = Field(None, max_length=20, description="Dimension code")
    agency: Id | None = Field(None, description="Lead agency id")
    status: str | None = Field(None, max_length=12)
    year: Year | None = Field(None, description="Programmes running in this year")
    updated_since: datetime.datetime | None = None


def programmes_of(region: Any) -> Any:
    """A region's programmes in a stable order, with what the API shows in a fixed number of queries."""
    return programmes_with_everything(
        Programme.objects.filter(region=region)
        .select_related("edition")
        .order_by("edition__year", "order", "code", "id")
    )


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
    return paginate(request, since(programmes, filters.updated_since), paging)


@router.get(
    "/regions/{code}/programmes/{pk}",
    response={200: ProgrammeOut, **READ_ERRORS},
    summary=gettext_noop("One programme"),
)
def get_programme(request: HttpRequest, code: str, pk: int = Path(..., ge=1, le=MAX_ID)) -> Any:
    region = access.region_for(request.user, code)
    return get_object_or_404(programmes_of(region), pk=pk)


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
