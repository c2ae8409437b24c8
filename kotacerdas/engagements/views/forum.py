"""Running a forum: the session page, start and close, agenda, attendance, minutes, outcomes."""

from __future__ import annotations

import datetime
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.db import transaction
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from kotacerdas.accounts.access import Act
from kotacerdas.engagements import selectors, services
from kotacerdas.engagements.forms import (
    ActionOutcomeForm,
    AgendaItemForm,
    MinutesForm,
    ObstacleForm,
    OutcomeForm,
    SessionForm,
)
from kotacerdas.engagements.models import AgendaItem, AttendanceStatus, OutcomeKind, Session
from kotacerdas.engagements.views.common import context, form_page, region_for, session_in
from kotacerdas.lib.concurrency import EditConflict, posted_version
from kotacerdas.lib.confirm import ask_first, refuse_stale
from kotacerdas.lib.forms import submit
from kotacerdas.lib.pagecache import region_page
from kotacerdas.monitoring.selectors import implementation_since
from kotacerdas.regions.models import OPD


@login_required
@region_page
def session(request: HttpRequest, code: str, pk: int) -> HttpResponse:
    region = region_for(request, code)
    try:
        page = selectors.session_page(region, pk, timezone.localdate())
    except Session.DoesNotExist as missing:
        raise Http404 from missing
    ctx = context(
        request,
        region,
        page=page,
        implementation=_implementation(region, page),
        engagement=page.session.engagement,
        outcome_form=OutcomeForm(),
        action_form=ActionOutcomeForm(region=region),
        agenda_form=AgendaItemForm(region=region),
        obstacle_form=ObstacleForm(region=region),
    )
    return render(request, "engagements/session.html", ctx)


def _implementation(region: Any, page: Any) -> Any:
    """Implementation since the previous session (or the 90 days before the first one) until this one."""
    until = min(page.session.starts_on, page.today)
    since = page.previous.starts_on if page.previous else until - datetime.timedelta(days=90)
    return implementation_since(region, since, until)


def _programme_initial(request: HttpRequest) -> dict[str, Any]:
    """``?programme=ID`` from the session page's "raise from this programme" links pre-fills the form."""
    value = request.GET.get("programme", "")
    return {"programme": int(value)} if value.isdigit() and len(value) < 10 else {}


@login_required
def session_edit(request: HttpRequest, code: str, pk: int) -> HttpResponse:
    region = region_for(request, code, Act.SETUP)
    current = session_in(region, pk)
    form = SessionForm(request.POST or None, instance=current)
    saved = submit(
        request,
        form,
        lambda data: services.update_session(
            actor=request.user, session=current, data=data, expected_version=data["version"]
        ),
    )
    if saved:
        messages.success(request, _("Session saved."))
        return redirect("engagements:session", code, pk)
    return form_page(
        request,
        region,
        form,
        _("Edit %(session)s") % {"session": current.title},
        reverse("engagements:session", args=[code, pk]),
        engagement=current.engagement,
        session=current,
    )


@login_required
@require_POST
def session_cancel(request: HttpRequest, code: str, pk: int) -> HttpResponse:
    """Call off a planned session (it stays listed, marked cancelled, also in calendars)."""
    region = region_for(request, code, Act.SETUP)
    current = session_in(region, pk)
    try:
        services.cancel_session(actor=request.user, session=current, expected_version=posted_version(request))
    except EditConflict as conflict:
        # The page as it is now, saying why nothing changed (409), so the person decides again.
        messages.error(request, str(conflict))
        response = session(request, code, pk)
        response.status_code = 409
        return response
    except ValidationError as error:
        for message in error.messages:
            messages.error(request, message)
    else:
        messages.success(request, _("Session cancelled."))
    return redirect("engagements:session", code, pk)


def _transition(request: HttpRequest, code: str, pk: int, act: Act, service: Any, done: str) -> HttpResponse:
    region = region_for(request, code, act)
    current = session_in(region, pk)
    try:
        service(actor=request.user, session=current)
    except ValidationError as error:
        for message in error.messages:
            messages.error(request, message)
    else:
        messages.success(request, done)
    return redirect("engagements:session", code, pk)


@login_required
@require_POST
def session_start(request: HttpRequest, code: str, pk: int) -> HttpResponse:
    return _transition(request, code, pk, Act.RUN, services.start_session, _("Session started."))


@login_required
@require_POST
def session_close(request: HttpRequest, code: str, pk: int) -> HttpResponse:
    return _transition(
        request, code, pk, Act.CLOSE, services.close_session, _("Session closed; its minutes are now frozen.")
    )


@login_required
def minutes(request: HttpRequest, code: str, pk: int) -> HttpResponse:
    """Write the minutes during the meeting. A closed session's minutes are frozen: the form is
    shown read-only and a POST is refused with the reason."""
    region = region_for(request, code, Act.RUN)
    current = session_in(region, pk)
    form = MinutesForm(request.POST or None, instance=current)
    saved = submit(
        request,
        form,
        lambda data: services.save_minutes(
            actor=request.user, session=current, data=data, expected_version=data["version"]
        ),
    )
    if saved:
        messages.success(request, _("Minutes saved."))
        return redirect("engagements:session", code, pk)
    if current.is_closed:
        for field in form.fields.values():
            field.disabled = True
    frozen_post = current.is_closed and request.method == "POST"
    status = 409 if getattr(form, "conflict", False) else (400 if frozen_post else 200)
    ctx = context(
        request,
        region,
        form=form,
        title=_("Minutes of %(session)s") % {"session": current.title},
        cancel_url=reverse("engagements:session", args=[code, pk]),
        engagement=current.engagement,
        session=current,
        frozen=current.is_closed,
    )
    return render(request, "engagements/form.html", ctx, status=status)


@login_required
def agenda_add(request: HttpRequest, code: str, pk: int) -> HttpResponse:
    region = region_for(request, code, Act.RUN)
    current = session_in(region, pk)
    form = AgendaItemForm(request.POST or None, region=region)
    if submit(request, form, lambda data: services.add_agenda_item(actor=request.user, session=current, data=data)):
        messages.success(request, _("Agenda item added."))
        return redirect("engagements:session", code, pk)
    return form_page(
        request,
        region,
        form,
        _("Add an agenda item"),
        reverse("engagements:session", args=[code, pk]),
        engagement=current.engagement,
        session=current,
    )


@login_required
@require_POST
def agenda_remove(request: HttpRequest, code: str, pk: int, item_pk: int) -> HttpResponse:
    region = region_for(request, code, Act.RUN)
    item = get_object_or_404(
        AgendaItem.objects.filter(region=region, session_id=pk).select_related("session"), pk=item_pk
    )
    what = _("the agenda item “%(title)s”") % {"title": item}
    back = reverse("engagements:session", args=[code, pk])
    asked = ask_first(request, what=what, cancel_url=back, version=item.version)
    if asked is not None:
        return asked
    try:
        services.remove_agenda_item(actor=request.user, item=item, expected_version=posted_version(request))
    except EditConflict:
        return refuse_stale(request, what=what, cancel_url=back)
    except ValidationError as error:
        for message in error.messages:
            messages.error(request, message)
    else:
        messages.success(request, _("Agenda item removed."))
    return redirect("engagements:session", code, pk)


@login_required
def attendance(request: HttpRequest, code: str, pk: int) -> HttpResponse:
    """The sign-in list: one row per agency existing on the session's first day."""
    region = region_for(request, code, Act.RUN)
    try:
        page = selectors.session_page(region, pk, timezone.localdate())
    except Session.DoesNotExist as missing:
        raise Http404 from missing
    closed = page.session.is_closed
    errors: list[str] = []
    entries: list[dict[str, Any]] = [
        {
            "opd": line.opd,
            "status": line.row.status if line.row else "",
            "person_name": line.row.person_name if line.row else "",
            "position": line.row.position if line.row else "",
            "signed": bool(line.row and line.row.signed),
        }
        for line in page.attendance
    ]
    if request.method == "POST":
        errors = _read_attendance(request, region, entries)  # shown again as typed, even when refused
        if closed:
            errors.insert(0, services.forum.frozen_message(page.session))
        if not errors:
            try:
                with transaction.atomic():  # the whole sign-in list or nothing
                    for entry in entries:
                        if entry["status"]:
                            services.record_attendance(
                                actor=request.user,
                                session=page.session,
                                opd=entry["opd"],
                                data={k: entry[k] for k in ("status", "person_name", "position", "signed")},
                            )
            except ValidationError as error:
                errors.extend(error.messages)
        if not errors:
            messages.success(request, _("Attendance saved."))
            return redirect("engagements:session", code, pk)
    ctx = context(
        request,
        region,
        page=page,
        implementation=_implementation(region, page),
        engagement=page.session.engagement,
        session=page.session,
        errors=errors,
        entries=entries,
        closed=closed,
        statuses=AttendanceStatus.choices,
    )
    return render(request, "engagements/attendance.html", ctx, status=400 if errors else 200)


ATTENDANCE_TEXT_LIMIT = 200


def _read_attendance(request: HttpRequest, region: Any, entries: list[dict[str, Any]]) -> list[str]:
    """Put the posted sign-in list into ``entries`` (so the page shows what was typed) and say
    what is wrong with it, per agency. An agency posted that is not on the list goes to the
    service, which says why it cannot sign (e.g. it did not exist on the day)."""
    errors: list[str] = []
    listed = {str(entry["opd"].pk) for entry in entries}
    others = [i for i in request.POST.getlist("opd") if i not in listed]
    if others:
        found = {str(o.pk): o for o in OPD.objects.filter(region=region, pk__in=[i for i in others if i.isdigit()])}
        if len(found) < len(set(others)):
            errors.append(_("Unknown agency."))
        entries.extend({"opd": opd} for opd in found.values())
    for entry in entries:
        opd_id = entry["opd"].pk
        entry["status"] = request.POST.get(f"status-{opd_id}", "")
        entry["person_name"] = request.POST.get(f"person-{opd_id}", "").strip()
        entry["position"] = request.POST.get(f"position-{opd_id}", "").strip()
        entry["signed"] = request.POST.get(f"signed-{opd_id}") == "on"
        if entry["status"] and entry["status"] not in AttendanceStatus.values:
            errors.append(_("%(opd)s: choose head present, delegate or absent.") % {"opd": entry["opd"]})
        for field, label in (("person_name", _("Name of who attended")), ("position", _("Position"))):
            value = entry[field]
            if "\x00" in value:
                message = _("%(opd)s, %(field)s: remove the null character.")
                errors.append(message % {"opd": entry["opd"], "field": label})
            elif len(value) > ATTENDANCE_TEXT_LIMIT:
                errors.append(
                    _("%(opd)s, %(field)s: at most %(limit)d characters (now %(count)d).")
                    % {"opd": entry["opd"], "field": label, "limit": ATTENDANCE_TEXT_LIMIT, "count": len(value)}
                )
    return errors


@login_required
def outcome_add(request: HttpRequest, code: str, pk: int) -> HttpResponse:
    region = region_for(request, code, Act.RUN)
    current = session_in(region, pk)
    form = OutcomeForm(request.POST or None)
    if submit(request, form, lambda data: services.add_outcome(actor=request.user, session=current, data=data)):
        messages.success(request, _("Outcome recorded."))
        return redirect(reverse("engagements:session", args=[code, pk]) + "#outcomes")
    return form_page(
        request,
        region,
        form,
        _("Record an information or decision"),
        reverse("engagements:session", args=[code, pk]),
        engagement=current.engagement,
        session=current,
    )


@login_required
def action_add(request: HttpRequest, code: str, pk: int) -> HttpResponse:
    """Record an action agreed at the session (an outcome with an owner and a due date)."""
    region = region_for(request, code, Act.RUN)
    current = session_in(region, pk)
    form = ActionOutcomeForm(request.POST or None, region=region, initial=_programme_initial(request))
    saved = submit(
        request,
        form,
        lambda data: services.add_outcome(
            actor=request.user, session=current, data={**data, "kind": OutcomeKind.ACTION}
        ),
    )
    if saved:
        messages.success(request, _("Action recorded."))
        return redirect(reverse("engagements:session", args=[code, pk]) + "#outcomes")
    return form_page(
        request,
        region,
        form,
        _("Record an action"),
        reverse("engagements:session", args=[code, pk]),
        engagement=current.engagement,
        session=current,
    )


@login_required
def obstacle_add(request: HttpRequest, code: str, pk: int) -> HttpResponse:
    region = region_for(request, code, Act.RUN)
    current = session_in(region, pk)
    form = ObstacleForm(request.POST or None, region=region, initial=_programme_initial(request))
    if submit(request, form, lambda data: services.raise_obstacle(actor=request.user, session=current, data=data)):
        messages.success(request, _("Obstacle registered."))
        return redirect(reverse("engagements:session", args=[code, pk]) + "#obstacles")
    return form_page(
        request,
        region,
        form,
        _("Register an obstacle"),
        reverse("engagements:session", args=[code, pk]),
        engagement=current.engagement,
        session=current,
    )
