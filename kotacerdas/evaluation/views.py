"""Annual evaluation pages: under the region (/wilayah/<code>/evaluasi/...) and the ministry's
overview by year (/evaluasi/).

Each view reaches the region through the access layer, then the evaluation inside it through
:func:`selectors.evaluation_for`, which answers 404 for a draft to anyone but the ministry.
Ministry staff start, score and release; the region's members and mentors read released
evaluations and download their letter. Everything is a plain link or form POST.
"""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.http.response import HttpResponseBase
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import content_disposition_header
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from kotacerdas.accounts import access
from kotacerdas.evaluation import selectors, services
from kotacerdas.evaluation.forms import CreateForm, ScoresForm
from kotacerdas.evaluation.models import EvaluationDimension
from kotacerdas.lib import files
from kotacerdas.lib.concurrency import EditConflict, posted_version
from kotacerdas.lib.forms import submit
from kotacerdas.regions.models import Region


def _context(request: HttpRequest, region: Region | None, **extra: Any) -> dict[str, Any]:
    return {"region": region, "may_evaluate": access.may_evaluate(request.user), **extra}


def _ministry(request: HttpRequest) -> None:
    if not access.may_evaluate(request.user):
        raise PermissionDenied


@login_required
def index(request: HttpRequest, code: str) -> HttpResponse:
    """The region's evaluations: released ones for the region, drafts too for the ministry."""
    region = access.region_for(request.user, code)
    rows = selectors.region_list(request.user, region)
    return render(request, "evaluation/index.html", _context(request, region, rows=rows))


@login_required
def create(request: HttpRequest, code: str) -> HttpResponse:
    region = access.region_for(request.user, code)
    _ministry(request)
    form = CreateForm(request.POST or None)

    def save(data: dict[str, Any]) -> Any:
        return services.create_evaluation(actor=request.user, region=region, data=data)

    created = submit(request, form, save)
    if created is not None:
        messages.success(request, _("Draft evaluation created: enter the scores."))
        return redirect("evaluation:scores", code, created.year)
    context = _context(
        request,
        region,
        form=form,
        title=_("Start an annual evaluation"),
        submit_label=_("Create the draft"),
        cancel_url=reverse("evaluation:index", args=[code]),
    )
    return render(request, "evaluation/form.html", context, status=400 if form.errors else 200)


def _page(request: HttpRequest, code: str, year: int, suggestions: bool = False) -> selectors.EvaluationPage:
    region = access.region_for(request.user, code)
    evaluation = selectors.evaluation_for(request.user, region, year)
    return selectors.page(evaluation, with_suggestions=suggestions)


@login_required
def detail(request: HttpRequest, code: str, year: int) -> HttpResponse:
    data = _page(request, code, year, suggestions=access.may_evaluate(request.user))
    return _detail(request, data)


def _detail(
    request: HttpRequest, data: selectors.EvaluationPage, errors: list[str] | None = None, status: int = 200
) -> HttpResponse:
    evaluation = data.evaluation
    missing = (
        services.missing_scores(evaluation) if not evaluation.is_released and access.may_evaluate(request.user) else []
    )
    context = _context(
        request,
        evaluation.region,
        page=data,
        evaluation=evaluation,
        computed=data.computed,
        missing=missing,
        release_errors=errors or [],
    )
    return render(request, "evaluation/detail.html", context, status=status)


@login_required
def scores(request: HttpRequest, code: str, year: int) -> HttpResponse:
    """The ministry's score form of a draft (a released evaluation is frozen: 404 to the form)."""
    region = access.region_for(request.user, code)
    evaluation = selectors.evaluation_for(request.user, region, year)  # a draft: 404 before 403
    _ministry(request)
    if evaluation.is_released:
        messages.info(request, _("This evaluation is released and frozen."))
        return redirect("evaluation:detail", code, year)
    data = selectors.page(evaluation, with_suggestions=True)
    form = ScoresForm(request.POST or None, request.FILES or None, page=data)

    def save(cleaned: dict[str, Any]) -> Any:
        return services.save_scores(
            actor=request.user, evaluation=evaluation, data=form.to_data(cleaned), version=cleaned["version"]
        )

    saved = submit(request, form, save)
    if saved is not None:
        messages.success(request, _("Scores saved."))
        return redirect("evaluation:detail", code, year)
    status = 409 if getattr(form, "conflict", False) else 400 if form.errors else 200
    context = _context(
        request,
        region,
        page=data,
        evaluation=evaluation,
        computed=data.computed,
        form=form,
        cancel_url=reverse("evaluation:detail", args=[code, year]),
    )
    return render(request, "evaluation/scores.html", context, status=status)


@login_required
@require_POST
def release(request: HttpRequest, code: str, year: int) -> HttpResponse:
    region = access.region_for(request.user, code)
    evaluation = selectors.evaluation_for(request.user, region, year)  # a draft: 404 before 403
    _ministry(request)
    try:
        services.release(actor=request.user, evaluation=evaluation, version=posted_version(request))
    except EditConflict as conflict:
        return _detail(request, selectors.page(evaluation, with_suggestions=True), [str(conflict)], status=409)
    except ValidationError as error:
        return _detail(request, selectors.page(evaluation, with_suggestions=True), error.messages, status=400)
    messages.success(request, _("The evaluation is released to the region and frozen."))
    return redirect("evaluation:detail", code, year)


@login_required
def evidence(request: HttpRequest, code: str, year: int, dimension: str) -> HttpResponseBase:
    """The evidence file of a score, for whoever may see the evaluation (404 otherwise)."""
    region = access.region_for(request.user, code)
    evaluation = selectors.evaluation_for(request.user, region, year)
    if dimension not in EvaluationDimension.values:
        raise Http404("No such dimension.")
    row = evaluation.scores.filter(dimension=dimension).first()
    if row is None or not row.evidence_file:
        raise Http404("No file.")
    return files.file_response(row.evidence_file, row.evidence_filename)


@login_required
def letter(request: HttpRequest, code: str, year: int, fmt: str) -> HttpResponse:
    """The evaluation letter of a released evaluation as PDF or DOCX, generated now through the
    document pipeline (a draft has no letter: 404 for the region, a message for the ministry)."""
    from kotacerdas.reports.generate import generate
    from kotacerdas.reports.models import DocumentFormat, DocumentKind

    region = access.region_for(request.user, code)
    evaluation = selectors.evaluation_for(request.user, region, year)
    if fmt not in DocumentFormat.values:
        raise Http404("No such format.")
    if not evaluation.is_released:
        messages.error(request, _("Only a released evaluation has a letter."))
        return redirect("evaluation:detail", code, year)
    generated = generate(DocumentKind.EVALUATION, fmt, region, None, {"year": year})
    response = HttpResponse(generated.content, content_type=generated.content_type)
    response["Content-Disposition"] = content_disposition_header(True, generated.filename) or "attachment"
    response["X-Content-Type-Options"] = "nosniff"
    return response


@login_required
def overview(request: HttpRequest) -> HttpResponse:
    """The ministry's list of every region's evaluation of a year (404 to everyone else)."""
    if not access.may_evaluate(request.user):
        raise Http404("Not found.")
    years = selectors.years()
    asked = request.GET.get("tahun", "")
    year = int(asked) if asked.isdigit() and len(asked) == 4 else (years[0] if years else None)
    rows = selectors.year_list(year) if year is not None else []
    return render(request, "evaluation/overview.html", _context(request, None, rows=rows, year=year, years=years))
