"""Document jobs: start one (Buku 1, Buku 2, change log, quick-win, assessment or evaluation
report) through ``reports.services.request_document``, follow it, and download the finished file
through the same access-checked response as the documents page (``lib/files.py``)."""

from __future__ import annotations

import datetime
from typing import Any

from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest
from django.shortcuts import get_object_or_404
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop
from ninja import Field, Path, Query, Router, Schema, Status

from kotacerdas.accounts import access
from kotacerdas.accounts.access import Can
from kotacerdas.api.auth import acting
from kotacerdas.api.paging import MAX_ID, Id, Page, Paging, Year, paginate
from kotacerdas.api.problems import READ_ERRORS, WRITE_ERRORS
from kotacerdas.lib import files
from kotacerdas.plans.models import Edition
from kotacerdas.reports import selectors, services
from kotacerdas.reports.models import JobStatus

router = Router(tags=["documents"])


class JobOut(Schema):
    id: int
    kind: str
    fmt: str
    edition: int | None
    options: dict[str, Any]
    status: str
    progress: int
    step: str
    size: int
    pages: int | None
    error: str
    created_at: datetime.datetime
    download: str | None = Field(None, description="Address of the file once the job is done")

    @staticmethod
    def resolve_edition(obj: Any) -> int | None:
        return obj.edition.year if obj.edition_id else None

    @staticmethod
    def resolve_download(obj: Any) -> str | None:
        if obj.status != JobStatus.DONE or not obj.file:
            return None
        return f"/api/v1/regions/{obj.region.code}/document-jobs/{obj.pk}/file"


class JobIn(Schema):
    kind: str = Field(..., max_length=12, description="buku1, buku2, changelog, quickwins, assessment, evaluation")
    fmt: str = Field(..., max_length=4, description="pdf or docx")
    edition: Year | None = Field(None, description="Edition year (Buku 1, Buku 2, change log)")
    compare: Year | None = Field(None, description="Change log: the edition year compared with")
    round: Year | None = Field(None, description="Quick-win report: the round year")
    run: Id | None = Field(None, description="Assessment report: the run id")
    year: Year | None = Field(None, description="Evaluation letter: the evaluation year")


def _jobs(region: Any) -> Any:
    return selectors.jobs(region).select_related("region")


@router.get(
    "/regions/{code}/document-jobs",
    response={200: Page[JobOut], **READ_ERRORS},
    summary=gettext_noop("Document jobs, newest first"),
)
def list_jobs(request: HttpRequest, code: str, paging: Query[Paging]) -> Any:
    region = access.region_for(request.user, code, Can.VIEW)
    return paginate(request, _jobs(region), paging)


@router.get(
    "/regions/{code}/document-jobs/{pk}",
    response={200: JobOut, **READ_ERRORS},
    summary=gettext_noop("One document job and its state"),
)
def get_job(request: HttpRequest, code: str, pk: int = Path(..., ge=1, le=MAX_ID)) -> Any:
    region = access.region_for(request.user, code, Can.VIEW)
    return get_object_or_404(_jobs(region), pk=pk)


@router.post(
    "/regions/{code}/document-jobs",
    response={202: JobOut, **WRITE_ERRORS},
    summary=gettext_noop("Start generating a document"),
)
def start_job(request: HttpRequest, code: str, body: JobIn) -> Any:
    region = access.region_for(request.user, code, Can.EDIT)
    edition = None
    if body.edition is not None:
        edition = Edition.objects.filter(region=region, year=body.edition).first()
        if edition is None:
            raise ValidationError({"edition": _("Choose an edition of this region.")})
    options = {"compare": body.compare, "round": body.round, "run": body.run, "year": body.year}
    with acting(request):
        job = services.request_document(
            actor=request.user, region=region, edition=edition, kind=body.kind, fmt=body.fmt, options=options
        )
    return Status(202, get_object_or_404(_jobs(region), pk=job.pk))


FILE_TYPES = {
    "application/pdf": {"schema": {"type": "string", "format": "binary"}},
    "application/vnd.openxmlformats-officedocument.wordprocessingml.document": {
        "schema": {"type": "string", "format": "binary"}
    },
}


@router.get(
    "/regions/{code}/document-jobs/{pk}/file",
    response={**READ_ERRORS},
    summary=gettext_noop("Download the finished document"),
    openapi_extra={"responses": {200: {"description": "The document", "content": FILE_TYPES}}},
)
def download_job(request: HttpRequest, code: str, pk: int = Path(..., ge=1, le=MAX_ID)) -> Any:
    region = access.region_for(request.user, code, Can.VIEW)
    found = get_object_or_404(_jobs(region), pk=pk)
    if found.status != JobStatus.DONE or not found.file:
        raise Http404("No file.")
    return files.file_response(found.file, files.download_name(found.file))
