"""``kotacerdas notifications list USERNAME [--unread] [--json]`` and
``kotacerdas notifications digest [--date YYYY-MM-DD] [--dry-run] [--json]``.

``digest`` sends each recipient one e-mail with the notifications of the day they chose to
receive as a digest; run it once a day (cron) after the day ends, e.g. at 00:30 for yesterday
(``--date``; today when left out). Running it twice sends nothing twice.
"""

from __future__ import annotations

import datetime
from typing import Any

from django.core.management.base import CommandError
from django.utils import timezone, translation

from kotacerdas.accounts.models import User
from kotacerdas.lib.commands import JsonCommand
from kotacerdas.notifications import selectors
from kotacerdas.notifications.mail import send_digests


class Command(JsonCommand):
    help = "List a user's notifications, or send the daily digest e-mails."

    def add_arguments(self, parser: Any) -> None:
        verbs = parser.add_subparsers(dest="verb", required=True)
        listing = verbs.add_parser("list", help="A user's notifications, newest first.")
        super().add_arguments(listing)
        listing.add_argument("username")
        listing.add_argument("--unread", action="store_true", help="Only those not yet read.")
        digest = verbs.add_parser("digest", help="Send the daily digests of one day (once per recipient).")
        super().add_arguments(digest)
        digest.add_argument("--date", help="The day (YYYY-MM-DD) whose notifications are sent; today when left out.")
        digest.add_argument("--dry-run", action="store_true", help="Say what would be sent; send nothing.")

    def handle(self, *args: Any, **options: Any) -> None:
        if options["verb"] == "list":
            self._list(options)
        else:
            self._digest(options)

    def _list(self, options: dict[str, Any]) -> None:
        user = User.objects.filter(username=options["username"]).first()
        if user is None:
            raise CommandError(f"No user {options['username']!r}.")
        rows = selectors.listed(user, unread=options["unread"])
        with translation.override("en"):
            payload: list[dict[str, Any]] = [
                {
                    "id": n.pk,
                    "kind": n.kind,
                    "region": n.region.code,
                    "text": n.text(),
                    "url": n.url,
                    "created_at": n.created_at.isoformat(),
                    "read": n.read_at is not None,
                    "event": n.event_key,
                }
                for n in rows
            ]
        lines = [f"{user.username}: {len(rows)} notification(s)" + (" unread" if options["unread"] else "")]
        lines += [
            f"  {'  ' if p['read'] else '* '}{p['created_at'][:16]} {p['region']} {p['text']} {p['url']}"
            for p in payload
        ]
        self.emit(options, payload, "\n".join(lines) + "\n")

    def _digest(self, options: dict[str, Any]) -> None:
        try:
            day = datetime.date.fromisoformat(options["date"]) if options["date"] else timezone.localdate()
        except ValueError:
            raise CommandError(f"--date: {options['date']!r} is not a date (YYYY-MM-DD).") from None
        digests = send_digests(day=day, dry_run=options["dry_run"])
        lines = [f"Digest of {day.isoformat()}: {sum(d.sent for d in digests)} sent, {len(digests)} recipient(s)"]
        lines += [
            f"  {d.username} <{d.to}>: {d.notifications} notification(s), "
            + ("sent" if d.sent else (d.skipped or "not sent (dry run)"))
            for d in digests
        ]
        payload = {"date": day.isoformat(), "dry_run": options["dry_run"], "digests": [d.as_dict() for d in digests]}
        self.emit(options, payload, "\n".join(lines) + "\n")
