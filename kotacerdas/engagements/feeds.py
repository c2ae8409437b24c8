"""Calendar feeds (issue 16 §4): a region's sessions and a person's action due dates.

Every feed is computed at request time as the user it is for, through the access layer: the
region feed asks :func:`access.region_for` (a region the user no longer sees is a 404) and the
action feed reads only the regions the user holds a grant in now. The signed-in download of one
engagement, the subscription addresses (``views/calendars.py``) and ``kotacerdas calendar feed``
all render here, each in a fixed number of queries.
"""

from __future__ import annotations

import datetime
from collections.abc import Iterable
from typing import Any

from django.conf import settings
from django.db.models import Q, QuerySet
from django.urls import reverse
from django.utils.translation import gettext as _

from kotacerdas.accounts import access
from kotacerdas.accounts.models import Membership, Role
from kotacerdas.engagements import calendar
from kotacerdas.engagements.models import Action, Engagement, Session
from kotacerdas.engagements.models.register import OPEN_ACTION_STATUSES
from kotacerdas.regions.models import Region


def _domain() -> str:
    """The right-hand side of every UID: the same for the web and the command line, so an event
    keeps its identity whichever produced the file."""
    hosts = [h.lstrip(".") for h in settings.ALLOWED_HOSTS if h and "*" not in h]
    return hosts[0] if hosts else "kotacerdas.local"


def _link(base: str, name: str, *args: Any) -> str:
    return f"{base}{reverse(name, args=args)}" if base else ""


def session_events(sessions: Iterable[Session], base: str = "") -> list[calendar.CalendarEvent]:
    domain = _domain()
    return [
        calendar.CalendarEvent(
            uid=f"session-{s.pk}@{domain}",
            summary=f"{s.title} · {s.region}",
            starts_on=s.starts_on,
            ends_on=s.ends_on,
            location=s.venue,
            description=str(s.engagement),
            sequence=s.version - 1,
            cancelled=s.status == Session.Status.CANCELLED,
            url=_link(base, "engagements:session", s.region.code, s.pk),
        )
        for s in sessions
    ]


def action_events(actions: Iterable[Action], base: str = "") -> list[calendar.CalendarEvent]:
    domain = _domain()
    return [
        calendar.CalendarEvent(
            uid=f"action-{a.pk}@{domain}",
            summary=_("Due: %(action)s (%(owner)s)") % {"action": a.title, "owner": a.owner_opd},
            starts_on=a.due_on,
            ends_on=a.due_on,
            description=f"{a.owner_name} · {a.region}",
            sequence=a.version - 1,
            url=_link(base, "engagements:action_edit", a.region.code, a.pk),
            busy=False,
        )
        for a in actions
    ]


def owned_actions(user: Any, memberships: list[Membership]) -> QuerySet[Action]:
    """Open actions ``user`` owns in the regions of ``memberships``: those of the agency their
    editor grant is tied to, or whose owner e-mail is theirs (the rule of "Pekerjaan saya")."""
    opd_ids = [m.opd_id for m in memberships if m.role == Role.EDITOR and m.opd_id]
    owned = Q(owner_opd_id__in=opd_ids)
    if user.email:
        owned |= Q(owner_email__iexact=user.email)
    return (
        Action.objects.filter(region_id__in=[m.region_id for m in memberships], status__in=OPEN_ACTION_STATUSES)
        .filter(owned)
        .select_related("region", "session", "owner_opd")
        .order_by("due_on", "id")
    )


def region_feed(user: Any, code: str, stamp: datetime.datetime, base: str = "") -> bytes:
    """Every session of the region's engagements, if ``user`` sees the region now (404 if not)."""
    region = access.region_for(user, code)
    sessions = Session.objects.filter(region=region).select_related(
        "region", "engagement__cohort", "engagement__region"
    )
    name = _("Assistance sessions · %(region)s") % {"region": region}
    return calendar.build(name, session_events(sessions, base), stamp, region.tz_name)


def actions_feed(user: Any, stamp: datetime.datetime, base: str = "") -> bytes:
    """The due dates of the open actions ``user`` owns, in every region they hold a grant in now."""
    if not (user.is_authenticated and user.is_active):
        return calendar.build(_("My follow-up actions"), [], stamp)
    memberships = list(Membership.objects.filter(user=user))
    actions = list(owned_actions(user, memberships))
    zones = {a.region.tz_name for a in actions}
    tz_name = zones.pop() if len(zones) == 1 else settings.TIME_ZONE
    return calendar.build(_("My follow-up actions"), action_events(actions, base), stamp, tz_name)


def engagement_feed(region: Region, engagement: Engagement, stamp: datetime.datetime, base: str = "") -> bytes:
    """One engagement's sessions and open actions (the signed-in "kalender.ics" download)."""
    sessions = Session.objects.filter(engagement=engagement).select_related(
        "region", "engagement__cohort", "engagement__region"
    )
    actions = Action.objects.filter(engagement=engagement, status__in=OPEN_ACTION_STATUSES).select_related(
        "region", "owner_opd"
    )
    events = session_events(sessions, base) + action_events(actions, base)
    return calendar.build(str(engagement), events, stamp, region.tz_name)
