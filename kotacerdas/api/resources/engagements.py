"""The assistance of a region: its engagements, Bimtek sessions, actions and obstacles (read)."""

from __future__ import annotations

import datetime
from typing import Any

from django.http import HttpRequest
from django.shortcuts import get_object_or_404
from django.utils.translation import gettext_noop
from ninja import Field, Path, Query, Router, Schema

from kotacerdas.accounts import access
from kotacerdas.api.paging import MAX_ID, Id, Page, Paging, Year, paginate
from kotacerdas.api.problems import READ_ERRORS
from kotacerdas.engagements.models import Action, Engagement, Obstacle, Session

router = Router(tags=["engagements"])


class EngagementOut(Schema):
    id: int
    cohort: str
    year: int
    purpose: str
    starts_on: datetime.date | None
    ends_on: datetime.date | None
    agreement_number: str
    agreement_date: datetime.date | None
    version: int

    @staticmethod
    def resolve_cohort(obj: Any) -> str:
        return obj.cohort.name

    @staticmethod
    def resolve_year(obj: Any) -> int:
        return obj.cohort.year


@router.get(
    "/regions/{code}/engagements",
    response={200: Page[EngagementOut], **READ_ERRORS},
    summary=gettext_noop("Engagements"),
)
def list_engagements(request: HttpRequest, code: str, paging: Query[Paging]) -> Any:
    region = access.region_for(request.user, code)
    engagements = Engagement.objects.filter(region=region).select_related("cohort").order_by("cohort__year", "id")
    return paginate(request, engagements, paging)


class SessionOut(Schema):
    id: int
    engagement: int
    stage: int | None
    title: str
    starts_on: datetime.date
    ends_on: datetime.date
    venue: str
    status: str
    closed_at: datetime.datetime | None
    version: int

    @staticmethod
    def resolve_engagement(obj: Any) -> int:
        return obj.engagement_id


class SessionFilter(Schema):
    engagement: Id | None = None
    status: str | None = Field(None, max_length=12)
    year: Year | None = None


@router.get(
    "/regions/{code}/sessions", response={200: Page[SessionOut], **READ_ERRORS}, summary=gettext_noop("Sessions")
)
def list_sessions(request: HttpRequest, code: str, filters: Query[SessionFilter], paging: Query[Paging]) -> Any:
    region = access.region_for(request.user, code)
    wanted = {"engagement_id": filters.engagement, "status": filters.status, "starts_on__year": filters.year}
    sessions = Session.objects.filter(region=region, **{k: v for k, v in wanted.items() if v is not None})
    return paginate(request, sessions.order_by("starts_on", "id"), paging)


@router.get(
    "/regions/{code}/sessions/{pk}", response={200: SessionOut, **READ_ERRORS}, summary=gettext_noop("One session")
)
def get_session(request: HttpRequest, code: str, pk: int = Path(..., ge=1, le=MAX_ID)) -> Any:
    region = access.region_for(request.user, code)
    return get_object_or_404(Session.objects.filter(region=region), pk=pk)


class ActionOut(Schema):
    id: int
    engagement: int
    session: int | None
    title: str
    agency: int | None
    owner_name: str
    due_on: datetime.date
    status: str
    programme: int | None
    closed_on: datetime.date | None
    version: int

    @staticmethod
    def resolve_engagement(obj: Any) -> int:
        return obj.engagement_id

    @staticmethod
    def resolve_session(obj: Any) -> int | None:
        return obj.session_id

    @staticmethod
    def resolve_agency(obj: Any) -> int | None:
        return obj.owner_opd_id

    @staticmethod
    def resolve_programme(obj: Any) -> int | None:
        return obj.programme_id


class ActionFilter(Schema):
    status: str | None = Field(None, max_length=12)
    agency: Id | None = None
    programme: Id | None = None
    year: Year | None = Field(None, description="Year of the due date")


@router.get("/regions/{code}/actions", response={200: Page[ActionOut], **READ_ERRORS}, summary=gettext_noop("Actions"))
def list_actions(request: HttpRequest, code: str, filters: Query[ActionFilter], paging: Query[Paging]) -> Any:
    region = access.region_for(request.user, code)
    wanted = {
        "status": filters.status,
        "owner_opd_id": filters.agency,
        "programme_id": filters.programme,
        "due_on__year": filters.year,
    }
    actions = Action.objects.filter(region=region, **{k: v for k, v in wanted.items() if v is not None})
    return paginate(request, actions.order_by("due_on", "id"), paging)


class ObstacleOut(Schema):
    id: int
    engagement: int
    raised_in: int
    description: str
    category: str
    programme: int | None
    agency: int | None
    proposed_solution: str
    status: str
    opened_on: datetime.date
    resolved_on: datetime.date | None
    escalated_on: datetime.date | None
    ministry_status: str
    version: int

    @staticmethod
    def resolve_engagement(obj: Any) -> int:
        return obj.engagement_id

    @staticmethod
    def resolve_raised_in(obj: Any) -> int:
        return obj.raised_in_id

    @staticmethod
    def resolve_programme(obj: Any) -> int | None:
        return obj.programme_id

    @staticmethod
    def resolve_agency(obj: Any) -> int | None:
        return obj.opd_id


class ObstacleFilter(Schema):
    status: str | None = Field(None, max_length=12)
    category: str | None = Field(None, max_length=16)
    agency: Id | None = None
    programme: Id | None = None


@router.get(
    "/regions/{code}/obstacles", response={200: Page[ObstacleOut], **READ_ERRORS}, summary=gettext_noop("Obstacles")
)
def list_obstacles(request: HttpRequest, code: str, filters: Query[ObstacleFilter], paging: Query[Paging]) -> Any:
    region = access.region_for(request.user, code)
    wanted = {
        "status": filters.status,
        "category": filters.category,
        "opd_id": filters.agency,
        "programme_id": filters.programme,
    }
    obstacles = Obstacle.objects.filter(region=region, **{k: v for k, v in wanted.items() if v is not None})
    return paginate(request, obstacles.order_by("opened_on", "id"), paging)
