"""The documents page of a region: generate books and reports, follow the jobs, download files.

Pages work without JavaScript (a generation is a form POST, the job page reloads); htmx only
polls a running job's panel. Every view reaches the region through the access layer first and
fetches jobs inside that region, so another region's job is a 404 like a missing one.
"""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.http.response import HttpResponseBase
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_POST
from django.views.decorators.vary import vary_on_headers

from kotacerdas.accounts import access
from kotacerdas.accounts.access import Can
from kotacerdas.assessments.models import Run as AssessmentRun
from kotacerdas.lib import files
from kotacerdas.lib.forms import submit
from kotacerdas.lib.htmx import is_htmx
from kotacerdas.plans.models import Edition, Section
from kotacerdas.quickwins.models import SelectionRound
from kotacerdas.regions.models import Region
from kotacerdas.reports import selectors, services
from kotacerdas.reports.forms import GenerateForm
from kotacerdas.reports.models import DocumentFormat, DocumentJob, DocumentKind, JobStatus


def _context(request: HttpRequest, region: Region, **extra: Any) -> dict[str, Any]:
    can = access.capabilities(request.user, region)
    return {"region": region, "can_generate": Can.EDIT in can, "formats": DocumentFormat.choices, **extra}


def _formats(page: dict[str, Any], edition: Edition | None, kind: str, variant: Any) -> list[dict[str, Any]]:
    """The latest job and the latest file of one document in each format."""
    key = (edition.pk if edition else None, kind)
    return [
        {
            "fmt": fmt,
            "label": fmt.upper(),
            "job": page["latest"].get((*key, fmt, variant)),
            "file": page["latest_file"].get((*key, fmt, variant)),
        }
        for fmt in DocumentFormat.values
    ]


def _rows(region: Region, page: dict[str, Any], rounds: list[SelectionRound]) -> list[dict[str, Any]]:
    """One row per document the region can generate, with the latest job and file per format."""
    rows = []

    def row(edition: Edition, kind: str, label: str, **options: Any) -> dict[str, Any]:
        formats = _formats(page, edition, kind, selectors.variant(kind, options))
        return {"edition": edition, "kind": kind, "label": label, "options": options, "formats": formats}

    for edition in page["editions"]:
        rows.append(row(edition, DocumentKind.BUKU1, str(DocumentKind.BUKU1.label)))
        rows.append(row(edition, DocumentKind.BUKU2, str(DocumentKind.BUKU2.label)))
        if edition.previous_id:
            rows.append(row(edition, DocumentKind.CHANGELOG, str(DocumentKind.CHANGELOG.label)))
        for r in rounds:
            if r.edition_id == edition.pk:
                label = f"{DocumentKind.QUICKWINS.label} · {r.label}"
                rows.append(row(edition, DocumentKind.QUICKWINS, label, round=r.year))
    return rows


def _assessment_rows(page: dict[str, Any]) -> list[dict[str, Any]]:
    """One row per assessment run of the region, with its report's latest job and file per format."""
    return [{"run": run, "formats": _formats(page, None, DocumentKind.ASSESSMENT, run.pk)} for run in page["runs"]]


@login_required
def documents(request: HttpRequest, code: str) -> HttpResponse:
    region = access.region_for(request.user, code, Can.VIEW)
    page = selectors.documents_page(region)
    rounds = list(SelectionRound.objects.filter(region=region).order_by("-year"))
    runs = {run.pk: run for run in page["runs"]}
    jobs = [
        (job, runs.get((job.options or {}).get("run")) if job.kind == DocumentKind.ASSESSMENT else None)
        for job in page["jobs"]
    ]
    context = _context(
        request,
        region,
        rows=_rows(region, page, rounds),
        assessments=_assessment_rows(page),
        runs=page["runs"],
        jobs=jobs,
        form=GenerateForm(),
    )
    return render(request, "reports/documents.html", context)


@login_required
@require_POST
def generate(request: HttpRequest, code: str) -> HttpResponse:
    region = access.region_for(request.user, code, Can.EDIT)
    form = GenerateForm(request.POST)

    def save(data: dict[str, Any]) -> DocumentJob:
        edition = None
        if data.get("edition"):
            edition = get_object_or_404(Edition.objects.filter(region=region), year=data["edition"])
        options = {
            "compare": data.get("compare"),
            "round": data.get("round"),
            "run": data.get("run"),
            "year": data.get("year"),
        }
        return services.request_document(
            actor=request.user, region=region, edition=edition, kind=data["kind"], fmt=data["fmt"], options=options
        )

    job = submit(request, form, save)
    if job is None:
        messages.error(request, _("The document cannot be generated:"))
        for errors in form.errors.values():
            for message in errors:
                messages.error(request, str(message))
        return redirect("reports:documents", code)
    # No flash message: it would stay on the job page after the file is ready. The job's panel
    # says what the job is doing, and follows it.
    return redirect("reports:job", code, job.pk)


def _job(region: Region, pk: int) -> DocumentJob:
    return get_object_or_404(selectors.jobs(region), pk=pk)


# Where each chapter's missing parts are filled in, when it is not the plan section of that key.
_PLAN_PAGES = {
    "b2-programmes": "plans:programmes",
    "b2-action-plans": "plans:programmes",
    "b2-indicators": "plans:programmes",
    "b2-budget": "plans:budgets",
    "b2-adoption": "plans:approval",
}
_REGION_PAGES = {
    "b1-readiness": "assessments:runs",
    "b2-quick-wins": "quickwins:rounds",
    "b2-governance": "regions:home",
}


def _missing(region: Region, job: DocumentJob) -> list[dict[str, str]]:
    """The job's "still missing" items, each with the address of the page where it is fixed
    (empty for what is only written in the printed document, such as the forewords)."""
    items = [dict(m) for m in job.missing or []]
    sections: set[str] = set()
    if job.edition_id and job.kind in (DocumentKind.BUKU1, DocumentKind.BUKU2):
        sections = set(Section.objects.filter(region=region, edition_id=job.edition_id).values_list("key", flat=True))
    options = job.options or {}
    for item in items:
        key, url = item.get("key", ""), ""
        if key in _REGION_PAGES:
            url = reverse(_REGION_PAGES[key], args=[region.code])
        elif job.edition is not None and key in _PLAN_PAGES:
            url = reverse(_PLAN_PAGES[key], args=[region.code, job.edition.year])
        elif job.edition is not None and key in sections:
            url = reverse("plans:section", args=[region.code, job.edition.year, key])
        elif job.kind == DocumentKind.QUICKWINS and options.get("round"):
            url = reverse("quickwins:round", args=[region.code, options["round"]])
        elif job.kind == DocumentKind.ASSESSMENT and options.get("run"):
            url = reverse("assessments:run", args=[region.code, options["run"]])
        elif job.kind == DocumentKind.EVALUATION and options.get("year"):
            url = reverse("evaluation:detail", args=[region.code, options["year"]])
        item["url"] = url
        item["in_print"] = "1" if key == "foreword" else ""
    return items


@login_required
@never_cache
@vary_on_headers("HX-Request")
def job(request: HttpRequest, code: str, pk: int) -> HttpResponse:
    """The job's page; its panel alone for htmx, which polls it until the job has finished.

    Never cached, and varying on HX-Request: the same URL serves the page and the panel, and a
    reload must show the job's state now, not the state when it was queued."""
    region = access.region_for(request.user, code, Can.VIEW)
    found = _job(region, pk)
    missing = _missing(region, found) if found.status == JobStatus.DONE else []
    if is_htmx(request):
        return render(request, "reports/_job.html", _context(request, region, job=found, missing=missing))
    run = None
    if found.kind == DocumentKind.ASSESSMENT:
        run = AssessmentRun.objects.filter(region=region, pk=(found.options or {}).get("run") or 0).first()
    return render(request, "reports/job.html", _context(request, region, job=found, run=run, missing=missing))


@login_required
def download(request: HttpRequest, code: str, pk: int) -> HttpResponseBase:
    region = access.region_for(request.user, code, Can.VIEW)
    found = _job(region, pk)
    if found.status != JobStatus.DONE or not found.file:
        raise Http404("No file.")
    return files.file_response(found.file, files.download_name(found.file))
