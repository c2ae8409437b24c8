"""The ministry's annual evaluations of a region (read): a draft only for the ministry, a released
one for everyone who may view the region (``access.may_see_evaluation``, asked per row)."""

from __future__ import annotations

import datetime
from typing import Any

from django.db.models import Prefetch
from django.http import Http404, HttpRequest
from django.utils.translation import gettext_noop
from ninja import Path, Query, Router, Schema

from kotacerdas.accounts import access
from kotacerdas.api.paging import Page, Paging, paginate
from kotacerdas.api.problems import READ_ERRORS
from kotacerdas.evaluation.models import DimensionScore, Evaluation

router = Router(tags=["evaluations"])


class ScoreOut(Schema):
    dimension: str
    score: str | None
    note: str

    @staticmethod
    def resolve_score(obj: Any) -> str | None:
        return None if obj.score is None else str(obj.score)


class EvaluationOut(Schema):
    year: int
    scheme_year: int
    status: str
    index: str | None
    improvement: str | None
    predicate_code: str
    predicate_name: str
    conclusion: str
    released_at: datetime.datetime | None
    scores: list[ScoreOut]
    version: int

    @staticmethod
    def resolve_index(obj: Any) -> str | None:
        return None if obj.index is None else str(obj.index)

    @staticmethod
    def resolve_improvement(obj: Any) -> str | None:
        return None if obj.improvement is None else str(obj.improvement)

    @staticmethod
    def resolve_scores(obj: Any) -> list[Any]:
        return list(obj.scores.all())


def _visible(request: HttpRequest, region: Any) -> list[Evaluation]:
    evaluations = (
        Evaluation.objects.filter(region=region)
        .prefetch_related(Prefetch("scores", DimensionScore.objects.order_by("dimension", "id")))
        .order_by("year", "id")
    )
    return [e for e in evaluations if access.may_see_evaluation(request.user, region, e)]


@router.get(
    "/regions/{code}/evaluations",
    response={200: Page[EvaluationOut], **READ_ERRORS},
    summary=gettext_noop("Annual evaluations (drafts only for the ministry)"),
)
def list_evaluations(request: HttpRequest, code: str, paging: Query[Paging]) -> Any:
    region = access.region_for(request.user, code)
    return paginate(request, _visible(request, region), paging)


@router.get(
    "/regions/{code}/evaluations/{year}",
    response={200: EvaluationOut, **READ_ERRORS},
    summary=gettext_noop("One annual evaluation"),
)
def get_evaluation(request: HttpRequest, code: str, year: int = Path(..., ge=1900, le=2200)) -> Any:
    region = access.region_for(request.user, code)
    for evaluation in _visible(request, region):
        if evaluation.year == year:
            return evaluation
    raise Http404("No such evaluation.")
