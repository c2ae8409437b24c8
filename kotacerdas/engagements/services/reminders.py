"""Reminder e-mails to action owners before the due date and when overdue (run by a scheduled command).

Each reminder is claimed before it is sent (``kotacerdas.lib.reminders``), so overlapping runs
send it once per owner and day, and no row stays locked while the mail server answers.
"""

from __future__ import annotations

import datetime
from dataclasses import asdict, dataclass
from functools import partial
from typing import Any

from django.utils.formats import date_format
from django.utils.translation import gettext as _

from kotacerdas.audit.services import record, snapshot
from kotacerdas.engagements import figures, selectors
from kotacerdas.engagements.models import Action
from kotacerdas.engagements.models.register import OPEN_ACTION_STATUSES
from kotacerdas.lib import reminders as outbox


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


def _message(action: Action, kind: str) -> outbox.Mail:
    """The e-mail, in the active language (``outbox.compose`` chooses the recipient's)."""
    due = date_format(action.due_on, "j F Y")
    if kind == figures.OVERDUE:
        subject = _("[KotaCerdas] Action overdue: %(title)s") % {"title": action.title}
        opening = _("The following action passed its due date of %(date)s.") % {"date": due}
    else:
        subject = _("[KotaCerdas] Action reminder: %(title)s") % {"title": action.title}
        opening = _("The following action is due on %(date)s.") % {"date": due}
    lines = [
        _("Dear %(name)s,") % {"name": action.owner_name},
        "",
        opening,
        "",
        _("Action: %(title)s") % {"title": action.title},
        _("Agency (OPD): %(opd)s") % {"opd": action.owner_opd},
        _("Agreed at: %(session)s") % {"session": action.session.title},
        "",
        _("Please update its status in KotaCerdas or report on it at the next forum."),
    ]
    return outbox.Mail(subject, "\n".join(lines) + "\n")


def _still_due(action: Action, kind: str, today: datetime.date, days_ahead: int) -> bool:
    """Re-check under a row lock, inside the claim: another run may have reminded or closed it."""
    fresh = (
        Action.objects.select_for_update()
        .filter(pk=action.pk, status__in=OPEN_ACTION_STATUSES)
        .values_list("due_on", "last_reminded_on")
        .first()
    )
    return fresh is not None and figures.reminder_kind(fresh[0], fresh[1], today, days_ahead) == kind


def _mark_reminded(action: Action, today: datetime.date) -> None:
    locked = Action.objects.select_for_update().get(pk=action.pk)
    before = snapshot(locked)
    locked.last_reminded_on = today
    locked.save(update_fields=["last_reminded_on"])
    record(actor=None, action="remind", obj=locked, region=action.region, before=before, after=snapshot(locked))


def send_reminders(*, today: datetime.date, days_ahead: int = 3, dry_run: bool = False) -> list[Reminder]:
    """Send the reminders due today; with ``dry_run`` nothing is sent, claimed or written."""
    reminders = []
    for action in selectors.reminder_actions(today, days_ahead):
        kind = figures.reminder_kind(action.due_on, action.last_reminded_on, today, days_ahead)
        if kind is None:
            continue
        # Action owners have no account, hence no language of their own: the site's (Indonesian).
        mail = outbox.compose(partial(_message, action, kind))
        reminder = Reminder(action.pk, action.region.code, kind, action.owner_email, mail.subject, sent=False)
        if not action.owner_email:
            reminder.skipped = "no e-mail address"
        elif not dry_run:
            result = outbox.send_once(
                outbox.Key.of(kind, action, action.owner_email, today),
                mail,
                region=action.region,
                still_due=partial(_still_due, action, kind, today, days_ahead),
                on_sent=partial(_mark_reminded, action, today),
            )
            reminder.sent = result.outcome == outbox.Outcome.SENT
            if not reminder.sent:
                reminder.skipped = str(result.outcome) + (f": {result.error}" if result.error else "")
        reminders.append(reminder)
    return reminders
