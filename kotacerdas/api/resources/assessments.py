"""Assessment runs of a region and their scores (read), through ``assessments.selectors``: the
list is ``runs_for_region``, one run's scores are ``run_result`` (the same scoring as the page)."""

from __future__ import annotations

import datetime
from typing import Any

from django.http import HttpRequest
from django.utils import timezone
from django.utils.translation import gettext_noop
from ninja import Field, Path, Query, Router, Schema

from kotacerdas.accounts import access
from kotacerdas.api.paging import MAX_ID, Page, Paging, Year, paginate
from kotacerdas.api.problems import READ_ERRORS
from kotacerdas.assessments import selectors

router = Router(tags=["assessments"])


class RunOut(Schema):
    id: int
    template: str
    template_version: int
    kind: str
    year: int
    title: str
    status: str
    items: int
    answered: int
    submitted_at: datetime.datetime | None
    accepted_at: datetime.datetime | None
    version: int
    updated_at: datetime.datetime

    @staticmethod
    def resolve_template(obj: Any) -> str:
        return obj.template.code

    @staticmethod
    def resolve_template_version(obj: Any) -> int:
        return obj.template.version

    @staticmethod
    def resolve_kind(obj: Any) -> str:
        return obj.template.kind

    @staticmethod
    def resolve_items(obj: Any) -> int:
        return obj.item_count

    @staticmethod
    def resolve_answered(obj: Any) -> int:
        return obj.answered


class ScoreNode(Schema):
    code: str
    label: str
    kind: str
    score: float | None = Field(None, description="0-100; null when nothing applicable was answered")
    level: int | None
    share: float
    assessors: int


class SectionScore(ScoreNode):
    elements: list[ScoreNode]


class RunScoresOut(Schema):
    run: RunOut
    overall: float | None
    level: int | None
    level_name: str
    thresholds: list[float]
    unanswered: int
    sections: list[SectionScore]


class RunFilter(Schema):
    template: str | None = Field(None, max_length=40, description="Template code")
    status: str | None = Field(None, max_length=10, description="draft, submitted, accepted…")
    year: Year | None = None
    updated_since: datetime.datetime | None = None


def _matches(run: Any, filters: RunFilter, since: datetime.datetime | None) -> bool:
    return (
        (filters.template is None or run.template.code == filters.template)
        and (filters.status is None or run.status == filters.status)
        and (filters.year is None or run.year == filters.year)
        and (since is None or run.updated_at >= since)
    )


@router.get(
    "/regions/{code}/assessment-runs",
    response={200: Page[RunOut], **READ_ERRORS},
    summary=gettext_noop("Assessment runs"),
)
def list_runs(request: HttpRequest, code: str, filters: Query[RunFilter], paging: Query[Paging]) -> Any:
    region = access.region_for(request.user, code)
    since = filters.updated_since
    if since is not None and since.tzinfo is None:
        since = timezone.make_aware(since)
    runs = [r for r in selectors.runs_for_region(region) if _matches(r, filters, since)]
    return paginate(request, runs, paging)


def _node(result: Any, node: Any) -> dict[str, Any]:
    return {
        "code": node.code,
        "label": node.label,
        "kind": node.kind,
        "score": None if node.score is None else round(node.score, 4),
        "level": result.level_of(node),
        "share": round(node.share, 6),
        "assessors": node.assessors,
    }


@router.get(
    "/regions/{code}/assessment-runs/{pk}",
    response={200: RunScoresOut, **READ_ERRORS},
    summary=gettext_noop("One assessment run with its section and element scores"),
)
def get_run(request: HttpRequest, code: str, pk: int = Path(..., ge=1, le=MAX_ID)) -> Any:
    region = access.region_for(request.user, code)
    selectors.run_for(region, pk)  # 404 for a run of another region
    run = next(r for r in selectors.runs_for_region(region) if r.pk == pk)
    result = selectors.run_result(run)
    level = result.level_of(result.tree)
    return {
        "run": run,
        "overall": None if result.tree.score is None else round(result.tree.score, 4),
        "level": level,
        "level_name": result.level_names.get(level, "") if level is not None else "",
        "thresholds": result.thresholds,
        "unanswered": result.unanswered,
        "sections": [
            {**_node(result, s), "elements": [_node(result, e) for e in s.children]} for s in result.tree.children
        ],
    }
