"""Reads for the assistance, each in a fixed number of queries whatever the amount of data.

Callers pass a region (or objects fetched inside it) already obtained through the access layer.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field
from typing import Any

from django.db.models import Count, Prefetch, Q, QuerySet
from django.utils.translation import gettext

from kotacerdas.engagements import figures, stages
from kotacerdas.engagements.models import (
    Action,
    AgendaItem,
    Attendance,
    CommitmentSignatory,
    Engagement,
    MentorTeamMember,
    Obstacle,
    ObstacleCategory,
    ObstacleStatus,
    Outcome,
    Session,
)
from kotacerdas.engagements.models.register import OPEN_ACTION_STATUSES
from kotacerdas.regions.models import OPD, Region


def engagements_of(region: Region) -> list[Engagement]:
    return list(
        Engagement.objects.filter(region=region)
        .select_related("cohort")
        .annotate(session_count=Count("sessions"))
        .order_by("-cohort__year", "id")
    )


def engagement_detail(region: Region, pk: int) -> Engagement:
    """The engagement with its sessions and mentor team (raises DoesNotExist outside ``region``)."""
    return (
        Engagement.objects.filter(region=region)
        .select_related("cohort", "region")
        .prefetch_related("sessions", "mentors")
        .get(pk=pk)
    )


def opds_valid_on(region_id: int, day: datetime.date) -> QuerySet[OPD]:
    return OPD.objects.filter(region_id=region_id).valid_on(day)


def carried_actions(session: Session) -> QuerySet[Action]:
    """The open actions agreed at earlier sessions of the engagement ("open actions from earlier
    sessions" on the agenda and in the minutes).

    Computed, not copied: an action leaves every agenda the moment it is done or dropped, so
    the list never shows a closed action under the heading of open ones. What was closed at a
    session is in the audit trail and on the engagement's action register.
    """
    return (
        Action.objects.filter(engagement_id=session.engagement_id, session__starts_on__lt=session.starts_on)
        .filter(status__in=OPEN_ACTION_STATUSES)
        .select_related("owner_opd", "session", "programme")
        .order_by("due_on", "id")
    )


@dataclass
class AttendanceLine:
    opd: OPD
    row: Attendance | None


@dataclass
class SessionPage:
    session: Session
    agenda: list[AgendaItem]
    carried: list[Action]
    attendance: list[AttendanceLine]
    outcomes: list[Outcome]
    obstacles_raised: list[Obstacle]
    obstacles_resolved: list[Obstacle]
    previous: Session | None
    following: Session | None
    today: datetime.date
    has_sample_data: bool = field(default=False)
    mentors_present: list[MentorTeamMember] = field(default_factory=list)

    @property
    def decisions(self) -> list[Outcome]:
        return [o for o in self.outcomes if o.kind == "decision"]

    @property
    def actions(self) -> list[Action]:
        return [o.action for o in self.outcomes if o.kind == "action" and getattr(o, "action", None)]

    @property
    def present_count(self) -> int:
        return sum(1 for line in self.attendance if line.row and line.row.status != "absent")


def session_page(region: Region, pk: int, today: datetime.date) -> SessionPage:
    """Everything the forum page (and the minutes) shows, in a fixed number of queries."""
    session = Session.objects.select_related("engagement__cohort", "region").get(region=region, pk=pk)
    siblings = list(Session.objects.filter(engagement_id=session.engagement_id).only("id", "title", "starts_on"))
    index = next(i for i, s in enumerate(siblings) if s.pk == session.pk)
    agenda = list(session.agenda.select_related("programme"))
    carried = list(carried_actions(session))
    rows = {a.opd_id: a for a in session.attendance.select_related("opd")}
    opds = list(opds_valid_on(session.region_id, session.starts_on).order_by("name"))
    known = {o.pk for o in opds}
    lines = [AttendanceLine(o, rows.get(o.pk)) for o in opds]
    lines += [AttendanceLine(a.opd, a) for a in rows.values() if a.opd_id not in known]
    outcomes = list(
        session.outcomes.prefetch_related(
            Prefetch("action", queryset=Action.objects.select_related("owner_opd", "programme"))
        )
    )
    mentors = list(session.mentors_present.order_by("role", "person_name", "id"))
    obstacle_qs = Obstacle.objects.select_related("opd", "programme", "raised_in", "resolved_in")
    raised = list(obstacle_qs.filter(raised_in=session))
    resolved = list(obstacle_qs.filter(resolved_in=session).exclude(raised_in=session))
    sample = (
        session.is_sample
        or any(x.is_sample for x in agenda)
        or any(x.is_sample for x in outcomes)
        or any(x.is_sample for x in rows.values())
        or any(x.is_sample for x in raised)
    )
    return SessionPage(
        session=session,
        agenda=agenda,
        carried=carried,
        attendance=lines,
        outcomes=outcomes,
        obstacles_raised=raised,
        obstacles_resolved=resolved,
        previous=siblings[index - 1] if index > 0 else None,
        following=siblings[index + 1] if index + 1 < len(siblings) else None,
        today=today,
        has_sample_data=sample,
        mentors_present=mentors,
    )


# Stage checklists ---------------------------------------------------------------------------


def _assessment_facts(engagement: Engagement) -> dict[str, bool]:
    """Readiness and gap analysis are done once the region has an accepted assessment run up to the
    cohort's year: a readiness run for the readiness analysis, any run for its gaps (one query).
    A run still under review does not count; the checklist links to the assessments."""
    from kotacerdas.assessments.models import Run, RunStatus, TemplateKind

    kinds = set(
        Run.objects.filter(
            region_id=engagement.region_id, status=RunStatus.ACCEPTED, year__lte=engagement.cohort.year
        ).values_list("template__kind", flat=True)
    )
    return {"readiness": TemplateKind.READINESS in kinds, "gap": bool(kinds)}


def stage_facts(engagement: Engagement) -> dict[str, Any]:
    """Facts about the region's latest master plan edition for the stage checklists (fixed queries).

    A fact is left out (so its check reads "not tracked yet") when KotaCerdas holds no such data.
    """
    from kotacerdas.frameworks.models import FrameworkEntry
    from kotacerdas.plans.models import Edition, Mission, Programme, QuickWinFlag, Section, Strategy, SwotItem
    from kotacerdas.quickwins.models import RoundStatus, SelectionRound

    facts: dict[str, Any] = {}
    signatories = list(CommitmentSignatory.objects.filter(engagement=engagement).values_list("signed_on", flat=True))
    facts["signatories"] = len(signatories)
    facts["signatories_signed"] = sum(1 for s in signatories if s)
    facts.update(_assessment_facts(engagement))
    edition = (
        Edition.objects.filter(region_id=engagement.region_id, year__lte=engagement.cohort.year)
        .order_by("-year", "-id")
        .first()
    )
    if edition is None:
        return facts
    dimensions = list(
        FrameworkEntry.objects.filter(framework_id=edition.taxonomy_id, parent__isnull=True).values_list(
            "pk", flat=True
        )
    )
    facts["swot_kinds"] = set(SwotItem.objects.filter(edition=edition).values_list("kind", flat=True).distinct())
    facts["vision_keywords"] = len(edition.vision_keywords or [])
    facts["vision"] = edition.vision.strip()
    missions = dict(Mission.objects.filter(edition=edition).annotate(n=Count("goals")).values_list("pk", "n"))
    facts["missions"] = len(missions)
    facts["goals_per_mission"] = list(missions.values())
    strategies = dict(
        Strategy.objects.filter(edition=edition)
        .values("dimension_id")
        .annotate(n=Count("id"))
        .values_list("dimension_id", "n")
    )
    facts["strategies_per_dimension"] = [strategies.get(d, 0) for d in dimensions]
    programmes = Programme.objects.filter(edition=edition).aggregate(
        total=Count("id"),
        without_rpjmd=Count("id", filter=Q(rpjmd_programme="")),
        without_renstra=Count("id", filter=Q(renstra_ref="")),
        without_description=Count("id", filter=Q(description="")),
    )
    facts["programmes"] = programmes["total"]
    facts["without_rpjmd"] = programmes["without_rpjmd"]
    facts["without_renstra"] = programmes["without_renstra"]
    facts["without_description"] = programmes["without_description"]
    per_dimension = dict(
        Programme.objects.filter(edition=edition)
        .values("dimension_id")
        .annotate(n=Count("id"))
        .values_list("dimension_id", "n")
    )
    facts["programmes_per_dimension"] = [per_dimension.get(d, 0) for d in dimensions]
    facts["quick_wins"] = QuickWinFlag.objects.filter(programme__edition=edition).count()
    sections = Section.objects.filter(edition=edition).aggregate(
        total=Count("id"), draft=Count("id", filter=Q(review_state="draft"))
    )
    facts["sections"] = sections["total"]
    facts["sections_in_draft"] = sections["draft"]
    facts["confirmed_rounds"] = SelectionRound.objects.filter(edition=edition, status=RoundStatus.CONFIRMED).count()
    facts["edition"] = edition
    return facts


# Dashboard ----------------------------------------------------------------------------------


@dataclass
class Dashboard:
    engagement: Engagement
    sessions: list[Session]
    progress: list[stages.StageProgress]
    edition: Any
    rates: list[figures.Rate]
    open_actions: list[Action]
    overdue_count: int
    obstacles_by_status: list[tuple[str, int]]
    obstacles_by_category: list[tuple[str, int]]
    resolve: dict[str, Any]
    attendance_svg: str
    category_svg: str
    signatories: list[CommitmentSignatory]
    today: datetime.date


def dashboard(region: Region, pk: int, today: datetime.date) -> Dashboard:
    engagement = engagement_detail(region, pk)
    sessions = list(engagement.sessions.all())
    not_held = (Session.Status.PLANNED, Session.Status.CANCELLED)
    held = [s for s in sessions if s.status not in not_held]
    opds = list(OPD.objects.filter(region=region).only("id", "abbreviation", "name", "valid_from", "valid_to"))
    expected = {o.abbreviation or o.name: sum(1 for s in held if o.is_valid_on(s.starts_on)) for o in opds}
    rows = Attendance.objects.filter(session__engagement=engagement).exclude(session__status__in=not_held)
    rates = figures.attendance_rates(
        ((abbr or name, status) for abbr, name, status in rows.values_list("opd__abbreviation", "opd__name", "status")),
        expected,
    )
    open_actions = list(
        Action.objects.filter(engagement=engagement, status__in=OPEN_ACTION_STATUSES).select_related(
            "owner_opd", "session"
        )
    )
    overdue = sum(1 for a in open_actions if a.is_overdue(today))
    obstacles = Obstacle.objects.filter(engagement=engagement)
    status_labels = dict(ObstacleStatus.choices)
    category_labels = dict(ObstacleCategory.choices)
    by_status = dict(obstacles.values("status").annotate(n=Count("id")).values_list("status", "n"))
    by_category = dict(obstacles.values("category").annotate(n=Count("id")).values_list("category", "n"))
    resolved_pairs = obstacles.filter(status=ObstacleStatus.RESOLVED).values_list("opened_on", "resolved_on")
    facts = stage_facts(engagement)
    status_list = [(str(status_labels[k]), by_status.get(k, 0)) for k in ObstacleStatus.values]
    category_list = [(str(category_labels[k]), by_category.get(k, 0)) for k in ObstacleCategory.values]
    return Dashboard(
        engagement=engagement,
        sessions=sessions,
        progress=stages.evaluate(facts),
        edition=facts.get("edition"),
        rates=rates,
        open_actions=open_actions,
        overdue_count=overdue,
        obstacles_by_status=status_list,
        obstacles_by_category=category_list,
        resolve=figures.resolve_days((a, b) for a, b in resolved_pairs if b),
        attendance_svg=figures.bar_chart(
            [(r.label, r.percent) for r in rates], title=gettext("Attendance rate per agency"), unit="%"
        ),
        category_svg=figures.bar_chart(category_list, title=gettext("Obstacles by category")),
        signatories=list(CommitmentSignatory.objects.filter(engagement=engagement).select_related("opd")),
        today=today,
    )


# Ministry-wide ------------------------------------------------------------------------------


@dataclass
class EscalatedGroup:
    category: str
    label: str
    total: int
    obstacles: list[Obstacle]


def escalated_obstacles(category: str | None = None, limit: int = 25, offset: int = 0) -> list[EscalatedGroup]:
    """Every escalated obstacle across regions, grouped by category: one count query plus one
    bounded query per category shown (at most ``limit`` rows each, oldest first)."""
    labels = dict(ObstacleCategory.choices)
    escalated = Obstacle.objects.filter(status=ObstacleStatus.ESCALATED)
    totals = dict(escalated.values("category").annotate(n=Count("id")).values_list("category", "n"))
    wanted = [category] if category in labels else [c for c in ObstacleCategory.values if totals.get(c)]
    groups = []
    for key in wanted:
        rows = list(
            escalated.filter(category=key)
            .select_related("region", "opd", "programme", "raised_in")
            .only(
                "id",
                "description",
                "category",
                "opened_on",
                "escalated_on",
                "resolved_on",
                "proposed_solution",
                "ministry_status",
                "ministry_owner",
                "ministry_note",
                "ministry_responded_on",
                "version",
                "is_sample",
                "engagement_id",
                "region__code",
                "region__name",
                "region__kind",
                "opd__abbreviation",
                "opd__name",
                "programme__code",
                "programme__name",
                "raised_in__title",
                "raised_in__starts_on",
            )
            .order_by("opened_on", "id")[offset : offset + limit]
        )
        groups.append(EscalatedGroup(key, str(labels[key]), totals.get(key, 0), rows))
    return groups


# Reminders ----------------------------------------------------------------------------------


def reminder_actions(today: datetime.date, days_ahead: int) -> QuerySet[Action]:
    """Open actions due within ``days_ahead`` days or already overdue, across regions."""
    return (
        Action.objects.filter(status__in=OPEN_ACTION_STATUSES, due_on__lte=today + datetime.timedelta(days=days_ahead))
        .select_related("region", "owner_opd", "session")
        .order_by("region__code", "due_on", "id")
    )


def sessions_of(region: Region) -> list[Session]:
    """The region's assistance sessions with their engagement and cohort (one query)."""
    return list(Session.objects.filter(region=region).select_related("engagement__cohort"))
