"""The region admin's choice whether the region's scores join the anonymised peer comparisons."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _

from kotacerdas.accounts import access
from kotacerdas.assessments import selectors
from kotacerdas.assessments.forms import PeerSharingForm
from kotacerdas.assessments.services.sharing import set_peer_sharing
from kotacerdas.assessments.views.common import base_context
from kotacerdas.lib.forms import submit


@login_required
def peer_sharing(request: HttpRequest, code: str) -> HttpResponse:
    region = access.region_for(request.user, code)
    if not access.may_set_peer_sharing(request.user, region):
        raise PermissionDenied
    form = PeerSharingForm(request.POST or None, region=region, minimum=selectors.MIN_PEER_GROUP)
    saved = submit(
        request,
        form,
        lambda data: set_peer_sharing(
            actor=request.user,
            region=region,
            shares=data["shares_peer_scores"],
            expected_version=data["version"],
        ),
    )
    if saved:
        if saved.shares_peer_scores:
            messages.success(request, _("Your region's accepted scores now count in anonymised peer comparisons."))
        else:
            messages.success(request, _("Your region's scores are not used in peer comparisons."))
        return redirect("assessments:runs", code)
    context = base_context(
        request,
        region,
        form=form,
        title=_("Peer comparisons"),
        minimum=selectors.MIN_PEER_GROUP,
        cancel_url=reverse("assessments:runs", args=[code]),
    )
    status = 409 if getattr(form, "conflict", False) else 200
    return render(request, "assessments/sharing.html", context, status=status)
