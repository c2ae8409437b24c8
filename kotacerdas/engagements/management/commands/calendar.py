"""``kotacerdas calendar``: the calendar feeds of a person, and their secret address.

kotacerdas calendar feed USERNAME [--region 13.72]   prints the iCalendar text (the person's
                                                     action due dates, or a region's sessions)
kotacerdas calendar token USERNAME --create|--revoke [--json]

The feed is computed as that person through the access layer, exactly as their subscription
address would answer it (a region they do not see is refused).
"""

from __future__ import annotations

from typing import Any

from django.core.management.base import CommandError
from django.http import Http404
from django.urls import reverse
from django.utils import timezone

from kotacerdas.accounts import services
from kotacerdas.accounts.models import User
from kotacerdas.engagements import feeds
from kotacerdas.lib.commands import JsonCommand


class Command(JsonCommand):
    help = "Calendar feeds (iCalendar) of a person, and the secret of their subscription addresses."

    def add_arguments(self, parser: Any) -> None:
        verbs = parser.add_subparsers(dest="verb", required=True)
        feed = verbs.add_parser("feed", help="Print a person's calendar (action due dates, or a region's sessions).")
        feed.add_argument("username")
        feed.add_argument("--region", help="A region's sessions instead, e.g. 13.72 (as that person sees it).")
        token = verbs.add_parser("token", help="Make or revoke a person's calendar address secret.")
        token.add_argument("username")
        which = token.add_mutually_exclusive_group(required=True)
        which.add_argument("--create", action="store_true", help="Make a new secret (the old addresses stop working).")
        which.add_argument("--revoke", action="store_true", help="Remove the secret: every address answers 404.")
        super().add_arguments(token)

    def handle(self, *args: Any, **options: Any) -> None:
        user = User.objects.filter(username=options["username"]).first()
        if user is None:
            raise CommandError(f"No user {options['username']!r}.")
        getattr(self, f"_{options['verb']}")(user, options)

    def _feed(self, user: User, options: dict[str, Any]) -> None:
        now = timezone.now()
        if options.get("region"):
            try:
                body = feeds.region_feed(user, options["region"], now)
            except Http404:
                raise CommandError(f"{user.username} does not see a region {options['region']}.") from None
        else:
            body = feeds.actions_feed(user, now)
        self.stdout.write(body.decode(), ending="")

    def _token(self, user: User, options: dict[str, Any]) -> None:
        if options["revoke"]:
            removed = services.revoke_calendar_token(actor=None, user=user)
            payload: dict[str, Any] = {"user": user.username, "revoked": removed}
            text = "Revoked: the calendar addresses answer 404." if removed else "There was no calendar address."
            self.emit(options, payload, text)
            return
        token = services.create_calendar_token(actor=None, user=user)
        actions = reverse("engagements:actions_feed", args=[token])
        region = reverse("engagements:region_feed", args=[token, "CODE"])
        payload = {"user": user.username, "token": token, "actions": actions, "region": region}
        text = f"Shown once. Actions: {actions}\nA region's sessions: {region} (CODE = the region's code)"
        self.emit(options, payload, text)
