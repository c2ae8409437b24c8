"""The update and actuals file on the web: download the template of a period, upload it back;
and the Satu Data indicator CSV of the edition (``monitoring.satudata``).

The same workbook as ``kotacerdas monitoring template`` and ``import`` (monitoring/files.py): the
import is all or nothing, through the services, so every row is checked against who may report
for its programme, and the page lists every problem by sheet, row and column.
"""

from __future__ import annotations

from django import forms
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import URLPattern, path
from django.utils import timezone
from django.utils.http import content_disposition_header
from django.utils.translation import gettext_lazy

from kotacerdas.accounts import access
from kotacerdas.accounts.access import Can
from kotacerdas.lib import spreadsheets
from kotacerdas.lib.uploads import UnreadableFile
from kotacerdas.monitoring import files, satudata, selectors
from kotacerdas.monitoring.models import ReportingPeriod
from kotacerdas.monitoring.views.overview import _context, _edition
from kotacerdas.plans.models import Edition

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


class UploadForm(forms.Form):
    file = forms.FileField(label=gettext_lazy("Filled-in workbook (XLSX) or CSV"))
    submit = forms.BooleanField(
        label=gettext_lazy("Submit the updates for validation right away"),
        required=False,
        help_text=gettext_lazy("Otherwise they are saved as drafts that you can check and submit one by one."),
    )


def urlpatterns(prefix: str) -> list[URLPattern]:
    edition = prefix + "edisi/<int:year>/berkas/"
    return [
        path(edition, page, name="files"),
        path(edition + "templat.xlsx", template, name="files_template"),
        path(prefix + "edisi/<int:year>/indikator-satu-data.csv", satu_data_export, name="satu_data_export"),
    ]


def _periods(edition: Edition) -> list[ReportingPeriod]:
    return list(selectors.periods_of(edition))


@login_required
def template(request: HttpRequest, code: str, year: int) -> HttpResponse:
    """The workbook of a period: every programme and indicator running that year, with what is known."""
    region, edition = _edition(request, code, year)
    periods = {p.key: p for p in _periods(edition)}
    period = periods.get(request.GET.get("period", ""))
    content = files.export_workbook(edition, period)
    name = f"pemantauan-{region.code.replace('.', '')}-{edition.year}{'-' + period.key if period else ''}.xlsx"
    response = HttpResponse(content, content_type=XLSX)
    response["Content-Disposition"] = content_disposition_header(True, name) or "attachment"
    response["X-Content-Type-Options"] = "nosniff"
    return response


@login_required
def satu_data_export(request: HttpRequest, code: str, year: int) -> HttpResponse:
    """The edition's indicators with the Satu Data metadata their metadata pages saved (CSV)."""
    region, edition = _edition(request, code, year)
    content = spreadsheets.csv_text(satudata.export(edition))
    name = f"indikator-satu-data-{region.code}-{edition.year}.csv"
    response = HttpResponse(content, content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = content_disposition_header(True, name) or "attachment"
    response["X-Content-Type-Options"] = "nosniff"
    return response


@login_required
def page(request: HttpRequest, code: str, year: int) -> HttpResponse:
    """Download the template of a period; upload it filled in (editors and admins)."""
    region, edition = _edition(request, code, year, Can.VIEW if request.method == "GET" else Can.EDIT)
    periods = _periods(edition)
    current = selectors.choose_period(periods, request.GET.get("period"), timezone.localdate())
    form = UploadForm(request.POST or None, request.FILES or None)
    result = None
    status = 200
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["file"]
        try:
            result = files.import_updates(
                actor=request.user,
                edition=edition,
                data=upload.read(files.MAX_BYTES + 1),
                name=upload.name or "",
                submit=form.cleaned_data["submit"],
            )
        except UnreadableFile as error:
            form.add_error("file", error.message)
        if form.errors or (result is not None and not result.ok):
            status = 400
    elif request.method == "POST":
        status = 400
    context = _context(
        request,
        region,
        edition,
        form=form,
        periods=periods,
        current=current,
        result=result,
        may_upload=access.may(request.user, region, Can.EDIT),
    )
    return render(request, "monitoring/overview/files.html", context, status=status)
