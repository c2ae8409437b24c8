"""Writes of the annual evaluation: create a draft, save its scores, release it.

Every service is atomic, asks the access layer (:func:`access.may_evaluate`: the ministry only)
and records an audit entry with the before/after snapshot. A released evaluation is frozen:
saving or releasing it again is refused (a correction would be a new record, which this
version does not offer). The index is computed with :func:`domain.evaluate` and the published
scheme of ``scheme_year``; a year without a scheme is refused with the published years named.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from decimal import Decimal
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from kotacerdas.accounts import access
from kotacerdas.accounts.models import User
from kotacerdas.audit.services import record, snapshot
from kotacerdas.evaluation.domain import DIMENSIONS, Scheme, evaluate, read_index, read_score
from kotacerdas.evaluation.models import AreaScore, DimensionScore, Evaluation, PreviousSource, Status
from kotacerdas.evaluation.schemes import NoScheme, scheme_for
from kotacerdas.frameworks.models import Framework, FrameworkEntry, Kind
from kotacerdas.frameworks.models import Status as FrameworkStatus
from kotacerdas.lib.concurrency import lock_current
from kotacerdas.lib.files import accept_upload
from kotacerdas.plans.models import Edition, EditionStatus
from kotacerdas.regions.models import Region


def scheme_or_error(year: int, field: str = "scheme_year") -> Scheme:
    """The published scheme of ``year``; a ValidationError on ``field`` naming the published years."""
    try:
        return scheme_for(year)
    except NoScheme as error:
        raise ValidationError({field: str(error)}) from None


def region_taxonomy(region: Region, year: int) -> Framework:
    """The smart city dimensions an evaluation scores: those of the region's plan in force in
    ``year`` (adopted first), else of its latest edition, else the default published taxonomy."""
    editions = Edition.objects.filter(region=region).select_related("taxonomy")
    edition = (
        editions.filter(status=EditionStatus.ADOPTED, start_year__lte=year, end_year__gte=year)
        .order_by("-year")
        .first()
        or editions.order_by("-year").first()
    )
    if edition is not None:
        return edition.taxonomy
    found = (
        Framework.objects.filter(kind=Kind.TAXONOMY, status=FrameworkStatus.PUBLISHED)
        .order_by("-is_default", "-version")
        .first()
    )
    if found is None:
        raise ValidationError(_("There is no published smart city dimension taxonomy to score."))
    return found


def last_year_record(region: Region, year: int) -> Evaluation | None:
    """The region's released evaluation of the year before ``year``, if KotaCerdas holds one."""
    return Evaluation.objects.filter(region=region, year=year - 1, status=Status.RELEASED).first()


def _audit_state(evaluation: Evaluation) -> dict[str, Any]:
    data = snapshot(evaluation)
    data["evaluators"] = sorted(evaluation.evaluators.values_list("pk", flat=True))
    data["scores"] = {
        s.dimension: {
            "score": None if s.score is None else str(s.score),
            "note": s.note,
            "evidence_link": s.evidence_link,
            "evidence_file": s.evidence_file.name or None,
        }
        for s in evaluation.scores.all()
    }
    data["areas"] = {
        str(a.dimension_id): {"score": None if a.score is None else str(a.score), "programmes": a.programmes}
        for a in evaluation.area_scores.all()
    }
    return data


def _check_evaluators(evaluators: Iterable[User]) -> list[User]:
    chosen = list(evaluators)
    if any(not access.is_ministry(user) for user in chosen):
        raise ValidationError({"evaluators": _("Evaluators with an account must be ministry staff.")})
    return chosen


@transaction.atomic
def create_evaluation(*, actor: Any, region: Region, data: Mapping[str, Any], is_sample: bool = False) -> Evaluation:
    """A draft evaluation of ``region`` for ``data["year"]`` with empty scores.

    ``scheme_year`` (default: the year itself) must have a published scheme. The previous index
    is taken from last year's released evaluation when KotaCerdas holds it, else from
    ``data["previous_index"]`` (optional).
    """
    access.check(actor, access.may_evaluate)
    errors: dict[str, list[str]] = {}
    year = int(data["year"])
    scheme_year = int(data.get("scheme_year") or year)
    if Evaluation.objects.filter(region=region, year=year).exists():
        errors.setdefault("year", []).append(
            _("%(region)s already has an evaluation for %(year)s.") % {"region": region, "year": year}
        )
    try:
        scheme_for(scheme_year)
    except NoScheme as error:
        errors.setdefault("scheme_year", []).append(str(error))
    previous, source = _previous(region, year, data.get("previous_index"), errors)
    try:
        evaluators = _check_evaluators(data.get("evaluators") or [])
    except ValidationError as error:
        errors.setdefault("evaluators", []).extend(error.message_dict["evaluators"])
    if errors:
        raise ValidationError(errors)
    taxonomy = region_taxonomy(region, year)
    evaluation = Evaluation(
        region=region,
        year=year,
        scheme_year=scheme_year,
        taxonomy=taxonomy,
        previous_index=previous,
        previous_source=source,
        panel=(data.get("panel") or "").strip(),
        is_sample=is_sample,
    )
    evaluation.full_clean(exclude=["region", "taxonomy"])
    evaluation.save()
    evaluation.evaluators.set(evaluators)
    DimensionScore.objects.bulk_create(
        DimensionScore(region=region, evaluation=evaluation, dimension=name) for name in DIMENSIONS
    )
    entries = FrameworkEntry.objects.filter(framework=taxonomy, parent__isnull=True).order_by("order", "id")
    AreaScore.objects.bulk_create(AreaScore(region=region, evaluation=evaluation, dimension=entry) for entry in entries)
    record(actor=actor, action="create", obj=evaluation, region=region, after=_audit_state(evaluation))
    return evaluation


def _previous(region: Region, year: int, entered: Any, errors: dict[str, list[str]]) -> tuple[Decimal | None, str]:
    held = last_year_record(region, year)
    if held is not None and held.index is not None:
        return held.index, PreviousSource.RECORD
    if entered in (None, ""):
        return None, PreviousSource.NONE
    number, problem = read_index(entered)
    if problem is not None:
        errors.setdefault("previous_index", []).append(problem.render(_))
        return None, PreviousSource.NONE
    return number, PreviousSource.ENTERED


def _frozen() -> ValidationError:
    return ValidationError(
        _("This evaluation is released and frozen: it can no longer be changed. A correction would be a new record.")
    )


def _locked(evaluation: Evaluation, version: int) -> Evaluation:
    current = lock_current(Evaluation.objects.filter(region_id=evaluation.region_id), evaluation.pk, version)
    if current.is_released:
        raise _frozen()
    return current


@transaction.atomic
def save_scores(*, actor: Any, evaluation: Evaluation, data: Mapping[str, Any], version: int) -> Evaluation:
    """Save the evaluators' scores, notes and evidence of a draft (the whole form at once).

    ``data``: ``scores`` {dimension name: {score, note, evidence_link, evidence_file}},
    ``areas`` {FrameworkEntry id: {score, programmes}}, and optionally ``panel``,
    ``conclusion``, ``previous_index`` and ``evaluators``. A score may be left empty in a
    draft; a given score must be 1–5 with at most two decimals. Errors name the field
    (``score_<dimension>``, ``area_<code>``) and nothing is saved.
    """
    access.check(actor, access.may_evaluate)
    current = _locked(evaluation, version)
    region = current.region
    before = _audit_state(current)
    errors: dict[str, list[str]] = {}
    rows = {s.dimension: s for s in current.scores.all()}
    for name, given in (data.get("scores") or {}).items():
        row = rows.get(name)
        if row is None:
            continue
        score = _score(given.get("score"), f"score_{name}", errors)
        row.score = score
        row.note = (given.get("note") or "").strip()
        row.evidence_link = (given.get("evidence_link") or "").strip()
        try:
            accept_upload(row, "evidence_file", "evidence_name", given.get("evidence_file"))
            row.full_clean(exclude=["region", "evaluation", "evidence_file", "score"])
        except ValidationError as error:
            for field, messages in error.message_dict.items():
                key = {"evidence_file": f"file_{name}", "evidence_link": f"link_{name}"}.get(field, f"note_{name}")
                errors.setdefault(key, []).extend(messages)
    areas = {a.dimension_id: a for a in current.area_scores.select_related("dimension")}
    for entry_id, given in (data.get("areas") or {}).items():
        area = areas.get(int(entry_id))
        if area is None:
            continue
        area.score = _score(given.get("score"), f"area_{area.dimension.code}", errors)
        programmes = given.get("programmes")
        if programmes in (None, ""):
            programmes = 0
        if not isinstance(programmes, int) or programmes < 0 or programmes > 100000:
            errors.setdefault(f"programmes_{area.dimension.code}", []).append(
                _("Give the number of programmes evaluated: a whole number, 0 or more.")
            )
        else:
            area.programmes = programmes
    if "previous_index" in data and current.previous_source != PreviousSource.RECORD:
        previous, source = _previous(region, current.year, data.get("previous_index"), errors)
        current.previous_index, current.previous_source = previous, source
    evaluators = None
    if "evaluators" in data:
        try:
            evaluators = _check_evaluators(data.get("evaluators") or [])
        except ValidationError as error:
            errors.setdefault("evaluators", []).extend(error.message_dict["evaluators"])
    if errors:
        raise ValidationError(errors)
    if "panel" in data:
        current.panel = (data.get("panel") or "").strip()[:500]
    if "conclusion" in data:
        current.conclusion = (data.get("conclusion") or "").strip()
    for row in rows.values():
        row.save()
    AreaScore.objects.bulk_update(list(areas.values()), ["score", "programmes"])
    if evaluators is not None:
        current.evaluators.set(evaluators)
    current.version += 1
    current.save()
    record(actor=actor, action="update", obj=current, region=region, before=before, after=_audit_state(current))
    return current


def _score(value: Any, field: str, errors: dict[str, list[str]]) -> Decimal | None:
    if value in (None, ""):
        return None
    number, problem = read_score(value)
    if problem is not None:
        errors.setdefault(field, []).append(problem.render(_))
        return None
    return number


def missing_scores(evaluation: Evaluation) -> list[str]:
    """What keeps ``evaluation`` from being released, in words (empty when complete)."""
    missing = [
        _("the score of %(dimension)s") % {"dimension": s.get_dimension_display()}
        for s in sorted(evaluation.scores.all(), key=lambda s: list(DIMENSIONS).index(s.dimension))
        if s.score is None
    ]
    missing += [
        _("the score of %(dimension)s") % {"dimension": a.dimension.name}
        for a in evaluation.area_scores.select_related("dimension").order_by("dimension__order", "dimension_id")
        if a.score is None
    ]
    if not evaluation.panel and not evaluation.evaluators.exists():
        missing.append(_("the evaluators (ministry staff or a named panel)"))
    return missing


@transaction.atomic
def release(*, actor: Any, evaluation: Evaluation, version: int) -> Evaluation:
    """Release a complete draft to the region: compute and store the index, improvement and
    predicate with the published scheme, and freeze the evaluation."""
    access.check(actor, access.may_evaluate)
    current = _locked(evaluation, version)
    missing = missing_scores(current)
    if missing:
        raise ValidationError(
            _("The evaluation cannot be released yet; still missing: %(missing)s.") % {"missing": "; ".join(missing)}
        )
    scheme = scheme_or_error(current.scheme_year)
    before = _audit_state(current)
    held = last_year_record(current.region, current.year)
    if held is not None and held.index is not None:
        current.previous_index, current.previous_source = held.index, PreviousSource.RECORD
    scores = {s.dimension: s.score for s in current.scores.all() if s.score is not None}
    result = evaluate(scores, scheme, current.previous_index)
    current.index = result.index
    current.index_2dp = result.index_2dp
    current.improvement = result.improvement
    current.predicate_code = result.predicate.code if result.predicate else ""
    current.predicate_name = result.predicate.label if result.predicate else ""
    current.weights = {name: str(weight) for name, weight in scheme.weights.items()}
    current.scheme_code, current.scheme_version = scheme.code, scheme.version
    current.bands_code, current.bands_version = scheme.bands_code, scheme.bands_version
    current.status = Status.RELEASED
    current.released_at = timezone.now()
    current.released_by = actor if getattr(actor, "is_authenticated", False) else None
    current.version += 1
    current.save()
    record(
        actor=actor, action="publish", obj=current, region=current.region, before=before, after=_audit_state(current)
    )
    return current
