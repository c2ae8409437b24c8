"""The minutes of a session as PDF and DOCX (always in Bahasa Indonesia, see ``minutes.py``)."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.utils import timezone

from kotacerdas.engagements import minutes, selectors
from kotacerdas.engagements.models import Session
from kotacerdas.engagements.views.common import region_for

DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"


def _report(request: HttpRequest, code: str, pk: int) -> minutes.MinutesReport:
    region = region_for(request, code)
    try:
        page = selectors.session_page(region, pk, timezone.localdate())
    except Session.DoesNotExist as missing:
        raise Http404 from missing
    return minutes.build(page)


@login_required
def minutes_pdf(request: HttpRequest, code: str, pk: int) -> HttpResponse:
    report = _report(request, code, pk)
    response = HttpResponse(minutes.render_pdf(report), content_type="application/pdf")
    response["Content-Disposition"] = f'attachment; filename="{report.filename}.pdf"'
    return response


@login_required
def minutes_docx(request: HttpRequest, code: str, pk: int) -> HttpResponse:
    report = _report(request, code, pk)
    response = HttpResponse(minutes.render_docx(report), content_type=DOCX)
    response["Content-Disposition"] = f'attachment; filename="{report.filename}.docx"'
    return response
