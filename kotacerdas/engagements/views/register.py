"""Follow-up pages: actions, the obstacle register, the commitment sheet, the ministry's escalations."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.http.response import HttpResponseBase
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from kotacerdas.accounts import access
from kotacerdas.accounts.access import Act
from kotacerdas.engagements import selectors, services
from kotacerdas.engagements.forms import (
    ActionForm,
    CommitmentScanForm,
    MinistryResponseForm,
    ObstacleEditForm,
    SignatureForm,
)
from kotacerdas.engagements.models import (
    Action,
    CommitmentSignatory,
    Obstacle,
    ObstacleCategory,
    ObstacleStatus,
)
from kotacerdas.engagements.views.common import context, engagement_in, form_page, region_for
from kotacerdas.lib import files
from kotacerdas.lib.forms import submit

PAGE_SIZE = 100  # rows of one category per page of the ministry view


@login_required
def actions(request: HttpRequest, code: str, pk: int) -> HttpResponse:
    region = region_for(request, code)
    engagement = engagement_in(region, pk)
    rows = list(Action.objects.filter(engagement=engagement).select_related("owner_opd", "session", "programme"))
    return render(request, "engagements/actions.html", context(request, region, engagement=engagement, actions=rows))


@login_required
def action_edit(request: HttpRequest, code: str, pk: int) -> HttpResponse:
    region = region_for(request, code, Act.FOLLOW_UP)
    action = get_object_or_404(Action.objects.filter(region=region).select_related("engagement__cohort"), pk=pk)
    form = ActionForm(request.POST or None, instance=action, region=region)
    saved = submit(
        request,
        form,
        lambda data: services.update_action(
            actor=request.user, action=action, data=data, expected_version=data["version"]
        ),
    )
    if saved:
        messages.success(request, _("Action saved."))
        return redirect("engagements:actions", code, action.engagement_id)
    return form_page(
        request,
        region,
        form,
        _("Follow up an action"),
        reverse("engagements:actions", args=[code, action.engagement_id]),
        engagement=action.engagement,
    )


@login_required
def obstacles(request: HttpRequest, code: str, pk: int) -> HttpResponse:
    region = region_for(request, code)
    engagement = engagement_in(region, pk)
    rows = list(
        Obstacle.objects.filter(engagement=engagement).select_related("opd", "programme", "raised_in", "resolved_in")
    )
    ctx = context(
        request,
        region,
        engagement=engagement,
        obstacles=rows,
        categories=dict(ObstacleCategory.choices),
    )
    return render(request, "engagements/obstacles.html", ctx)


@login_required
def obstacle_edit(request: HttpRequest, code: str, pk: int) -> HttpResponse:
    region = region_for(request, code, Act.FOLLOW_UP)
    obstacle = get_object_or_404(Obstacle.objects.filter(region=region).select_related("engagement__cohort"), pk=pk)
    may_escalate = access.may_act(request.user, region, Act.ESCALATE)
    form = ObstacleEditForm(
        request.POST or None,
        instance=obstacle,
        region=region,
        engagement=obstacle.engagement,
        may_escalate=may_escalate,
    )

    def save(data: dict[str, Any]) -> Obstacle:
        return services.update_obstacle(
            actor=request.user,
            obstacle=obstacle,
            data=data,
            expected_version=data["version"],
        )

    if submit(request, form, save):
        messages.success(request, _("Obstacle saved."))
        return redirect("engagements:obstacles", code, obstacle.engagement_id)
    return form_page(
        request,
        region,
        form,
        _("Follow up an obstacle"),
        reverse("engagements:obstacles", args=[code, obstacle.engagement_id]),
        engagement=obstacle.engagement,
    )


@login_required
def obstacle_respond(request: HttpRequest, code: str, pk: int) -> HttpResponse:
    """The ministry answers an escalated obstacle; the region and its mentors read the answer
    on the obstacle register and the session page."""
    region = region_for(request, code, Act.RESPOND)
    obstacle = get_object_or_404(
        Obstacle.objects.filter(region=region, status=ObstacleStatus.ESCALATED).select_related("engagement__cohort"),
        pk=pk,
    )
    form = MinistryResponseForm(request.POST or None, instance=obstacle)
    saved = submit(
        request,
        form,
        lambda data: services.respond_to_escalation(
            actor=request.user, obstacle=obstacle, data=data, expected_version=data["version"]
        ),
    )
    if saved:
        messages.success(request, _("The ministry's response is recorded; the region sees it on the obstacle."))
        return redirect("engagements:escalated")
    return form_page(
        request,
        region,
        form,
        _("Respond to an escalated obstacle"),
        reverse("engagements:escalated"),
        engagement=obstacle.engagement,
        obstacle=obstacle,
    )


@login_required
def commitments(request: HttpRequest, code: str, pk: int) -> HttpResponse:
    region = region_for(request, code)
    engagement = engagement_in(region, pk)
    rows = list(CommitmentSignatory.objects.filter(engagement=engagement).select_related("opd"))
    ctx = context(
        request,
        region,
        engagement=engagement,
        signatories=rows,
        signed=sum(1 for s in rows if s.signed_on),
        scan_form=CommitmentScanForm(instance=engagement),
    )
    return render(request, "engagements/commitments.html", ctx)


@login_required
@require_POST
def commitments_prepare(request: HttpRequest, code: str, pk: int) -> HttpResponse:
    region = region_for(request, code, Act.FOLLOW_UP)
    engagement = engagement_in(region, pk)
    created = services.prepare_signatories(actor=request.user, engagement=engagement, on=timezone.localdate())
    messages.success(request, _("%(n)d signatories added to the list.") % {"n": len(created)})
    return redirect("engagements:commitments", code, pk)


@login_required
def signature(request: HttpRequest, code: str, pk: int) -> HttpResponse:
    region = region_for(request, code, Act.FOLLOW_UP)
    signatory = get_object_or_404(
        CommitmentSignatory.objects.filter(region=region).select_related("engagement__cohort", "opd"), pk=pk
    )
    form = SignatureForm(request.POST or None, instance=signatory)
    saved = submit(
        request,
        form,
        lambda data: services.record_signature(
            actor=request.user, signatory=signatory, data=data, expected_version=data["version"]
        ),
    )
    if saved:
        messages.success(request, _("Signature recorded."))
        return redirect("engagements:commitments", code, signatory.engagement_id)
    return form_page(
        request,
        region,
        form,
        _("Record a signature"),
        reverse("engagements:commitments", args=[code, signatory.engagement_id]),
        engagement=signatory.engagement,
    )


@login_required
def commitment_scan_file(request: HttpRequest, code: str, pk: int) -> HttpResponseBase:
    """The signed commitment sheet, for whoever may see the engagement (404 otherwise)."""
    engagement = engagement_in(region_for(request, code), pk)
    if not engagement.commitment_scan:
        raise Http404("No file.")
    return files.file_response(engagement.commitment_scan, engagement.commitment_scan_filename)


@login_required
def commitment_scan(request: HttpRequest, code: str, pk: int) -> HttpResponse:
    region = region_for(request, code, Act.FOLLOW_UP)
    engagement = engagement_in(region, pk)
    form = CommitmentScanForm(request.POST or None, request.FILES or None, instance=engagement)
    saved = submit(
        request,
        form,
        lambda data: services.upload_commitment_scan(
            actor=request.user,
            engagement=engagement,
            scan=data.get("commitment_scan") or "",
            expected_version=data["version"],
        ),
    )
    if saved:
        messages.success(request, _("Signed commitment sheet uploaded."))
        return redirect("engagements:commitments", code, pk)
    return form_page(
        request,
        region,
        form,
        _("Upload the signed commitment sheet"),
        reverse("engagements:commitments", args=[code, pk]),
        engagement=engagement,
    )


@login_required
def escalated(request: HttpRequest) -> HttpResponse:
    """The ministry's view: every escalated obstacle across regions, grouped by category."""
    access.require_ministry(request.user)
    category = request.GET.get("kategori") or None
    page = int(request.GET["halaman"]) if request.GET.get("halaman", "").isdigit() else 1
    page = max(1, min(page, 10_000))
    limit = PAGE_SIZE if category else 25
    offset = (page - 1) * limit if category else 0
    groups = selectors.escalated_obstacles(category, limit=limit, offset=offset)
    total = groups[0].total if category and groups else 0
    ctx = {
        "groups": groups,
        "category": category,
        "page": page,
        "previous_page": page - 1 if page > 1 else None,
        "next_page": page + 1 if offset + limit < total else None,
        "today": timezone.localdate(),
        "categories": ObstacleCategory.choices,
        "escalated_label": dict(ObstacleStatus.choices)[ObstacleStatus.ESCALATED],
    }
    return render(request, "engagements/escalated.html", ctx)
