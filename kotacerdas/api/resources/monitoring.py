"""Implementation monitoring: programme updates and indicator actuals, read and written.

Writes go through ``monitoring.services`` (the same validation, access predicates, optimistic
locking and audit entries as the pages); the audit entry names the token (``auth.acting``).
"""

from __future__ import annotations

import datetime
from typing import Any

from django.core.exceptions import ValidationError
from django.db.models import Prefetch
from django.http import HttpRequest
from django.shortcuts import get_object_or_404
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop
from ninja import Field, Path, Query, Router, Schema, Status

from kotacerdas.accounts import access
from kotacerdas.api import auth
from kotacerdas.api.paging import MAX_ID, Id, Page, Paging, Version, Year, paginate, since
from kotacerdas.api.problems import READ_ERRORS, WRITE_ERRORS
from kotacerdas.monitoring import services
from kotacerdas.monitoring.models import IndicatorActual, ProgrammeUpdate, RealisedBudget, ReportingPeriod
from kotacerdas.plans.models import BudgetSource, Indicator, Programme
from kotacerdas.plans.models.plan import EditionStatus

router = Router(tags=["monitoring"])


class RealisedOut(Schema):
    source: str
    amount: str

    @staticmethod
    def resolve_amount(obj: Any) -> str:
        return str(obj.amount)


class UpdateOut(Schema):
    id: int
    programme: int
    programme_code: str
    edition: int
    period: str
    state: str
    status: str
    progress: int
    comment: str
    reason: str
    reported_on: datetime.date
    evidence_link: str
    has_evidence_file: bool
    launched_on: datetime.date | None
    live_since: datetime.date | None
    return_reason: str
    corrects: int | None
    budgets: list[RealisedOut]
    submitted_at: datetime.datetime | None
    decided_at: datetime.datetime | None
    version: int
    updated_at: datetime.datetime

    @staticmethod
    def resolve_programme(obj: Any) -> int:
        return obj.programme_id

    @staticmethod
    def resolve_programme_code(obj: Any) -> str:
        return obj.programme.code

    @staticmethod
    def resolve_edition(obj: Any) -> int:
        return obj.programme.edition.year

    @staticmethod
    def resolve_period(obj: Any) -> str:
        return obj.period.key

    @staticmethod
    def resolve_has_evidence_file(obj: Any) -> bool:
        return bool(obj.evidence_file)

    @staticmethod
    def resolve_corrects(obj: Any) -> int | None:
        return obj.corrects_id

    @staticmethod
    def resolve_budgets(obj: Any) -> list[Any]:
        return list(obj.budgets.all())


class UpdateFilter(Schema):
    edition: Year | None = Field(None, description="Edition year")
    programme: Id | None = Field(None, description="Programme id")
    agency: Id | None = Field(None, description="Lead agency id of the programme")
    dimension: str | None = Field(None, max_length=20, description="Dimension code")
    state: str | None = Field(None, max_length=9, description="draft, submitted, accepted or returned")
    status: str | None = Field(None, max_length=12)
    period: str | None = Field(None, max_length=8, description="Period key, e.g. 2025-Q1")
    year: Year | None = Field(None, description="Year of the period")
    updated_since: datetime.datetime | None = None


def updates_of(region: Any) -> Any:
    return (
        ProgrammeUpdate.objects.filter(region=region)
        .select_related("programme__edition", "period")
        .prefetch_related(Prefetch("budgets", RealisedBudget.objects.order_by("source", "id")))
        .order_by("period__starts_on", "programme_id", "id")
    )


@router.get(
    "/regions/{code}/updates", response={200: Page[UpdateOut], **READ_ERRORS}, summary=gettext_noop("Programme updates")
)
def list_updates(request: HttpRequest, code: str, filters: Query[UpdateFilter], paging: Query[Paging]) -> Any:
    region = access.region_for(request.user, code)
    updates = updates_of(region)
    wanted = {
        "programme__edition__year": filters.edition,
        "programme_id": filters.programme,
        "programme__lead_opd_id": filters.agency,
        "programme__dimension__code": filters.dimension,
        "state": filters.state,
        "status": filters.status,
        "period__key": filters.period,
        "period__starts_on__year": filters.year,
    }
    updates = updates.filter(**{k: v for k, v in wanted.items() if v is not None})
    return paginate(request, since(updates, filters.updated_since), paging)


@router.get(
    "/regions/{code}/updates/{pk}",
    response={200: UpdateOut, **READ_ERRORS},
    summary=gettext_noop("One programme update"),
)
def get_update(request: HttpRequest, code: str, pk: int = Path(..., ge=1, le=MAX_ID)) -> Any:
    region = access.region_for(request.user, code)
    return get_object_or_404(updates_of(region), pk=pk)


class UpdateIn(Schema):
    status: str = Field(..., max_length=12, description="on_track, delayed, achieved, not_achieved, cancelled…")
    progress: int = Field(..., description="Physical progress, 0–100")
    comment: str = Field(..., max_length=4000)
    reason: str = Field("", max_length=2000)
    reported_on: datetime.date | None = None
    evidence_link: str = Field("", max_length=500)
    launched_on: datetime.date | None = None
    live_since: datetime.date | None = None
    budgets: dict[str, str] = Field(default_factory=dict, description="Realised rupiah by source (apbd, apbn…)")


class NewUpdateIn(UpdateIn):
    programme: Id = Field(..., description="Programme id (of an adopted edition)")
    period: str = Field(..., max_length=8, description="Period key, e.g. 2025-Q1")


class EditUpdateIn(UpdateIn):
    version: Version = Field(..., description="The version you read")


class VersionIn(Schema):
    version: Version = Field(..., description="The version you read")


class ReturnIn(VersionIn):
    reason: str = Field(..., max_length=2000)


def _data(body: UpdateIn) -> dict[str, Any]:
    data = body.dict(exclude={"budgets", "programme", "period", "version"})
    unknown = sorted(set(body.budgets) - set(BudgetSource.values))
    if unknown:
        raise ValidationError(
            {
                "budgets": _("Unknown budget source %(source)s: use one of %(known)s.")
                % {"source": unknown[0], "known": ", ".join(BudgetSource.values)}
            }
        )
    data.update({f"budget_{source}": amount for source, amount in body.budgets.items()})
    return data


def _api_name(field: str) -> str:
    if field.startswith("budget_"):
        return "budgets." + field.removeprefix("budget_")
    return {"return_reason": "reason"}.get(field, field)


def writing(request: HttpRequest) -> Any:
    """Around a service call: its audit entries name the token, its errors the API's fields."""
    return auth.writing(request, _api_name)


def _reloaded(region: Any, pk: int = Path(..., ge=1, le=MAX_ID)) -> ProgrammeUpdate:
    return get_object_or_404(updates_of(region), pk=pk)


@router.post(
    "/regions/{code}/updates",
    response={201: UpdateOut, **WRITE_ERRORS},
    summary=gettext_noop("Write a draft update of a programme for a period"),
)
def create_update(request: HttpRequest, code: str, body: NewUpdateIn) -> Any:
    region = access.region_for(request.user, code)
    programme = (
        Programme.objects.filter(region=region, edition__status=EditionStatus.ADOPTED, pk=body.programme)
        .select_related("edition__region")
        .first()
    )
    if programme is None:
        raise ValidationError({"programme": _("Choose a programme of an adopted edition of this region.")})
    period = ReportingPeriod.objects.filter(edition_id=programme.edition_id, key=body.period).first()
    if period is None:
        raise ValidationError({"period": _("The edition has no reporting period %(key)s.") % {"key": body.period}})
    with writing(request):
        update = services.create_update(actor=request.user, programme=programme, period=period, data=_data(body))
    return Status(201, _reloaded(region, update.pk))


def _existing(region: Any, pk: int = Path(..., ge=1, le=MAX_ID)) -> ProgrammeUpdate:
    return get_object_or_404(
        ProgrammeUpdate.objects.filter(region=region).select_related("programme__edition__region", "period"), pk=pk
    )


@router.put(
    "/regions/{code}/updates/{pk}",
    response={200: UpdateOut, **WRITE_ERRORS},
    summary=gettext_noop("Change a draft or returned update"),
)
def edit_update(request: HttpRequest, code: str, body: EditUpdateIn, pk: int = Path(..., ge=1, le=MAX_ID)) -> Any:
    region = access.region_for(request.user, code)
    update = _existing(region, pk)
    with writing(request):
        services.edit_update(actor=request.user, update=update, data=_data(body), expected_version=body.version)
    return _reloaded(region, pk)


@router.post(
    "/regions/{code}/updates/{pk}/submit",
    response={200: UpdateOut, **WRITE_ERRORS},
    summary=gettext_noop("Submit an update for validation"),
)
def submit_update(request: HttpRequest, code: str, body: VersionIn, pk: int = Path(..., ge=1, le=MAX_ID)) -> Any:
    region = access.region_for(request.user, code)
    with writing(request):
        services.submit_update(actor=request.user, update=_existing(region, pk), expected_version=body.version)
    return _reloaded(region, pk)


@router.post(
    "/regions/{code}/updates/{pk}/accept",
    response={200: UpdateOut, **WRITE_ERRORS},
    summary=gettext_noop("Accept a submitted update (region admin or mentor)"),
)
def accept_update(request: HttpRequest, code: str, body: VersionIn, pk: int = Path(..., ge=1, le=MAX_ID)) -> Any:
    region = access.region_for(request.user, code)
    with writing(request):
        services.accept_update(actor=request.user, update=_existing(region, pk), expected_version=body.version)
    return _reloaded(region, pk)


@router.post(
    "/regions/{code}/updates/{pk}/return",
    response={200: UpdateOut, **WRITE_ERRORS},
    summary=gettext_noop("Return a submitted update to its agency with the reason"),
)
def return_update(request: HttpRequest, code: str, body: ReturnIn, pk: int = Path(..., ge=1, le=MAX_ID)) -> Any:
    region = access.region_for(request.user, code)
    with writing(request):
        services.return_update(
            actor=request.user, update=_existing(region, pk), reason=body.reason, expected_version=body.version
        )
    return _reloaded(region, pk)


class ActualOut(Schema):
    id: int
    indicator: int
    programme: int
    year: int
    period: str | None
    value: str
    producer: int | None
    source: str
    note: str
    version: int
    updated_at: datetime.datetime

    @staticmethod
    def resolve_indicator(obj: Any) -> int:
        return obj.indicator_id

    @staticmethod
    def resolve_programme(obj: Any) -> int:
        return obj.indicator.programme_id

    @staticmethod
    def resolve_period(obj: Any) -> str | None:
        return obj.period.key if obj.period else None

    @staticmethod
    def resolve_value(obj: Any) -> str:
        return str(obj.value)

    @staticmethod
    def resolve_producer(obj: Any) -> int | None:
        return obj.producer_id


class ActualFilter(Schema):
    edition: Year | None = Field(None, description="Edition year")
    programme: Id | None = Field(None, description="Programme id")
    indicator: Id | None = Field(None, description="Indicator id")
    agency: Id | None = Field(None, description="Lead agency id of the programme")
    year: Year | None = None
    updated_since: datetime.datetime | None = None


def actuals_of(region: Any) -> Any:
    return (
        IndicatorActual.objects.filter(region=region)
        .select_related("indicator", "period")
        .order_by("indicator_id", "year", "period__starts_on", "id")
    )


@router.get(
    "/regions/{code}/actuals", response={200: Page[ActualOut], **READ_ERRORS}, summary=gettext_noop("Indicator actuals")
)
def list_actuals(request: HttpRequest, code: str, filters: Query[ActualFilter], paging: Query[Paging]) -> Any:
    region = access.region_for(request.user, code)
    wanted = {
        "indicator__programme__edition__year": filters.edition,
        "indicator__programme_id": filters.programme,
        "indicator_id": filters.indicator,
        "indicator__programme__lead_opd_id": filters.agency,
        "year": filters.year,
    }
    actuals = actuals_of(region).filter(**{k: v for k, v in wanted.items() if v is not None})
    return paginate(request, since(actuals, filters.updated_since), paging)


class ActualIn(Schema):
    year: int = Field(..., ge=1900, le=2200)
    period: str | None = Field(None, max_length=8, description="Period key; empty for the whole year")
    value: str = Field(..., max_length=40, description="The measured value, e.g. 72.5")
    producer: Id | None = Field(None, description="Agency id of the data producer")
    source: str = Field("", max_length=250)
    note: str = Field("", max_length=2000)
    version: Version = Field(..., description="The version of the actual you read; 0 when there was none")


@router.put(
    "/regions/{code}/indicators/{pk}/actual",
    response={200: ActualOut, **WRITE_ERRORS},
    summary=gettext_noop("Record or change the actual of an indicator for a period or a year"),
)
def record_actual(request: HttpRequest, code: str, body: ActualIn, pk: int = Path(..., ge=1, le=MAX_ID)) -> Any:
    region = access.region_for(request.user, code)
    indicator = get_object_or_404(
        Indicator.objects.filter(region=region, programme__edition__status=EditionStatus.ADOPTED).select_related(
            "programme__edition__region"
        ),
        pk=pk,
    )
    period = None
    if body.period:
        period = ReportingPeriod.objects.filter(edition_id=indicator.programme.edition_id, key=body.period).first()
        if period is None:
            raise ValidationError({"period": _("The edition has no reporting period %(key)s.") % {"key": body.period}})
    data = body.dict(include={"value", "producer", "source", "note"})
    with writing(request):
        actual = services.record_actual(
            actor=request.user,
            indicator=indicator,
            year=body.year,
            period=period,
            data=data,
            expected_version=body.version,
        )
    return get_object_or_404(actuals_of(region), pk=actual.pk)
