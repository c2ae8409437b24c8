"""Region pages. Each view: parse, reach the region through the access layer, call a service or
selector, render. Objects inside a region are fetched from that region's querysets only."""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.http.response import HttpResponseBase
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.http import content_disposition_header
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_POST

from kotacerdas.accounts import access
from kotacerdas.accounts.access import Can
from kotacerdas.audit.selectors import entries_for_region
from kotacerdas.lib import files
from kotacerdas.lib.concurrency import EditConflict, posted_version
from kotacerdas.lib.confirm import ask_first, refuse_stale
from kotacerdas.lib.forms import describe_fields, submit
from kotacerdas.lib.spreadsheets import XLSX_CONTENT_TYPE
from kotacerdas.lib.uploads import UnreadableFile
from kotacerdas.regions import agencies_file, services
from kotacerdas.regions.forms import (
    AgencyFileForm,
    GovernanceBodyForm,
    MemberForm,
    OPDForm,
    PopulationForm,
    RegionForm,
)
from kotacerdas.regions.models import OPD, BodyMember, GovernanceBody, Population, Region
from kotacerdas.regions.selectors import region_home


def _form_page(
    request: HttpRequest, region: Region | None, form: forms.BaseForm, title: str, cancel_url: str
) -> HttpResponse:
    status = 409 if getattr(form, "conflict", False) else 200
    context = {"region": region, "form": form, "title": title, "cancel_url": cancel_url}
    return render(request, "regions/form.html", context, status=status)


@login_required
def create(request: HttpRequest) -> HttpResponse:
    access.require_ministry(request.user)
    form = RegionForm(request.POST or None)
    region = submit(request, form, lambda data: services.create_region(actor=request.user, data=data, strict=True))
    if region:
        messages.success(request, _("Region created."))
        return redirect("regions:home", region.code)
    return _form_page(request, None, form, _("Add a region"), reverse("web:home"))


@login_required
def edit(request: HttpRequest, code: str) -> HttpResponse:
    region = access.region_for(request.user, code, Can.ADMINISTER)
    form = RegionForm(request.POST or None, instance=region)
    saved = submit(
        request,
        form,
        lambda data: services.update_region(
            actor=request.user, region=region, data=data, expected_version=data["version"]
        ),
    )
    if saved:
        messages.success(request, _("Region profile saved."))
        return redirect("regions:profile", saved.code)
    return _form_page(request, region, form, _("Edit region profile"), reverse("regions:profile", args=[code]))


@login_required
def population_add(request: HttpRequest, code: str) -> HttpResponse:
    region = access.region_for(request.user, code, Can.ADMINISTER)
    form = PopulationForm(request.POST or None)
    saved = submit(request, form, lambda data: _save_population(request, region, data))
    if saved:
        messages.success(request, _("Population figure saved."))
        return redirect("regions:profile", code)
    return _form_page(request, region, form, _("Record population"), reverse("regions:profile", args=[code]))


def _save_population(request: HttpRequest, region: Region, data: dict[str, Any]) -> Population:
    data = dict(data)
    expected = data.pop("version")
    return services.set_population(actor=request.user, region=region, expected_version=expected, **data)


@login_required
def population_edit(request: HttpRequest, code: str, year: int) -> HttpResponse:
    """Correct the figure of a year, at the version shown (409 with the input kept when stale)."""
    region = access.region_for(request.user, code, Can.ADMINISTER)
    figure = get_object_or_404(Population.objects.filter(region=region), year=year)
    form = PopulationForm(request.POST or None, figure=figure)
    if submit(request, form, lambda data: _save_population(request, region, data)):
        messages.success(request, _("Population figure saved."))
        return redirect("regions:profile", code)
    title = _("Correct the population of %(year)s") % {"year": year}
    return _form_page(request, region, form, title, reverse("regions:profile", args=[code]))


@login_required
@require_POST
def population_delete(request: HttpRequest, code: str, year: int) -> HttpResponse:
    region = access.region_for(request.user, code, Can.ADMINISTER)
    figure = get_object_or_404(Population.objects.filter(region=region), year=year)
    what = _("the population figure of %(year)s") % {"year": year}
    back = reverse("regions:profile", args=[code])
    asked = ask_first(request, what=what, cancel_url=back, version=figure.version)
    if asked is not None:
        return asked
    try:
        services.delete_population(actor=request.user, figure=figure, expected_version=posted_version(request))
    except EditConflict:
        return refuse_stale(request, what=what, cancel_url=back)
    messages.success(request, _("Population figure removed."))
    return redirect("regions:profile", code)


@login_required
def opd_list(request: HttpRequest, code: str) -> HttpResponse:
    region = access.region_for(request.user, code)
    home_data = region_home(region)
    everyone = [*home_data.current_opds, *home_data.partners, *home_data.past_opds]
    editable = {opd.pk for opd in everyone if access.may_edit_agency(request.user, region, opd)}
    context = {"region": region, "home": home_data, "can": access.capabilities(request.user, region), "Can": Can}
    return render(request, "regions/opd_list.html", {**context, "editable_opds": editable})


@login_required
def opd_create(request: HttpRequest, code: str) -> HttpResponse:
    region = access.region_for(request.user, code, Can.ADMINISTER)
    form = OPDForm(request.POST or None, region=region)

    def save(data: dict[str, Any]) -> OPD:
        preds = list(data.pop("predecessors", []))
        return services.create_opd(actor=request.user, region=region, data=data, predecessors=preds)

    if submit(request, form, save):
        messages.success(request, _("Agency added."))
        return redirect("regions:opds", code)
    return _form_page(request, region, form, _("Add an agency (OPD)"), reverse("regions:opds", args=[code]))


@login_required
def opd_import(request: HttpRequest, code: str) -> HttpResponse:
    """Upload a file of agencies (the same as ``kotacerdas regions opd import``): all or nothing,
    every problem listed by row and column. Region admins only; others 403, outsiders 404."""
    region = access.region_for(request.user, code, Can.ADMINISTER)
    posted = request.method == "POST"
    form = AgencyFileForm(request.POST if posted else None, request.FILES if posted else None)
    result = None
    status = 200
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["file"]
        try:
            result = agencies_file.import_agencies(
                actor=request.user, region=region, data=upload.read(agencies_file.MAX_BYTES + 1), name=upload.name or ""
            )
        except UnreadableFile as error:
            form.add_error("file", error.message)
        if result is not None and result.ok:
            messages.success(
                request,
                ngettext("%(count)s agency added.", "%(count)s agencies added.", len(result.created))
                % {"count": len(result.created)},
            )
            return redirect("regions:opds", code)
        status = 400
    elif request.method == "POST":
        status = 400
    describe_fields(form)
    context = {"region": region, "form": form, "result": result, "kinds": agencies_file.kind_rows()}
    return render(request, "regions/opd_import.html", context, status=status)


@login_required
def opd_template(request: HttpRequest, code: str) -> HttpResponse:
    """The empty agencies template (XLSX), for whoever may add agencies to the region."""
    access.region_for(request.user, code, Can.ADMINISTER)
    response = HttpResponse(agencies_file.template_workbook(), content_type=XLSX_CONTENT_TYPE)
    response["Content-Disposition"] = content_disposition_header(True, "templat-opd.xlsx") or "attachment"
    response["X-Content-Type-Options"] = "nosniff"
    return response


@login_required
def opd_edit(request: HttpRequest, code: str, pk: int) -> HttpResponse:
    region = access.region_for(request.user, code, Can.EDIT)
    opd = get_object_or_404(OPD.objects.filter(region=region), pk=pk)
    if not access.may_edit_agency(request.user, region, opd):
        raise PermissionDenied
    head_only = not access.may_edit_agencies(request.user, region)
    form = OPDForm(request.POST or None, instance=opd, region=region, head_only=head_only)

    def save(data: dict[str, Any]) -> OPD:
        preds = list(data.pop("predecessors")) if "predecessors" in data else None
        return services.update_opd(
            actor=request.user, opd=opd, data=data, expected_version=data["version"], predecessors=preds
        )

    if submit(request, form, save):
        messages.success(request, _("Agency saved."))
        return redirect("regions:opds", code)
    return _form_page(
        request, region, form, _("Edit agency %(name)s") % {"name": opd.name}, reverse("regions:opds", args=[code])
    )


@login_required
def body_detail(request: HttpRequest, code: str, pk: int) -> HttpResponse:
    region = access.region_for(request.user, code)
    body = get_object_or_404(GovernanceBody.objects.filter(region=region).prefetch_related("members__opd"), pk=pk)
    context = {"region": region, "body": body, "can": access.capabilities(request.user, region), "Can": Can}
    return render(request, "regions/body_detail.html", context)


@login_required
def body_decree(request: HttpRequest, code: str, pk: int) -> HttpResponseBase:
    """The decree file of a governance body, for whoever may see the region (404 otherwise)."""
    region = access.region_for(request.user, code, Can.VIEW)
    body = get_object_or_404(GovernanceBody.objects.filter(region=region), pk=pk)
    if not body.decree_file:
        raise Http404("No file.")
    return files.file_response(body.decree_file, body.decree_filename)


@login_required
def body_create(request: HttpRequest, code: str) -> HttpResponse:
    region = access.region_for(request.user, code, Can.ADMINISTER)
    form = GovernanceBodyForm(request.POST or None, request.FILES or None)
    body = submit(request, form, lambda data: services.create_body(actor=request.user, region=region, data=data))
    if body:
        messages.success(request, _("Governance body created. Add its members below."))
        return redirect("regions:body", code, body.pk)
    return _form_page(request, region, form, _("Add a governance body"), reverse("regions:profile", args=[code]))


@login_required
def body_edit(request: HttpRequest, code: str, pk: int) -> HttpResponse:
    region = access.region_for(request.user, code, Can.ADMINISTER)
    body = get_object_or_404(GovernanceBody.objects.filter(region=region), pk=pk)
    form = GovernanceBodyForm(request.POST or None, request.FILES or None, instance=body)
    saved = submit(
        request,
        form,
        lambda data: services.update_body(actor=request.user, body=body, data=data, expected_version=data["version"]),
    )
    if saved:
        messages.success(request, _("Governance body saved."))
        return redirect("regions:body", code, pk)
    return _form_page(
        request, region, form, _("Edit %(name)s") % {"name": body.name}, reverse("regions:body", args=[code, pk])
    )


@login_required
def member_add(request: HttpRequest, code: str, pk: int) -> HttpResponse:
    region = access.region_for(request.user, code, Can.ADMINISTER)
    body = get_object_or_404(GovernanceBody.objects.filter(region=region), pk=pk)
    form = MemberForm(request.POST or None, region=region)
    if submit(request, form, lambda data: services.add_member(actor=request.user, body=body, data=data)):
        messages.success(request, _("Member added."))
        return redirect("regions:body", code, pk)
    return _form_page(
        request,
        region,
        form,
        _("Add a member to %(name)s") % {"name": body.name},
        reverse("regions:body", args=[code, pk]),
    )


@login_required
@require_POST
def member_remove(request: HttpRequest, code: str, pk: int, member_pk: int) -> HttpResponse:
    region = access.region_for(request.user, code, Can.ADMINISTER)
    member = get_object_or_404(BodyMember.objects.filter(region=region, body_id=pk), pk=member_pk)
    what = _("%(name)s from the members") % {"name": member.person_name}
    back = reverse("regions:body", args=[code, pk])
    asked = ask_first(request, what=what, cancel_url=back, version=member.version)
    if asked is not None:
        return asked
    try:
        services.remove_member(actor=request.user, member=member, expected_version=posted_version(request))
    except EditConflict:
        return refuse_stale(request, what=what, cancel_url=back)
    messages.success(request, _("Member removed."))
    return redirect("regions:body", code, pk)


@login_required
def audit_log(request: HttpRequest, code: str) -> HttpResponse:
    region = access.region_for(request.user, code, Can.ADMINISTER)
    page = Paginator(entries_for_region(region), 50).get_page(request.GET.get("page"))
    return render(request, "regions/audit.html", {"region": region, "page": page})
