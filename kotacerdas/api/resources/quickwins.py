"""Quick-win selection rounds and their confirmed results (read)."""

from __future__ import annotations

import datetime
from typing import Any

from django.db.models import Count, Prefetch
from django.http import HttpRequest
from django.shortcuts import get_object_or_404
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop
from ninja import Field, Path, Query, Router, Schema
from ninja.errors import HttpError

from kotacerdas.accounts import access
from kotacerdas.api.paging import Page, Paging, Year, paginate, since
from kotacerdas.api.problems import READ_ERRORS
from kotacerdas.quickwins.models import Criterion, SelectionRound, Solve

router = Router(tags=["quick wins"])


class CriterionOut(Schema):
    code: str
    name: str
    direction: str
    weight: str | None

    @staticmethod
    def resolve_weight(obj: Any) -> str | None:
        return None if obj.weight is None else str(obj.weight)


class RoundOut(Schema):
    year: int
    edition: int
    budget_year: int
    title: str
    status: str
    aggregation: str
    weight_mode: str
    criteria: list[CriterionOut]
    candidate_count: int
    confirmed_result: int | None = Field(description="Number of the confirmed result, if any")
    version: int
    updated_at: datetime.datetime

    @staticmethod
    def resolve_edition(obj: Any) -> int:
        return obj.edition.year

    @staticmethod
    def resolve_criteria(obj: Any) -> list[Any]:
        return list(obj.criteria.all())

    @staticmethod
    def resolve_confirmed_result(obj: Any) -> int | None:
        return obj.confirmed_solve.number if obj.confirmed_solve else None


class RoundFilter(Schema):
    edition: Year | None = Field(None, description="Edition year")
    status: str | None = Field(None, max_length=10)
    year: Year | None = None
    updated_since: datetime.datetime | None = None


def rounds_of(region: Any) -> Any:
    return (
        SelectionRound.objects.filter(region=region)
        .select_related("edition", "confirmed_solve")
        .prefetch_related(Prefetch("criteria", Criterion.objects.order_by("order", "id")))
        .annotate(candidate_count=Count("candidates", distinct=True))
        .order_by("year", "id")
    )


@router.get(
    "/regions/{code}/quick-win-rounds",
    response={200: Page[RoundOut], **READ_ERRORS},
    summary=gettext_noop("Quick-win rounds"),
)
def list_rounds(request: HttpRequest, code: str, filters: Query[RoundFilter], paging: Query[Paging]) -> Any:
    region = access.region_for(request.user, code)
    rounds = rounds_of(region)
    wanted = {"edition__year": filters.edition, "status": filters.status, "year": filters.year}
    rounds = rounds.filter(**{k: v for k, v in wanted.items() if v is not None})
    return paginate(request, since(rounds, filters.updated_since), paging)


@router.get(
    "/regions/{code}/quick-win-rounds/{year}",
    response={200: RoundOut, **READ_ERRORS},
    summary=gettext_noop("One round"),
)
def get_round(request: HttpRequest, code: str, year: int = Path(..., ge=1900, le=2200)) -> Any:
    region = access.region_for(request.user, code)
    return get_object_or_404(rounds_of(region), year=year)


class RankedOut(Schema):
    programme: str = Field(description="Programme code")
    name: str
    dimension: str | None
    agency: str | None
    cost: str
    value: float
    rank: int
    selected: bool


class ResultOut(Schema):
    round: int
    number: int
    confirmed: bool = Field(description="Whether the region confirmed this result (else it is the latest solve)")
    status: str
    objective: float | None
    solved_at: datetime.datetime
    selection: list[str]
    candidates: list[RankedOut]


@router.get(
    "/regions/{code}/quick-win-rounds/{year}/result",
    response={200: ResultOut, **READ_ERRORS},
    summary=gettext_noop(
        "The result of a round (the confirmed one, else the latest): the chosen quick wins and the ranking"
    ),
)
def get_result(request: HttpRequest, code: str, year: int = Path(..., ge=1900, le=2200)) -> Any:
    region = access.region_for(request.user, code)
    selection_round = get_object_or_404(
        SelectionRound.objects.filter(region=region).select_related("confirmed_solve"), year=year
    )
    solve = selection_round.confirmed_solve or Solve.objects.filter(round=selection_round).order_by("-number").first()
    if solve is None:
        raise HttpError(404, _("The round has no result yet."))
    report = solve.report or {}
    return {
        "round": selection_round.year,
        "number": solve.number,
        "confirmed": solve.pk == selection_round.confirmed_solve_id,
        "status": solve.status,
        "objective": solve.objective,
        "solved_at": solve.created_at,
        "selection": [str(code) for code in report.get("selection") or []],
        "candidates": [
            {
                "programme": str(row.get("id", "")),
                "name": str(row.get("name", "")),
                "dimension": row.get("dimension"),
                "agency": row.get("opd"),
                "cost": str(row.get("cost", 0)),
                "value": float(row.get("value") or 0),
                "rank": int(row.get("rank") or 0),
                "selected": bool(row.get("selected")),
            }
            for row in report.get("candidates") or []
        ],
    }
