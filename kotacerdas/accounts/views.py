"""Who has access to a region (who may grant and revoke what: ``access.may_grant``, ``may_revoke``)."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from kotacerdas.accounts import access, services
from kotacerdas.accounts.access import Can
from kotacerdas.accounts.forms import GrantForm
from kotacerdas.accounts.models import Membership, Role
from kotacerdas.lib.concurrency import EditConflict, posted_version
from kotacerdas.lib.confirm import ask_first, refuse_stale
from kotacerdas.lib.forms import submit


@login_required
def members(request: HttpRequest, code: str) -> HttpResponse:
    region = access.region_for(request.user, code, Can.ADMINISTER)
    allow_mentor = access.may_grant(request.user, region, Role.MENTOR)
    form = GrantForm(request.POST or None, region=region, allow_mentor=allow_mentor)
    granted = submit(
        request,
        form,
        lambda data: services.grant(
            actor=request.user, user=data["username"], region=region, role=data["role"], opd=data["opd"]
        ),
    )
    if granted:
        messages.success(request, _("Access granted to %(user)s.") % {"user": granted.user})
        return redirect("accounts:members", code)
    grants = Membership.objects.filter(region=region).select_related("user", "opd").order_by("role", "user__username")
    revocable = {g.pk for g in grants if access.may_revoke(request.user, region, g)}
    context = {"region": region, "grants": grants, "form": form, "revocable": revocable}
    return render(request, "accounts/members.html", context)


@login_required
@require_POST
def revoke(request: HttpRequest, code: str, pk: int) -> HttpResponse:
    region = access.region_for(request.user, code, Can.ADMINISTER)
    membership = get_object_or_404(Membership.objects.filter(region=region).select_related("user", "region"), pk=pk)
    if not access.may_revoke(request.user, region, membership):
        raise PermissionDenied
    what = _("the access of %(user)s") % {"user": membership.user}
    back = reverse("accounts:members", args=[code])
    asked = ask_first(request, what=what, cancel_url=back, version=membership.version)
    if asked is not None:
        return asked
    try:
        services.revoke(actor=request.user, membership=membership, expected_version=posted_version(request))
    except EditConflict:
        return refuse_stale(request, what=what, cancel_url=back)
    messages.success(request, _("Access removed for %(user)s.") % {"user": membership.user})
    return redirect("accounts:members", code)
