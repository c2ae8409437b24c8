"""Reads of quick-win rounds, each in a fixed number of queries, and the round as a candidates file.

:func:`problem_data` is the bridge to the pure engine: the round written in the documented file
format (docs/quickwins-file-format.md). The web solves exactly what the export download holds,
so ``kotacerdas quickwins select`` on the downloaded file gives the same answer.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from django.db.models import Count, Prefetch, QuerySet
from django.shortcuts import get_object_or_404

from kotacerdas.frameworks.models import FrameworkEntry
from kotacerdas.plans.models import Edition, Programme, ProgrammeBudget
from kotacerdas.quickwins.engine.messages import ProblemError
from kotacerdas.quickwins.engine.model import FORMAT, Problem
from kotacerdas.quickwins.engine.parse import parse_problem
from kotacerdas.quickwins.engine.scoring import Scoring, score
from kotacerdas.quickwins.models import (
    BudgetCap,
    Candidate,
    Criterion,
    DimensionLimit,
    Evaluator,
    RobustnessRun,
    RunStatus,
    Score,
    SelectionRound,
    Solve,
    WeightMode,
)
from kotacerdas.regions.models import Region


def rounds(region: Region) -> QuerySet[SelectionRound]:
    return (
        SelectionRound.objects.filter(region=region)
        .select_related("edition")
        .annotate(candidate_count=Count("candidates", distinct=True), solve_count=Count("solves", distinct=True))
        .order_by("-year")
    )


def round_for(region: Region, year: int) -> SelectionRound:
    """The region's round of ``year`` (404 if none): reached only inside the region."""
    return get_object_or_404(SelectionRound.objects.filter(region=region).select_related("edition"), year=year)


def solve_for(selection_round: SelectionRound, number: int) -> Solve:
    return get_object_or_404(Solve.objects.filter(round=selection_round), number=number)


def editions(region: Region) -> QuerySet[Edition]:
    return Edition.objects.filter(region=region).order_by("-year")


def edition_programmes(selection_round: SelectionRound) -> QuerySet[Programme]:
    return (
        Programme.objects.filter(region_id=selection_round.region_id, edition_id=selection_round.edition_id)
        .select_related("dimension", "lead_opd")
        .order_by("dimension__order", "order", "code")
    )


def pairwise_key(a: str, b: str) -> str:
    return f"{a}|{b}"


@dataclass
class RoundData:
    """Everything a round page shows, loaded in a fixed number of queries."""

    round: SelectionRound
    criteria: list[Criterion]
    candidates: list[Candidate]
    evaluators: list[Evaluator]
    scores: list[Score]
    caps: list[BudgetCap]
    limits: list[DimensionLimit]
    dimensions: list[FrameworkEntry]
    candidate_ids: set[int] = field(default_factory=set)

    def __post_init__(self) -> None:
        self.candidate_ids = {c.pk for c in self.candidates}

    def score_table(self) -> dict[tuple[int, int, int], int]:
        """(evaluator, candidate, criterion) → score."""
        return {(s.evaluator_id, s.candidate_id, s.criterion_id): s.value for s in self.scores}

    def progress(self) -> list[dict[str, Any]]:
        """Per evaluator: cells scored out of all cells."""
        cells = len(self.candidates) * len(self.criteria)
        counts: dict[int, int] = {}
        for s in self.scores:
            counts[s.evaluator_id] = counts.get(s.evaluator_id, 0) + 1
        return [{"evaluator": e, "scored": counts.get(e.pk, 0), "cells": cells} for e in self.evaluators]


def load_round(selection_round: SelectionRound) -> RoundData:
    budgets = ProgrammeBudget.objects.filter(year__in=list(selection_round.cost_year_range)).order_by("year", "source")
    candidates = list(
        Candidate.objects.filter(round=selection_round)
        .select_related("programme__dimension", "programme__lead_opd")
        .prefetch_related(
            Prefetch("programme__budgets", queryset=budgets),
            Prefetch("programme__dependencies", queryset=Programme.objects.only("id", "code")),
            Prefetch("excludes", queryset=Candidate.objects.only("id", "programme_id")),
        )
        .order_by("programme__dimension__order", "programme__order", "programme__code")
    )
    edition = selection_round.edition
    return RoundData(
        round=selection_round,
        criteria=list(Criterion.objects.filter(round=selection_round)),
        candidates=candidates,
        evaluators=list(Evaluator.objects.filter(round=selection_round).select_related("user")),
        scores=list(Score.objects.filter(round=selection_round)),
        caps=list(BudgetCap.objects.filter(round=selection_round)),
        limits=list(DimensionLimit.objects.filter(round=selection_round).select_related("dimension")),
        dimensions=list(
            FrameworkEntry.objects.filter(framework_id=edition.taxonomy_id, parent__isnull=True).order_by("order")
        ),
    )


def _amount(value: Any) -> int | float:
    return int(value) if value == int(value) else float(value)


def problem_data(data: RoundData) -> dict[str, Any]:
    """The round in the candidates-file format (docs/quickwins-file-format.md)."""
    selection_round = data.round
    codes = {c.pk: c.programme.code for c in data.candidates}
    by_programme = {c.programme_id: c for c in data.candidates}
    limits = {limit.dimension_id: limit for limit in data.limits}
    dimensions = []
    for entry in data.dimensions:
        item: dict[str, Any] = {"code": entry.code, "name": entry.name}
        limit = limits.get(entry.pk)
        if limit is not None and limit.minimum is not None:
            item["min"] = limit.minimum
        if limit is not None and limit.maximum is not None:
            item["max"] = limit.maximum
        dimensions.append(item)
    candidates = []
    for candidate in data.candidates:
        programme = candidate.programme
        candidates.append(
            {
                "id": programme.code,
                "name": programme.name,
                "dimension": programme.dimension.code,
                "opd": programme.lead_opd.abbreviation if programme.lead_opd else "",
                "costs": [
                    {"year": b.year, "source": b.source, "amount": _amount(b.amount)} for b in programme.budgets.all()
                ],
                "requires": [p.code for p in programme.dependencies.all() if p.pk in by_programme],
                "excludes": sorted(codes[other.pk] for other in candidate.excludes.all() if other.pk in codes),
                "must": candidate.must or None,
            }
        )
    criteria = []
    for criterion in data.criteria:
        item = {"id": criterion.code, "name": criterion.name, "direction": criterion.direction}
        if selection_round.weight_mode == WeightMode.DIRECT:
            item["weight"] = None if criterion.weight is None else float(criterion.weight)
        criteria.append(item)
    result: dict[str, Any] = {
        "format": FORMAT,
        "title": selection_round.title,
        "year": selection_round.budget_year,
        "aggregation": selection_round.aggregation,
        "scale": {"min": selection_round.scale_min, "max": selection_round.scale_max},
        "dimensions": dimensions,
        "candidates": candidates,
        "criteria": criteria,
    }
    if selection_round.weight_mode == WeightMode.PAIRWISE:
        result["pairwise"] = {"criteria": [c.code for c in data.criteria], "matrix": pairwise_matrix(data)}
    evaluators = {e.pk: e.name for e in data.evaluators}
    criteria_codes = {c.pk: c.code for c in data.criteria}
    scores: dict[str, dict[str, dict[str, int]]] = {}
    for s in sorted(data.scores, key=lambda s: (evaluators[s.evaluator_id], s.candidate_id, s.criterion_id)):
        if s.candidate_id in codes and s.criterion_id in criteria_codes:
            per = scores.setdefault(evaluators[s.evaluator_id], {}).setdefault(codes[s.candidate_id], {})
            per[criteria_codes[s.criterion_id]] = s.value
    result["scores"] = scores
    result["constraints"] = {
        "budget": [{"year": cap.year, "source": cap.source or None, "cap": _amount(cap.amount)} for cap in data.caps],
        "per_dimension": {"min": selection_round.per_dimension_min, "max": selection_round.per_dimension_max},
        "max_per_opd": selection_round.max_per_opd,
    }
    return result


def pairwise_matrix(data: RoundData) -> list[list[Any]]:
    """The full matrix in criteria order; judgements not given yet count as equal (1)."""
    stored = data.round.pairwise or {}
    codes = [c.code for c in data.criteria]
    matrix: list[list[Any]] = []
    for i, a in enumerate(codes):
        row: list[Any] = []
        for j, b in enumerate(codes):
            if i == j:
                row.append(1)
            elif i < j:
                row.append(stored.get(pairwise_key(a, b), 1))
            else:
                row.append(None)  # the reader fills in the reciprocal
        matrix.append(row)
    return matrix


@dataclass
class Ranking:
    """The provisional ranked list while scoring goes on (or the problems that prevent one)."""

    problem: Problem | None
    scoring: Scoring | None
    order: list[int]
    errors: list[Any]


def ranking(data: RoundData) -> Ranking:
    try:
        problem = parse_problem(problem_data(data), partial=True)
    except ProblemError as error:
        return Ranking(None, None, [], error.issues)
    scoring = score(problem)
    order = sorted(
        range(len(problem.candidates)),
        key=lambda i: (not scoring.complete(i), -scoring.values[i], problem.candidates[i].id),
    )
    return Ranking(problem, scoring, order, [])


def latest_run(solve: Solve) -> RobustnessRun | None:
    return RobustnessRun.objects.filter(solve=solve).first()


def finished_run(solve: Solve) -> RobustnessRun | None:
    return RobustnessRun.objects.filter(solve=solve, status=RunStatus.DONE).first()


def confirmed_selections(edition: Edition) -> list[dict[str, Any]]:
    """The confirmed quick-win selections over ``edition``, in the shape the plan check reads
    (``quick_win_selections``, rule PC022): one query.

    The confirmed result of a round is the source of truth for its budget year's quick wins;
    the edition's quick-win flags are the copy :func:`services.confirm_selection` writes, and the
    plan check reports every flag that no longer agrees with it.
    """
    rounds = (
        SelectionRound.objects.filter(region_id=edition.region_id, edition=edition, confirmed_solve__isnull=False)
        .select_related("confirmed_solve")
        .order_by("budget_year", "year")
    )
    return [
        {
            "round_year": r.year,
            "budget_year": r.budget_year,
            "result": r.confirmed_solve.number,
            "selection": sorted(r.confirmed_solve.chosen_codes),
        }
        for r in rounds
        if r.confirmed_solve is not None
    ]
