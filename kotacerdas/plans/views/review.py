"""Review: dispositions of carried programmes, the change log between editions (page, CSV,
XLSX), comment threads on sections and programmes, and the approval chain."""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext, ngettext
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from kotacerdas.accounts import access
from kotacerdas.accounts.access import Can
from kotacerdas.lib import spreadsheets
from kotacerdas.lib.concurrency import EditConflict
from kotacerdas.lib.forms import submit
from kotacerdas.lib.htmx import render_page
from kotacerdas.plans import changelog, selectors, services
from kotacerdas.plans.forms import ApprovalForm, DispositionForm, ThreadForm, ThreadStatusForm
from kotacerdas.plans.interchange.export import edition_document
from kotacerdas.plans.models import (
    APPROVAL_ORDER,
    Disposition,
    Edition,
    EditionStatus,
    ReviewThread,
    ThreadStatus,
)
from kotacerdas.plans.views.common import base_context, edition_of, form_page
from kotacerdas.regions.models import Region

# Dispositions -------------------------------------------------------------------------------


@login_required
def disposition_list(request: HttpRequest, code: str, year: int) -> HttpResponse:
    region, edition = edition_of(request, code, year)
    if edition.previous_id is None:
        raise Http404("Not a review edition.")
    rows = selectors.dispositions(edition)
    counts: dict[str, int] = {}
    for d in rows:
        counts[d.kind] = counts.get(d.kind, 0) + 1
    context = base_context(request, region, edition, dispositions=rows, counts=counts)
    return render(request, "plans/dispositions.html", context)


@login_required
def disposition_edit(request: HttpRequest, code: str, year: int, pk: int) -> HttpResponse:
    region, edition = edition_of(request, code, year, Can.EDIT)
    disposition = get_object_or_404(
        Disposition.objects.filter(region=region, edition=edition).select_related("previous_programme", "programme"),
        pk=pk,
    )
    initial = {
        "kind": disposition.kind,
        "merged_into": disposition.merged_into_id,
        "rationale": disposition.rationale,
        "implementation_status": disposition.implementation_status,
        "implementation_note": disposition.implementation_note,
        "version": disposition.version,
    }
    form = DispositionForm(request.POST or None, initial=initial, edition=edition)
    saved = submit(
        request,
        form,
        lambda data: services.set_disposition(
            actor=request.user, disposition=disposition, data=data, expected_version=data["version"]
        ),
    )
    if saved:
        messages.success(request, _("Disposition saved."))
        return redirect("plans:dispositions", code, year)
    subject = disposition.previous_programme or disposition.programme
    return form_page(
        request,
        region,
        edition,
        form,
        _("Disposition of %(programme)s") % {"programme": subject},
        reverse("plans:dispositions", args=[code, year]),
        disposition=disposition,
    )


# Change log ---------------------------------------------------------------------------------


def _compared(request: HttpRequest, region: Region, edition: Edition) -> tuple[Edition | None, list[Any]]:
    """The edition to compare with (``?dari=YEAR``, default the previous one) and the changes."""
    other: Edition | None
    other_year = request.GET.get("dari")
    if other_year:
        if not other_year.isdigit():
            raise Http404("Unknown edition.")
        other = selectors.edition_for(region, int(other_year))
    else:
        other = edition.previous
    if other is None:
        return None, []
    return other, changelog.changelog(
        edition_document(other), edition_document(edition), changelog.translated_wording()
    )


def change_labels() -> dict[str, dict[str, str]]:
    """Translated names of the rows and fields the change log names by their interchange keys."""
    fields = changelog.translated_field_labels()
    kinds = {
        "edition": gettext("edition"),
        "section": gettext("chapter"),
        "mission": gettext("mission"),
        "goal": gettext("goal"),
        "strategy": gettext("strategy"),
        "waiver": gettext("element waiver"),
        "swot": gettext("SWOT item"),
        "programme": gettext("programme"),
    }
    return {"fields": fields, "kinds": kinds}


@login_required
def changes(request: HttpRequest, code: str, year: int) -> HttpResponse:
    region, edition = edition_of(request, code, year)
    other, found = _compared(request, region, edition)
    context = base_context(
        request,
        region,
        edition,
        other=other,
        changes=found,
        summary=changelog.summary(found),
        change_labels=change_labels(),
        editions=[e for e in selectors.editions(region) if e.pk != edition.pk],
    )
    return render(request, "plans/changes.html", context)


CHANGE_HEADER = ("change", "kind", "key", "label", "field", "before", "after")


@login_required
def changes_export(request: HttpRequest, code: str, year: int, fmt: str) -> HttpResponse:
    region, edition = edition_of(request, code, year)
    other, found = _compared(request, region, edition)
    if other is None or fmt not in ("csv", "xlsx"):
        raise Http404("Nothing to compare with.")
    name = f"perubahan-{region.code}-{other.year}-{edition.year}"
    rows = [CHANGE_HEADER, *([c.change, c.kind, c.key, c.label, c.field, c.before, c.after] for c in found)]
    if fmt == "csv":
        response = HttpResponse(spreadsheets.csv_text(rows), content_type="text/csv; charset=utf-8")
    else:
        book = spreadsheets.new_workbook("changes")
        for row in rows:
            spreadsheets.append_row(spreadsheets.first_sheet(book), row)
        response = HttpResponse(spreadsheets.workbook_bytes(book), content_type=spreadsheets.XLSX_CONTENT_TYPE)
    response["Content-Disposition"] = f'attachment; filename="{name}.{fmt}"'
    return response


# Comment threads ----------------------------------------------------------------------------


def _may_comment(request: HttpRequest, region: Region) -> None:
    if not access.may_comment(request.user, region):
        raise PermissionDenied


def _back(request: HttpRequest, fallback: str) -> str:
    target = request.POST.get("next") or ""
    if target and url_has_allowed_host_and_scheme(target, allowed_hosts={request.get_host()}):
        return target
    return fallback


@login_required
def thread_list(request: HttpRequest, code: str, year: int) -> HttpResponse:
    region, edition = edition_of(request, code, year)
    status = request.GET.get("status", ThreadStatus.OPEN)
    if status not in ThreadStatus.values and status != "all":
        status = ThreadStatus.OPEN
    rows = list(selectors.threads(edition, status=None if status == "all" else status))
    context = base_context(request, region, edition, threads=rows, status=status, statuses=ThreadStatus.choices)
    return render(request, "plans/threads.html", context)


@login_required
@require_POST
def thread_create(request: HttpRequest, code: str, year: int) -> HttpResponse:
    """Open a thread on a section (``section`` = key) or programme (``programme`` = code)."""
    region, edition = edition_of(request, code, year)
    _may_comment(request, region)
    section = programme = None
    if request.POST.get("section"):
        section = selectors.section_for(edition, request.POST["section"])
        fallback = reverse("plans:section", args=[code, year, section.key])
    elif request.POST.get("programme"):
        programme = selectors.programme_for(edition, request.POST["programme"])
        fallback = reverse("plans:programme", args=[code, year, programme.code])
    else:
        raise Http404("No anchor.")
    form = ThreadForm(request.POST)
    if form.is_valid():
        try:
            services.open_thread(
                actor=request.user,
                edition=edition,
                body=form.cleaned_data["body"],
                section=section,
                programme=programme,
            )
            messages.success(request, _("Comment posted."))
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
    else:
        messages.error(request, _("Write a comment before posting."))
    return redirect(_back(request, fallback) + "#diskusi")


def _thread(edition: Edition, pk: int) -> ReviewThread:
    return get_object_or_404(
        ReviewThread.objects.filter(region_id=edition.region_id, edition=edition).select_related(
            "section", "programme"
        ),
        pk=pk,
    )


@login_required
def thread_detail(request: HttpRequest, code: str, year: int, pk: int) -> HttpResponse:
    region, edition = edition_of(request, code, year)
    thread = get_object_or_404(selectors.threads(edition), pk=pk)
    context = base_context(request, region, edition, thread=thread, thread_form=ThreadForm())
    return render_page(request, "plans/thread.html", "plans/_thread.html", context)


@login_required
@require_POST
def thread_reply(request: HttpRequest, code: str, year: int, pk: int) -> HttpResponse:
    region, edition = edition_of(request, code, year)
    _may_comment(request, region)
    thread = _thread(edition, pk)
    form = ThreadForm(request.POST)
    if form.is_valid():
        services.reply(actor=request.user, thread=thread, body=form.cleaned_data["body"])
        messages.success(request, _("Reply posted."))
    else:
        messages.error(request, _("Write a comment before posting."))
    return redirect(_back(request, reverse("plans:thread", args=[code, year, pk])))


@login_required
@require_POST
def thread_status(request: HttpRequest, code: str, year: int, pk: int, status: str) -> HttpResponse:
    region, edition = edition_of(request, code, year)
    _may_comment(request, region)
    thread = _thread(edition, pk)
    if status not in ThreadStatus.values:
        raise Http404("Unknown status.")
    form = ThreadStatusForm(request.POST)
    if not form.is_valid():
        for error in form.non_field_errors():
            messages.error(request, str(error))
        return redirect(_back(request, reverse("plans:thread", args=[code, year, pk])))
    try:
        services.set_thread_status(
            actor=request.user, thread=thread, status=status, expected_version=form.cleaned_data["version"]
        )
        messages.success(request, _("Thread resolved.") if status == ThreadStatus.RESOLVED else _("Thread reopened."))
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    except EditConflict as conflict:
        messages.error(request, str(conflict))
    return redirect(_back(request, reverse("plans:thread", args=[code, year, pk])))


# Approval chain -----------------------------------------------------------------------------


def acknowledgement_field(count: int) -> forms.BooleanField:
    """The approval form's checkbox while the plan check finds errors: the service records a
    step over errors only when it is ticked, and audits the errors acknowledged."""
    return forms.BooleanField(
        label=ngettext(
            "I have read the %(n)s error of the plan check listed above and record this step anyway.",
            "I have read the %(n)s errors of the plan check listed above and record this step anyway.",
            count,
        )
        % {"n": count},
        required=False,
    )


@login_required
def approval(request: HttpRequest, code: str, year: int) -> HttpResponse:
    """The approval chain so far; region admins (and ministry staff) record the next step."""
    region, edition = edition_of(request, code, year)
    steps = list(edition.approval_steps.select_related("actor"))
    position = APPROVAL_ORDER.index(edition.status)
    next_step = EditionStatus(APPROVAL_ORDER[position + 1]) if position + 1 < len(APPROVAL_ORDER) else None
    can_record = Can.ADMINISTER in access.capabilities(request.user, region)
    form = None
    data = selectors.plan_data(edition, document=False) if next_step is not None else None
    if next_step is not None and can_record:
        form = ApprovalForm(
            request.POST or None, adopting=next_step == EditionStatus.ADOPTED, initial={"version": edition.version}
        )
        if data is not None and data.report.errors:
            form.fields["acknowledge_errors"] = acknowledgement_field(len(data.report.errors))

        def save(data: dict[str, Any]) -> Any:
            adoption = {k: data.get(k) for k in ("adoption_instrument", "adoption_number", "adoption_date")}
            return services.record_approval(
                actor=request.user,
                edition=edition,
                step=next_step.value,
                decided_on=data["decided_on"],
                reference=data.get("reference", ""),
                note=data.get("note", ""),
                adoption=adoption,
                expected_version=data["version"],
                acknowledge_errors=bool(data.get("acknowledge_errors")),
            )

        if submit(request, form, save):
            messages.success(request, _("Recorded: %(step)s.") % {"step": next_step.label})
            return redirect("plans:approval", code, year)
    elif request.method == "POST":
        access.require(request.user, region, Can.ADMINISTER)
    chain = [(EditionStatus(s), next((x for x in steps if x.step == s), None)) for s in APPROVAL_ORDER[1:]]
    context = base_context(
        request,
        region,
        edition,
        steps=steps,
        chain=chain,
        next_step=next_step,
        form=form,
        report=data.report if data else None,
    )
    status = 409 if form is not None and getattr(form, "conflict", False) else 200
    return render(request, "plans/approval.html", context, status=status)
