"""Offline round trip of a run: download the XLSX, fill it in, upload it back (all or nothing)."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _

from kotacerdas.accounts.access import Can
from kotacerdas.assessments import interchange
from kotacerdas.assessments.forms import ImportForm
from kotacerdas.assessments.views.common import base_context, run_of

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


@login_required
def run_export(request: HttpRequest, code: str, pk: int) -> HttpResponse:
    _region, run = run_of(request, code, pk)
    response = HttpResponse(interchange.export_run(run), content_type=XLSX)
    response["Content-Disposition"] = f'attachment; filename="asesmen-{code}-{run.year}-{run.pk}.xlsx"'
    return response


@login_required
def run_import(request: HttpRequest, code: str, pk: int) -> HttpResponse:
    region, run = run_of(request, code, pk, Can.EDIT)
    form = ImportForm(request.POST or None, request.FILES or None)
    problems: list[interchange.Problem] = []
    if request.method == "POST" and form.is_valid():
        try:
            upload = form.cleaned_data["file"]
            result = interchange.import_run(actor=request.user, run=run, handle=upload, name=upload.name)
        except interchange.ImportRefused as refused:
            problems = refused.problems
        else:
            messages.success(
                request,
                _("Imported: %(changed)s answers changed, %(same)s unchanged.")
                % {"changed": result.changed, "same": result.unchanged},
            )
            return redirect("assessments:run", code, pk)
    context = base_context(
        request,
        region,
        run,
        form=form,
        problems=problems,
        title=_("Import answers from XLSX"),
        cancel_url=reverse("assessments:run", args=[code, pk]),
        submit_label=_("Import"),
    )
    return render(request, "assessments/import.html", context, status=422 if problems else 200)
