""" "Pekerjaan saya": what is due, overdue, returned or waiting for one user, across their regions.

Issue 15 §2. One page per user, composed here from each app's tables. What a user is asked to
do follows from their grant in each region (the one access policy: ``accounts.access``):

- **actions** they own: open actions of a forum whose owning agency is the agency their editor
  grant is tied to, or whose owner e-mail is theirs; overdue first;
- **reports**: for each region where they report (``access.may_report_for``: the region admin,
  an editor, an agency-tied editor for that agency's programmes), the programmes of the adopted
  edition in force without a submitted or accepted update for the latest period that has
  ended, and their updates returned to them;
- **to validate**: submitted updates waiting in each region where they validate
  (``access.may_validate_updates``: the region admin and mentors);
- **review threads** they took part in whose last comment is someone else's (a reply waits);
- **assessments to review** (mentors and the ministry): runs submitted for review;
- **escalations** (ministry staff): obstacles escalated to the ministry and not yet answered.

Each part is a fixed number of queries, whatever the number of regions, programmes or rows.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field
from typing import Any

from django.db.models import Count, OuterRef, Q, Subquery
from django.urls import reverse

from kotacerdas.accounts import access
from kotacerdas.accounts.models import Membership, Role
from kotacerdas.assessments.models import Run, RunStatus
from kotacerdas.engagements import feeds
from kotacerdas.engagements.models import Obstacle
from kotacerdas.engagements.models.register import ObstacleStatus
from kotacerdas.monitoring.models import ProgrammeUpdate, ReportingPeriod, UpdateState
from kotacerdas.plans.models import Edition, Programme, ProgrammeStatus, ReviewComment, ReviewThread
from kotacerdas.plans.models.plan import EditionStatus
from kotacerdas.regions.models import Region

SHOWN = 50  # rows listed per part; the count says how many there are


@dataclass
class Item:
    region: Region
    title: str
    url: str
    due_on: datetime.date | None = None
    overdue: bool = False
    note: str = ""
    count: int = 0  # for a line that stands for several rows (updates waiting in a region)


@dataclass
class Part:
    key: str
    items: list[Item] = field(default_factory=list)
    total: int = 0


@dataclass
class MyWork:
    today: datetime.date
    regions: list[Region]
    parts: dict[str, Part]

    @property
    def total(self) -> int:
        return sum(p.total for p in self.parts.values())

    def as_dict(self) -> dict[str, Any]:
        return {
            "date": self.today.isoformat(),
            "regions": [r.code for r in self.regions],
            "total": self.total,
            **{
                key: {
                    "total": part.total,
                    "items": [
                        {
                            "region": i.region.code,
                            "title": i.title,
                            "url": i.url,
                            "due_on": i.due_on.isoformat() if i.due_on else None,
                            "overdue": i.overdue,
                            "note": i.note,
                            "count": i.count,
                        }
                        for i in part.items
                    ],
                }
                for key, part in self.parts.items()
            },
        }


def _actions(user: Any, memberships: list[Membership], today: datetime.date) -> Part:
    rows = feeds.owned_actions(user, memberships)
    found = list(rows[: SHOWN + 1])
    total = rows.count() if len(found) > SHOWN else len(found)
    items = [
        Item(
            a.region,
            a.title,
            reverse("engagements:action_edit", args=[a.region.code, a.pk]),
            a.due_on,
            a.due_on < today,
            f"{a.owner_opd} · {a.session.title}",
        )
        for a in found[:SHOWN]
    ]
    return Part("actions", items, total)


def _reports(user: Any, memberships: list[Membership], today: datetime.date) -> Part:
    """Programmes to report for the latest ended period, per region where the user reports."""
    reporting = {m.region_id: m for m in memberships if m.role in (Role.ADMIN, Role.EDITOR)}
    editions = list(
        Edition.objects.filter(
            region_id__in=list(reporting),
            status=EditionStatus.ADOPTED,
            start_year__lte=today.year,
            end_year__gte=today.year,
        )
        .select_related("region")
        .order_by("region_id", "-year")
    )
    in_force: dict[int, Edition] = {}
    for edition in editions:
        in_force.setdefault(edition.region_id, edition)
    periods: dict[int, ReportingPeriod] = {}
    for period in ReportingPeriod.objects.filter(edition__in=list(in_force.values()), ends_on__lt=today).order_by(
        "starts_on"
    ):
        periods[period.edition_id] = period  # the latest that has ended
    scope = Q()
    for region_id, m in reporting.items():
        if m.role == Role.EDITOR and m.opd_id:
            scope |= Q(region_id=region_id, lead_opd_id=m.opd_id)
        else:
            scope |= Q(region_id=region_id)
    items: list[Item] = []
    total = 0
    if periods and reporting:
        reported = set(
            ProgrammeUpdate.objects.filter(
                period__in=list(periods.values()), state__in=[UpdateState.SUBMITTED, UpdateState.ACCEPTED]
            ).values_list("programme_id", "period_id")
        )
        due = (
            Programme.objects.filter(scope, edition__in=[e for e in in_force.values() if e.pk in periods])
            .exclude(status=ProgrammeStatus.CANCELLED)
            .select_related("region")
            .order_by("region__name", "code")
        )
        for programme in due:
            period = periods[programme.edition_id]
            if (programme.pk, period.pk) in reported:
                continue
            total += 1
            if len(items) < SHOWN:
                items.append(
                    Item(
                        programme.region,
                        f"{programme.code} {programme.name}",
                        reverse("monitoring:my_updates", args=[programme.region.code]),
                        period.due_on,
                        period.due_on < today,
                        period.key,
                    )
                )
    returned = (
        ProgrammeUpdate.objects.filter(state=UpdateState.RETURNED)
        .filter(Q(programme__in=Programme.objects.filter(scope)) if reporting else Q(pk__in=[]))
        .select_related("region", "programme", "period")
        .order_by("-decided_at", "-id")
    )
    for update in returned[:SHOWN]:
        total += 1
        items.append(
            Item(
                update.region,
                f"{update.programme.code} {update.programme.name}",
                reverse("monitoring:update", args=[update.region.code, update.pk]),
                None,
                False,
                update.period.key,
            )
        )
    return Part("reports", items, total)


def _to_validate(memberships: list[Membership]) -> Part:
    validating = [m.region_id for m in memberships if m.role in (Role.ADMIN, Role.MENTOR)]
    counts = (
        ProgrammeUpdate.objects.filter(region_id__in=validating, state=UpdateState.SUBMITTED)
        .values("region_id")
        .annotate(n=Count("id"))
        .values_list("region_id", "n")
    )
    regions = {m.region_id: m.region for m in memberships}
    items = [
        Item(regions[rid], str(regions[rid]), reverse("monitoring:my_updates", args=[regions[rid].code]), count=n)
        for rid, n in counts
        if n
    ]
    return Part("validate", items, sum(i.count for i in items))


def _threads(user: Any, memberships: list[Membership]) -> Part:
    last_author = (
        ReviewComment.objects.filter(thread=OuterRef("pk")).order_by("-created_at", "-id").values("author")[:1]
    )
    rows = (
        ReviewThread.objects.filter(
            region_id__in=[m.region_id for m in memberships], status="open", comments__author=user
        )
        .annotate(last_author=Subquery(last_author))
        .exclude(last_author=user.pk)
        .select_related("region", "edition", "programme", "section")
        .distinct()
        .order_by("-id")
    )
    found = list(rows[: SHOWN + 1])
    items = [
        Item(
            t.region,
            t.programme.code if t.programme else (t.section.title if t.section else str(t.edition)),
            reverse("plans:threads", args=[t.region.code, t.edition.year]),
        )
        for t in found[:SHOWN]
    ]
    return Part("threads", items, rows.count() if len(found) > SHOWN else len(found))


def _assessments(user: Any, memberships: list[Membership]) -> Part:
    rows = Run.objects.filter(status=RunStatus.SUBMITTED)
    if not access.is_ministry(user):
        rows = rows.filter(region_id__in=[m.region_id for m in memberships if m.role == Role.MENTOR])
    rows = rows.select_related("region").order_by("submitted_at", "id")
    found = list(rows[: SHOWN + 1])
    items = [Item(r.region, r.title, reverse("assessments:review", args=[r.region.code, r.pk])) for r in found[:SHOWN]]
    return Part("assessments", items, rows.count() if len(found) > SHOWN else len(found))


def _escalations(user: Any) -> Part:
    if not access.is_ministry(user):
        return Part("escalations")
    rows = (
        Obstacle.objects.filter(status=ObstacleStatus.ESCALATED, ministry_responded_on__isnull=True)
        .select_related("region")
        .order_by("opened_on", "id")
    )
    found = list(rows[: SHOWN + 1])
    items = [
        Item(o.region, o.description[:200], reverse("engagements:obstacle_respond", args=[o.region.code, o.pk]))
        for o in found[:SHOWN]
    ]
    return Part("escalations", items, rows.count() if len(found) > SHOWN else len(found))


def my_work(user: Any, today: datetime.date) -> MyWork:
    """What waits for ``user`` (signed in) in every region they hold a grant in, as of ``today``."""
    memberships = list(Membership.objects.filter(user=user).select_related("region").order_by("region__name"))
    parts = [
        _actions(user, memberships, today),
        _reports(user, memberships, today),
        _to_validate(memberships),
        _threads(user, memberships),
        _assessments(user, memberships),
        _escalations(user),
    ]
    return MyWork(today, [m.region for m in memberships], {part.key: part for part in parts})
