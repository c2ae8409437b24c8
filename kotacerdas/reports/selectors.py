"""Reads for documents: everything a book needs, in a fixed number of queries whatever its size.

A book reads the edition's interchange document (the same data the plan pages, the plan check
and the change log see), the region's governance bodies with their members, the approval steps
and the confirmed quick-win selections. Callers pass a region obtained through the access layer
(views) or looked up by code (the ``report`` command); every query filters by it.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from django.core.exceptions import ValidationError
from django.db.models import Case, IntegerField, Prefetch, QuerySet, Value, When
from django.shortcuts import get_object_or_404
from django.utils.translation import gettext as _

from kotacerdas.assessments import scoring
from kotacerdas.assessments.models import Answer, Assessor, Item, RunStatus, TemplateKind
from kotacerdas.assessments.models import Run as AssessmentRun
from kotacerdas.assessments.selectors import Analysis, RunResult, analysis, run_result, score_inputs
from kotacerdas.frameworks.models import FrameworkEntry
from kotacerdas.monitoring.satudata import metadata_of
from kotacerdas.plans.interchange.export import edition_document
from kotacerdas.plans.models import ApprovalStep, Edition
from kotacerdas.plans.services.editions import chapters as chapter_template
from kotacerdas.quickwins.models import SelectionRound, Solve
from kotacerdas.regions.models import BodyMember, GovernanceBody, Population, Region
from kotacerdas.reports.models import DocumentJob, DocumentKind


@dataclass
class QuickWinChoice:
    """A quick-win selection: the round, the solve behind it, and whether the forum confirmed it."""

    round: SelectionRound
    solve: Solve
    confirmed: bool = True


@dataclass
class BookData:
    region: Region
    edition: Edition
    doc: dict[str, Any]
    bodies: list[GovernanceBody]
    steps: list[ApprovalStep]
    population: Population | None
    quick_wins: list[QuickWinChoice]
    chapters: list[dict[str, Any]]
    readiness: Analysis | None = None  # the readiness analysis the book draws on, if the region has one
    extra: dict[str, Any] = field(default_factory=dict)


def readiness_for(region: Region, edition: Edition) -> Analysis | None:
    """The readiness analysis a Buku 1 draws on: the region's latest readiness run up to the
    edition's year, an accepted one before one still under review, a draft last. The book states
    the run's year and status, so a score nobody reviewed is never passed off as final."""
    rank = Case(
        When(status=RunStatus.ACCEPTED, then=Value(0)),
        When(status=RunStatus.SUBMITTED, then=Value(1)),
        default=Value(2),
        output_field=IntegerField(),
    )
    run = (
        AssessmentRun.objects.filter(region=region, template__kind=TemplateKind.READINESS, year__lte=edition.year)
        .select_related("template")
        .annotate(rank=rank)
        .order_by("rank", "-year", "-pk")
        .first()
    )
    return None if run is None else analysis(run)


def book_data(region: Region, edition: Edition) -> BookData:
    """Everything Buku 1 and Buku 2 show (about 20 queries, the same for 10 or 300 programmes)."""
    doc = edition_document(edition)
    bodies = list(
        GovernanceBody.objects.filter(region=region)
        .prefetch_related(
            Prefetch("members", queryset=BodyMember.objects.select_related("opd").order_by("order", "id"))
        )
        .order_by("kind", "name")
    )
    steps = list(ApprovalStep.objects.filter(region=region, edition=edition).order_by("created_at", "id"))
    population = Population.objects.filter(region=region).order_by("-year").first()
    codes = {s["component"] for s in doc.get("swot") or [] if s.get("component")}
    components = dict(FrameworkEntry.objects.filter(code__in=codes).values_list("code", "name")) if codes else {}
    return BookData(
        region=region,
        edition=edition,
        doc=doc,
        bodies=bodies,
        steps=steps,
        population=population,
        quick_wins=quick_win_choices(region, edition),
        chapters=chapter_template(),
        readiness=readiness_for(region, edition),
        # The Satu Data metadata of the indicators, as their metadata pages saved it (one query).
        extra={"components": components, "metadata": metadata_of(edition)},
    )


def quick_win_choices(region: Region, edition: Edition) -> list[QuickWinChoice]:
    """The selection behind each year's quick wins: the confirmed solve of each round over this
    edition, or its latest solve while the forum has not confirmed one (two queries)."""
    rounds = list(
        SelectionRound.objects.filter(region=region, edition=edition)
        .select_related("confirmed_solve")
        .order_by("budget_year")
    )
    latest: dict[int, Solve] = {}
    unconfirmed = [r.pk for r in rounds if r.confirmed_solve is None]
    if unconfirmed:
        for solve in Solve.objects.filter(region=region, round_id__in=unconfirmed).order_by("round_id", "-number"):
            latest.setdefault(solve.round_id, solve)
    out = []
    for r in rounds:
        if r.confirmed_solve is not None:
            out.append(QuickWinChoice(r, r.confirmed_solve, confirmed=True))
        elif r.pk in latest:
            out.append(QuickWinChoice(r, latest[r.pk], confirmed=False))
    return out


def selection_round(region: Region, year: int | None) -> SelectionRound:
    """The round of ``year`` (the latest when None) with its solve to report on."""
    rounds = SelectionRound.objects.filter(region=region).select_related("edition", "confirmed_solve")
    if year is None:
        found = rounds.order_by("-year").first()
        if found is None:
            from django.http import Http404

            raise Http404("No selection round.")
        return found
    return get_object_or_404(rounds, year=year)


def reported_solve(selection: SelectionRound) -> Solve | None:
    """The confirmed solve, or else the latest one."""
    if selection.confirmed_solve is not None:
        return selection.confirmed_solve
    return Solve.objects.filter(region_id=selection.region_id, round=selection).order_by("-number").first()


@dataclass
class AssessmentData:
    """Everything the assessment report of one run shows (:func:`assessment_data`)."""

    region: Region
    run: AssessmentRun
    result: RunResult
    analysis: Analysis
    assessors: list[str]  # names of the answer slots that answered something, the region's first
    section_spread: dict[str, float]  # section code -> highest minus lowest assessor's section score
    review: dict[str, int]  # review state -> how many of the region's answers are in it
    answered: set[str]  # codes of items someone answered (an unscored one of them is not applicable)
    swot_sections: set[str]  # codes of the sections that take SWOT entries
    items: dict[str, str]  # item code -> question, in the template's order (free-text items too)


def assessment_run(region: Region, pk: Any) -> AssessmentRun:
    """The run ``pk`` among the region's runs; another region's run is refused like a missing one."""
    try:
        number = int(pk)
    except (TypeError, ValueError):
        raise ValidationError({"run": _("Choose an assessment run.")}) from None
    found = AssessmentRun.objects.filter(region=region).select_related("template").filter(pk=number).first()
    if found is None:
        raise ValidationError({"run": _("The region has no assessment run #%(run)s.") % {"run": number}})
    return found


def assessment_data(region: Region, pk: Any) -> AssessmentData:
    """The report of one run of ``region``: scores, gaps, disagreements, SWOT, evidence and review
    state (about ten queries whatever the number of items, answers and assessors)."""
    run = assessment_run(region, pk)
    result = run_result(run)
    items = list(Item.objects.filter(template_id=run.template_id).select_related("section", "entry").order_by("order"))
    by_pk = {i.pk: i for i in items}
    answers = list(Answer.objects.filter(run=run).select_related("assessor").order_by("assessor__id"))
    slots: dict[int, Assessor] = {}
    given: dict[int, list[Answer]] = {}
    review: dict[str, int] = {}
    for answer in answers:
        answer.item = by_pk[answer.item_id]  # share the joined items: no query per answer
        slots.setdefault(answer.assessor_id, answer.assessor)
        given.setdefault(answer.assessor_id, []).append(answer)
        if answer.assessor.is_region:
            review[answer.review_state] = review.get(answer.review_state, 0) + 1
    ordered = sorted(slots.values(), key=lambda a: (not a.is_region, a.pk))
    return AssessmentData(
        region=region,
        run=run,
        result=result,
        analysis=analysis(run, result),
        assessors=[a.name for a in ordered],
        section_spread=_section_spread(run, items, given, len(result.level_names) or 5),
        review=review,
        answered={a.item.code for a in answers},
        swot_sections={i.section.code for i in items if i.section.has_swot},
        items={i.code: i.text for i in items},
    )


def _section_spread(
    run: AssessmentRun, items: list[Item], given: dict[int, list[Answer]], levels: int
) -> dict[str, float]:
    """Score each section once per assessor; the spread is the highest minus the lowest of them."""
    if len(given) < 2:
        return {}
    weights = {i.section.code: float(i.section.weight) for i in items}
    scores: dict[str, list[float]] = {}
    for answers in given.values():
        inputs, _unanswered = score_inputs(items, answers, levels)
        tree = scoring.score(inputs, method=run.template.combine, section_weights=weights)
        for section in tree.children:
            if section.score is not None:
                scores.setdefault(section.code, []).append(section.score)
    return {code: max(values) - min(values) for code, values in scores.items() if len(values) >= 2}


def jobs(region: Region) -> QuerySet[DocumentJob]:
    return DocumentJob.objects.filter(region=region).select_related("edition").order_by("-created_at", "-id")


def variant(kind: str, options: dict[str, Any] | None) -> Any:
    """What tells two documents of one kind and edition apart: the round year, the assessment run."""
    options = options or {}
    if kind == DocumentKind.EVALUATION:
        return options.get("year")
    return options.get("run") if kind == DocumentKind.ASSESSMENT else options.get("round")


def documents_page(region: Region) -> dict[str, Any]:
    """The documents page: the region's editions and assessment runs, the latest job and the latest
    file per document (four queries whatever the number of jobs kept)."""
    editions = list(Edition.objects.filter(region=region).order_by("-year"))
    runs = list(AssessmentRun.objects.filter(region=region).select_related("template").order_by("-year", "-id"))
    recent = list(jobs(region)[:200])
    latest: dict[tuple[int | None, str, str, Any], DocumentJob] = {}
    latest_file: dict[tuple[int | None, str, str, Any], DocumentJob] = {}
    for job in recent:
        key = (job.edition_id, job.kind, job.fmt, variant(job.kind, job.options))
        latest.setdefault(key, job)
        if job.file:
            latest_file.setdefault(key, job)
    return {"editions": editions, "runs": runs, "jobs": recent[:20], "latest": latest, "latest_file": latest_file}
