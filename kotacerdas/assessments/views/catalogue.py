"""The template catalogue: every signed-in user reads templates; ministry staff import and publish.

A template is changed as a new version (a draft until published): started in the browser and
edited there (views/editor.py), or exported to XLSX, edited offline and imported. Published
versions never change, so old runs stay reproducible.
"""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.db.models import Count, Prefetch
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from kotacerdas.accounts import access
from kotacerdas.assessments import interchange
from kotacerdas.assessments.definition import Problem, TemplateInvalid
from kotacerdas.assessments.forms import TemplateImportForm
from kotacerdas.assessments.models import Item, Section, Template, TemplateStatus
from kotacerdas.assessments.services.templates import publish_template
from kotacerdas.assessments.views.exchange import XLSX


@login_required
def template_list(request: HttpRequest) -> HttpResponse:
    templates = Template.objects.select_related("taxonomy", "levels").annotate(item_count=Count("items"))
    context = {"templates": templates, "is_ministry_user": access.is_ministry(request.user)}
    return render(request, "assessments/template_list.html", context)


@login_required
def template_detail(request: HttpRequest, pk: int) -> HttpResponse:
    items = Item.objects.select_related("entry").order_by("order")
    template = get_object_or_404(
        Template.objects.select_related("taxonomy", "levels").prefetch_related(
            Prefetch("sections", queryset=Section.objects.select_related("entry").prefetch_related(
                Prefetch("items", queryset=items)
            ))
        ),
        pk=pk,
    )  # fmt: skip
    context = {"template": template, "is_ministry_user": access.is_ministry(request.user)}
    return render(request, "assessments/template_detail.html", context)


@login_required
def template_export(request: HttpRequest, pk: int) -> HttpResponse:
    template = get_object_or_404(Template.objects.select_related("taxonomy", "levels"), pk=pk)
    response = HttpResponse(interchange.export_template(template), content_type=XLSX)
    response["Content-Disposition"] = f'attachment; filename="templat-{template.code}-v{template.version}.xlsx"'
    return response


@login_required
def template_import(request: HttpRequest) -> HttpResponse:
    access.require_ministry(request.user)
    form = TemplateImportForm(request.POST or None, request.FILES or None)
    problems: list[Problem] = []
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["file"]
        try:
            template = interchange.import_template(actor=request.user, handle=upload, name=upload.name)
        except TemplateInvalid as refused:
            problems = refused.problems
        else:
            messages.success(request, _("Template imported as a draft. Check it, then publish it."))
            return redirect("assessments:template", template.pk)
    context = {
        "form": form,
        "problems": problems,
        "title": _("Import a template version from XLSX or TOML"),
        "cancel_url": reverse("assessments:templates"),
        "submit_label": _("Import"),
    }
    return render(request, "assessments/template_import.html", context, status=422 if problems else 200)


@login_required
@require_POST
def template_publish(request: HttpRequest, pk: int) -> HttpResponse:
    access.require_ministry(request.user)
    template = get_object_or_404(Template.objects.filter(status=TemplateStatus.DRAFT), pk=pk)
    try:
        publish_template(actor=request.user, template=template)
    except ValidationError as error:
        # The editor lists the same problems under “Before it can be published”.
        messages.error(
            request, _("This draft cannot be published yet: %(problems)s") % {"problems": "; ".join(error.messages)}
        )
        return redirect("assessments:template_edit", pk)
    messages.success(request, _("Template published; regions can start runs of it."))
    return redirect("assessments:template", pk)
