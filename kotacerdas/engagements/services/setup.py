"""Setting up an engagement: cohort, period and agreement, mentor team, session schedule."""

from __future__ import annotations

import calendar
import datetime
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from kotacerdas.accounts import access
from kotacerdas.accounts.access import Act
from kotacerdas.audit.services import record, snapshot
from kotacerdas.engagements.models import Cohort, Engagement, MentorTeamMember, Session
from kotacerdas.lib import files
from kotacerdas.lib.concurrency import lock_current

SESSION_FIELDS = ("stage", "title", "starts_on", "ends_on", "venue")
ENGAGEMENT_FIELDS = ("purpose", "starts_on", "ends_on", "agreement_number", "agreement_date")
MENTOR_FIELDS = ("person_name", "institution", "role", "user")
STAGE_TITLES = {
    1: "Bimtek I: analisis",
    2: "Bimtek II: strategi",
    3: "Bimtek III: inovasi dan roadmap",
    4: "Bimtek IV: finalisasi",
}


def _apply(obj: Any, data: dict[str, Any], fields: tuple[str, ...]) -> None:
    for field in fields:
        if field in data:
            setattr(obj, field, data[field])


def _day(value: datetime.date) -> str:
    return date_format(value, "j F Y")


@transaction.atomic
def ensure_cohort(*, actor: Any, year: int, name: str, ministry_name: str) -> Cohort:
    """Cohorts are programme-wide reference data, kept by the ministry; the same (year, name) is reused."""
    access.check(actor, access.may_add_engagement)
    cohort, created = Cohort.objects.get_or_create(year=year, name=name, defaults={"ministry_name": ministry_name})
    if created:
        record(actor=actor, action="create", obj=cohort, after=snapshot(cohort))
    return cohort


@transaction.atomic
def create_engagement(
    *, actor: Any, region: Any, cohort: Cohort, purpose: str = "", is_sample: bool = False, **data: Any
) -> Engagement:
    access.check(actor, access.may_add_engagement)
    engagement = Engagement(region=region, cohort=cohort, purpose=purpose, is_sample=is_sample)
    _apply(engagement, data, ENGAGEMENT_FIELDS)
    files.accept_upload(engagement, "agreement_file", "agreement_name", data.get("agreement_file"))
    engagement.full_clean()
    engagement.save()
    record(actor=actor, action="create", obj=engagement, region=region, after=snapshot(engagement))
    return engagement


@transaction.atomic
def update_engagement(*, actor: Any, engagement: Engagement, data: dict[str, Any], expected_version: int) -> Engagement:
    """Change the period or the agreement; every session must stay inside the new period."""
    access.check(actor, access.may_act, engagement.region, Act.SETUP)
    engagement = lock_current(Engagement.objects.select_related("cohort"), engagement.pk, expected_version)
    before = snapshot(engagement)
    _apply(engagement, data, ENGAGEMENT_FIELDS)
    # An upload is checked and stored under a random name; False is the form's "clear" box.
    files.accept_upload(engagement, "agreement_file", "agreement_name", data.get("agreement_file"))
    if engagement.starts_on and engagement.ends_on and engagement.ends_on < engagement.starts_on:
        raise ValidationError({"ends_on": _("The period ends before it starts.")})
    start, end = engagement.period()
    outside = engagement.sessions.exclude(starts_on__gte=start, ends_on__lte=end).first()
    if outside:
        raise ValidationError(
            {
                "starts_on": _("%(session)s on %(day)s would fall outside this period; move it first.")
                % {"session": outside.title, "day": _day(outside.starts_on)}
            }
        )
    engagement.full_clean(exclude=["region", "cohort"])
    engagement.version += 1
    engagement.save()
    record(
        actor=actor,
        action="update",
        obj=engagement,
        region=engagement.region,
        before=before,
        after=snapshot(engagement),
    )
    return engagement


@transaction.atomic
def add_mentor(
    *, actor: Any, engagement: Engagement, data: dict[str, Any], is_sample: bool = False
) -> MentorTeamMember:
    access.check(actor, access.may_act, engagement.region, Act.SETUP)
    mentor = MentorTeamMember(region_id=engagement.region_id, engagement=engagement, is_sample=is_sample)
    _apply(mentor, data, MENTOR_FIELDS)
    if mentor.user_id is not None:
        from kotacerdas.accounts.models import Membership, Role

        granted = Membership.objects.filter(user_id=mentor.user_id, region_id=engagement.region_id, role=Role.MENTOR)
        if not granted.exists():
            raise ValidationError(
                {"user": _("This account is not a mentor of the region: grant it the mentor role first.")}
            )
    mentor.full_clean(exclude=["region", "engagement"])
    mentor.save()
    record(actor=actor, action="create", obj=mentor, region=engagement.region, after=snapshot(mentor))
    return mentor


@transaction.atomic
def remove_mentor(*, actor: Any, mentor: MentorTeamMember, expected_version: int) -> None:
    """Remove a mentor, only at the version the person saw when they chose to remove them."""
    access.check(actor, access.may_act, mentor.region, Act.SETUP)
    mentor = lock_current(
        MentorTeamMember.objects.filter(region_id=mentor.region_id).select_related("region"),
        mentor.pk,
        expected_version,
    )
    record(actor=actor, action="delete", obj=mentor, region=mentor.region, before=snapshot(mentor))
    mentor.delete()


def _check_session(session: Session, engagement: Engagement) -> None:
    """Dates in order, inside the engagement period, not overlapping another session of the region."""
    errors: dict[str, list[str]] = {}
    if session.stage is not None and session.stage not in STAGE_TITLES:
        errors.setdefault("stage", []).append(_("A Bimtek stage is 1, 2, 3 or 4; leave it empty for an extra forum."))
    if session.starts_on and session.ends_on:
        if session.ends_on < session.starts_on:
            errors.setdefault("ends_on", []).append(_("The session ends before it starts."))
        else:
            start, end = engagement.period()
            if session.starts_on < start or session.ends_on > end:
                errors.setdefault("starts_on", []).append(
                    _("The session must fall inside the engagement period, %(start)s to %(end)s.")
                    % {"start": _day(start), "end": _day(end)}
                )
            clash = (
                Session.objects.filter(
                    region_id=engagement.region_id, starts_on__lte=session.ends_on, ends_on__gte=session.starts_on
                )
                .exclude(pk=session.pk)
                .exclude(status=Session.Status.CANCELLED)  # a called-off session frees its days
                .first()
            )
            if clash:
                errors.setdefault("starts_on", []).append(
                    _("%(session)s already takes place on %(start)s to %(end)s; sessions of one region cannot overlap.")
                    % {"session": clash.title, "start": _day(clash.starts_on), "end": _day(clash.ends_on)}
                )
    if session.stage is not None and not errors.get("stage"):
        twin = (
            Session.objects.filter(engagement=engagement, stage=session.stage)
            .exclude(pk=session.pk)
            .exclude(status=Session.Status.CANCELLED)
            .first()
        )
        if twin:
            errors.setdefault("stage", []).append(
                _("Stage %(stage)s is already scheduled as %(session)s; leave the stage empty for an extra forum.")
                % {"stage": session.stage, "session": twin.title}
            )
    if errors:
        raise ValidationError(errors)


@transaction.atomic
def plan_session(*, actor: Any, engagement: Engagement, data: dict[str, Any], is_sample: bool = False) -> Session:
    """Schedule a Bimtek stage or an extra forum (``stage`` empty)."""
    access.check(actor, access.may_act, engagement.region, Act.SETUP)
    session = Session(region_id=engagement.region_id, engagement=engagement, is_sample=is_sample)
    _apply(session, data, (*SESSION_FIELDS, "status"))
    _check_session(session, engagement)
    session.full_clean(exclude=["region", "engagement"])
    session.save()
    record(actor=actor, action="create", obj=session, region=engagement.region, after=snapshot(session))
    return session


@transaction.atomic
def update_session(*, actor: Any, session: Session, data: dict[str, Any], expected_version: int) -> Session:
    """Reschedule or rename a session that is not closed yet."""
    access.check(actor, access.may_act, session.region, Act.SETUP)
    session = lock_current(Session.objects.select_related("engagement__cohort"), session.pk, expected_version)
    if session.is_closed:
        raise ValidationError(_("This session is closed; its details can no longer be changed."))
    before = snapshot(session)
    _apply(session, data, SESSION_FIELDS)
    _check_session(session, session.engagement)
    session.full_clean(exclude=["region", "engagement"])
    session.version += 1
    session.save()
    record(actor=actor, action="update", obj=session, region=session.region, before=before, after=snapshot(session))
    return session


def add_months(day: datetime.date, months: int) -> datetime.date:
    """The same day ``months`` later, clamped to the month's end (31 Jan + 1 month = 28/29 Feb)."""
    month_index = day.month - 1 + months
    year, month = day.year + month_index // 12, month_index % 12 + 1
    return datetime.date(year, month, min(day.day, calendar.monthrange(year, month)[1]))


@transaction.atomic
def schedule_default_stages(
    *, actor: Any, engagement: Engagement, first_day: datetime.date, days: int = 2, venue: str = ""
) -> list[Session]:
    """The default schedule: Bimtek I–IV a month apart, each ``days`` long (1 or 2)."""
    access.check(actor, access.may_act, engagement.region, Act.SETUP)
    if days not in (1, 2):
        raise ValidationError({"days": _("A Bimtek stage lasts one or two days.")})
    sessions = []
    for stage, title in STAGE_TITLES.items():
        starts_on = add_months(first_day, stage - 1)
        data = {
            "stage": stage,
            "title": title,
            "starts_on": starts_on,
            "ends_on": starts_on + datetime.timedelta(days=days - 1),
            "venue": venue,
        }
        sessions.append(plan_session(actor=actor, engagement=engagement, data=data))
    return sessions


@transaction.atomic
def cancel_session(*, actor: Any, session: Session, expected_version: int) -> Session:
    """Call off a planned session. It stays listed (and in subscribed calendars, marked
    cancelled) rather than disappearing; a session already started or closed cannot be cancelled."""
    access.check(actor, access.may_act, session.region, Act.SETUP)
    session = lock_current(Session.objects.all(), session.pk, expected_version)
    if session.status != Session.Status.PLANNED:
        raise ValidationError(_("Only a planned session can be cancelled."))
    before = snapshot(session)
    session.status = Session.Status.CANCELLED
    session.version += 1
    session.save(update_fields=["status", "version"])
    record(actor=actor, action="update", obj=session, region=session.region, before=before, after=snapshot(session))
    return session
