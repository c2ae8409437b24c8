"""Notification e-mails: at once for one event, or once a day as a digest.

Both go through ``lib/reminders`` (claim a ``SentMessage``, commit, send), so each message is sent
once: an immediate one per notification (keyed on the notification), a digest per recipient and
day (keyed on the recipient's account and the day). Running either twice sends nothing new.
Texts are rendered in the site's language at the moment of sending.
"""

from __future__ import annotations

import datetime
from dataclasses import asdict, dataclass, field
from functools import partial
from typing import Any

from django.conf import settings
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from kotacerdas.lib import reminders as outbox
from kotacerdas.notifications.models import Mail, Notification

IMMEDIATE = "notification"
DIGEST = "notification_digest"


def _link(url: str) -> str:
    base = settings.SITE_URL or ""
    return base.rstrip("/") + url


def _one(notification: Notification) -> outbox.Mail:
    user = notification.recipient
    text = notification.text()
    body = [
        _("Dear %(name)s,") % {"name": user.full_name or user.username},
        "",
        f"{notification.region}: {text}",
        _link(notification.url),
        "",
        _("You can choose which notifications you receive, and how, under Notifications, settings."),
    ]
    return outbox.Mail(_("[KotaCerdas] %(text)s") % {"text": text}, "\n".join(body) + "\n")


def send_event(event_key: str) -> int:
    """Mail the notifications of one event whose recipients want e-mail at once; how many were sent."""
    rows = Notification.objects.filter(event_key=event_key, mail=Mail.NOW).select_related("recipient", "region")
    sent = 0
    for row in rows:
        address = (row.recipient.email or "").strip()
        if not address or not row.recipient.is_active:
            continue
        day = timezone.localdate(row.created_at)
        result = outbox.send_once(
            outbox.Key.of(IMMEDIATE, row, address, day), outbox.compose(partial(_one, row)), region=row.region
        )
        sent += result.outcome == outbox.Outcome.SENT
    return sent


@dataclass
class Digest:
    to: str
    username: str
    notifications: int
    sent: bool = False
    skipped: str = ""
    lines: list[str] = field(default_factory=list)

    def as_dict(self) -> dict[str, Any]:
        return asdict(self)


def _digest(user: Any, rows: list[Notification], day: datetime.date) -> outbox.Mail:
    lines = [
        _("Dear %(name)s,") % {"name": user.full_name or user.username},
        "",
        _("What happened in KotaCerdas on %(date)s:") % {"date": date_format(day, "DATE_FORMAT")},
        "",
    ]
    for row in rows:
        lines += [f"- {row.region}: {row.text()}", f"  {_link(row.url)}"]
    lines += ["", _("You can choose which notifications you receive, and how, under Notifications, settings.")]
    subject = _("[KotaCerdas] Daily digest of %(date)s: %(count)s notifications") % {
        "date": date_format(day, "DATE_FORMAT"),
        "count": len(rows),
    }
    return outbox.Mail(subject, "\n".join(lines) + "\n")


def send_digests(*, day: datetime.date, dry_run: bool = False) -> list[Digest]:
    """One e-mail per recipient with the digest notifications of ``day`` (the site's time zone).

    A recipient already sent their digest for ``day`` is skipped, so a second run sends nothing.
    """
    start = timezone.make_aware(datetime.datetime.combine(day, datetime.time.min))
    rows = (
        Notification.objects.filter(
            mail=Mail.DIGEST, created_at__gte=start, created_at__lt=start + datetime.timedelta(days=1)
        )
        .select_related("recipient", "region")
        .order_by("recipient_id", "created_at", "id")
    )
    by_user: dict[int, list[Notification]] = {}
    for row in rows:
        by_user.setdefault(row.recipient_id, []).append(row)
    out = []
    for group in by_user.values():
        user = group[0].recipient
        address = (user.email or "").strip()
        mail = outbox.compose(partial(_digest, user, group, day))
        digest = Digest(address, user.username, len(group), lines=[r.text() for r in group])
        out.append(digest)
        if not address or not user.is_active:
            digest.skipped = "no e-mail address" if not address else "inactive"
            continue
        if dry_run:
            continue
        result = outbox.send_once(outbox.Key.of(DIGEST, user, address, day), mail)
        digest.sent = result.outcome == outbox.Outcome.SENT
        if not digest.sent:
            digest.skipped = str(result.outcome) + (f": {result.error}" if result.error else "")
    return out
