"""Reminders to report: a few days before a period's due date, and once it is overdue.

Who is reminded: for each programme still without a submitted or accepted update for the
period, the editors tied to its lead agency; when no editor is tied to that agency (or the
programme has none), the region admins. Each recipient gets one message per period and kind
listing their programmes, claimed before it is sent (``kotacerdas.lib.reminders``, keyed on the
period and its first day), so a period is never reminded twice of the same kind, however often
the command runs.

``overdue`` concerns periods whose due date passed at most :data:`OVERDUE_WITHIN` days ago, so
starting the reporting of a plan late does not mail a reminder for every past period at once
(those show as late reports on the monitoring page and in ``kotacerdas monitoring status``).
"""

from __future__ import annotations

import datetime
from collections.abc import Iterable
from dataclasses import asdict, dataclass, field
from functools import partial
from typing import Any

from django.utils.formats import date_format
from django.utils.translation import gettext as _

from kotacerdas.accounts.models import Membership, Role
from kotacerdas.audit.models import SentMessage
from kotacerdas.audit.services import record
from kotacerdas.lib import reminders as outbox
from kotacerdas.monitoring.models import ProgrammeUpdate, ReportingPeriod, UpdateState
from kotacerdas.plans.models import Programme, ProgrammeStatus
from kotacerdas.plans.models.plan import EditionStatus

DUE_SOON = "monitoring_due_soon"
OVERDUE = "monitoring_overdue"
DAYS_BEFORE = 5
OVERDUE_WITHIN = 45
DONE = (UpdateState.SUBMITTED, UpdateState.ACCEPTED)


@dataclass
class Reminder:
    region: str
    edition: int
    period: str
    kind: str
    to: str
    programmes: list[str]
    subject: str
    sent: bool = False
    skipped: str = ""

    def as_dict(self) -> dict[str, Any]:
        return asdict(self)


@dataclass
class _Recipient:
    user: Any
    programmes: list[Programme] = field(default_factory=list)


def kind_on(period: ReportingPeriod, today: datetime.date, days_before: int) -> str | None:
    """Which reminder ``period`` calls for on ``today``, if any."""
    if period.due_on - datetime.timedelta(days=days_before) <= today <= period.due_on:
        return DUE_SOON
    if period.due_on < today <= period.due_on + datetime.timedelta(days=OVERDUE_WITHIN):
        return OVERDUE
    return None


def _periods(today: datetime.date, days_before: int) -> list[ReportingPeriod]:
    return list(
        ReportingPeriod.objects.filter(
            due_on__gte=today - datetime.timedelta(days=OVERDUE_WITHIN),
            due_on__lte=today + datetime.timedelta(days=days_before),
            starts_on__lte=today,
            edition__status=EditionStatus.ADOPTED,
            edition__reporting__isnull=False,
        )
        .select_related("edition__region")
        .order_by("due_on", "edition__region__code", "pk")
    )


def _pending(period: ReportingPeriod) -> list[Programme]:
    """The programmes that still owe an update for ``period``."""
    done = ProgrammeUpdate.objects.filter(period=period, state__in=DONE).values("programme_id")
    return list(
        Programme.objects.filter(edition_id=period.edition_id, start_year__lte=period.year, end_year__gte=period.year)
        .exclude(status=ProgrammeStatus.CANCELLED)
        .exclude(pk__in=done)
        .select_related("lead_opd")
        .order_by("order", "code", "pk")
    )


def _recipients(period: ReportingPeriod, programmes: Iterable[Programme]) -> dict[str, _Recipient]:
    """By e-mail address: who reports for which of ``programmes`` (see the module docstring)."""
    members = list(
        Membership.objects.filter(region_id=period.region_id, role__in=[Role.EDITOR, Role.ADMIN], user__is_active=True)
        .select_related("user")
        .order_by("user__username")
    )
    editors: dict[int, list[Any]] = {}
    for m in members:
        if m.role == Role.EDITOR and m.opd_id is not None:
            editors.setdefault(m.opd_id, []).append(m.user)
    admins = [m.user for m in members if m.role == Role.ADMIN]
    out: dict[str, _Recipient] = {}
    for programme in programmes:
        users = editors.get(programme.lead_opd_id, []) if programme.lead_opd_id else []
        for user in users or admins:
            address = (user.email or "").strip().lower()
            out.setdefault(address, _Recipient(user)).programmes.append(programme)
    return out


def _message(period: ReportingPeriod, kind: str, recipient: _Recipient) -> outbox.Mail:
    due = date_format(period.due_on, "j F Y")
    region = period.edition.region.name
    if kind == OVERDUE:
        subject = _("[KotaCerdas] Overdue: progress report %(period)s, %(region)s") % {
            "period": period.key,
            "region": region,
        }
        opening = _("The progress report for %(period)s was due on %(date)s and has not been submitted for:") % {
            "period": period.key,
            "date": due,
        }
    else:
        subject = _("[KotaCerdas] Reminder: progress report %(period)s due %(date)s") % {
            "period": period.key,
            "date": due,
        }
        opening = _("The progress report for %(period)s is due on %(date)s. Still to be submitted:") % {
            "period": period.key,
            "date": due,
        }
    user = recipient.user
    lines = [_("Dear %(name)s,") % {"name": user.full_name or user.username}, "", opening, ""]
    lines += [f"- {p.code} {p.name}" for p in recipient.programmes]
    lines += [
        "",
        _("Please fill in and submit the updates in KotaCerdas (Monitoring, my updates), or import the template."),
    ]
    return outbox.Mail(subject, "\n".join(lines) + "\n")


def _still_due(period: ReportingPeriod, programme_ids: list[int]) -> bool:
    """Re-check inside the claim: the updates may have been submitted since the list was read."""
    ReportingPeriod.objects.select_for_update().filter(pk=period.pk).first()
    done = set(
        ProgrammeUpdate.objects.filter(period=period, programme__in=programme_ids, state__in=DONE).values_list(
            "programme_id", flat=True
        )
    )
    return bool(set(programme_ids) - done)


def _recorded(period: ReportingPeriod, kind: str, to: str, codes: list[str]) -> None:
    record(
        actor=None,
        action="remind",
        obj=period,
        region=period.edition.region,
        after={"kind": kind, "recipient": to, "programmes": codes},
    )


def send_reminders(*, today: datetime.date, days_before: int = DAYS_BEFORE, dry_run: bool = False) -> list[Reminder]:
    """Send the reminders due ``today``; with ``dry_run`` nothing is sent, claimed or written."""
    periods = [(p, kind) for p in _periods(today, days_before) if (kind := kind_on(p, today, days_before))]
    sent = set(
        SentMessage.objects.filter(
            object_type=ReportingPeriod._meta.label_lower,
            object_id__in=[str(p.pk) for p, _k in periods],
            kind__in=[DUE_SOON, OVERDUE],
            status__in=[SentMessage.Status.SENT, SentMessage.Status.CLAIMED],
        ).values_list("kind", "object_id", "recipient")
    )
    out = []
    for period, kind in periods:
        pending = _pending(period)
        if not pending:
            continue
        for address, recipient in _recipients(period, pending).items():
            if (kind, str(period.pk), address) in sent:
                continue
            codes = [p.code for p in recipient.programmes]
            mail = outbox.compose(partial(_message, period, kind, recipient))
            reminder = Reminder(
                period.edition.region.code, period.edition.year, period.key, kind, address, codes, mail.subject
            )
            out.append(reminder)
            if not address:
                reminder.skipped = "no e-mail address"
                continue
            if dry_run:
                continue
            result = outbox.send_once(
                outbox.Key.of(kind, period, address, period.starts_on),
                mail,
                region=period.edition.region,
                still_due=partial(_still_due, period, [p.pk for p in recipient.programmes]),
                on_sent=partial(_recorded, period, kind, address, codes),
            )
            reminder.sent = result.outcome == outbox.Outcome.SENT
            if not reminder.sent:
                reminder.skipped = str(result.outcome) + (f": {result.error}" if result.error else "")
    return out
