"""Reminder e-mails to action owners before the due date and when overdue (run by a scheduled command)."""

from __future__ import annotations

import datetime
from dataclasses import asdict, dataclass
from typing import Any

from django.core.mail import send_mail
from django.db import transaction
from django.utils import translation
from django.utils.formats import date_format

from kotacerdas.audit.services import record, snapshot
from kotacerdas.engagements import figures, selectors
from kotacerdas.engagements.models import Action


@dataclass
class Reminder:
    action_id: int
    region: str
    kind: str
    to: str
    subject: str
    sent: bool
    skipped: str = ""

    def as_dict(self) -> dict[str, Any]:
        return asdict(self)


def _message(action: Action, kind: str) -> tuple[str, str]:
    # Owners are regional officials: reminders are written in Bahasa Indonesia.
    with translation.override("id"):
        due = date_format(action.due_on, "j F Y")
    if kind == figures.OVERDUE:
        subject = f"[KotaCerdas] Tindak lanjut terlambat: {action.title}"
        opening = f"Tindak lanjut berikut telah melewati batas waktu {due}."
    else:
        subject = f"[KotaCerdas] Pengingat tindak lanjut: {action.title}"
        opening = f"Tindak lanjut berikut jatuh tempo pada {due}."
    body = (
        f"Yth. {action.owner_name},\n\n{opening}\n\n"
        f"Tindak lanjut: {action.title}\nPerangkat daerah: {action.owner_opd}\n"
        f"Disepakati pada: {action.session.title}\n\n"
        "Mohon perbarui statusnya di KotaCerdas atau sampaikan pada forum berikutnya.\n"
    )
    return subject[:200], body


def send_reminders(*, today: datetime.date, days_ahead: int = 3, dry_run: bool = False) -> list[Reminder]:
    """Send the reminders due today; with ``dry_run`` nothing is sent or written."""
    reminders = []
    for action in selectors.reminder_actions(today, days_ahead):
        kind = figures.reminder_kind(action.due_on, action.last_reminded_on, today, days_ahead)
        if kind is None:
            continue
        subject, body = _message(action, kind)
        reminder = Reminder(action.pk, action.region.code, kind, action.owner_email, subject, sent=False)
        if not action.owner_email:
            reminder.skipped = "no e-mail address"
        elif not dry_run:
            _send(action, subject, body, today)
            reminder.sent = True
        reminders.append(reminder)
    return reminders


@transaction.atomic
def _send(action: Action, subject: str, body: str, today: datetime.date) -> None:
    locked = Action.objects.select_for_update().get(pk=action.pk)
    before = snapshot(locked)
    send_mail(subject, body, None, [locked.owner_email])
    locked.last_reminded_on = today
    locked.save(update_fields=["last_reminded_on"])
    record(actor=None, action="remind", obj=locked, region=action.region, before=before, after=snapshot(locked))
