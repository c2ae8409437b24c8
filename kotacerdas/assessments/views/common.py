"""Shared helpers of the assessment views: reaching the run and working out the user's slot."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest

from kotacerdas.accounts import access
from kotacerdas.accounts.access import Can
from kotacerdas.assessments import selectors
from kotacerdas.assessments.models import Assessor, Run
from kotacerdas.regions.models import Region


def run_of(request: HttpRequest, code: str, pk: int, need: Can = Can.VIEW) -> tuple[Region, Run]:
    """The region through the access layer, then the run inside it (404 for anything else)."""
    region = access.region_for(request.user, code, need)
    return region, selectors.run_for(region, pk)


def slot_for(request: HttpRequest, region: Region, run: Run) -> Assessor | None:
    """The slot the user answers in: their own panel slot, else the region's if they may answer
    there (``access.may_answer_slot``)."""
    own = Assessor.objects.filter(run=run, user_id=request.user.pk or 0).first()
    if own is not None and access.may_answer_slot(request.user, region, own):
        return own
    region_slot = Assessor.objects.get(run=run, is_region=True)
    return region_slot if access.may_answer_slot(request.user, region, region_slot) else None


def base_context(request: HttpRequest, region: Region, run: Run | None = None, **extra: Any) -> dict[str, Any]:
    context: dict[str, Any] = {
        "region": region,
        "run": run,
        "can": access.capabilities(request.user, region),
        "Can": Can,
        "may_assign_assessors": access.may_assign_assessors(request.user, region),
    }
    context.update(extra)
    return context
