"""Page pagination of every list: ``page`` (from 1) and ``page_size`` (1–100), in a stable order
(the queryset's ordering ends with the primary key), with the total count."""

from __future__ import annotations

import datetime
from collections.abc import Callable
from typing import Annotated, Any, Generic, TypeVar

from django.db.models import QuerySet
from django.http import HttpRequest
from django.utils.translation import gettext as _
from ninja import Field, Schema
from ninja.errors import HttpError

T = TypeVar("T")
MAX_PAGE_SIZE = 100
# Bounds of every number a request carries, so that no value reaches the database out of its range.
MAX_ID = 2**53
Year = Annotated[int, Field(ge=1900, le=2200)]
Id = Annotated[int, Field(ge=1, le=MAX_ID)]
Version = Annotated[int, Field(ge=0, le=2**31)]


class Paging(Schema):
    page: int = Field(1, ge=1, le=1_000_000)
    page_size: int = Field(50, ge=1, le=MAX_PAGE_SIZE)


class Page(Schema, Generic[T]):
    count: int
    page: int
    page_size: int
    next: str | None
    previous: str | None
    results: list[T]


def _link(request: HttpRequest, page: int) -> str:
    query = request.GET.copy()
    query["page"] = str(page)
    return request.build_absolute_uri(request.path) + "?" + query.urlencode()


def paginate(
    request: HttpRequest,
    queryset: QuerySet[Any] | list[Any],
    paging: Paging,
    *,
    expand: Callable[[Any], list[Any]] | None = None,
) -> dict[str, Any]:
    """One page of ``queryset`` (ordered, ending with a unique field; or a list already in order)
    as a dict for :class:`Page`: one count and one page query. ``expand`` turns the page's slice
    of the queryset into its rows itself (a reader of plain rows)."""
    count = len(queryset) if isinstance(queryset, list) else queryset.count()
    start = (paging.page - 1) * paging.page_size
    if start and start >= count:
        raise HttpError(404, _("There is no page %(page)s.") % {"page": paging.page})
    window = queryset[start : start + paging.page_size]
    rows = expand(window) if expand is not None else list(window)
    return {
        "count": count,
        "page": paging.page,
        "page_size": paging.page_size,
        "next": _link(request, paging.page + 1) if start + paging.page_size < count else None,
        "previous": _link(request, paging.page - 1) if paging.page > 1 else None,
        "results": rows,
    }


def since(queryset: QuerySet[Any], value: datetime.datetime | None, field: str = "updated_at") -> QuerySet[Any]:
    """Rows changed at or after ``value`` (``updated_since``); a date without a zone is the server's zone."""
    if value is None:
        return queryset
    if value.tzinfo is None:
        from django.utils import timezone

        value = timezone.make_aware(value)
    # In UTC: a database refuses some offsets a client may send (PostgreSQL: beyond ±15:59).
    try:
        value = value.astimezone(datetime.UTC)
    except OverflowError:  # past year 9999 or before year 1 once in UTC
        return queryset.none() if value.year > 1 else queryset
    return queryset.filter(**{f"{field}__gte": value})
