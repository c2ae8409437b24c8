"""Helpers shared by the plan views: reaching an edition through the access layer, labels."""

from __future__ import annotations

from typing import Any

from django import forms
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from kotacerdas.accounts import access
from kotacerdas.accounts.access import Can
from kotacerdas.plans import selectors
from kotacerdas.plans.models import (
    BudgetSource,
    Direction,
    DispositionKind,
    Edition,
    EditionStatus,
    Horizon,
    Indicator,
    InnovationKind,
    ProgrammeStatus,
    ReviewState,
)
from kotacerdas.regions.models import Region


def edition_of(request: HttpRequest, code: str, year: int, need: Can = Can.VIEW) -> tuple[Region, Edition]:
    """The region (checked for ``need``) and its edition of ``year``; 404 for either unknown."""
    region = access.region_for(request.user, code, need)
    return region, selectors.edition_for(region, year)


def labels() -> dict[str, dict[str, Any]]:
    """Translated labels of the choice fields, for pages that render plain-data documents."""
    return {
        "horizon": dict(Horizon.choices),
        "status": dict(ProgrammeStatus.choices),
        "innovation": dict(InnovationKind.choices),
        "source": dict(BudgetSource.choices),
        "direction": dict(Direction.choices),
        "indicator_kind": dict(Indicator.Kind.choices),
        "disposition": dict(DispositionKind.choices),
        "edition_status": dict(EditionStatus.choices),
        "review_state": dict(ReviewState.choices),
    }


def base_context(request: HttpRequest, region: Region, edition: Edition | None = None, **extra: Any) -> dict[str, Any]:
    return {
        "region": region,
        "edition": edition,
        "can": access.capabilities(request.user, region),
        # A dict, not the enum: templates call what is callable, and calling an Enum class fails,
        # which would make every ``Can.EDIT in can`` test false.
        "Can": {c.name: c for c in Can},
        "labels": labels(),
        **extra,
    }


def form_page(
    request: HttpRequest,
    region: Region,
    edition: Edition | None,
    form: forms.BaseForm,
    title: str,
    cancel_url: str,
    **extra: Any,
) -> HttpResponse:
    status = 409 if getattr(form, "conflict", False) else 200
    context = base_context(request, region, edition, form=form, title=title, cancel_url=cancel_url, **extra)
    return render(request, "plans/form.html", context, status=status)
