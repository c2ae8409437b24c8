"""Reference frameworks (read): the taxonomies, readiness components, levels and schemes every
signed-in person sees on the framework pages."""

from __future__ import annotations

import datetime
from typing import Any

from django.db.models import Prefetch
from django.http import HttpRequest
from django.shortcuts import get_object_or_404
from django.utils.translation import gettext_noop
from ninja import Field, Path, Query, Router, Schema

from kotacerdas.api.paging import Page, Paging, paginate
from kotacerdas.api.problems import READ_ERRORS
from kotacerdas.frameworks.models import Framework, FrameworkEntry

router = Router(tags=["frameworks"])


class FrameworkOut(Schema):
    kind: str
    code: str
    version: int
    title: str
    title_en: str
    year: int | None
    status: str
    is_default: bool
    published_at: datetime.datetime | None


class EntryOut(Schema):
    code: str
    parent: str | None
    name: str
    name_en: str
    description: str
    order: int
    level: int | None
    weight: str | None

    @staticmethod
    def resolve_parent(obj: Any) -> str | None:
        return obj.parent.code if obj.parent_id else None

    @staticmethod
    def resolve_weight(obj: Any) -> str | None:
        return None if obj.weight is None else str(obj.weight)


class FrameworkDetail(FrameworkOut):
    source: str
    entries: list[EntryOut]

    @staticmethod
    def resolve_entries(obj: Any) -> list[Any]:
        return list(obj.entries.all())


class FrameworkFilter(Schema):
    kind: str | None = Field(None, max_length=16)
    status: str | None = Field(None, max_length=10)


@router.get(
    "/frameworks",
    response={200: Page[FrameworkOut], **READ_ERRORS},
    summary=gettext_noop("Reference frameworks, every version"),
)
def list_frameworks(request: HttpRequest, filters: Query[FrameworkFilter], paging: Query[Paging]) -> Any:
    frameworks = Framework.objects.order_by("kind", "code", "version", "id")
    wanted = {"kind": filters.kind, "status": filters.status}
    return paginate(request, frameworks.filter(**{k: v for k, v in wanted.items() if v is not None}), paging)


@router.get(
    "/frameworks/{code}/{version}",
    response={200: FrameworkDetail, **READ_ERRORS},
    summary=gettext_noop("One version of a framework with its entries"),
)
def get_framework(request: HttpRequest, code: str, version: int = Path(..., ge=1, le=2**31)) -> Any:
    entries = FrameworkEntry.objects.select_related("parent").order_by("order", "id")
    frameworks = Framework.objects.prefetch_related(Prefetch("entries", entries))
    return get_object_or_404(frameworks, code=code, version=version)
