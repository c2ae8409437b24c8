"""The documents page of a region: generate books and reports, follow the jobs, download files.

Pages work without JavaScript (a generation is a form POST, the job page reloads); htmx only
polls a running job's panel. Every view reaches the region through the access layer first and
fetches jobs inside that region, so another region's job is a 404 like a missing one.
"""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from kotacerdas.accounts import access
from kotacerdas.accounts.access import Can
from kotacerdas.assessments.models import Run as AssessmentRun
from kotacerdas.lib.forms import submit
from kotacerdas.plans.models import Edition
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
                label = _("Quick-win selection report %(year)s") % {"year": r.year}
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
        options = {"compare": data.get("compare"), "round": data.get("round"), "run": data.get("run")}
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
    messages.success(request, _("Generation queued; the job page shows its progress."))
    return redirect("reports:job", code, job.pk)


def _job(region: Region, pk: int) -> DocumentJob:
    return get_object_or_404(selectors.jobs(region), pk=pk)


@login_required
def job(request: HttpRequest, code: str, pk: int) -> HttpResponse:
    region = access.region_for(request.user, code, Can.VIEW)
    found = _job(region, pk)
    if request.headers.get("HX-Request"):
        return render(request, "reports/_job.html", _context(request, region, job=found))
    run = None
    if found.kind == DocumentKind.ASSESSMENT:
        run = AssessmentRun.objects.filter(region=region, pk=(found.options or {}).get("run") or 0).first()
    return render(request, "reports/job.html", _context(request, region, job=found, run=run))


@login_required
def download(request: HttpRequest, code: str, pk: int) -> FileResponse:
    region = access.region_for(request.user, code, Can.VIEW)
    found = _job(region, pk)
    if found.status != JobStatus.DONE or not found.file:
        raise Http404("No file.")
    name = found.file.name.rsplit("/", 1)[-1]
    return FileResponse(found.file.open("rb"), as_attachment=True, filename=name)
