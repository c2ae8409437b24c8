"""An engagement: list, set-up (period, agreement, mentor team, schedule), dashboard, calendar."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.http.response import HttpResponseBase
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from kotacerdas.accounts import access
from kotacerdas.accounts.access import Act
from kotacerdas.engagements import feeds, selectors, services
from kotacerdas.engagements.forms import (
    DefaultScheduleForm,
    EngagementCreateForm,
    EngagementForm,
    MentorForm,
    SessionForm,
)
from kotacerdas.engagements.models import Engagement, MentorTeamMember
from kotacerdas.engagements.views.common import context, engagement_in, form_page, region_for
from kotacerdas.lib import files
from kotacerdas.lib.concurrency import EditConflict, posted_version
from kotacerdas.lib.confirm import ask_first, refuse_stale
from kotacerdas.lib.forms import submit


@login_required
def index(request: HttpRequest, code: str) -> HttpResponse:
    region = region_for(request, code)
    ctx = context(
        request,
        region,
        engagements=selectors.engagements_of(region),
        may_add_engagement=access.may_add_engagement(request.user),
    )
    return render(request, "engagements/index.html", ctx)


@login_required
def create(request: HttpRequest, code: str) -> HttpResponse:
    region = region_for(request, code)
    if not access.may_add_engagement(request.user):
        raise PermissionDenied
    form = EngagementCreateForm(request.POST or None)

    def save(data: dict[str, Any]) -> Engagement:
        cohort = data.pop("cohort")
        return services.create_engagement(actor=request.user, region=region, cohort=cohort, **data)

    engagement = submit(request, form, save)
    if engagement:
        messages.success(request, _("Engagement created. Add the agreement, the mentor team and the schedule."))
        return redirect("engagements:detail", code, engagement.pk)
    return form_page(request, region, form, _("Add an engagement"), reverse("engagements:index", args=[code]))


@login_required
def detail(request: HttpRequest, code: str, pk: int) -> HttpResponse:
    region = region_for(request, code)
    try:
        engagement = selectors.engagement_detail(region, pk)
    except Engagement.DoesNotExist as missing:
        raise Http404 from missing
    return render(request, "engagements/detail.html", context(request, region, engagement=engagement))


@login_required
def agreement_file(request: HttpRequest, code: str, pk: int) -> HttpResponseBase:
    """The agreement (Nota Kesepakatan) file, for whoever may see the engagement (404 otherwise)."""
    engagement = engagement_in(region_for(request, code), pk)
    if not engagement.agreement_file:
        raise Http404("No file.")
    return files.file_response(engagement.agreement_file, engagement.agreement_filename)


@login_required
def edit(request: HttpRequest, code: str, pk: int) -> HttpResponse:
    region = region_for(request, code, Act.SETUP)
    engagement = engagement_in(region, pk)
    form = EngagementForm(request.POST or None, request.FILES or None, instance=engagement)
    saved = submit(
        request,
        form,
        lambda data: services.update_engagement(
            actor=request.user, engagement=engagement, data=data, expected_version=data["version"]
        ),
    )
    if saved:
        messages.success(request, _("Engagement saved."))
        return redirect("engagements:detail", code, pk)
    return form_page(
        request,
        region,
        form,
        _("Period and agreement"),
        reverse("engagements:detail", args=[code, pk]),
        engagement=engagement,
    )


@login_required
def mentor_add(request: HttpRequest, code: str, pk: int) -> HttpResponse:
    region = region_for(request, code, Act.SETUP)
    engagement = engagement_in(region, pk)
    form = MentorForm(request.POST or None, region=region)
    if submit(request, form, lambda data: services.add_mentor(actor=request.user, engagement=engagement, data=data)):
        messages.success(request, _("Mentor added."))
        return redirect("engagements:detail", code, pk)
    return form_page(
        request, region, form, _("Add a mentor"), reverse("engagements:detail", args=[code, pk]), engagement=engagement
    )


@login_required
@require_POST
def mentor_remove(request: HttpRequest, code: str, pk: int, mentor_pk: int) -> HttpResponse:
    region = region_for(request, code, Act.SETUP)
    mentor = get_object_or_404(MentorTeamMember.objects.filter(region=region, engagement_id=pk), pk=mentor_pk)
    what = _("%(name)s from the mentor team") % {"name": mentor.person_name}
    back = reverse("engagements:detail", args=[code, pk])
    asked = ask_first(request, what=what, cancel_url=back, version=mentor.version)
    if asked is not None:
        return asked
    try:
        services.remove_mentor(actor=request.user, mentor=mentor, expected_version=posted_version(request))
    except EditConflict:
        return refuse_stale(request, what=what, cancel_url=back)
    messages.success(request, _("Mentor removed."))
    return redirect("engagements:detail", code, pk)


@login_required
def session_create(request: HttpRequest, code: str, pk: int) -> HttpResponse:
    region = region_for(request, code, Act.SETUP)
    engagement = engagement_in(region, pk)
    form = SessionForm(request.POST or None)
    session = submit(
        request, form, lambda data: services.plan_session(actor=request.user, engagement=engagement, data=data)
    )
    if session:
        messages.success(request, _("Session scheduled."))
        return redirect("engagements:session", code, session.pk)
    return form_page(
        request,
        region,
        form,
        _("Schedule a session"),
        reverse("engagements:detail", args=[code, pk]),
        engagement=engagement,
    )


@login_required
def default_schedule(request: HttpRequest, code: str, pk: int) -> HttpResponse:
    region = region_for(request, code, Act.SETUP)
    engagement = engagement_in(region, pk)
    form = DefaultScheduleForm(request.POST or None)
    created = submit(
        request,
        form,
        lambda data: services.schedule_default_stages(actor=request.user, engagement=engagement, **data),
    )
    if created:
        messages.success(request, _("Bimtek I–IV scheduled a month apart; adjust any of them as needed."))
        return redirect("engagements:detail", code, pk)
    return form_page(
        request,
        region,
        form,
        _("Schedule the four Bimtek stages"),
        reverse("engagements:detail", args=[code, pk]),
        engagement=engagement,
    )


@login_required
def dashboard(request: HttpRequest, code: str, pk: int) -> HttpResponse:
    region = region_for(request, code)
    try:
        data = selectors.dashboard(region, pk, timezone.localdate())
    except Engagement.DoesNotExist as missing:
        raise Http404 from missing
    return render(
        request, "engagements/dashboard.html", context(request, region, board=data, engagement=data.engagement)
    )


@login_required
def calendar(request: HttpRequest, code: str, pk: int) -> HttpResponse:
    """iCalendar file of one engagement's sessions and open actions' due dates (signed in)."""
    region = region_for(request, code)
    engagement = engagement_in(region, pk)
    body = feeds.engagement_feed(region, engagement, timezone.now(), request.build_absolute_uri("/").rstrip("/"))
    response = HttpResponse(body, content_type="text/calendar; charset=utf-8")
    response["Content-Disposition"] = f'inline; filename="pendampingan-{region.code}-{engagement.cohort.year}.ics"'
    return response
