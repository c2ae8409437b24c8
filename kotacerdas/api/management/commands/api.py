"""``kotacerdas api``: personal access tokens of the REST API, from the console.

kotacerdas api token create USERNAME --name NAME [--scope read|write] [--expires 2026-12-31] [--json]
kotacerdas api token list [--user USERNAME] [--all] [--json]
kotacerdas api token revoke PREFIX
"""

from __future__ import annotations

import datetime
from typing import Any

from django.core.exceptions import ValidationError
from django.core.management.base import CommandError

from kotacerdas.accounts.models import User
from kotacerdas.api import services
from kotacerdas.api.models import ApiToken, Scope
from kotacerdas.lib.commands import JsonCommand, fail


def _date(value: str) -> datetime.date:
    try:
        return datetime.date.fromisoformat(value)
    except ValueError as error:
        raise CommandError(f"--expires: {value!r} is not a date like 2026-12-31.") from error


def _row(token: ApiToken) -> dict[str, Any]:
    return {
        "prefix": token.prefix,
        "user": token.user.username,
        "name": token.name,
        "scope": token.scope,
        "created_at": token.created_at.isoformat(),
        "expires_at": token.expires_at.isoformat() if token.expires_at else None,
        "last_used_at": token.last_used_at.isoformat() if token.last_used_at else None,
        "revoked_at": token.revoked_at.isoformat() if token.revoked_at else None,
    }


class Command(JsonCommand):
    help = "Personal access tokens of the REST API: create, list, revoke."

    def add_arguments(self, parser: Any) -> None:
        things = parser.add_subparsers(dest="thing", required=True)
        token = things.add_parser("token", help="Personal access tokens.")
        verbs = token.add_subparsers(dest="verb", required=True)
        create = verbs.add_parser("create", help="Make a token for a user; it is printed once.")
        create.add_argument("username")
        create.add_argument("--name", required=True, help="What the token is for.")
        create.add_argument("--scope", choices=Scope.values, default=Scope.READ)
        create.add_argument("--expires", type=_date, help="Last day before it stops working (YYYY-MM-DD).")
        super().add_arguments(create)
        listing = verbs.add_parser("list", help="List tokens (active ones unless --all).")
        listing.add_argument("--user", help="Only this user's tokens.")
        listing.add_argument("--all", action="store_true", help="Also revoked tokens.")
        super().add_arguments(listing)
        revoke = verbs.add_parser("revoke", help="Revoke a token by its prefix.")
        revoke.add_argument("prefix", help="The 8 characters after kc_ (see `list`).")
        super().add_arguments(revoke)

    def handle(self, *args: Any, **options: Any) -> None:
        getattr(self, f"_{options['verb']}")(options)

    def _user(self, username: str) -> User:
        user = User.objects.filter(username=username).first()
        if user is None:
            raise CommandError(f"No user {username}.")
        return user

    def _create(self, options: dict[str, Any]) -> None:
        user = self._user(options["username"])
        data = {"name": options["name"], "scope": options["scope"], "expires_on": options.get("expires")}
        try:
            made = services.create_token(actor=None, user=user, data=data)
        except ValidationError as error:
            raise fail(error) from None
        self.emit(
            options,
            {**_row(made.token), "token": made.secret},
            f"{made.secret}\nKeep it secret: it is shown only this once.",
        )

    def _list(self, options: dict[str, Any]) -> None:
        tokens = ApiToken.objects.select_related("user").order_by("-created_at", "-id")
        if options.get("user"):
            tokens = tokens.filter(user=self._user(options["user"]))
        if not options.get("all"):
            tokens = tokens.filter(revoked_at__isnull=True)
        rows = [_row(t) for t in tokens]
        text = "\n".join(
            f"kc_{r['prefix']}  {r['user']:<16} {r['scope']:<5}  {r['name']}{'  (revoked)' if r['revoked_at'] else ''}"
            for r in rows
        )
        self.emit(options, rows, text or "No tokens.")

    def _revoke(self, options: dict[str, Any]) -> None:
        prefix = options["prefix"].removeprefix("kc_").split("_")[0]
        token = ApiToken.objects.filter(prefix=prefix).first()
        if token is None:
            raise CommandError(f"No token with prefix {prefix}.")
        services.revoke_token(actor=None, token=token)
        self.emit(options, _row(token), f"Token kc_{prefix} ({token.name}) revoked.")
