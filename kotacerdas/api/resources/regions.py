"""Regions: the ones the caller may see, a region's profile with its population and agencies."""

from __future__ import annotations

import datetime
from typing import Any

from django.db.models import Prefetch
from django.http import HttpRequest
from django.utils.translation import gettext_noop
from ninja import Field, Query, Router, Schema

from kotacerdas.accounts import access
from kotacerdas.api.paging import Page, Paging, paginate, since
from kotacerdas.api.problems import READ_ERRORS
from kotacerdas.regions.models import OPD, BodyMember, GovernanceBody, Population

router = Router(tags=["regions"])


class RegionOut(Schema):
    code: str
    name: str
    label: str
    kind: str
    province: str
    time_zone: str
    version: int
    updated_at: datetime.datetime


class PopulationOut(Schema):
    year: int
    population: int
    source: str
    is_estimate: bool


class AgencyOut(Schema):
    id: int
    name: str
    abbreviation: str
    kind: str
    head_name: str
    head_title: str
    valid_from: datetime.date
    valid_to: datetime.date | None
    predecessors: list[int] = Field(default_factory=list)
    version: int

    @staticmethod
    def resolve_predecessors(obj: OPD) -> list[int]:
        return [p.pk for p in obj.predecessors.all()]


class RegionDetail(RegionOut):
    motto: str
    vision: str
    population: list[PopulationOut]
    agencies: list[AgencyOut]


class RegionFilter(Schema):
    province: str | None = Field(None, max_length=80)
    kind: str | None = Field(None, max_length=10)
    updated_since: datetime.datetime | None = None


@router.get("/regions", response={200: Page[RegionOut], **READ_ERRORS}, summary=gettext_noop("Regions you may see"))
def list_regions(request: HttpRequest, filters: Query[RegionFilter], paging: Query[Paging]) -> Any:
    regions = access.visible_regions(request.user).order_by("code", "id")
    if filters.province:
        regions = regions.filter(province=filters.province)
    if filters.kind:
        regions = regions.filter(kind=filters.kind)
    return paginate(request, since(regions, filters.updated_since), paging)


@router.get("/regions/{code}", response={200: RegionDetail, **READ_ERRORS}, summary=gettext_noop("A region's profile"))
def get_region(request: HttpRequest, code: str) -> Any:
    region = access.region_for(request.user, code)
    fields = RegionOut.from_orm(region).dict()
    return {
        **fields,
        "motto": region.motto,
        "vision": region.vision,
        "population": list(Population.objects.filter(region=region).order_by("year", "id")),
        "agencies": list(OPD.objects.filter(region=region).order_by("name", "id").prefetch_related("predecessors")),
    }


class AgencyFilter(Schema):
    valid_on: datetime.date | None = None


@router.get(
    "/regions/{code}/agencies",
    response={200: Page[AgencyOut], **READ_ERRORS},
    summary=gettext_noop("A region's agencies (OPD)"),
)
def list_agencies(request: HttpRequest, code: str, filters: Query[AgencyFilter], paging: Query[Paging]) -> Any:
    region = access.region_for(request.user, code)
    agencies = OPD.objects.filter(region=region).order_by("name", "id").prefetch_related("predecessors")
    if filters.valid_on:
        agencies = agencies.valid_on(filters.valid_on)
    return paginate(request, agencies, paging)


class MemberOut(Schema):
    person_name: str
    position: str
    agency: int | None
    role: str

    @staticmethod
    def resolve_agency(obj: Any) -> int | None:
        return obj.opd_id


class BodyOut(Schema):
    id: int
    kind: str
    name: str
    decree_number: str
    decree_date: datetime.date | None
    members: list[MemberOut]
    version: int

    @staticmethod
    def resolve_members(obj: Any) -> list[Any]:
        return list(obj.members.all())


@router.get(
    "/regions/{code}/governance-bodies",
    response={200: Page[BodyOut], **READ_ERRORS},
    summary=gettext_noop("Governance bodies and their members"),
)
def list_bodies(request: HttpRequest, code: str, paging: Query[Paging]) -> Any:
    region = access.region_for(request.user, code)
    bodies = (
        GovernanceBody.objects.filter(region=region)
        .prefetch_related(Prefetch("members", BodyMember.objects.order_by("order", "id")))
        .order_by("kind", "name", "id")
    )
    return paginate(request, bodies, paging)
