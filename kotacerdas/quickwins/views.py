"""Quick-win pages, under /wilayah/<code>/quick-win/. Each view: reach the region through the
access layer, fetch the round inside it, call a service or selector, render.

Editors and region admins run rounds (Can.EDIT); mentors (Can.REVIEW) set the method with them
(criteria, weights, pairwise comparisons) and score; viewers read. Every action is a plain link
or form POST; htmx only swaps partials from the same URL.
"""

from __future__ import annotations

import json
from typing import Any, cast

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from kotacerdas.accounts import access
from kotacerdas.accounts.access import Can
from kotacerdas.accounts.models import User
from kotacerdas.lib.concurrency import EditConflict, posted_version
from kotacerdas.lib.confirm import ask_first, refuse_stale
from kotacerdas.lib.forms import submit
from kotacerdas.lib.htmx import is_htmx, render_page
from kotacerdas.lib.pagecache import region_page
from kotacerdas.monitoring.selectors import quick_win_progress
from kotacerdas.quickwins import selectors, services
from kotacerdas.quickwins.engine.ahp import ahp
from kotacerdas.quickwins.engine.messages import ProblemError
from kotacerdas.quickwins.engine.model import Criterion as EngineCriterion
from kotacerdas.quickwins.engine.parse import read_pairwise
from kotacerdas.quickwins.engine.xlsx import write_xlsx_data
from kotacerdas.quickwins.forms import (
    CandidatesForm,
    ConfirmForm,
    ConstraintsForm,
    CriteriaForm,
    EvaluatorForm,
    ExclusionForm,
    PairwiseForm,
    RobustnessForm,
    RoundCreateForm,
    RoundForm,
    ScoreGridForm,
    rekeyed,
)
from kotacerdas.quickwins.models import Candidate, Evaluator, RoundStatus, SelectionRound, WeightMode
from kotacerdas.quickwins.report import build, explain_candidate, robustness_table
from kotacerdas.quickwins.text import renderer
from kotacerdas.regions.models import Region


def _context(request: HttpRequest, region: Region, selection_round: SelectionRound | None = None, **extra: Any) -> dict:
    can = access.capabilities(request.user, region)
    return {
        "region": region,
        "round": selection_round,
        "can": can,
        "Can": Can,
        "can_edit": Can.EDIT in can,
        "can_score": access.may_score(request.user, region),
        "can_set_method": access.may_set_method(request.user, region),
        **extra,
    }


def _method_round(request: HttpRequest, code: str, year: int) -> tuple[Region, SelectionRound]:
    """A round whose criteria and weights the user may set (``access.may_set_method``)."""
    region, selection_round = _round(request, code, year)
    if not access.may_set_method(request.user, region):
        raise PermissionDenied
    return region, selection_round


def _round(request: HttpRequest, code: str, year: int, need: Can = Can.VIEW) -> tuple[Region, SelectionRound]:
    region = access.region_for(request.user, code, need)
    return region, selectors.round_for(region, year)


def _form_messages(form: Any) -> list[str]:
    return [str(message) for errors in form.errors.values() for message in errors]


def _form_page(request: HttpRequest, template: str, context: dict[str, Any]) -> HttpResponse:
    form = context.get("form")
    status = 409 if form is not None and getattr(form, "conflict", False) else 200
    return render(request, template, context, status=status)


# Rounds --------------------------------------------------------------------------------------


@login_required
def rounds(request: HttpRequest, code: str) -> HttpResponse:
    region = access.region_for(request.user, code)
    return render(request, "quickwins/rounds.html", _context(request, region, rounds=list(selectors.rounds(region))))


@login_required
def round_create(request: HttpRequest, code: str) -> HttpResponse:
    region = access.region_for(request.user, code, Can.EDIT)
    form = RoundCreateForm(request.POST or None, region=region)
    created = submit(request, form, lambda data: services.create_round(actor=request.user, region=region, data=data))
    if created:
        messages.success(request, _("Round created with the default criteria and the programmes of the budget year."))
        return redirect("quickwins:round", code, created.year)
    context = _context(
        request,
        region,
        form=form,
        title=_("Start a quick-win round"),
        cancel_url=reverse("quickwins:rounds", args=[code]),
    )
    return _form_page(request, "quickwins/form.html", context)


@login_required
@region_page
def round_detail(request: HttpRequest, code: str, year: int) -> HttpResponse:
    region, selection_round = _round(request, code, year)
    data = selectors.load_round(selection_round)
    ranking = selectors.ranking(data)
    text = renderer()
    ahp_result = None
    if selection_round.weight_mode == WeightMode.PAIRWISE and ranking.scoring is not None:
        ahp_result = ranking.scoring.ahp
    context = _context(
        request,
        region,
        selection_round,
        data=data,
        ranking=ranking,
        ranked=[
            {
                "candidate": ranking.problem.candidates[i],
                "value": ranking.scoring.values[i],
                "complete": ranking.scoring.complete(i),
                "disputed": ranking.scoring.disputed(i),
                "position": n + 1,
            }
            for n, i in enumerate(ranking.order)
        ]
        if ranking.problem is not None and ranking.scoring is not None
        else [],
        weights=list(zip(data.criteria, ranking.scoring.weights, strict=True)) if ranking.scoring else [],
        ahp=ahp_result,
        ranking_errors=[issue.render(text) for issue in ranking.errors],
        solves=list(selection_round.solves.only("number", "status", "objective", "created_at", "actor_name")),
        evaluator_form=EvaluatorForm(),
        scorable={e.pk for e in data.evaluators if access.may_score_for(request.user, region, e)},
        # How the quick wins of the budget year are doing, from the accepted monitoring updates.
        quick_win_progress=quick_win_progress(selection_round.edition, selection_round.budget_year),
    )
    return render(request, "quickwins/round.html", context)


@login_required
def round_settings(request: HttpRequest, code: str, year: int) -> HttpResponse:
    region, selection_round = _round(request, code, year, Can.EDIT)
    form = RoundForm(request.POST or None, instance=selection_round)
    saved = submit(
        request,
        form,
        lambda data: services.update_round(
            actor=request.user, selection_round=selection_round, data=data, expected_version=data["version"]
        ),
    )
    if saved:
        messages.success(request, _("Round settings saved."))
        return redirect("quickwins:round", code, year)
    context = _context(
        request,
        region,
        selection_round,
        form=form,
        title=_("Round settings"),
        cancel_url=reverse("quickwins:round", args=[code, year]),
    )
    return _form_page(request, "quickwins/form.html", context)


# Criteria and weights ------------------------------------------------------------------------


@login_required
def criteria(request: HttpRequest, code: str, year: int) -> HttpResponse:
    region, selection_round = _method_round(request, code, year)
    current = list(selection_round.criteria.all())
    form = CriteriaForm(
        request.POST or None,
        criteria=current,
        initial={"version": selection_round.version, "weight_mode": selection_round.weight_mode},
    )

    def save(data: dict[str, Any]) -> SelectionRound:
        rows = form.criteria_rows()
        try:
            return services.set_criteria(
                actor=request.user,
                selection_round=selection_round,
                rows=rows,
                weight_mode=data["weight_mode"],
                expected_version=data["version"],
            )
        except ValidationError as error:
            raise rekeyed(error, lambda key: form.field_for(key, rows)) from None

    saved = submit(request, form, save)
    if saved:
        messages.success(request, _("Criteria saved."))
        if saved.weight_mode == WeightMode.PAIRWISE:
            return redirect("quickwins:pairwise", code, year)
        return redirect("quickwins:round", code, year)
    context = _context(request, region, selection_round, form=form)
    return _form_page(request, "quickwins/criteria.html", context)


@login_required
def pairwise(request: HttpRequest, code: str, year: int) -> HttpResponse:
    region, selection_round = _method_round(request, code, year)
    current = list(selection_round.criteria.all())
    form = PairwiseForm(
        request.POST or None,
        criteria=current,
        stored=selection_round.pairwise,
        initial={"version": selection_round.version},
    )

    def save(data: dict[str, Any]) -> SelectionRound:
        try:
            return services.set_pairwise(
                actor=request.user,
                selection_round=selection_round,
                judgements=form.judgements(),
                expected_version=data["version"],
            )
        except ValidationError as error:
            raise rekeyed(error, form.field_for) from None

    saved = submit(request, form, save)
    if saved:
        messages.success(request, _("Pairwise comparisons saved; the weights now come from them."))
        return redirect("quickwins:pairwise", code, year)
    consistency = None
    if len(current) > 1:
        data = selectors.load_round(selection_round)
        matrix = parse_problem_matrix(data)
        if matrix is not None:
            result = ahp(matrix)
            consistency = {"result": result, "weights": list(zip(current, result.weights, strict=True))}
    context = _context(request, region, selection_round, form=form, consistency=consistency)
    return _form_page(request, "quickwins/pairwise.html", context)


def parse_problem_matrix(data: selectors.RoundData) -> tuple[tuple[float, ...], ...] | None:
    """The stored judgements as a full reciprocal matrix (None while they do not form one)."""
    criteria = [EngineCriterion(c.code, c.name) for c in data.criteria]
    raw = {"criteria": [c.code for c in data.criteria], "matrix": selectors.pairwise_matrix(data)}
    try:
        return read_pairwise(raw, criteria).matrix
    except ProblemError:
        return None


# Candidates and constraints ------------------------------------------------------------------


@login_required
def candidates(request: HttpRequest, code: str, year: int) -> HttpResponse:
    region, selection_round = _round(request, code, year, Can.EDIT)
    programmes = list(selectors.edition_programmes(selection_round))
    current = dict(Candidate.objects.filter(round=selection_round).values_list("programme_id", "must"))
    form = CandidatesForm(
        request.POST or None, programmes=programmes, current=current, initial={"version": selection_round.version}
    )

    def save(data: dict[str, Any]) -> SelectionRound:
        taken, must = form.chosen()
        return services.set_candidates(
            actor=request.user,
            selection_round=selection_round,
            programmes=taken,
            must=must,
            expected_version=data["version"],
        )

    if submit(request, form, save):
        messages.success(request, _("Candidates saved."))
        return redirect("quickwins:candidates", code, year)
    round_candidates = Candidate.objects.filter(round=selection_round).select_related("programme")
    pairs = []
    seen: set[tuple[int, int]] = set()
    for candidate in round_candidates.prefetch_related("excludes__programme"):
        for other in candidate.excludes.all():
            key = (min(candidate.pk, other.pk), max(candidate.pk, other.pk))
            if key not in seen:
                seen.add(key)
                pairs.append((candidate, other))
    context = _context(
        request,
        region,
        selection_round,
        form=form,
        pairs=pairs,
        exclusion_form=ExclusionForm(candidates=round_candidates),
    )
    return _form_page(request, "quickwins/candidates.html", context)


@login_required
@require_POST
def exclusion_add(request: HttpRequest, code: str, year: int) -> HttpResponse:
    _region, selection_round = _round(request, code, year, Can.EDIT)
    form = ExclusionForm(request.POST, candidates=Candidate.objects.filter(round=selection_round))
    if form.is_valid():
        try:
            services.add_exclusion(
                actor=request.user,
                selection_round=selection_round,
                first=form.cleaned_data["first"],
                second=form.cleaned_data["second"],
            )
            messages.success(request, _("Exclusion added."))
        except ValidationError as error:
            for message in error.messages:
                messages.error(request, message)
    else:
        messages.error(request, _("Choose two candidates of this round."))
    return redirect("quickwins:candidates", code, year)


@login_required
@require_POST
def exclusion_delete(request: HttpRequest, code: str, year: int, first: int, second: int) -> HttpResponse:
    _region, selection_round = _round(request, code, year, Can.EDIT)
    one = get_object_or_404(Candidate.objects.filter(round=selection_round), pk=first)
    other = get_object_or_404(Candidate.objects.filter(round=selection_round), pk=second)
    what = _("the exclusion between %(one)s and %(other)s") % {"one": one, "other": other}
    back = reverse("quickwins:candidates", args=[code, year])
    asked = ask_first(request, what=what, cancel_url=back, version=selection_round.version)
    if asked is not None:
        return asked
    try:
        services.remove_exclusion(
            actor=request.user,
            selection_round=selection_round,
            first=one,
            second=other,
            expected_version=posted_version(request),
        )
        messages.success(request, _("Exclusion removed."))
    except EditConflict:
        return refuse_stale(request, what=what, cancel_url=back)
    except ValidationError as error:
        for message in error.messages:
            messages.error(request, message)
    return redirect("quickwins:candidates", code, year)


@login_required
def constraints(request: HttpRequest, code: str, year: int) -> HttpResponse:
    region, selection_round = _round(request, code, year, Can.EDIT)
    data = selectors.load_round(selection_round)
    form = ConstraintsForm(
        request.POST or None,
        caps=data.caps,
        dimensions=data.dimensions,
        limits={limit.dimension_id: limit for limit in data.limits},
        initial={
            "version": selection_round.version,
            "per_dimension_min": selection_round.per_dimension_min,
            "per_dimension_max": selection_round.per_dimension_max,
            "max_per_opd": selection_round.max_per_opd,
        },
    )

    def save(cleaned: dict[str, Any]) -> SelectionRound:
        caps = form.caps()
        try:
            return services.set_constraints(
                actor=request.user,
                selection_round=selection_round,
                data={k: cleaned.get(k) for k in ("per_dimension_min", "per_dimension_max", "max_per_opd")},
                caps=caps,
                limits=form.limits(),
                expected_version=cleaned["version"],
            )
        except ValidationError as error:
            raise rekeyed(error, lambda key: form.field_for(key, caps)) from None

    if submit(request, form, save):
        messages.success(request, _("Constraints saved."))
        return redirect("quickwins:round", code, year)
    return _form_page(request, "quickwins/constraints.html", _context(request, region, selection_round, form=form))


# Evaluators and scoring ----------------------------------------------------------------------


@login_required
@require_POST
def evaluator_add(request: HttpRequest, code: str, year: int) -> HttpResponse:
    _region, selection_round = _round(request, code, year, Can.EDIT)
    form = EvaluatorForm(request.POST)
    evaluator = submit(
        request,
        form,
        lambda data: services.add_evaluator(actor=request.user, selection_round=selection_round, name=data["name"]),
    )
    if evaluator:
        messages.success(request, _("Evaluator added: enter their scores."))
        return redirect("quickwins:score", code, year, evaluator.pk)
    for message in _form_messages(form):
        messages.error(request, message)
    return redirect("quickwins:round", code, year)


@login_required
def my_scores(request: HttpRequest, code: str, year: int) -> HttpResponse:
    region, selection_round = _round(request, code, year)
    if not access.may_score(request.user, region):
        raise PermissionDenied
    evaluator = Evaluator.objects.filter(round=selection_round, user=cast(User, request.user)).first()
    if evaluator is None and request.method != "POST":
        return render(request, "quickwins/my_scores.html", _context(request, region, selection_round))
    if evaluator is None:
        evaluator = services.evaluator_for_user(actor=request.user, selection_round=selection_round)
    return redirect("quickwins:score", code, year, evaluator.pk)


@login_required
def score(request: HttpRequest, code: str, year: int, evaluator: int) -> HttpResponse:
    region, selection_round = _round(request, code, year)
    if not access.may_score(request.user, region):
        raise PermissionDenied
    person = get_object_or_404(Evaluator.objects.filter(round=selection_round), pk=evaluator)
    if not access.may_score_for(request.user, region, person):
        raise PermissionDenied
    data = selectors.load_round(selection_round)
    current = {(s.candidate_id, s.criterion_id): s.value for s in data.scores if s.evaluator_id == person.pk}
    form = ScoreGridForm(
        request.POST or None,
        candidates=data.candidates,
        criteria=data.criteria,
        low=selection_round.scale_min,
        high=selection_round.scale_max,
        current=current,
    )
    saved = submit(
        request, form, lambda _data: services.save_scores(actor=request.user, evaluator=person, values=form.values())
    )
    filled = sum(1 for v in (form.values() if form.is_bound and form.is_valid() else current).values() if v)
    context = _context(
        request,
        region,
        selection_round,
        form=form,
        evaluator=person,
        data=data,
        filled=filled,
        cells=len(data.candidates) * len(data.criteria),
        saved=saved is not None,
        open=selection_round.status != RoundStatus.CONFIRMED,
    )
    if is_htmx(request):
        return render(request, "quickwins/_score_status.html", context, status=200 if form.is_valid() else 422)
    if saved is not None:
        messages.success(request, _("Scores saved."))
        return redirect("quickwins:score", code, year, person.pk)
    return _form_page(request, "quickwins/score.html", context)


# Solve, result, robustness, confirmation -----------------------------------------------------


@login_required
@require_POST
def solve(request: HttpRequest, code: str, year: int) -> HttpResponse:
    _region, selection_round = _round(request, code, year, Can.EDIT)
    try:
        result = services.solve_round(actor=request.user, selection_round=selection_round)
    except ValidationError as error:
        messages.error(request, _("The round cannot be solved yet:"))
        for message in error.messages:
            messages.error(request, message)
        return redirect("quickwins:round", code, year)
    return redirect("quickwins:result", code, year, result.number)


@login_required
def result(request: HttpRequest, code: str, year: int, number: int) -> HttpResponse:
    region, selection_round = _round(request, code, year)
    run_solve = selectors.solve_for(selection_round, number)
    report = build(run_solve)
    run = selectors.latest_run(run_solve)
    latest = selection_round.solves.order_by("-number").values_list("number", flat=True).first()
    context = _context(
        request,
        region,
        selection_round,
        solve=run_solve,
        report=report,
        run=run,
        robustness=robustness_table(run, report) if run else None,
        robustness_form=RobustnessForm(),
        confirmable=latest == number and selection_round.status == RoundStatus.SOLVED and report.feasible,
    )
    return render(request, "quickwins/result.html", context)


@login_required
def explain(request: HttpRequest, code: str, year: int, number: int, candidate: str) -> HttpResponse:
    """What would bring one left-out candidate in, computed on demand (a page, or the row's cell for htmx)."""
    region, selection_round = _round(request, code, year)
    run_solve = selectors.solve_for(selection_round, number)
    row, lines = explain_candidate(run_solve, candidate)
    context = _context(request, region, selection_round, solve=run_solve, row=row, lines=lines)
    return render_page(request, "quickwins/explain.html", "quickwins/_explain.html", context)


@login_required
def robustness(request: HttpRequest, code: str, year: int, number: int) -> HttpResponse:
    region, selection_round = _round(request, code, year)
    run_solve = selectors.solve_for(selection_round, number)
    if request.method == "POST":
        access.require(request.user, region, Can.EDIT)
        form = RobustnessForm(request.POST)
        run = submit(
            request,
            form,
            lambda data: services.start_robustness(
                actor=request.user, solve=run_solve, draws=data["draws"], spread=data["spread"], seed=data["seed"]
            ),
        )
        if run:
            messages.success(request, _("Robustness run queued; the page shows its progress."))
        else:
            for message in _form_messages(form):
                messages.error(request, message)
        return redirect(reverse("quickwins:result", args=[code, year, number]) + "#robustness")
    run = selectors.latest_run(run_solve)
    report = build(run_solve)
    context = _context(
        request,
        region,
        selection_round,
        solve=run_solve,
        run=run,
        report=report,
        robustness=robustness_table(run, report) if run else None,
        robustness_form=RobustnessForm(),
    )
    return render_page(request, "quickwins/robustness.html", "quickwins/_robustness.html", context)


@login_required
def confirm(request: HttpRequest, code: str, year: int, number: int) -> HttpResponse:
    region, selection_round = _round(request, code, year, Can.EDIT)
    run_solve = selectors.solve_for(selection_round, number)
    form = ConfirmForm(request.POST or None, initial={"version": selection_round.version})
    confirmed = submit(
        request,
        form,
        lambda data: services.confirm_selection(actor=request.user, solve=run_solve, expected_version=data["version"]),
    )
    if confirmed:
        messages.success(
            request,
            _("The chosen programmes are now the quick wins of %(year)s in the master plan.")
            % {"year": selection_round.budget_year},
        )
        return redirect("quickwins:result", code, year, number)
    context = _context(request, region, selection_round, form=form, solve=run_solve, report=build(run_solve))
    return _form_page(request, "quickwins/confirm.html", context)


@login_required
def summary(request: HttpRequest, code: str, year: int, number: int) -> HttpResponse:
    region, selection_round = _round(request, code, year)
    run_solve = selectors.solve_for(selection_round, number)
    report = build(run_solve)
    run = selectors.finished_run(run_solve)
    context = _context(
        request,
        region,
        selection_round,
        solve=run_solve,
        report=report,
        robustness=robustness_table(run, report) if run else None,
    )
    return render(request, "quickwins/summary.html", context)


def _download(payload: dict[str, Any], fmt: str, name: str) -> HttpResponse:
    if fmt == "json":
        response = HttpResponse(
            json.dumps(payload, ensure_ascii=False, indent=1), content_type="application/json; charset=utf-8"
        )
    elif fmt == "xlsx":
        response = HttpResponse(
            write_xlsx_data(payload), content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
        )
    else:
        raise Http404("Unknown format.")
    response["Content-Disposition"] = f'attachment; filename="{name}.{fmt}"'
    return response


@login_required
def export(request: HttpRequest, code: str, year: int, fmt: str) -> HttpResponse:
    """The round as it stands, in the candidates-file format (for ``kotacerdas quickwins select``)."""
    region, selection_round = _round(request, code, year)
    payload = selectors.problem_data(selectors.load_round(selection_round))
    return _download(payload, fmt, f"quick-win-{region.code}-{year}")


@login_required
def solve_export(request: HttpRequest, code: str, year: int, number: int, fmt: str) -> HttpResponse:
    """The exact inputs a solve ran on, as recorded for audit."""
    region, selection_round = _round(request, code, year)
    run_solve = selectors.solve_for(selection_round, number)
    return _download(run_solve.inputs, fmt, f"quick-win-{region.code}-{year}-solve-{number}")
