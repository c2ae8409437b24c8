"""Writes for the assistance. The foundation plans cohorts, engagements and sessions."""

from __future__ import annotations

from typing import Any

from django.db import transaction

from kotacerdas.audit.services import record, snapshot
from kotacerdas.engagements.models import Cohort, Engagement, Session

SESSION_FIELDS = ("stage", "title", "starts_on", "ends_on", "venue", "status")


@transaction.atomic
def ensure_cohort(*, year: int, name: str, ministry_name: str) -> Cohort:
    """Cohorts are programme-wide reference data; the same (year, name) is reused."""
    cohort, _created = Cohort.objects.get_or_create(year=year, name=name, defaults={"ministry_name": ministry_name})
    return cohort


@transaction.atomic
def create_engagement(
    *, actor: Any, region: Any, cohort: Cohort, purpose: str = "", is_sample: bool = False
) -> Engagement:
    engagement = Engagement(region=region, cohort=cohort, purpose=purpose, is_sample=is_sample)
    engagement.full_clean()
    engagement.save()
    record(actor=actor, action="create", obj=engagement, region=region, after=snapshot(engagement))
    return engagement


@transaction.atomic
def plan_session(*, actor: Any, engagement: Engagement, data: dict[str, Any], is_sample: bool = False) -> Session:
    session = Session(region_id=engagement.region_id, engagement=engagement, is_sample=is_sample)
    for field in SESSION_FIELDS:
        if field in data:
            setattr(session, field, data[field])
    session.full_clean(exclude=["region", "engagement"])
    session.save()
    record(actor=actor, action="create", obj=session, region=engagement.region, after=snapshot(session))
    return session
