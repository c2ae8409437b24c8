"""The plan check page, the roadmap per dimension, budget totals, and export/import of an edition."""

from __future__ import annotations

import json
from collections import Counter
from typing import Any

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_POST

from kotacerdas.accounts import access
from kotacerdas.accounts.access import Can
from kotacerdas.lib.concurrency import EditConflict, posted_version
from kotacerdas.lib.confirm import ask_first, refuse_stale
from kotacerdas.lib.forms import submit
from kotacerdas.lib.htmx import render_page
from kotacerdas.lib.uploads import UnreadableFile, capped, check_size, more_problems
from kotacerdas.plans import figures, selectors
from kotacerdas.plans.checks import RULES
from kotacerdas.plans.forms import FindingWaiverForm, ImportForm
from kotacerdas.plans.interchange.export import edition_document
from kotacerdas.plans.interchange.files import read_document
from kotacerdas.plans.interchange.importer import ImportFailed, ImportProblem, check_document, import_with_report
from kotacerdas.plans.interchange.schema import SCHEMA
from kotacerdas.plans.interchange.xlsx import write_workbook
from kotacerdas.plans.models import EditionImport, FindingWaiver, Horizon
from kotacerdas.plans.services.imports import request_import
from kotacerdas.plans.services.waivers import waive_findings, withdraw_waiver
from kotacerdas.plans.views.common import base_context, edition_of, form_page


@login_required
def check(request: HttpRequest, code: str, year: int) -> HttpResponse:
    region, edition = edition_of(request, code, year)
    data = selectors.plan_data(edition, document=False)
    per_rule = Counter(f.rule for f in data.report.findings)
    context = base_context(
        request,
        region,
        edition,
        data=data,
        report=data.report,
        groups=data.report.groups(),
        rules=[(rule, per_rule.get(rule.id, 0)) for rule in RULES.values()],
        may_waive=access.may_waive_findings(request.user, region) and not edition.is_frozen,
    )
    if request.GET.get("format") == "json":
        return JsonResponse(data.report.as_dict(), json_dumps_params={"ensure_ascii": False})
    return render_page(request, "plans/check.html", "plans/_check_findings.html", context)


def _waiver_subject(request: HttpRequest) -> tuple[str, str]:
    """The rule and subject a waiver page is about, from its address (?rule=PC033&subject=…)."""
    rule = request.GET.get("rule", "").strip().upper()
    if rule not in RULES:
        raise Http404("No such rule.")
    return rule, request.GET.get("subject", "").strip()


@login_required
def waiver_form(request: HttpRequest, code: str, year: int) -> HttpResponse:
    """Record, or change the reason of, the waiver of one rule's findings about one subject."""
    region, edition = edition_of(request, code, year)
    access.check(request.user, access.may_waive_findings, region)
    rule, subject = _waiver_subject(request)
    waiver = FindingWaiver.objects.filter(region=region, edition=edition, rule=rule, subject=subject).first()
    form = FindingWaiverForm(request.POST or None, waiver=waiver)
    saved = submit(
        request,
        form,
        lambda data: waive_findings(
            actor=request.user,
            edition=edition,
            rule=rule,
            subject=subject,
            reason=data["reason"],
            expected_version=data.get("version"),
        ),
    )
    back = reverse("plans:check", args=[code, year])
    if saved:
        messages.success(request, _("Waiver recorded: these findings are listed apart as waived."))
        return redirect(back)
    if subject:
        title = _("Waive %(rule)s for %(subject)s") % {"rule": rule, "subject": subject}
    else:
        title = _("Waive %(rule)s for the whole plan") % {"rule": rule}
    delete_url = reverse("plans:waiver_withdraw", args=[code, year, waiver.pk]) if waiver else None
    return form_page(
        request,
        region,
        edition,
        form,
        title,
        back,
        delete_url=delete_url,
        delete_version=waiver.version if waiver else None,
        submit_label=_("Record the waiver"),
    )


@login_required
@require_POST
def waiver_withdraw(request: HttpRequest, code: str, year: int, pk: int) -> HttpResponse:
    """Withdraw a waiver (asks first): its findings count again."""
    region, edition = edition_of(request, code, year)
    access.check(request.user, access.may_waive_findings, region)
    waiver = get_object_or_404(FindingWaiver.objects.filter(region=region, edition=edition), pk=pk)
    back = reverse("plans:check", args=[code, year])
    what = _("the waiver of %(rule)s for %(subject)s") % {"rule": waiver.rule, "subject": waiver.subject or "—"}
    asked = ask_first(request, what=what, cancel_url=back, version=waiver.version)
    if asked is not None:
        return asked
    try:
        withdraw_waiver(actor=request.user, waiver=waiver, expected_version=posted_version(request))
        messages.success(request, _("Waiver withdrawn: its findings count again."))
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    except EditConflict:
        return refuse_stale(request, what=what, cancel_url=back)
    return redirect(back)


@login_required
def roadmap(request: HttpRequest, code: str, year: int) -> HttpResponse:
    region, edition = edition_of(request, code, year)
    data = selectors.plan_data(edition)
    legend: dict[str, str] = {str(k): str(v) for k, v in Horizon.choices}
    legend["quick_win"] = _("quick win")
    charts = [
        (
            d["code"],
            d["name"],
            mark_safe(  # noqa: S308 - built by figures.roadmap_svg, which escapes every text
                figures.roadmap_svg(
                    data.doc, d["code"], _("Roadmap of %(dimension)s") % {"dimension": d["name"]}, legend
                )
            ),
        )
        for d in data.doc["taxonomy"]["dimensions"]
    ]
    return render(request, "plans/roadmap.html", base_context(request, region, edition, charts=charts))


@login_required
def budgets(request: HttpRequest, code: str, year: int) -> HttpResponse:
    region, edition = edition_of(request, code, year)
    data = selectors.plan_data(edition, document=False)
    totals = data.totals
    context = base_context(
        request,
        region,
        edition,
        totals=totals,
        dimension_names=data.dimension_names(),
        tables=[
            ("dimension", _("By dimension"), totals.by_dimension),
            ("source", _("By source"), totals.by_source),
            ("opd", _("By lead agency"), totals.by_opd),
        ],
    )
    return render(request, "plans/budgets.html", context)


@login_required
def export(request: HttpRequest, code: str, year: int, fmt: str) -> HttpResponse:
    region, edition = edition_of(request, code, year)
    doc = edition_document(edition)
    name = f"masterplan-{region.code}-{edition.year}"
    if fmt == "json":
        response = HttpResponse(
            json.dumps(doc, ensure_ascii=False, indent=2), content_type="application/json; charset=utf-8"
        )
    elif fmt == "xlsx":
        response = HttpResponse(
            write_workbook(doc), content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
        )
    else:
        raise Http404("Unknown format.")
    response["Content-Disposition"] = f'attachment; filename="{name}.{fmt}"'
    return response


@login_required
def template(request: HttpRequest, code: str) -> HttpResponse:
    """An empty XLSX workbook for a city drafting in Excel: the region's agencies, the default
    taxonomy's codes and the chapter keys filled in; the rest is theirs to write."""
    region = access.region_for(request.user, code, Can.EDIT)
    from kotacerdas.frameworks.models import Framework, Kind, Status
    from kotacerdas.plans.interchange.export import opd_data
    from kotacerdas.plans.interchange.schema import FORMAT, FORMAT_VERSION
    from kotacerdas.plans.services import chapters

    taxonomy = (
        Framework.objects.filter(kind=Kind.TAXONOMY, status=Status.PUBLISHED, is_default=True)
        .prefetch_related("entries")
        .order_by("-version")
        .first()
    )
    entries = sorted(taxonomy.entries.all(), key=lambda e: (e.order, e.pk)) if taxonomy else []
    doc = {
        "format": FORMAT,
        "format_version": FORMAT_VERSION,
        "region": {"code": region.code, "name": region.name, "kind": region.kind},
        "edition": {"quick_win_limit": 6, "rpjmd_min_share": 60},
        "taxonomy": {
            "code": taxonomy.code if taxonomy else "",
            "version": taxonomy.version if taxonomy else 0,
            "dimensions": [
                {
                    "code": d.code,
                    "name": d.name,
                    "elements": [{"code": e.code, "name": e.name} for e in entries if e.parent_id == d.pk],
                }
                for d in entries
                if d.parent_id is None
            ],
        },
        "opds": opd_data(region.pk),
        "sections": [{"key": c["key"], "book": c["book"], "title": c["title"], "body": ""} for c in chapters()],
    }
    response = HttpResponse(
        write_workbook(doc), content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    )
    response["Content-Disposition"] = f'attachment; filename="templat-masterplan-{region.code}.xlsx"'
    return response


@login_required
def table_template(request: HttpRequest, code: str) -> HttpResponse:
    """The programme-table template (interchange/table.py): a Word plan's table pasted into XLSX."""
    region = access.region_for(request.user, code, Can.EDIT)
    from kotacerdas.plans.interchange.export import opd_data
    from kotacerdas.plans.interchange.table import default_dimensions, write_table_template

    data = write_table_template(region.code, default_dimensions(), opd_data(region.pk))
    response = HttpResponse(data, content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")
    response["Content-Disposition"] = f'attachment; filename="templat-tabel-program-{region.code}.xlsx"'
    return response


def schema(request: HttpRequest) -> HttpResponse:
    """The published JSON schema of the interchange format (public: it describes no region's data)."""
    return JsonResponse(SCHEMA, json_dumps_params={"ensure_ascii": False, "indent": 2})


def read_upload(upload: Any) -> tuple[Any, list[ImportProblem], Any]:
    """The document in an uploaded JSON or XLSX file, its reading problems, and the workbook map."""
    read = read_document(upload.read(), upload.name or "")
    return read.doc, [ImportProblem(where, message) for where, message in read.problems], read


@login_required
def import_edition(request: HttpRequest, code: str) -> HttpResponse:
    region = access.region_for(request.user, code, Can.EDIT)
    form = ImportForm(request.POST or None, request.FILES or None)
    problems: list[ImportProblem] = []
    new_agencies: list[Any] = []
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["file"]
        if upload.size > settings.IMPORT_BACKGROUND_BYTES:
            # A large file is read and checked by the worker; the page follows its progress.
            try:
                check_size(upload.size, upload.name or "")
            except UnreadableFile as error:
                problems = [ImportProblem("", error.message)]
            else:
                job = request_import(
                    actor=request.user,
                    region=region,
                    data=upload.read(),
                    name=upload.name or "",
                    replace=form.cleaned_data["replace"],
                )
                return redirect("plans:import_job", code, job.pk)
        else:
            doc, problems, workbook = read_upload(upload)
            create = form.cleaned_data["create_agencies"]
            if not problems:
                try:
                    edition, imported = import_with_report(
                        actor=request.user,
                        region=region,
                        doc=doc,
                        replace=form.cleaned_data["replace"],
                        create_agencies=create,
                    )
                except ImportFailed as failed:
                    problems = failed.problems
                    if workbook is not None:
                        problems = [ImportProblem(workbook.locate(p.path), p.message) for p in problems]
                    if not create:
                        # Listed for confirmation: the operator ticks the box and sends the file again.
                        new_agencies = check_document(region, doc, form.cleaned_data["replace"])[1].new_agencies
                else:
                    message = _("Edition %(year)s imported.") % {"year": edition.year}
                    if imported.new_agencies:
                        names = ", ".join(a.abbreviation for a in imported.new_agencies)
                        message += " " + _("Agencies created: %(names)s.") % {"names": names}
                    for warning in imported.warnings:
                        where = workbook.locate(warning.path) if workbook is not None else warning.path
                        messages.warning(request, f"{where}: {warning.message}")
                    messages.success(request, message)
                    return redirect("plans:edition", code, edition.year)
    response = form_page(
        request,
        region,
        None,
        form,
        _("Import an edition"),
        reverse("plans:index", args=[code]),
        problems=capped(problems, lambda n: ImportProblem("", more_problems(n))),
        problem_count=len(problems),
        new_agencies=new_agencies,
        downloads=[
            (reverse("plans:table_template", args=[code]), _("Programme-table template (a Word plan's table, XLSX)")),
            (reverse("plans:template", args=[code]), _("Full edition workbook template (XLSX)")),
        ],
        submit_label=_("Import"),
    )
    if problems:
        response.status_code = 400
    return response


@never_cache
@login_required
def import_job(request: HttpRequest, code: str, pk: int) -> HttpResponse:
    """A background import's page; its panel alone for htmx, which polls it until the job has finished."""
    region = access.region_for(request.user, code, Can.EDIT)
    job = get_object_or_404(EditionImport.objects.filter(region=region), pk=pk)
    context = base_context(request, region, None, job=job)
    return render_page(request, "plans/import_job.html", "plans/_import_job.html", context)
