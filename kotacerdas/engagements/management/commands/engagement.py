"""``kotacerdas engagement``: list sessions, export minutes, send action reminders.

kotacerdas engagement sessions 13.72 [--year 2024] [--json]
kotacerdas engagement minutes 13.72 SESSION_ID --format pdf|docx [--output FILE]
kotacerdas engagement remind [--days 3] [--today 2024-09-01] [--dry-run] [--json]
"""

from __future__ import annotations

import datetime
from pathlib import Path
from typing import Any

from django.core.management.base import CommandError
from django.utils import timezone

from kotacerdas.engagements import minutes, selectors, services
from kotacerdas.engagements.models import Session
from kotacerdas.lib.commands import JsonCommand
from kotacerdas.regions.models import Region


def _date(value: str) -> datetime.date:
    try:
        return datetime.date.fromisoformat(value)
    except ValueError as error:
        raise CommandError(f"--today: {value!r} is not a date like 2024-09-01.") from error


class Command(JsonCommand):
    help = "The assistance: list sessions, export minutes, send reminders to action owners."

    def add_arguments(self, parser: Any) -> None:
        verbs = parser.add_subparsers(dest="verb", required=True)
        sessions = verbs.add_parser("sessions", help="List a region's sessions.")
        sessions.add_argument("code", help="Region code, e.g. 13.72.")
        sessions.add_argument("--year", type=int, help="Only the cohort of this year.")
        super().add_arguments(sessions)
        export = verbs.add_parser("minutes", help="Export a session's minutes.")
        export.add_argument("code")
        export.add_argument("session", type=int, help="Session id (see `sessions`).")
        export.add_argument("--format", choices=["pdf", "docx"], default="pdf")
        export.add_argument("--output", help="File to write (default: notulen-<code>-<date>.<format>).")
        super().add_arguments(export)
        remind = verbs.add_parser("remind", help="E-mail owners of actions due soon or overdue.")
        remind.add_argument("--days", type=int, default=3, help="Remind this many days before the due date.")
        remind.add_argument("--today", type=_date, help="Pretend today is this date (YYYY-MM-DD).")
        remind.add_argument("--dry-run", action="store_true", help="Show what would be sent; send nothing.")
        super().add_arguments(remind)

    def handle(self, *args: Any, **options: Any) -> None:
        getattr(self, f"_{options['verb']}")(options)

    def _region(self, code: str) -> Region:
        region = Region.objects.filter(code=code).first()
        if region is None:
            raise CommandError(f"No region with code {code}.")
        return region

    def _sessions(self, options: dict[str, Any]) -> None:
        region = self._region(options["code"])
        rows = Session.objects.filter(region=region).select_related("engagement__cohort")
        if options.get("year"):
            rows = rows.filter(engagement__cohort__year=options["year"])
        payload = [
            {
                "id": s.pk,
                "cohort": s.engagement.cohort.name,
                "stage": s.stage,
                "title": s.title,
                "starts_on": s.starts_on.isoformat(),
                "ends_on": s.ends_on.isoformat(),
                "venue": s.venue,
                "status": s.status,
            }
            for s in rows
        ]
        text = "\n".join(
            f"{p['id']:>5}  {p['starts_on']} – {p['ends_on']}  {p['status']:<11}  {p['title']}" for p in payload
        )
        self.emit(options, payload, text or "No sessions.")

    def _minutes(self, options: dict[str, Any]) -> None:
        region = self._region(options["code"])
        try:
            page = selectors.session_page(region, options["session"], timezone.localdate())
        except Session.DoesNotExist as missing:
            raise CommandError(f"No session {options['session']} in region {region.code}.") from missing
        report = minutes.build(page)
        fmt = options["format"]
        content = minutes.render_pdf(report) if fmt == "pdf" else minutes.render_docx(report)
        path = Path(options.get("output") or f"{report.filename}.{fmt}")
        path.write_bytes(content)
        self.emit(options, {"file": str(path), "bytes": len(content)}, f"Wrote {path} ({len(content)} bytes).")

    def _remind(self, options: dict[str, Any]) -> None:
        today = options.get("today") or timezone.localdate()
        if options["days"] < 0:
            raise CommandError("--days must be zero or more.")
        reminders = services.send_reminders(today=today, days_ahead=options["days"], dry_run=options["dry_run"])
        verb = "would send" if options["dry_run"] else "sent"
        lines = [
            f"{r.region}  action {r.action_id}  {r.kind:<8}  "
            + (f"skipped ({r.skipped})" if r.skipped else f"{verb} to {r.to}")
            + f"  {r.subject}"
            for r in reminders
        ]
        self.emit(
            options,
            {"today": today.isoformat(), "dry_run": options["dry_run"], "reminders": [r.as_dict() for r in reminders]},
            "\n".join(lines) or "No reminder due.",
        )
