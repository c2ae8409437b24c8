"""Helpers shared by the assistance views."""

from __future__ import annotations

from typing import Any

from django import forms
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone

from kotacerdas.accounts import access
from kotacerdas.accounts.access import Act, Can
from kotacerdas.engagements.models import Engagement, Session
from kotacerdas.regions.models import Region


def region_for(request: HttpRequest, code: str, act: Act | None = None) -> Region:
    """The region through the access layer (404 if not visible), then the act (403)."""
    region = access.region_for(request.user, code, Can.VIEW)
    if act is not None:
        access.require_act(request.user, region, act)
    return region


def engagement_in(region: Region, pk: int) -> Engagement:
    try:
        return Engagement.objects.select_related("cohort").get(region=region, pk=pk)
    except Engagement.DoesNotExist as missing:
        raise Http404("No such engagement.") from missing


def session_in(region: Region, pk: int) -> Session:
    try:
        return Session.objects.select_related("engagement__cohort").get(region=region, pk=pk)
    except Session.DoesNotExist as missing:
        raise Http404("No such session.") from missing


def context(request: HttpRequest, region: Region, **extra: Any) -> dict[str, Any]:
    acts = access.acts(request.user, region)
    return {
        "region": region,
        "acts": {act.name: act in acts for act in Act},
        "today": timezone.localdate(),
        **extra,
    }


def form_page(
    request: HttpRequest, region: Region, form: forms.BaseForm, title: str, cancel_url: str, **extra: Any
) -> HttpResponse:
    status = 409 if getattr(form, "conflict", False) else 200
    ctx = context(request, region, form=form, title=title, cancel_url=cancel_url, **extra)
    return render(request, "engagements/form.html", ctx, status=status)
