"""The update workflow pages: "my updates", writing and editing an update, its page with the
validation buttons, corrections, the evidence download and a programme's history.

Each view reaches the region through ``access.region_for`` and fetches rows inside it (another
region's update is a 404); writes ask the access predicates first (403) and then the services,
which ask again. Edits carry the update's version: a stale one answers 409 and keeps the input.
"""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.http import Http404, HttpRequest, HttpResponse
from django.http.response import HttpResponseBase
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import URLPattern, path, reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from kotacerdas.accounts import access
from kotacerdas.lib import files
from kotacerdas.lib.concurrency import EditConflict, posted_version
from kotacerdas.lib.forms import submit
from kotacerdas.monitoring import selectors, services
from kotacerdas.monitoring.forms import ReturnForm, UpdateForm, initial_from
from kotacerdas.monitoring.models import ProgrammeUpdate, ReportingPeriod, UpdateState
from kotacerdas.monitoring.progress_chart import Point, progress_svg
from kotacerdas.plans.models import BudgetSource, Programme, ProgrammeStatus
from kotacerdas.plans.models.plan import EditionStatus
from kotacerdas.regions.models import Region


def urlpatterns(prefix: str) -> list[URLPattern]:
    u = prefix + "laporan/<int:pk>/"
    p = prefix + "program/<int:programme>/"
    return [
        path(prefix + "laporan-saya/", my_updates, name="my_updates"),
        path(p, programme_updates, name="programme_updates"),
        path(p + "laporan/<str:period>/", update_create, name="update_create"),
        path(u, update_detail, name="update"),
        path(u + "ubah/", update_edit, name="update_edit"),
        path(u + "kirim/", update_submit, name="update_submit"),
        path(u + "terima/", update_accept, name="update_accept"),
        path(u + "kembalikan/", update_return, name="update_return"),
        path(u + "koreksi/", update_correct, name="update_correct"),
        path(u + "hapus/", update_delete, name="update_delete"),
        path(u + "bukti/", update_evidence, name="update_evidence"),
    ]


# Helpers -----------------------------------------------------------------------------------


def _programme(region: Region, pk: int) -> Programme:
    """A programme of an adopted edition of ``region`` (the ones monitored); 404 otherwise."""
    return get_object_or_404(
        Programme.objects.filter(region=region, edition__status=EditionStatus.ADOPTED).select_related(
            "edition", "lead_opd"
        ),
        pk=pk,
    )


def _update(region: Region, pk: int) -> ProgrammeUpdate:
    update = selectors.update_detail(region, pk)
    if update is None:
        raise Http404("No such update.")
    return update


def _may_write(request: HttpRequest, region: Region, programme: Programme) -> bool:
    return access.may_report_for(request.user, region, programme.lead_opd_id)


def _require_write(request: HttpRequest, region: Region, programme: Programme) -> None:
    if not _may_write(request, region, programme):
        raise PermissionDenied


def _context(request: HttpRequest, region: Region, **extra: Any) -> dict[str, Any]:
    return {"region": region, "can": access.capabilities(request.user, region), **extra}


def _update_form(
    request: HttpRequest,
    programme: Programme,
    period: ReportingPeriod,
    *,
    update: ProgrammeUpdate | None = None,
    initial: dict[str, Any] | None = None,
) -> UpdateForm:
    return UpdateForm(
        request.POST or None,
        request.FILES or None,
        planned=selectors.planned_budgets(programme, period.year),
        quick_win=selectors.is_quick_win(programme, period.year),
        year=period.year,
        update=update,
        initial=initial,
    )


def _form_page(
    request: HttpRequest,
    region: Region,
    form: UpdateForm,
    *,
    programme: Programme,
    period: ReportingPeriod,
    title: str,
    cancel_url: str,
    update: ProgrammeUpdate | None = None,
    corrects: ProgrammeUpdate | None = None,
) -> HttpResponse:
    status = 409 if getattr(form, "conflict", False) else (400 if form.is_bound and form.errors else 200)
    context = _context(
        request,
        region,
        form=form,
        programme=programme,
        period=period,
        title=title,
        cancel_url=cancel_url,
        update=update,
        corrects=corrects,
    )
    return render(request, "monitoring/updates/form.html", context, status=status)


def _then_submit(request: HttpRequest, update: ProgrammeUpdate) -> ProgrammeUpdate:
    """Submit right after saving when the person pressed "save and submit"."""
    if request.POST.get("action") == "submit":
        return services.submit_update(actor=request.user, update=update, expected_version=update.version)
    return update


def _saved_message(request: HttpRequest, update: ProgrammeUpdate) -> None:
    if update.state == UpdateState.SUBMITTED:
        messages.success(request, _("Update submitted for validation."))
    else:
        messages.success(request, _("Draft saved. Submit it when it is complete."))


# "My updates" ------------------------------------------------------------------------------


@login_required
def my_updates(request: HttpRequest, code: str) -> HttpResponse:
    """What the user has to report (due, overdue, returned) and what waits for validation.

    An editor tied to an agency sees that agency's programmes first (``?lingkup=semua``: the whole
    region); everyone else sees the whole region. Validators also get the list to decide.
    """
    region = access.region_for(request.user, code)
    today = timezone.localdate()
    tied = access.editor_opd_id(request.user, region)
    whole = tied is None or request.GET.get("lingkup") == "semua"
    mine = selectors.my_updates(region, today, lead_opd_id=None if whole else tied)
    may_validate = access.may_validate_updates(request.user, region)
    rows = [d.programme for d in mine.due + mine.overdue] + [u.programme for u in mine.returned]
    writable = {p.pk for p in rows if _may_write(request, region, p)}
    context = _context(
        request,
        region,
        mine=mine,
        today=today,
        tied=tied,
        whole=whole,
        writable=writable,
        may_validate=may_validate,
        to_validate=selectors.updates_to_validate(region) if may_validate else [],
    )
    return render(request, "monitoring/updates/mine.html", context)


# Writing an update -------------------------------------------------------------------------


@login_required
def update_create(request: HttpRequest, code: str, programme: int, period: str) -> HttpResponse:
    region = access.region_for(request.user, code)
    found = _programme(region, programme)
    reporting_period = get_object_or_404(
        ReportingPeriod.objects.filter(region=region, edition_id=found.edition_id), key=period
    )
    _require_write(request, region, found)
    history = reverse("monitoring:programme_updates", args=[code, found.pk])
    existing = (
        ProgrammeUpdate.objects.filter(programme=found, period=reporting_period)
        .order_by("-created_at", "-pk")
        .only("pk", "state")
        .first()
    )
    if existing is not None:
        if existing.state == UpdateState.ACCEPTED:
            messages.info(request, _("The update for this period is accepted and frozen: write a correction of it."))
        else:
            messages.info(request, _("This period already has an update that is not yet accepted: continue that one."))
        return redirect("monitoring:update", code, existing.pk)
    if reporting_period.starts_on > timezone.localdate():
        messages.error(
            request,
            _("Period %(key)s has not begun: report it from %(day)s.")
            % {"key": reporting_period.key, "day": reporting_period.starts_on.isoformat()},
        )
        return redirect(history)
    form = _update_form(request, found, reporting_period, initial={"reported_on": timezone.localdate()})

    @transaction.atomic
    def save(_data: dict[str, Any]) -> ProgrammeUpdate:
        created = services.create_update(
            actor=request.user, programme=found, period=reporting_period, data=form.service_data()
        )
        return _then_submit(request, created)

    created = submit(request, form, save)
    if created:
        _saved_message(request, created)
        return redirect("monitoring:update", code, created.pk)
    return _form_page(
        request,
        region,
        form,
        programme=found,
        period=reporting_period,
        title=_("Update of %(code)s for %(period)s") % {"code": found.code, "period": reporting_period.key},
        cancel_url=history,
    )


@login_required
def update_edit(request: HttpRequest, code: str, pk: int) -> HttpResponse:
    region = access.region_for(request.user, code)
    update = _update(region, pk)
    _require_write(request, region, update.programme)
    if update.is_frozen:
        messages.error(request, _("A submitted or accepted update can no longer be changed."))
        return redirect("monitoring:update", code, pk)
    initial = {**initial_from(update), "evidence_file": update.evidence_file or None}
    form = _update_form(request, update.programme, update.period, update=update, initial=initial)

    @transaction.atomic
    def save(data: dict[str, Any]) -> ProgrammeUpdate:
        saved = services.edit_update(
            actor=request.user, update=update, data=form.service_data(), expected_version=data["version"]
        )
        return _then_submit(request, saved)

    saved = submit(request, form, save)
    if saved:
        _saved_message(request, saved)
        return redirect("monitoring:update", code, saved.pk)
    return _form_page(
        request,
        region,
        form,
        programme=update.programme,
        period=update.period,
        title=_("Edit the update of %(code)s for %(period)s")
        % {"code": update.programme.code, "period": update.period.key},
        cancel_url=reverse("monitoring:update", args=[code, pk]),
        update=update,
    )


@login_required
def update_correct(request: HttpRequest, code: str, pk: int) -> HttpResponse:
    """A correction of an accepted update: a new draft, filled in with what the accepted one said."""
    region = access.region_for(request.user, code)
    update = _update(region, pk)
    _require_write(request, region, update.programme)
    if update.state != UpdateState.ACCEPTED:
        messages.error(request, _("Only an accepted update is corrected; change a draft or returned one directly."))
        return redirect("monitoring:update", code, pk)
    initial = initial_from(update)
    initial["reported_on"] = timezone.localdate()
    form = _update_form(request, update.programme, update.period, initial=initial)

    @transaction.atomic
    def save(_data: dict[str, Any]) -> ProgrammeUpdate:
        created = services.correct_update(actor=request.user, update=update, data=form.service_data())
        return _then_submit(request, created)

    created = submit(request, form, save)
    if created:
        _saved_message(request, created)
        return redirect("monitoring:update", code, created.pk)
    return _form_page(
        request,
        region,
        form,
        programme=update.programme,
        period=update.period,
        title=_("Correct the update of %(code)s for %(period)s")
        % {"code": update.programme.code, "period": update.period.key},
        cancel_url=reverse("monitoring:update", args=[code, pk]),
        corrects=update,
    )


# The update's page and its buttons -----------------------------------------------------------


def _detail_page(
    request: HttpRequest,
    region: Region,
    update: ProgrammeUpdate,
    *,
    return_form: ReturnForm | None = None,
    problem: str = "",
    status: int = 200,
) -> HttpResponse:
    may_write = _may_write(request, region, update.programme)
    may_validate = access.may_validate_updates(request.user, region)
    planned = selectors.planned_budgets(update.programme, update.period.year)
    realised = {b.source: b.amount for b in update.budgets.all()}
    budgets = [
        {"label": label, "planned": planned.get(source), "realised": realised.get(source)}
        for source, label in BudgetSource.choices
        if source in planned or source in realised
    ]
    editable = update.state in (UpdateState.DRAFT, UpdateState.RETURNED)
    context = _context(
        request,
        region,
        update=update,
        programme=update.programme,
        budgets=budgets,
        corrections=list(update.corrections.all()),
        may_edit=may_write and editable,
        may_delete=may_write and update.state == UpdateState.DRAFT,
        may_decide=may_validate and update.state == UpdateState.SUBMITTED,
        may_correct=may_write and update.state == UpdateState.ACCEPTED,
        return_form=return_form or ReturnForm(initial={"version": update.version}),
        problem=problem,
    )
    return render(request, "monitoring/updates/detail.html", context, status=status)


@login_required
def update_detail(request: HttpRequest, code: str, pk: int) -> HttpResponse:
    region = access.region_for(request.user, code)
    return _detail_page(request, region, _update(region, pk))


def _button(
    request: HttpRequest,
    code: str,
    pk: int,
    allowed: Any,
    act: Any,
    done: str,
) -> HttpResponse:
    """A POST button without a form of its own: check, act with the posted version, report."""
    region = access.region_for(request.user, code)
    update = _update(region, pk)
    if not allowed(region, update):
        raise PermissionDenied
    try:
        result = act(update, posted_version(request))
    except EditConflict as conflict:
        return _detail_page(request, region, _update(region, pk), problem=str(conflict), status=409)
    except ValidationError as error:
        return _detail_page(request, region, _update(region, pk), problem=" ".join(error.messages), status=400)
    messages.success(request, done)
    return result if isinstance(result, HttpResponse) else redirect("monitoring:update", code, pk)


@login_required
@require_POST
def update_submit(request: HttpRequest, code: str, pk: int) -> HttpResponse:
    return _button(
        request,
        code,
        pk,
        lambda region, u: _may_write(request, region, u.programme),
        lambda u, v: services.submit_update(actor=request.user, update=u, expected_version=v),
        _("Update submitted for validation."),
    )


@login_required
@require_POST
def update_accept(request: HttpRequest, code: str, pk: int) -> HttpResponse:
    return _button(
        request,
        code,
        pk,
        lambda region, _u: access.may_validate_updates(request.user, region),
        lambda u, v: services.accept_update(actor=request.user, update=u, expected_version=v),
        _("Update accepted: the programme's status now follows it."),
    )


@login_required
@require_POST
def update_delete(request: HttpRequest, code: str, pk: int) -> HttpResponse:
    def delete(update: ProgrammeUpdate, version: int) -> HttpResponse:
        services.delete_update(actor=request.user, update=update, expected_version=version)
        return redirect("monitoring:programme_updates", code, update.programme_id)

    return _button(
        request,
        code,
        pk,
        lambda region, u: _may_write(request, region, u.programme),
        delete,
        _("Draft deleted."),
    )


@login_required
@require_POST
def update_return(request: HttpRequest, code: str, pk: int) -> HttpResponse:
    region = access.region_for(request.user, code)
    update = _update(region, pk)
    if not access.may_validate_updates(request.user, region):
        raise PermissionDenied
    form = ReturnForm(request.POST)

    def save(data: dict[str, Any]) -> ProgrammeUpdate:
        return services.return_update(
            actor=request.user, update=update, reason=data["return_reason"], expected_version=data["version"]
        )

    returned = submit(request, form, save)
    if returned:
        messages.success(request, _("Update returned to the agency with your reason."))
        return redirect("monitoring:update", code, pk)
    status = 409 if getattr(form, "conflict", False) else 400
    return _detail_page(request, region, _update(region, pk), return_form=form, status=status)


@login_required
def update_evidence(request: HttpRequest, code: str, pk: int) -> HttpResponseBase:
    """The evidence file of an update, for whoever may see the region (404 otherwise)."""
    region = access.region_for(request.user, code)
    update = get_object_or_404(ProgrammeUpdate.objects.filter(region=region), pk=pk)
    if not update.evidence_file:
        raise Http404("No file.")
    return files.file_response(update.evidence_file, update.evidence_download_name())


# A programme's history -----------------------------------------------------------------------


@login_required
def programme_updates(request: HttpRequest, code: str, programme: int) -> HttpResponse:
    """Every update of a programme, its current status and its progress over time.

    ``?periode=KEY`` (the small form on the page) opens the update of that period."""
    region = access.region_for(request.user, code)
    found = _programme(region, programme)
    today = timezone.localdate()
    history = selectors.programme_history(found, today)
    chosen = request.GET.get("periode")
    if chosen and any(p.key == chosen for p in history.reportable):
        return redirect("monitoring:update_create", code, found.pk, chosen)
    statuses = dict(ProgrammeStatus.choices)
    chart = progress_svg(
        [Point(p.period.key, p.update.progress, str(statuses.get(p.update.status, ""))) for p in history.progress],
        ident="progress",
        title=_("Physical progress of %(code)s by period") % {"code": found.code},
        description=_("Progress (%) of the accepted update of each period; the table below gives the same numbers."),
    )
    context = _context(
        request,
        region,
        programme=found,
        history=history,
        chart=chart if history.progress else "",
        may_write=_may_write(request, region, found) and found.status != ProgrammeStatus.CANCELLED,
    )
    return render(request, "monitoring/updates/history.html", context)
