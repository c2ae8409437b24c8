"""``kotacerdas work USERNAME [--date YYYY-MM-DD] [--json]``: what waits for one user ("Pekerjaan saya")."""

from __future__ import annotations

import datetime
from typing import Any

from django.core.management.base import CommandError
from django.utils import timezone

from kotacerdas.accounts.models import User
from kotacerdas.lib.commands import JsonCommand
from kotacerdas.web.mywork import my_work

TITLES = {
    "actions": "Actions owned",
    "reports": "Progress to report",
    "validate": "Updates to validate (per region)",
    "threads": "Review threads waiting for an answer",
    "assessments": "Assessments to review",
    "escalations": "Escalated obstacles to answer",
}


class Command(JsonCommand):
    help = "What is due, overdue, returned or waiting for a user across their regions (the My work page)."

    def add_arguments(self, parser: Any) -> None:
        super().add_arguments(parser)
        parser.add_argument("username")
        parser.add_argument("--date", help="As of this day (YYYY-MM-DD); today when left out.")

    def handle(self, *args: Any, **options: Any) -> None:
        user = User.objects.filter(username=options["username"], is_active=True).first()
        if user is None:
            raise CommandError(f"No active user {options['username']!r}.")
        try:
            today = datetime.date.fromisoformat(options["date"]) if options["date"] else timezone.localdate()
        except ValueError:
            raise CommandError(f"--date: {options['date']!r} is not a date (YYYY-MM-DD).") from None
        work = my_work(user, today)
        lines = [f"{user.username}, {today.isoformat()}: {work.total} waiting"]
        for key, part in work.parts.items():
            lines.append(f"{TITLES[key]}: {part.total}")
            lines += [
                f"  {i.region.code} {i.title}"
                + (f" (due {i.due_on.isoformat()}" if i.due_on else "")
                + (", overdue)" if i.overdue else (")" if i.due_on else ""))
                for i in part.items
            ]
        self.emit(options, work.as_dict(), "\n".join(lines) + "\n")
