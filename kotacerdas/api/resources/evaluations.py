"""The ministry's annual evaluations of a region: a draft only for the ministry, a released one for
everyone who may view the region (``access.may_see_evaluation``, asked per row).

The ministry writes them through ``evaluation.services`` (create a draft, save its scores, release
it): the same validation, optimistic locking and audit entries as the pages, the entry naming the
token (``auth.writing``). As on the pages, a draft the caller may not see is a 404 before the
missing capability (403) is told.
"""

from __future__ import annotations

import datetime
from typing import Any

from django.core.exceptions import ValidationError
from django.db.models import Prefetch
from django.http import Http404, HttpRequest
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop
from ninja import Field, Path, Query, Router, Schema, Status

from kotacerdas.accounts import access
from kotacerdas.accounts.models import User
from kotacerdas.api import auth
from kotacerdas.api.paging import Page, Paging, Version, paginate
from kotacerdas.api.problems import READ_ERRORS, WRITE_ERRORS
from kotacerdas.evaluation import selectors, services
from kotacerdas.evaluation.domain import DIMENSIONS
from kotacerdas.evaluation.models import AreaScore, DimensionScore, Evaluation
from kotacerdas.lib.spreadsheets import UNHOLDABLE

router = Router(tags=["evaluations"])


class ScoreOut(Schema):
    dimension: str
    score: str | None
    note: str

    @staticmethod
    def resolve_score(obj: Any) -> str | None:
        return None if obj.score is None else str(obj.score)


class AreaOut(Schema):
    dimension: str = Field(..., description="Code of the smart city dimension (GOV, ECO, …)")
    name: str
    score: str | None
    programmes: int

    @staticmethod
    def resolve_dimension(obj: Any) -> str:
        return obj.dimension.code

    @staticmethod
    def resolve_name(obj: Any) -> str:
        return obj.dimension.name

    @staticmethod
    def resolve_score(obj: Any) -> str | None:
        return None if obj.score is None else str(obj.score)


class EvaluationOut(Schema):
    year: int
    scheme_year: int
    status: str
    index: str | None
    improvement: str | None
    previous_index: str | None
    predicate_code: str
    predicate_name: str
    panel: str
    conclusion: str
    released_at: datetime.datetime | None
    scores: list[ScoreOut]
    areas: list[AreaOut]
    version: int

    @staticmethod
    def resolve_index(obj: Any) -> str | None:
        return None if obj.index is None else str(obj.index)

    @staticmethod
    def resolve_improvement(obj: Any) -> str | None:
        return None if obj.improvement is None else str(obj.improvement)

    @staticmethod
    def resolve_previous_index(obj: Any) -> str | None:
        return None if obj.previous_index is None else str(obj.previous_index)

    @staticmethod
    def resolve_scores(obj: Any) -> list[Any]:
        return list(obj.scores.all())

    @staticmethod
    def resolve_areas(obj: Any) -> list[Any]:
        return list(obj.area_scores.all())


def _visible(request: HttpRequest, region: Any, year: int | None = None) -> list[Evaluation]:
    evaluations = (
        Evaluation.objects.filter(region=region)
        .prefetch_related(
            Prefetch("scores", DimensionScore.objects.order_by("dimension", "id")),
            Prefetch(
                "area_scores",
                AreaScore.objects.select_related("dimension").order_by("dimension__order", "dimension_id"),
            ),
        )
        .order_by("year", "id")
    )
    if year is not None:
        evaluations = evaluations.filter(year=year)
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
    return _one(request, region, year)


def _one(request: HttpRequest, region: Any, year: int) -> Evaluation:
    found = _visible(request, region, year)
    if not found:
        raise Http404("No such evaluation.")
    return found[0]


# Writes (the ministry only) ----------------------------------------------------------------------

SCORE_HELP = '1 to 5 with at most two decimals, as text ("3.25"); null leaves it empty in the draft'


class NewEvaluationIn(Schema):
    year: int = Field(..., ge=2000, le=2100, description="The evaluation year")
    scheme_year: int | None = Field(
        None, ge=2000, le=2100, description="Year of the published scheme whose weights apply; default: year"
    )
    previous_index: str | None = Field(
        None, max_length=40, description="Last year's index, only when KotaCerdas does not hold that evaluation"
    )
    evaluators: list[str] = Field(default_factory=list, max_length=50, description="Usernames of ministry staff")
    panel: str = Field("", max_length=500, description="Evaluators without an account, or the panel's name")


class DimensionScoreIn(Schema):
    score: str | None = Field(..., max_length=40, description=SCORE_HELP)
    note: str = Field("", max_length=10000)
    evidence_link: str = Field("", max_length=500)


class AreaScoreIn(Schema):
    score: str | None = Field(..., max_length=40, description=SCORE_HELP)
    programmes: int = Field(0, ge=0, le=100000, description="How many of its programmes were evaluated")


class ScoresIn(Schema):
    version: Version = Field(..., description="The version you read")
    scores: dict[str, DimensionScoreIn] = Field(
        default_factory=dict,
        description="By evaluation dimension (baseline, output, outcome, impact, quick_win); "
        "each one given is replaced whole (its evidence file is kept), the others keep theirs",
    )
    areas: dict[str, AreaScoreIn] = Field(
        default_factory=dict, description="By smart city dimension code (GOV, ECO, …), as in the evaluation's areas"
    )
    previous_index: str | None = Field(None, max_length=40, description="Only when given; null clears it")
    evaluators: list[str] | None = Field(None, max_length=50, description="Usernames; only when given")
    panel: str | None = Field(None, max_length=500, description="Only when given")
    conclusion: str | None = Field(None, max_length=20000, description="Only when given")


class ReleaseIn(Schema):
    version: Version = Field(..., description="The version you read")


# The service's form field names as the API's: score_baseline → scores.baseline.score, area_GOV → areas.GOV.score.
FIELD_NAMES = {
    "score_": ("scores", "score"),
    "note_": ("scores", "note"),
    "link_": ("scores", "evidence_link"),
    "file_": ("scores", "evidence_file"),
    "area_": ("areas", "score"),
    "programmes_": ("areas", "programmes"),
}


def _api_name(field: str) -> str:
    for prefix, (group, name) in FIELD_NAMES.items():
        if field.startswith(prefix):
            return f"{group}.{field.removeprefix(prefix)}.{name}"
    return field


def _evaluators(usernames: list[str], field: str = "evaluators") -> list[User]:
    wanted = {name.strip() for name in usernames}
    # A name with a character no username holds (NUL, a lone surrogate) is unknown without asking
    # the database, which would refuse to compare it (PostgreSQL: no NUL in text).
    askable = {name for name in wanted if not UNHOLDABLE.search(name)}
    found = list(User.objects.filter(username__in=askable, is_active=True))
    unknown = sorted(wanted - {user.username for user in found})
    if unknown:
        raise ValidationError(
            {field: _("There is no active account with the username %(name)s.") % {"name": unknown[0][:150]}}
        )
    return found


def _blank_score(errors: dict[str, list[str]], field: str, given: Any) -> None:
    if given.score is not None and not given.score.strip():
        errors.setdefault(field, []).append(_("Give a score from 1 to 5, or null to leave it empty."))


def _scores_data(body: ScoresIn, evaluation: Evaluation) -> dict[str, Any]:
    """What ``services.save_scores`` takes, from the body; a ValidationError naming each unknown
    dimension and blank score (the service would skip the one and clear the other)."""
    errors: dict[str, list[str]] = {}
    areas = {a.dimension.code: a for a in evaluation.area_scores.select_related("dimension")}
    for name, given in body.scores.items():
        if name not in DIMENSIONS:
            errors.setdefault(f"scores.{name}" if name else "scores", []).append(
                _("There is no evaluation dimension “%(name)s”: use one of %(known)s.")
                % {"name": name[:40], "known": ", ".join(DIMENSIONS)}
            )
        _blank_score(errors, f"scores.{name}.score", given)
    for code, area in body.areas.items():
        if code not in areas:
            errors.setdefault(f"areas.{code}" if code else "areas", []).append(
                _("The evaluation scores no smart city dimension “%(code)s”: use one of %(known)s.")
                % {"code": code[:40], "known": ", ".join(areas)}
            )
        _blank_score(errors, f"areas.{code}.score", area)
    if errors:
        raise ValidationError(errors)
    data: dict[str, Any] = {
        "scores": {name: given.dict() for name, given in body.scores.items()},
        "areas": {areas[code].dimension_id: given.dict() for code, given in body.areas.items()},
    }
    named = body.dict(exclude_unset=True, include={"previous_index", "panel", "conclusion", "evaluators"})
    if named.get("evaluators") is not None:
        named["evaluators"] = _evaluators(named["evaluators"])
    return {**data, **named}


@router.post(
    "/regions/{code}/evaluations",
    response={201: EvaluationOut, **WRITE_ERRORS},
    summary=gettext_noop("Start a draft evaluation of the region for a year (the ministry)"),
)
def create_evaluation(request: HttpRequest, code: str, body: NewEvaluationIn) -> Any:
    region = access.region_for(request.user, code)
    access.check(request.user, access.may_evaluate)
    data = body.dict()
    with auth.writing(request, _api_name):
        data["evaluators"] = _evaluators(body.evaluators)
        services.create_evaluation(actor=request.user, region=region, data=data)
    return Status(201, _one(request, region, body.year))


@router.put(
    "/regions/{code}/evaluations/{year}/scores",
    response={200: EvaluationOut, **WRITE_ERRORS},
    summary=gettext_noop("Save the scores of a draft evaluation (the ministry)"),
)
def save_scores(request: HttpRequest, code: str, body: ScoresIn, year: int = Path(..., ge=1900, le=2200)) -> Any:
    region = access.region_for(request.user, code)
    evaluation = selectors.evaluation_for(request.user, region, year)  # a draft: 404 before 403
    access.check(request.user, access.may_evaluate)
    with auth.writing(request, _api_name):
        data = _scores_data(body, evaluation)
        services.save_scores(actor=request.user, evaluation=evaluation, data=data, version=body.version)
    return _one(request, region, year)


@router.post(
    "/regions/{code}/evaluations/{year}/release",
    response={200: EvaluationOut, **WRITE_ERRORS},
    summary=gettext_noop("Release a complete draft to the region and freeze it (the ministry)"),
)
def release_evaluation(
    request: HttpRequest, code: str, body: ReleaseIn, year: int = Path(..., ge=1900, le=2200)
) -> Any:
    region = access.region_for(request.user, code)
    evaluation = selectors.evaluation_for(request.user, region, year)  # a draft: 404 before 403
    access.check(request.user, access.may_evaluate)
    with auth.writing(request, _api_name):
        services.release(actor=request.user, evaluation=evaluation, version=body.version)
    return _one(request, region, year)
