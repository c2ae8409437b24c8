"""Writes to quick-win rounds. Each service validates, writes and audits in one transaction.

Services take objects the view reached through the access layer, raise ``ValidationError`` with
field names (nothing is saved on error), lock and compare ``version`` where a form edits a
round, and record an audit entry with the values before and after.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from decimal import Decimal, InvalidOperation
from fractions import Fraction
from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Max
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from kotacerdas.accounts import access
from kotacerdas.audit import revisions
from kotacerdas.audit.services import record, snapshot
from kotacerdas.frameworks.models import FrameworkEntry
from kotacerdas.lib.concurrency import lock_current
from kotacerdas.plans import services as plan_services
from kotacerdas.plans.models import BudgetSource, Edition, Programme
from kotacerdas.plans.summaries import touch as touch_summary
from kotacerdas.quickwins import selectors
from kotacerdas.quickwins.engine.analysis import analyse
from kotacerdas.quickwins.engine.analysis import run_robustness as engine_robustness
from kotacerdas.quickwins.engine.messages import ProblemError, dump
from kotacerdas.quickwins.engine.output import robustness_dict, to_dict
from kotacerdas.quickwins.engine.parse import parse_problem
from kotacerdas.quickwins.models import (
    BudgetCap,
    Candidate,
    Criterion,
    DimensionLimit,
    Evaluator,
    RobustnessRun,
    RoundStatus,
    RunStatus,
    Score,
    SelectionRound,
    Solve,
    WeightMode,
)
from kotacerdas.quickwins.text import renderer
from kotacerdas.regions.models import Region

# The criteria practice uses (domain: programme.md), with starting weights a forum can change.
DEFAULT_CRITERIA = [
    ("impact", gettext_noop("Direct citizen impact"), "benefit", 25),
    ("feasibility", gettext_noop("Feasible within the budget year"), "benefit", 20),
    ("cost", gettext_noop("Cost"), "cost", 15),
    ("innovation", gettext_noop("Innovation"), "benefit", 10),
    ("fit", gettext_noop("Fit with the RPJMD and the regional vision"), "benefit", 15),
    ("readiness", gettext_noop("Readiness of the owning OPD"), "benefit", 10),
    ("visibility", gettext_noop("Visibility"), "benefit", 5),
]
SAATY = ["9", "8", "7", "6", "5", "4", "3", "2", "1", "1/2", "1/3", "1/4", "1/5", "1/6", "1/7", "1/8", "1/9"]
ROUND_FIELDS = ("title", "aggregation", "scale_min", "scale_max", "weight_mode", "cost_years")
CONSTRAINT_FIELDS = ("per_dimension_min", "per_dimension_max", "max_per_opd")


def _audit_round(actor: Any, selection_round: SelectionRound, action: str, before: Any, after: Any) -> None:
    record(actor=actor, action=action, obj=selection_round, region=selection_round.region, before=before, after=after)


def _touch(selection_round: SelectionRound) -> None:
    """A change of inputs reopens a solved round: its solves stay for audit, but are no longer current."""
    selection_round.version += 1
    if selection_round.status == RoundStatus.SOLVED:
        selection_round.status = RoundStatus.OPEN
    selection_round.save()


def _lock(selection_round: SelectionRound, expected_version: int) -> SelectionRound:
    return lock_current(
        SelectionRound.objects.filter(region_id=selection_round.region_id), selection_round.pk, expected_version
    )


def _ensure_open(selection_round: SelectionRound) -> None:
    if selection_round.status == RoundStatus.CONFIRMED:
        raise ValidationError(
            _("This round was confirmed and its quick wins marked in the plan; start next year's round instead.")
        )


# Rounds --------------------------------------------------------------------------------------


@transaction.atomic
def create_round(*, actor: Any, region: Region, data: Mapping[str, Any], is_sample: bool = False) -> SelectionRound:
    """A new round with the default criteria and, as candidates, the edition's programmes running in
    the budget year."""
    access.check(actor, access.may, region, access.Can.EDIT)
    edition: Edition = data["edition"]
    errors: dict[str, list[str]] = {}
    if edition.region_id != region.pk:
        errors["edition"] = [_("The edition must belong to this region.")]
    year, budget_year = int(data["year"]), int(data["budget_year"])
    if not edition.start_year <= budget_year <= edition.end_year:
        errors.setdefault("budget_year", []).append(
            _("The budget year must fall in the edition's plan period %(start)s–%(end)s, where quick wins are marked.")
            % {"start": edition.start_year, "end": edition.end_year}
        )
    if SelectionRound.objects.filter(region=region, year=year).exists():
        errors.setdefault("year", []).append(_("This region already has a round for %(year)s.") % {"year": year})
    if errors:
        raise ValidationError(errors)
    selection_round = SelectionRound(
        region=region,
        edition=edition,
        year=year,
        budget_year=budget_year,
        title=data.get("title") or _("Quick wins %(year)s") % {"year": budget_year},
        is_sample=is_sample,
    )
    selection_round.full_clean(exclude=["region", "edition", "confirmed_solve"])
    selection_round.save()
    Criterion.objects.bulk_create(
        Criterion(
            region=region,
            round=selection_round,
            code=code,
            name=_(name),
            direction=direction,
            weight=Decimal(weight),
            order=n,
        )
        for n, (code, name, direction, weight) in enumerate(DEFAULT_CRITERIA)
    )
    running = Programme.objects.filter(
        edition=edition, start_year__lte=selection_round.budget_year, end_year__gte=selection_round.budget_year
    )
    Candidate.objects.bulk_create(Candidate(region=region, round=selection_round, programme=p) for p in running)
    _audit_round(actor, selection_round, "create", None, snapshot(selection_round))
    return selection_round


@transaction.atomic
def update_round(
    *, actor: Any, selection_round: SelectionRound, data: Mapping[str, Any], expected_version: int
) -> SelectionRound:
    access.check(actor, access.may, selection_round.region, access.Can.EDIT)
    selection_round = _lock(selection_round, expected_version)
    _ensure_open(selection_round)
    before = snapshot(selection_round)
    for name in ROUND_FIELDS:
        if name in data:
            setattr(selection_round, name, data[name])
    selection_round.full_clean(exclude=["region", "edition", "confirmed_solve"])
    if selection_round.scale_min != before["scale_min"] or selection_round.scale_max != before["scale_max"]:
        outside = Score.objects.filter(round=selection_round).exclude(
            value__gte=selection_round.scale_min, value__lte=selection_round.scale_max
        )
        if outside.exists():
            raise ValidationError(
                {"scale_max": _("Some scores already lie outside this scale; change them before the scale.")}
            )
    _touch(selection_round)
    _audit_round(actor, selection_round, "update", before, snapshot(selection_round))
    return selection_round


# Criteria and weights -------------------------------------------------------------------------


def _criteria_snapshot(selection_round: SelectionRound) -> dict[str, Any]:
    return {
        "criteria": [
            {"code": c.code, "name": c.name, "direction": c.direction, "weight": str(c.weight)}
            for c in Criterion.objects.filter(round=selection_round)
        ],
        "weight_mode": selection_round.weight_mode,
        "pairwise": selection_round.pairwise,
    }


@transaction.atomic
def set_criteria(
    *,
    actor: Any,
    selection_round: SelectionRound,
    rows: Iterable[Mapping[str, Any]],
    expected_version: int,
    weight_mode: str | None = None,
) -> SelectionRound:
    """Replace the criteria set (and choose how weights are given). Rows carry ``id`` (an existing
    criterion, or None for a new one), ``code``, ``name``, ``direction``, ``weight`` and ``delete``.
    A deleted criterion takes its scores with it. Errors are keyed ``criteria.<n>.<field>``."""
    access.check(actor, access.may_set_method, selection_round.region)
    selection_round = _lock(selection_round, expected_version)
    _ensure_open(selection_round)
    before = _criteria_snapshot(selection_round)
    if weight_mode is not None:
        if weight_mode not in WeightMode.values:
            raise ValidationError({"weight_mode": _("Choose how the weights are given.")})
        selection_round.weight_mode = weight_mode
    existing = {c.pk: c for c in Criterion.objects.filter(round=selection_round)}
    errors: dict[str, list[str]] = {}
    keep: list[Criterion] = []
    codes: set[str] = set()
    given: set[int] = set()
    for n, row in enumerate(rows):
        row_id = row.get("id")
        criterion = existing.get(int(row_id)) if row_id else None
        if row_id and (criterion is None or criterion.pk in given):
            # A row id that is not one of this round's criteria (or comes twice) is a tampered or
            # stale form: treating it as a new row would silently delete the criterion it replaced,
            # with its scores.
            errors.setdefault(f"criteria.{n}.id", []).append(
                _("This row is not one of the round's criteria; reload the page and try again.")
            )
            continue
        if criterion is not None:
            given.add(criterion.pk)
        if row.get("delete"):
            continue
        criterion = criterion or Criterion(region=selection_round.region, round=selection_round)
        criterion.code = str(row.get("code") or "").strip()
        criterion.name = str(row.get("name") or "").strip()
        criterion.direction = row.get("direction") or "benefit"
        criterion.weight = row.get("weight")
        criterion.order = n
        if criterion.code in codes:
            errors.setdefault(f"criteria.{n}.code", []).append(
                _("Two criteria have the code %(code)s.") % {"code": criterion.code}
            )
        codes.add(criterion.code)
        if selection_round.weight_mode == WeightMode.DIRECT and criterion.weight is None:
            errors.setdefault(f"criteria.{n}.weight", []).append(_("Give a weight (0 or more)."))
        try:
            criterion.full_clean(exclude=["region", "round"], validate_unique=False)
        except ValidationError as error:
            for name, messages in error.message_dict.items():
                errors.setdefault(f"criteria.{n}.{name}", []).extend(messages)
        keep.append(criterion)
    if not keep:
        errors.setdefault("criteria", []).append(_("Keep at least one criterion."))
    direct = selection_round.weight_mode == WeightMode.DIRECT
    if direct and keep and not errors and sum((c.weight or Decimal(0) for c in keep), Decimal(0)) <= 0:
        errors.setdefault("criteria", []).append(
            _("The weights are all zero; give at least one criterion a positive weight.")
        )
    if errors:
        raise ValidationError(errors)
    kept_ids = {c.pk for c in keep if c.pk}
    Criterion.objects.filter(round=selection_round).exclude(pk__in=kept_ids).delete()
    # Codes may be swapped between rows: free them first, then save the final ones.
    for criterion in keep:
        if criterion.pk:
            Criterion.objects.filter(pk=criterion.pk).update(code=f"~{criterion.pk}")
    for criterion in keep:
        criterion.save()
    _touch(selection_round)
    _audit_round(actor, selection_round, "update", before, _criteria_snapshot(selection_round))
    return selection_round


def _fraction(value: Any) -> Fraction | None:
    try:
        number = Fraction(str(value).strip())
    except (ValueError, ZeroDivisionError):
        return None
    return number if number > 0 else None


@transaction.atomic
def set_pairwise(
    *, actor: Any, selection_round: SelectionRound, judgements: Mapping[str, Any], expected_version: int
) -> SelectionRound:
    """Store the pairwise judgements (above the diagonal, keyed ``a|b``) and switch to AHP weights.

    Judgements are Saaty's 1/9 … 9; the matrix is reciprocal by construction (only the upper
    triangle is stored). Errors are keyed by the pair."""
    access.check(actor, access.may_set_method, selection_round.region)
    selection_round = _lock(selection_round, expected_version)
    _ensure_open(selection_round)
    before = _criteria_snapshot(selection_round)
    codes = list(Criterion.objects.filter(round=selection_round).values_list("code", flat=True))
    stored: dict[str, str] = {}
    errors: dict[str, list[str]] = {}
    for i, a in enumerate(codes):
        for b in codes[i + 1 :]:
            key = selectors.pairwise_key(a, b)
            value = judgements.get(key)
            number = _fraction(value) if value not in (None, "") else None
            if number is None or not Fraction(1, 9) <= number <= 9:
                errors[key] = [_("Choose a judgement from 1/9 to 9.")]
                continue
            stored[key] = str(number)
    if errors:
        raise ValidationError(errors)
    selection_round.pairwise = stored
    selection_round.weight_mode = WeightMode.PAIRWISE
    _touch(selection_round)
    _audit_round(actor, selection_round, "update", before, _criteria_snapshot(selection_round))
    return selection_round


# Candidates and constraints -------------------------------------------------------------------


@transaction.atomic
def set_candidates(
    *,
    actor: Any,
    selection_round: SelectionRound,
    programmes: Iterable[Programme],
    must: Mapping[int, str],
    expected_version: int,
) -> SelectionRound:
    """Take part exactly these programmes, with the forum's must-include / must-exclude choices
    (``must`` maps programme id to ``include``, ``exclude`` or empty)."""
    access.check(actor, access.may, selection_round.region, access.Can.EDIT)
    selection_round = _lock(selection_round, expected_version)
    _ensure_open(selection_round)
    chosen = list(programmes)
    bad = [p for p in chosen if p.edition_id != selection_round.edition_id]
    if bad:
        raise ValidationError({"programmes": _("Candidates must be programmes of the round's edition.")})
    for programme_id, value in must.items():
        if value not in ("", "include", "exclude"):
            raise ValidationError({f"must_{programme_id}": _("Choose include, exclude or no decision.")})
    current = {c.programme_id: c for c in Candidate.objects.filter(round=selection_round)}
    before = {"candidates": sorted((c.programme_id, c.must) for c in current.values())}
    wanted = {p.pk for p in chosen}
    Candidate.objects.filter(round=selection_round).exclude(programme_id__in=wanted).delete()
    for programme in chosen:
        candidate = current.get(programme.pk) or Candidate(
            region=selection_round.region, round=selection_round, programme=programme
        )
        candidate.must = must.get(programme.pk, "") or ""
        candidate.save()
    _touch(selection_round)
    after = {"candidates": sorted(Candidate.objects.filter(round=selection_round).values_list("programme_id", "must"))}
    _audit_round(actor, selection_round, "update", before, {"candidates": [list(x) for x in after["candidates"]]})
    return selection_round


@transaction.atomic
def add_exclusion(*, actor: Any, selection_round: SelectionRound, first: Candidate, second: Candidate) -> None:
    """The two candidates are never chosen together."""
    access.check(actor, access.may, selection_round.region, access.Can.EDIT)
    _ensure_open(selection_round)
    if first.round_id != selection_round.pk or second.round_id != selection_round.pk:
        raise ValidationError({"first": _("Both candidates must be in this round.")})
    if first.pk == second.pk:
        raise ValidationError({"second": _("Choose two different candidates.")})
    first.excludes.add(second)
    record(
        actor=actor,
        action="update",
        obj=first,
        region=selection_round.region,
        after={"excludes": sorted(first.excludes.values_list("programme__code", flat=True))},
    )
    _touch(SelectionRound.objects.select_for_update().get(pk=selection_round.pk))


@transaction.atomic
def remove_exclusion(
    *, actor: Any, selection_round: SelectionRound, first: Candidate, second: Candidate, expected_version: int
) -> None:
    """Drop an exclusion, only at the round version the person saw (an exclusion is part of the
    round's inputs and has no version of its own)."""
    access.check(actor, access.may, selection_round.region, access.Can.EDIT)
    selection_round = _lock(selection_round, expected_version)
    _ensure_open(selection_round)
    before = {"excludes": sorted(first.excludes.values_list("programme__code", flat=True))}
    first.excludes.remove(second)
    record(
        actor=actor,
        action="update",
        obj=first,
        region=selection_round.region,
        before=before,
        after={"excludes": sorted(first.excludes.values_list("programme__code", flat=True))},
    )
    _touch(selection_round)


def _caps_snapshot(selection_round: SelectionRound) -> dict[str, Any]:
    return {
        **snapshot(selection_round, fields=CONSTRAINT_FIELDS),
        "caps": [[c.year, c.source, str(c.amount)] for c in BudgetCap.objects.filter(round=selection_round)],
        "limits": [
            [d.dimension_id, d.minimum, d.maximum] for d in DimensionLimit.objects.filter(round=selection_round)
        ],
    }


@transaction.atomic
def set_constraints(
    *,
    actor: Any,
    selection_round: SelectionRound,
    data: Mapping[str, Any],
    caps: Iterable[Mapping[str, Any]],
    limits: Mapping[int, tuple[int | None, int | None]],
    expected_version: int,
) -> SelectionRound:
    """Budget caps (rows of ``year``, ``source``, ``amount``; errors ``caps.<n>.<field>``), the
    default number per dimension, per-dimension overrides (dimension id → (min, max)) and the
    maximum per agency."""
    access.check(actor, access.may, selection_round.region, access.Can.EDIT)
    selection_round = _lock(selection_round, expected_version)
    _ensure_open(selection_round)
    before = _caps_snapshot(selection_round)
    errors: dict[str, list[str]] = {}
    for name in CONSTRAINT_FIELDS:
        if name in data:
            setattr(selection_round, name, data[name])
    low, high = selection_round.per_dimension_min, selection_round.per_dimension_max
    if high is not None and high < low:
        errors["per_dimension_max"] = [_("The maximum is below the minimum.")]
    rows: list[BudgetCap] = []
    seen: set[tuple[Any, Any]] = set()
    for n, line in enumerate(caps):
        year, source, amount = line.get("year"), line.get("source") or "", line.get("amount")
        try:
            value = Decimal(str(amount))
        except (InvalidOperation, ValueError):
            value = None
        if value is None or not value.is_finite() or value < 0 or value != value.to_integral_value():
            errors.setdefault(f"caps.{n}.amount", []).append(_("Enter a whole amount of rupiah, zero or more."))
            continue
        if source and source not in BudgetSource.values:
            errors.setdefault(f"caps.{n}.source", []).append(_("Choose a budget source."))
        if (year, source) in seen:
            errors.setdefault(f"caps.{n}.year", []).append(_("Two caps cover the same year and source."))
        seen.add((year, source))
        rows.append(
            BudgetCap(region=selection_round.region, round=selection_round, year=year, source=source, amount=value)
        )
    dimension_ids = set(
        FrameworkEntry.objects.filter(
            framework_id=selection_round.edition.taxonomy_id, parent__isnull=True
        ).values_list("pk", flat=True)
    )
    overrides: list[DimensionLimit] = []
    for dimension_id, (minimum, maximum) in limits.items():
        if dimension_id not in dimension_ids:
            errors.setdefault("limits", []).append(_("Unknown dimension."))
            continue
        if minimum is not None and maximum is not None and maximum < minimum:
            errors.setdefault(f"limit_{dimension_id}_max", []).append(_("The maximum is below the minimum."))
        if minimum is not None or maximum is not None:
            overrides.append(
                DimensionLimit(
                    region=selection_round.region,
                    round=selection_round,
                    dimension_id=dimension_id,
                    minimum=minimum,
                    maximum=maximum,
                )
            )
    if errors:
        raise ValidationError(errors)
    BudgetCap.objects.filter(round=selection_round).delete()
    BudgetCap.objects.bulk_create(rows)
    DimensionLimit.objects.filter(round=selection_round).delete()
    DimensionLimit.objects.bulk_create(overrides)
    _touch(selection_round)
    _audit_round(actor, selection_round, "update", before, _caps_snapshot(selection_round))
    return selection_round


# Evaluators and scores ------------------------------------------------------------------------


@transaction.atomic
def evaluator_for_user(*, actor: Any, selection_round: SelectionRound) -> Evaluator:
    """The signed-in user's own evaluator row in the round (created on first use)."""
    access.check(actor, access.may_score, selection_round.region)
    existing = Evaluator.objects.filter(round=selection_round, user=actor).first()
    if existing:
        return existing
    base = str(actor)
    name, n = base, 2
    while Evaluator.objects.filter(round=selection_round, name=name).exists():
        name, n = f"{base} ({n})", n + 1
    evaluator = Evaluator.objects.create(region=selection_round.region, round=selection_round, user=actor, name=name)
    record(actor=actor, action="create", obj=evaluator, region=selection_round.region, after=snapshot(evaluator))
    return evaluator


@transaction.atomic
def add_evaluator(*, actor: Any, selection_round: SelectionRound, name: str, is_sample: bool = False) -> Evaluator:
    """A named evaluator whose (paper) scores an editor enters."""
    access.check(actor, access.may_add_evaluator, selection_round.region)
    _ensure_open(selection_round)
    name = (name or "").strip()
    if not name:
        raise ValidationError({"name": _("Give the evaluator's name.")})
    if Evaluator.objects.filter(round=selection_round, name=name).exists():
        raise ValidationError({"name": _("There is already an evaluator with this name in the round.")})
    evaluator = Evaluator(region=selection_round.region, round=selection_round, name=name, is_sample=is_sample)
    evaluator.full_clean(exclude=["region", "round", "user"])
    evaluator.save()
    record(actor=actor, action="create", obj=evaluator, region=selection_round.region, after=snapshot(evaluator))
    return evaluator


@transaction.atomic
def save_scores(
    *, actor: Any, evaluator: Evaluator, values: Mapping[tuple[int, int], int | None]
) -> dict[tuple[int, int], int]:
    """Set an evaluator's scores: (candidate id, criterion id) → score, or None to clear a cell.

    Every value must lie on the round's scale; errors are keyed ``score_<candidate>_<criterion>``.
    Returns the cells that changed."""
    access.check(actor, access.may_score_for, evaluator.region, evaluator)
    selection_round = SelectionRound.objects.select_for_update().get(pk=evaluator.round_id)
    _ensure_open(selection_round)
    candidates = set(Candidate.objects.filter(round=selection_round).values_list("pk", flat=True))
    criteria = set(Criterion.objects.filter(round=selection_round).values_list("pk", flat=True))
    errors: dict[str, list[str]] = {}
    for (candidate_id, criterion_id), value in values.items():
        key = f"score_{candidate_id}_{criterion_id}"
        if candidate_id not in candidates or criterion_id not in criteria:
            errors[key] = [_("This cell is not part of the round.")]
        elif value is not None and not selection_round.scale_min <= value <= selection_round.scale_max:
            errors[key] = [
                _("The score %(value)s is outside the scale %(low)s–%(high)s.")
                % {"value": value, "low": selection_round.scale_min, "high": selection_round.scale_max}
            ]
    if errors:
        raise ValidationError(errors)
    current = {
        (s.candidate_id, s.criterion_id): s for s in Score.objects.filter(round=selection_round, evaluator=evaluator)
    }
    changed: dict[tuple[int, int], int] = {}
    before: dict[str, Any] = {}
    after: dict[str, Any] = {}
    for cell, value in values.items():
        existing = current.get(cell)
        old = existing.value if existing else None
        if old == value:
            continue
        label = f"{cell[0]}/{cell[1]}"
        before[label], after[label] = old, value
        if value is None and existing:
            existing.delete()
        elif existing and value is not None:
            existing.value = value
            existing.save(update_fields=["value"])
        elif value is not None:
            Score.objects.create(
                region=selection_round.region,
                round=selection_round,
                evaluator=evaluator,
                candidate_id=cell[0],
                criterion_id=cell[1],
                value=value,
            )
        if value is not None:
            changed[cell] = value
    if before:
        _touch(selection_round)
        record(
            actor=actor,
            action="update",
            obj=evaluator,
            region=selection_round.region,
            before={"scores": before},
            after={"scores": after},
        )
    return changed


# Solving, robustness, confirmation ------------------------------------------------------------


STORED_DETAIL = 20
STORED_DETAIL_SECONDS = 10.0


def _error_list(error: ProblemError) -> list[str]:
    text = renderer()
    return [issue.render(text) for issue in error.issues]


@transaction.atomic
def solve_round(*, actor: Any, selection_round: SelectionRound, is_sample: bool = False) -> Solve:
    """Score and solve the round as it stands, and keep the run (inputs, weights, status,
    objective, time, report) for audit. Refused with the file's problems when the inputs are
    incomplete or contradictory."""
    access.check(actor, access.may, selection_round.region, access.Can.EDIT)
    selection_round = SelectionRound.objects.select_for_update().get(pk=selection_round.pk)
    _ensure_open(selection_round)
    inputs = selectors.problem_data(selectors.load_round(selection_round))
    try:
        problem = parse_problem(inputs)
    except ProblemError as error:
        raise ValidationError(_error_list(error)) from None
    # The exact analysis of the most valuable left-out candidates is stored with the solve; the
    # rest carry the one-solve summary and are analysed on demand from the result page (issue 17).
    analysis = analyse(problem, explain_limit=STORED_DETAIL, explain_seconds=STORED_DETAIL_SECONDS)
    report = to_dict(analysis, dump)
    number = (Solve.objects.filter(round=selection_round).aggregate(n=Max("number"))["n"] or 0) + 1
    authenticated = actor is not None and getattr(actor, "is_authenticated", False)
    solve = Solve.objects.create(
        region=selection_round.region,
        round=selection_round,
        number=number,
        actor=actor if authenticated else None,
        actor_name=str(actor) if authenticated else "system",
        inputs=inputs,
        weights=report["weights"],
        status=analysis.solution.status,
        solver=analysis.solver,
        solver_status=analysis.solution.solver_status,
        objective=analysis.solution.objective if analysis.solution.feasible else None,
        seconds=analysis.solution.seconds,
        report=report,
        is_sample=is_sample,
    )
    before = snapshot(selection_round)
    selection_round.status = RoundStatus.SOLVED if analysis.solution.feasible else RoundStatus.OPEN
    selection_round.version += 1
    selection_round.save()
    record(
        actor=actor,
        action="create",
        obj=solve,
        region=selection_round.region,
        after={
            **snapshot(solve, fields=("number", "status", "objective", "seconds", "solver")),
            "selection": report["selection"],
        },
    )
    _audit_round(actor, selection_round, "update", before, snapshot(selection_round))
    return solve


@transaction.atomic
def start_robustness(
    *,
    actor: Any,
    solve: Solve,
    draws: int,
    spread: Decimal | float,
    seed: int,
    is_sample: bool = False,
    background: bool = True,
) -> RobustnessRun:
    """Queue a weight-perturbation run of ``solve`` as a background job (the worker runs it).

    ``background=False`` only records the run, for a caller that runs it at once (the demo)."""
    access.check(actor, access.may, solve.region, access.Can.EDIT)
    from kotacerdas.quickwins.tasks import robustness_job

    if solve.status not in ("optimal", "feasible"):
        raise ValidationError(_("Only a solved selection can be tested for robustness."))
    run = RobustnessRun(
        region=solve.region,
        solve=solve,
        draws=draws,
        spread=Decimal(str(spread)),
        seed=seed,
        actor=actor if getattr(actor, "is_authenticated", False) else None,
        is_sample=is_sample,
    )
    run.full_clean(exclude=["region", "solve", "actor"])
    run.save()
    record(actor=actor, action="create", obj=run, region=solve.region, after=snapshot(run))
    if not background:
        return run
    result = robustness_job.enqueue(run.pk)
    run.task_id = str(result.id)
    run.save(update_fields=["task_id"])
    return run


def run_robustness(run_id: int) -> RobustnessRun:
    """The job's work: solve the draws from the solve's recorded inputs, reporting progress."""
    run = RobustnessRun.objects.select_related("solve").get(pk=run_id)
    if run.status == RunStatus.DONE:
        return run
    RobustnessRun.objects.filter(pk=run.pk).update(status=RunStatus.RUNNING, done=0)
    revisions.bump([run.region_id])  # progress is shown but not audited: pages kept must move on

    def progress(done: int, total: int) -> None:
        RobustnessRun.objects.filter(pk=run.pk).update(done=done)
        revisions.bump([run.region_id])

    try:
        problem = parse_problem(run.solve.inputs)
        result = engine_robustness(problem, draws=run.draws, spread=float(run.spread), seed=run.seed, progress=progress)
        payload = robustness_dict(problem, result)
    except Exception as error:  # the job records any failure for the page instead of dying silently
        RobustnessRun.objects.filter(pk=run.pk).update(
            status=RunStatus.FAILED, error=str(error)[:2000], finished_at=timezone.now()
        )
        raise
    with transaction.atomic():
        RobustnessRun.objects.filter(pk=run.pk).update(
            status=RunStatus.DONE, done=run.draws, result=payload, finished_at=timezone.now()
        )
        run.refresh_from_db()
        record(
            actor=None,
            action="update",
            obj=run,
            region=run.region,
            after={"status": run.status, "draws": run.draws, "seconds": payload["seconds"]},
        )
    return run


def robustness_lost(run_id: int, *, retried: bool) -> None:
    """The worker solving this run stopped: the reaper queued it again (``retried``) or gave it up."""
    run = RobustnessRun.objects.filter(pk=run_id).first()
    if run is None or run.status == RunStatus.DONE:
        return
    if retried:
        run.status, run.done = RunStatus.QUEUED, 0
    else:
        with translation.override(settings.LANGUAGE_CODE):  # stored like the run's own errors
            run.error = _(
                "the worker stopped while solving the draws, also after it was started again. Start it again."
            )
        run.status, run.finished_at = RunStatus.FAILED, timezone.now()
    run.save(update_fields=["status", "done", "error", "finished_at"])
    record(actor=None, action="update", obj=run, region=run.region, after={"status": run.status, "error": run.error})


@transaction.atomic
def confirm_selection(*, actor: Any, solve: Solve, expected_version: int) -> SelectionRound:
    """Mark the solve's chosen programmes as the quick wins of the round's budget year in the plan
    (and unmark the edition's other programmes for that year), through the plan's own service."""
    access.check(actor, access.may, solve.region, access.Can.EDIT)
    selection_round = _lock(solve.round, expected_version)
    _ensure_open(selection_round)
    latest = Solve.objects.filter(round=selection_round).order_by("-number").first()
    if latest is None or latest.pk != solve.pk or selection_round.status != RoundStatus.SOLVED:
        raise ValidationError(_("Only the latest solve of an unchanged round can be confirmed; solve again first."))
    if solve.status not in ("optimal", "feasible"):
        raise ValidationError(_("There is no selection to confirm."))
    year = selection_round.budget_year
    chosen = set(solve.chosen_codes)
    before = snapshot(selection_round)
    plan_services.set_year_quick_wins(
        actor=actor,
        edition=selection_round.edition,
        year=year,
        programmes=Programme.objects.filter(edition=selection_round.edition, code__in=chosen),
    )
    selection_round.status = RoundStatus.CONFIRMED
    selection_round.confirmed_solve = solve
    selection_round.version += 1
    selection_round.save()
    touch_summary(selection_round.edition_id)  # rule PC022 reads the confirmed selections
    _audit_round(actor, selection_round, "update", before, snapshot(selection_round))
    return selection_round
