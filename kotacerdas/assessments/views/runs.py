"""Run list, starting a run, the run overview, answering a section, submitting, assessors, history."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_POST

from kotacerdas.accounts import access
from kotacerdas.accounts.access import Can
from kotacerdas.assessments import selectors
from kotacerdas.assessments.forms import AnswerForm, AssessorForm, RunForm, SwotForm
from kotacerdas.assessments.models import Answer, Assessor, Item, Run, Section, SwotEntry
from kotacerdas.assessments.services import runs as services
from kotacerdas.assessments.views.common import base_context, run_of, slot_for
from kotacerdas.lib.concurrency import EditConflict, posted_version
from kotacerdas.lib.confirm import ask_first, refuse_stale
from kotacerdas.lib.forms import describe_fields, submit
from kotacerdas.lib.htmx import is_htmx, render_page


@login_required
def run_list(request: HttpRequest, code: str) -> HttpResponse:
    region = access.region_for(request.user, code)
    runs = selectors.runs_for_region(region)
    context = base_context(
        request, region, runs=runs, may_set_sharing=access.may_set_peer_sharing(request.user, region)
    )
    return render(request, "assessments/run_list.html", context)


@login_required
def run_create(request: HttpRequest, code: str) -> HttpResponse:
    region = access.region_for(request.user, code, Can.EDIT)
    form = RunForm(request.POST or None, templates=selectors.published_templates())
    run = submit(
        request,
        form,
        lambda data: services.start_run(
            actor=request.user,
            region=region,
            template=data["template"],
            year=data["year"],
            title=data["title"],
        ),
    )
    if run:
        messages.success(request, _("Assessment started. Answer it section by section."))
        return redirect("assessments:run", code, run.pk)
    context = base_context(request, region, form=form, title=_("Start an assessment"))
    context["cancel_url"] = reverse("assessments:runs", args=[code])
    return render(request, "assessments/form.html", context)


@login_required
def run_detail(request: HttpRequest, code: str, pk: int) -> HttpResponse:
    region, run = run_of(request, code, pk)
    slot = slot_for(request, region, run)
    sections = selectors.sections_of(run, slot or selectors.region_slot(run))
    assessors = list(Assessor.objects.filter(run=run).select_related("user"))
    missing = services.missing_on_submit(run, selectors.region_slot(run)) if run.status in services.EDITABLE_RUN else {}
    may_submit = access.may_submit_run(request.user, region) and run.status in services.EDITABLE_RUN
    context = base_context(
        request, region, run, sections=sections, slot=slot, assessors=assessors, missing=missing, may_submit=may_submit
    )
    return render(request, "assessments/run_detail.html", context)


def _item_forms(
    request: HttpRequest, section_rows: selectors.SectionRows, levels: int, slot: Assessor | None
) -> list[tuple[selectors.ItemRow, AnswerForm]]:
    data = (request.POST, request.FILES) if request.method == "POST" else ()
    needs_evidence = slot is not None and slot.is_region
    return [
        (row, AnswerForm(*data, item=row.item, levels=levels, answer=row.answer, needs_evidence=needs_evidence))
        for row in section_rows.rows
    ]


def _add_errors(form: AnswerForm, error: ValidationError | EditConflict) -> None:
    if isinstance(error, EditConflict):
        form.add_error(None, str(error))
        form.conflict = True
    elif hasattr(error, "error_dict"):
        for field, errors in error.error_dict.items():
            form.add_error(field if field in form.fields else None, errors)
    else:
        form.add_error(None, error)


def _save_section(
    request: HttpRequest, run: Run, slot: Assessor, forms: list[tuple[selectors.ItemRow, AnswerForm]]
) -> int | None:
    """Save every changed answer of the section's form at once; None when something must be fixed."""
    changed = [form for _row, form in forms if form.has_changed()]
    checked = [form.is_valid() for form in changed]  # every form is checked, not just up to the first bad one
    valid = all(checked)
    if valid:
        entries = [(form.item, form.cleaned_data, form.cleaned_data.get("version")) for form in changed]
        try:
            services.save_answers(actor=request.user, run=run, assessor=slot, entries=entries)
        except services.AnswerErrors as refused:
            for form in changed:
                if form.item.code in refused.errors:
                    _add_errors(form, refused.errors[form.item.code])
            valid = False
    for form in changed:
        describe_fields(form)
    return len(changed) if valid else None


@login_required
def section(request: HttpRequest, code: str, pk: int, section_code: str) -> HttpResponse:
    """A section's items in one form: one Save keeps every changed answer, or none and says why."""
    region, run = run_of(request, code, pk)
    part = get_object_or_404(Section.objects.filter(template_id=run.template_id), code=section_code)
    slot = slot_for(request, region, run)
    editable = _editable(run, slot)
    if request.method == "POST" and (slot is None or not editable):
        raise PermissionDenied
    rows = selectors.sections_of(run, slot or selectors.region_slot(run), only=part)[0]
    levels = services.level_count(run.template)
    forms = _item_forms(request, rows, levels, slot)
    status = 200
    if request.method == "POST":
        assert slot is not None
        count = _save_section(request, run, slot, forms)
        if count is not None:
            if count:
                message = ngettext("%(count)d answer saved.", "%(count)d answers saved.", count) % {"count": count}
                messages.success(request, message)
            else:
                messages.info(request, _("Nothing to save: no answer was changed."))
            return redirect("assessments:section", code, pk, section_code)
        status = 409 if any(getattr(form, "conflict", False) for _row, form in forms) else 200
    failed = [form for _row, form in forms if form.is_bound and form.has_changed() and form.errors]
    context = base_context(
        request, region, run, part=rows, forms=forms, failed=failed, slot=slot, editable=editable, swot_form=SwotForm()
    )
    return render(request, "assessments/section.html", context, status=status)


def _editable(run: Run, slot: Assessor | None) -> bool:
    if slot is None:
        return False
    if slot.is_region:
        return run.status in services.EDITABLE_RUN
    return run.status != "accepted"


@login_required
def answer(request: HttpRequest, code: str, pk: int, item_code: str) -> HttpResponse:
    """Save one item's answer. htmx gets the item's partial back; a plain POST goes back to the section."""
    region, run = run_of(request, code, pk)
    slot = slot_for(request, region, run)
    if slot is None:
        raise PermissionDenied
    item = get_object_or_404(Item.objects.filter(template_id=run.template_id).select_related("section"), code=item_code)
    current = Answer.objects.filter(assessor=slot, item=item).first()
    levels = services.level_count(run.template)
    needs_evidence = slot.is_region
    form = AnswerForm(
        request.POST or None,
        request.FILES or None,
        item=item,
        levels=levels,
        answer=current,
        needs_evidence=needs_evidence,
    )

    def save(data: dict[str, Any]) -> Answer:
        return services.save_answer(
            actor=request.user, run=run, assessor=slot, item=item, data=data, expected_version=data["version"]
        )

    saved = submit(request, form, save)
    if saved is not None:
        form = AnswerForm(item=item, levels=levels, answer=saved, needs_evidence=needs_evidence)
        if not is_htmx(request):
            messages.success(request, _("%(item)s saved.") % {"item": item.code})
            return redirect(reverse("assessments:section", args=[code, pk, item.section.code]) + f"#item-{item.code}")
    row = selectors.ItemRow(item, saved or current)
    status = 409 if getattr(form, "conflict", False) else 200
    context = base_context(request, region, run, row=row, form=form, editable=_editable(run, slot), saved=saved)
    return render_page(request, "assessments/answer.html", "assessments/_item_form.html", context, status=status)


@login_required
@require_POST
def run_submit(request: HttpRequest, code: str, pk: int) -> HttpResponse:
    _region, run = run_of(request, code, pk, Can.EDIT)
    try:
        services.submit_run(actor=request.user, run=run, expected_version=posted_version(request))
    except ValidationError as error:
        for message in error.messages:
            messages.error(request, message)
    except EditConflict as conflict:
        messages.error(request, str(conflict))
    else:
        messages.success(
            request, _("Submitted for review. A mentor or ministry assessor will accept or return each item.")
        )
    return redirect("assessments:run", code, pk)


@login_required
def assessor_add(request: HttpRequest, code: str, pk: int) -> HttpResponse:
    region, run = run_of(request, code, pk, Can.ADMINISTER)
    form = AssessorForm(request.POST or None, users=access.reviewer_users(region))
    if submit(request, form, lambda data: services.assign_assessor(actor=request.user, run=run, user=data["user"])):
        messages.success(request, _("Assessor added."))
        return redirect("assessments:run", code, pk)
    context = base_context(request, region, run, form=form, title=_("Add an assessor"))
    context["cancel_url"] = reverse("assessments:run", args=[code, pk])
    return render(request, "assessments/form.html", context)


@login_required
def history(request: HttpRequest, code: str, pk: int, item_code: str) -> HttpResponse:
    region, run = run_of(request, code, pk)
    item = get_object_or_404(Item.objects.filter(template_id=run.template_id), code=item_code)
    answers = list(Answer.objects.filter(run=run, item=item).select_related("assessor").prefetch_related("revisions"))
    for answer in answers:
        answer.item = item  # the revisions read the item's options without a query each
        for revision in answer.revisions.all():
            revision.answer = answer
    return render(request, "assessments/history.html", base_context(request, region, run, item=item, answers=answers))


@login_required
@require_POST
def swot_add(request: HttpRequest, code: str, pk: int, section_code: str) -> HttpResponse:
    _region, run = run_of(request, code, pk, Can.EDIT)
    part = get_object_or_404(Section.objects.filter(template_id=run.template_id), code=section_code)
    form = SwotForm(request.POST)
    if submit(request, form, lambda data: services.add_swot(actor=request.user, run=run, section=part, data=data)):
        messages.success(request, _("SWOT entry added."))
    else:
        for field, errors in form.errors.items():
            for error in errors:
                messages.error(request, f"{form.fields[field].label if field in form.fields else ''}: {error}")
    return redirect(reverse("assessments:section", args=[code, pk, section_code]) + "#swot")


@login_required
@require_POST
def swot_remove(request: HttpRequest, code: str, pk: int, entry_pk: int) -> HttpResponse:
    region, run = run_of(request, code, pk, Can.EDIT)
    entry = get_object_or_404(
        SwotEntry.objects.filter(region=region, run=run).select_related("section", "run"), pk=entry_pk
    )
    back = reverse("assessments:section", args=[code, pk, entry.section.code]) + "#swot"
    what = _("the SWOT entry “%(text)s”") % {"text": entry}
    asked = ask_first(request, what=what, cancel_url=back, version=entry.version)
    if asked is not None:
        return asked
    try:
        services.remove_swot(actor=request.user, entry=entry, expected_version=posted_version(request))
    except EditConflict:
        return refuse_stale(request, what=what, cancel_url=back)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, _("SWOT entry removed."))
    return redirect(reverse("assessments:section", args=[code, pk, entry.section.code]) + "#swot")
