"""Reads of the annual evaluation, with fixed query counts.

The index of a released evaluation is what was stored on release; a draft's is computed live
with the published scheme of its ``scheme_year`` (:func:`computed`). Beside each score the pages
show what the workbench data suggest (:func:`suggestions`), never replacing the evaluators' number.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from django.db.models import Count, Q, Sum
from django.http import Http404
from django.utils import formats
from django.utils.translation import gettext as _

from kotacerdas.accounts import access
from kotacerdas.evaluation.domain import DIMENSIONS, Scheme, evaluate
from kotacerdas.evaluation.models import AreaScore, DimensionScore, Evaluation, EvaluationDimension, Status
from kotacerdas.evaluation.schemes import NoScheme, scheme_for
from kotacerdas.lib.numbers import grouped
from kotacerdas.monitoring.selectors import implementation_facts
from kotacerdas.regions.models import Region

ORDER = list(DIMENSIONS)


@dataclass(frozen=True)
class Computed:
    """The index of an evaluation: stored (released) or computed now (draft)."""

    index: Decimal | None
    index_2dp: Decimal | None
    improvement: Decimal | None
    previous_index: Decimal | None
    predicate_code: str
    predicate_name: str
    weights: dict[str, Decimal]
    stored: bool
    problem: str = ""  # why a draft's index cannot be computed (no scheme, scores missing)


@dataclass
class ScoreRow:
    dimension: str
    label: str
    weight: Decimal | None
    score: Decimal | None
    weighted: Decimal | None
    note: str
    evidence_link: str
    evidence_file: str  # the name as uploaded; "" when no file
    suggestion: list[str] = field(default_factory=list)
    suggestion_available: bool = True


@dataclass
class AreaRow:
    entry_id: int
    code: str
    name: str
    score: Decimal | None
    programmes: int


@dataclass
class EvaluationPage:
    evaluation: Evaluation
    rows: list[ScoreRow]
    areas: list[AreaRow]
    computed: Computed
    evaluators: list[str]


class Schemes:
    """Schemes by year for one page: each year's scheme is read once (or its absence once)."""

    def __init__(self) -> None:
        self.found: dict[int, Scheme | str] = {}

    def get(self, year: int) -> Scheme | str:
        if year not in self.found:
            try:
                self.found[year] = scheme_for(year)
            except NoScheme as error:
                self.found[year] = str(error)
        return self.found[year]


def evaluation_for(user: Any, region: Region, year: int) -> Evaluation:
    """The region's evaluation of ``year`` if ``user`` may see it (a draft is the ministry's): 404 otherwise."""
    found = Evaluation.objects.filter(region=region, year=year).first()
    if found is None or not access.may_see_evaluation(user, region, found):
        raise Http404("No such evaluation.")
    found.region = region
    return found


def visible(user: Any, region: Region) -> Any:
    """The region's evaluations ``user`` may see, newest first."""
    evaluations = Evaluation.objects.filter(region=region)
    if not access.is_ministry(user):
        evaluations = evaluations.filter(status=Status.RELEASED)
    return evaluations.order_by("-year")


def computed(
    evaluation: Evaluation,
    scores: dict[str, Decimal | None],
    schemes: Schemes,
    previous: Decimal | None = None,
) -> Computed:
    """The index of ``evaluation``: as stored when released; else computed now from ``scores``
    (``previous``: the effective previous index, see :func:`effective_previous`)."""
    if evaluation.is_released:
        return Computed(
            index=evaluation.index,
            index_2dp=evaluation.index_2dp,
            improvement=evaluation.improvement,
            previous_index=evaluation.previous_index,
            predicate_code=evaluation.predicate_code,
            predicate_name=evaluation.predicate_name,
            weights={name: Decimal(str(w)) for name, w in (evaluation.weights or {}).items()},
            stored=True,
        )
    scheme = schemes.get(evaluation.scheme_year)
    if isinstance(scheme, str):
        return Computed(None, None, None, previous, "", "", {}, False, problem=scheme)
    weights = dict(scheme.weights)
    given = {name: score for name, score in scores.items() if score is not None}
    if set(given) != set(DIMENSIONS):
        missing = len(DIMENSIONS) - len(given)
        problem = _("The index is computed once all five evaluation dimensions are scored (%(n)s missing).") % {
            "n": missing
        }
        return Computed(None, None, None, previous, "", "", weights, False, problem=problem)
    result = evaluate(given, scheme, previous)
    return Computed(
        index=result.index,
        index_2dp=result.index_2dp,
        improvement=result.improvement,
        previous_index=previous,
        predicate_code=result.predicate.code if result.predicate else "",
        predicate_name=result.predicate.label if result.predicate else "",
        weights=weights,
        stored=False,
    )


def effective_previous(evaluation: Evaluation) -> Decimal | None:
    """The previous index a draft would be released with: last year's released index when
    KotaCerdas holds it, else the entered one (one query)."""
    if evaluation.is_released:
        return evaluation.previous_index
    held = (
        Evaluation.objects.filter(region_id=evaluation.region_id, year=evaluation.year - 1, status=Status.RELEASED)
        .values_list("index", flat=True)
        .first()
    )
    return held if held is not None else evaluation.previous_index


def page(evaluation: Evaluation, with_suggestions: bool = False) -> EvaluationPage:
    """Everything the evaluation page (and the letter) shows (at most about ten queries)."""
    schemes = Schemes()
    scores = sorted(evaluation.scores.all(), key=lambda s: ORDER.index(s.dimension))
    result = computed(evaluation, {s.dimension: s.score for s in scores}, schemes, effective_previous(evaluation))
    hints = suggestions(evaluation.region, evaluation.year) if with_suggestions else {}
    rows = []
    for s in scores:
        weight = result.weights.get(s.dimension)
        hint = hints.get(s.dimension)
        rows.append(
            ScoreRow(
                dimension=s.dimension,
                label=str(s.get_dimension_display()),
                weight=weight,
                score=s.score,
                weighted=None if weight is None or s.score is None else weight * s.score / 100,
                note=s.note,
                evidence_link=s.evidence_link,
                evidence_file=s.evidence_filename if s.evidence_file else "",
                suggestion=hint[0] if hint else [],
                suggestion_available=hint[1] if hint else True,
            )
        )
    areas = [
        AreaRow(a.dimension_id, a.dimension.code, a.dimension.name, a.score, a.programmes)
        for a in AreaScore.objects.filter(evaluation=evaluation)
        .select_related("dimension")
        .order_by("dimension__order", "dimension_id")
    ]
    evaluators = [u.full_name or u.username for u in evaluation.evaluators.order_by("full_name", "username")]
    if evaluation.panel:
        evaluators.append(evaluation.panel)
    return EvaluationPage(evaluation, rows, areas, result, evaluators)


@dataclass
class ListRow:
    evaluation: Evaluation
    computed: Computed


def listed(evaluations: Iterable[Evaluation]) -> list[ListRow]:
    """Evaluations with their index (stored, or computed for drafts): three queries plus one
    scheme per scheme year, whatever the number of evaluations. Improvement of a draft is shown
    on its own page (it needs last year's record)."""
    found = list(evaluations)
    by_evaluation: dict[int, dict[str, Decimal | None]] = {}
    drafts = [e.pk for e in found if not e.is_released]
    if drafts:
        for s in DimensionScore.objects.filter(evaluation_id__in=drafts).only("evaluation_id", "dimension", "score"):
            by_evaluation.setdefault(s.evaluation_id, {})[s.dimension] = s.score
    schemes = Schemes()
    return [
        ListRow(e, computed(e, by_evaluation.get(e.pk, {}), schemes, e.previous_index if e.is_released else None))
        for e in found
    ]


def region_list(user: Any, region: Region) -> list[ListRow]:
    return listed(visible(user, region))


def year_list(year: int) -> list[ListRow]:
    """Every region's evaluation of ``year`` (the ministry's overview)."""
    return listed(Evaluation.objects.filter(year=year).select_related("region").order_by("region__name"))


def years() -> list[int]:
    return sorted(set(Evaluation.objects.values_list("year", flat=True)), reverse=True)


# What the workbench data suggest --------------------------------------------------------------


def suggestions(region: Region, year: int) -> dict[str, tuple[list[str], bool]]:
    """Per evaluation dimension: the facts the workbench holds for ``year`` and whether they are
    available (output: what is in place; outcome and quick win: the accepted monitoring updates,
    ``monitoring.selectors.implementation_facts``). Shown beside the evaluators' score, never in
    its place (about seven queries)."""
    from kotacerdas.plans.models import Edition, EditionStatus, ProgrammeBudget
    from kotacerdas.regions.models import GovernanceBody

    adopted = (
        Edition.objects.filter(region=region, status=EditionStatus.ADOPTED, adoption_date__year__lte=year)
        .exclude(adoption_number="")
        .order_by("-adoption_date")
        .values("adoption_number", "adoption_date")
        .first()
    )
    bodies = GovernanceBody.objects.filter(region=region).aggregate(
        total=Count("id", distinct=True),
        staffed=Count("id", filter=Q(members__isnull=False), distinct=True),
        decreed=Count("id", filter=~Q(decree_number=""), distinct=True),
    )
    budget = ProgrammeBudget.objects.filter(region=region, year=year).aggregate(lines=Count("id"), total=Sum("amount"))
    output = [
        _("Adopted master plan: regulation %(number)s of %(date)s.")
        % {"number": adopted["adoption_number"], "date": formats.date_format(adopted["adoption_date"], "j F Y")}
        if adopted and adopted["adoption_date"]
        else _("No adopted master plan with a regulation number and date."),
        _("Governance bodies: %(staffed)s of %(total)s with members, %(decreed)s with a decree.") % bodies,
        _("Budget lines for %(year)s: %(lines)s, total Rp %(total)s.")
        % {"year": year, "lines": budget["lines"], "total": grouped(budget["total"] or 0)},
    ]
    facts = implementation_facts(region, year)
    if facts.edition is None:
        outcome = [_("No master plan edition is in force in %(year)s.") % {"year": year}]
    elif not facts.programmes_reported:
        outcome = [_("No programme of %(year)s has an accepted update.") % {"year": year}]
    else:
        share = Decimal(facts.programmes_carried_out * 100) / facts.programmes_total
        outcome = [
            _("%(done)s of %(total)s programmes carried out per the accepted updates (%(share)s %%).")
            % {"done": facts.programmes_carried_out, "total": facts.programmes_total, "share": f"{share:.0f}"},
            _("%(reported)s of %(total)s programmes have an accepted update for %(year)s.")
            % {"reported": facts.programmes_reported, "total": facts.programmes_total, "year": year},
        ]
    if facts.quick_win_mean_progress is not None:
        quick = [
            _("Quick wins of %(year)s: %(n)s, mean progress %(progress)s %%.")
            % {"n": facts.quick_wins_total, "year": year, "progress": f"{facts.quick_win_mean_progress:.0f}"}
        ]
    elif facts.quick_wins_total:
        quick = [_("No quick win of %(year)s has an accepted progress report.") % {"year": year}]
    else:
        quick = [_("No programme is marked as a quick win of %(year)s.") % {"year": year}]
    return {
        EvaluationDimension.OUTPUT: (output, True),
        EvaluationDimension.OUTCOME: (outcome, True),
        EvaluationDimension.QUICK_WIN: (quick, True),
    }


# The letter ----------------------------------------------------------------------------------


def released_for_letter(region: Region, year: Any) -> Evaluation:
    """The region's released evaluation of ``year`` for the letter; ValidationError otherwise
    (a draft has no letter: it is not the ministry's word yet)."""
    from django.core.exceptions import ValidationError

    try:
        number = int(year)
    except (TypeError, ValueError):
        raise ValidationError({"year": _("Choose the evaluation year.")}) from None
    found = Evaluation.objects.filter(region=region, year=number).first()
    if found is None:
        raise ValidationError(
            {"year": _("%(region)s has no evaluation for %(year)s.") % {"region": region, "year": number}}
        )
    if not found.is_released:
        raise ValidationError(
            {
                "year": _("The evaluation %(year)s of %(region)s is a draft: only a released evaluation has a letter.")
                % {"year": number, "region": region}
            }
        )
    found.region = region
    return found
